"""manylinux/musllinux policies, read from the installed auditwheel's own policy files.

Used to explain a refusal: which symbol versions of which binaries are too
recent for the requested policy. The files are data shipped in the
auditwheel package; auditwheel itself is never imported here.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from ironwheel.repair.elf import ElfFile

__all__ = ["Policy", "find_policy", "load_policies", "too_recent"]


@dataclasses.dataclass(frozen=True)
class Policy:
    """One platform policy, e.g. manylinux_2_17 (alias manylinux2014)."""

    name: str
    aliases: tuple[str, ...]
    priority: int
    symbol_versions: Mapping[str, Mapping[str, frozenset[str]]]  # arch -> prefix -> versions
    libraries: frozenset[str] = frozenset()  # the libraries every system of the policy has

    def allows(self, arch: str, version: str) -> bool:
        prefix, _, number = version.partition("_")
        known = self.symbol_versions.get(arch, {})
        return prefix not in known or number in known[prefix]


def _policy_dir() -> Path | None:
    spec = importlib.util.find_spec("auditwheel")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "policy"


def load_policies(directory: Path | None = None) -> list[Policy]:
    """Every manylinux and musllinux policy auditwheel knows; [] when it is not installed."""
    directory = directory or _policy_dir()
    policies: list[Policy] = []
    if directory is None:
        return policies
    for name in ("manylinux-policy.json", "musllinux-policy.json"):
        try:
            raw = json.loads((directory / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for item in raw:
            versions = {
                arch: {prefix: frozenset(values) for prefix, values in table.items()}
                for arch, table in item.get("symbol_versions", {}).items()
            }
            policies.append(
                Policy(
                    item["name"],
                    tuple(item.get("aliases", ())),
                    int(item.get("priority", 0)),
                    versions,
                    frozenset(item.get("lib_whitelist", ())),
                )
            )
    return policies


def find_policy(policies: Iterable[Policy], name: str, arch: str) -> Policy | None:
    """The policy called ``name`` or one of its aliases, with or without ``_<arch>``."""
    base = name[: -len(arch) - 1] if name.endswith(f"_{arch}") else name
    return next((policy for policy in policies if base in (policy.name, *policy.aliases)), None)


def too_recent(policy: Policy, arch: str, binaries: Iterable[tuple[str, ElfFile]]) -> list[str]:
    """One line per binary that needs symbol versions ``policy`` does not allow."""
    lines: list[str] = []
    for label, elf in binaries:
        by_library: dict[str, set[str]] = {}
        for library, version in elf.version_needs:
            if library.startswith("ld-linux") or library in ("ld64.so.1", "ld64.so.2"):
                continue
            if not policy.allows(arch, version):
                by_library.setdefault(library, set()).add(version)
        if by_library:
            needs = "; ".join(
                f"{library}: {', '.join(sorted(versions, key=_version_key))}"
                for library, versions in sorted(by_library.items())
            )
            lines.append(f"{label} needs {needs}")
    return lines


def _version_key(version: str) -> tuple[str, tuple[int, ...], str]:
    prefix, _, number = version.partition("_")
    parts = tuple(int(part) for part in number.split(".") if part.isdigit())
    return prefix, parts, number
