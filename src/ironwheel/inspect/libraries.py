"""Which libraries the binaries of a wheel load, and where the loader finds each one.

A library is *bundled* when the binary's own search path (``$ORIGIN``
RPATH/RUNPATH entries, ``@rpath`` with ``@loader_path`` LC_RPATHs, a DLL in
the wheel) reaches a file of the wheel; *system* when the platform's allow
list names it; *unreachable* when the wheel holds it but the search path does
not lead there; *missing* otherwise. On Linux the allow list is the one of
auditwheel's policy for the wheel's tag, read from the policy files of an
installed auditwheel; without auditwheel, a short list of the C and C++
runtimes (``repair/external.py``).
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Literal

from ironwheel.inspect.model import Finding, Library
from ironwheel.repair.binaries import Binary
from ironwheel.repair.external import is_system_library
from ironwheel.repair.manylinux import find_policy, load_policies

__all__ = ["AllowList", "allow_list", "resolve_libraries"]

# Every Linux system has its dynamic loader; an extension may link libpython (auditwheel allows it).
_ALWAYS_ELF = re.compile(r"^(ld-linux.*|ld64\.so\..*|ld-musl-.*|libpython3[.\d]*[dmt]*\.so(\.[\d.]+)?)$")
_MUSL_LIBC = re.compile(r"^libc\.musl-\w+\.so\.1$")


@dataclasses.dataclass(frozen=True)
class AllowList:
    """The libraries a system of the wheel's platform provides, and where that list came from."""

    source: str
    allows: Callable[[str, str], bool]  # (format, library name) -> provided


def allow_list(platforms: Sequence[str]) -> AllowList:
    """The allow list for a wheel's platform tags (the first Linux one decides on Linux)."""
    linux = next((item for item in platforms if "linux" in item), None)
    if linux is not None:
        policies = [policy for policy in load_policies() if policy.libraries]
        arch_match = re.search(
            r"_(x86_64|i686|aarch64|armv7l|ppc64le|s390x|riscv64|loongarch64|ppc64)$", linux
        )
        arch = arch_match.group(1) if arch_match else ""
        base = linux[: -len(arch) - 1] if arch else linux
        policy = find_policy(policies, base, arch)
        if policy is None and policies:
            # A plain linux_* tag promises nothing; the newest manylinux policy says what is safe.
            family = "musllinux" if base.startswith("musllinux") else "manylinux"
            policy = min(
                (item for item in policies if item.name.startswith(family)), key=lambda p: p.priority
            )
        if policy is not None:
            names = policy.libraries
            musl = policy.name.startswith("musllinux")

            def allows(format_: str, name: str) -> bool:
                del format_
                return (
                    name in names or bool(_ALWAYS_ELF.match(name)) or (musl and bool(_MUSL_LIBC.match(name)))
                )

            return AllowList(f"auditwheel's {policy.name} policy", allows)
        return AllowList(
            "the C and C++ runtimes (auditwheel is not installed)",
            lambda format_, name: is_system_library("elf", name) or bool(_ALWAYS_ELF.match(name)),
        )
    if any(item.startswith("macosx") for item in platforms):
        return AllowList(
            "macOS system libraries (/usr/lib, /System)", lambda f, name: is_system_library("macho", name)
        )
    if any(item.startswith("win") for item in platforms):
        return AllowList(
            "Windows system DLLs and the Python DLLs", lambda f, name: is_system_library("pe", name)
        )
    return AllowList("the C and C++ runtimes", lambda format_, name: is_system_library("elf", name))


def _normal(directory: str, relative: str) -> str | None:
    """``directory/relative`` within the wheel, or None when it leaves the wheel."""
    joined = posixpath.normpath(posixpath.join(directory, relative))
    return (
        None if joined.startswith("../") or joined == ".." or joined.startswith("/") else joined.lstrip("./")
    )


def _elf_dirs(path: str, binary: Binary) -> list[str]:
    here = posixpath.dirname(path)
    found: list[str] = []
    for entry in binary.rpath:
        for token in ("${ORIGIN}", "$ORIGIN"):
            if entry.startswith(token):
                inside = _normal(here, "." + entry[len(token) :])
                if inside is not None:
                    found.append(inside)
                break
    return found


def _macho_candidates(path: str, binary: Binary, needed: str) -> list[str]:
    here = posixpath.dirname(path)
    if needed.startswith("@loader_path/"):
        inside = _normal(here, needed[len("@loader_path/") :])
        return [inside] if inside else []
    if needed.startswith("@rpath/"):
        rest = needed[len("@rpath/") :]
        found = []
        for entry in binary.rpath:
            if entry.startswith("@loader_path"):
                inside = _normal(here, "." + entry[len("@loader_path") :] + "/" + rest)
                if inside:
                    found.append(inside)
        return found
    return []


Status = Literal["bundled", "system", "unreachable", "missing"]


def _find(
    path: str, binary: Binary, needed: str, binaries: Mapping[str, Binary], by_name: Mapping[str, list[str]]
) -> tuple[Status | None, str | None]:
    """(status, path in the wheel) of one library ``binary`` (at ``path``) loads."""
    base = posixpath.basename(needed)
    if binary.format == "elf":
        for directory in _elf_dirs(path, binary):
            candidate = f"{directory}/{needed}".lstrip("/") if directory else needed
            if candidate in binaries:
                return "bundled", candidate
            match = next((p for p in by_name.get(needed, []) if posixpath.dirname(p) == directory), None)
            if match:
                return "bundled", match
    elif binary.format == "macho":
        for candidate in _macho_candidates(path, binary, needed):
            if candidate in binaries:
                return "bundled", candidate
    else:
        here = posixpath.dirname(path)
        same = [p for p in by_name.get(base.lower(), []) if posixpath.dirname(p) == here]
        anywhere = by_name.get(base.lower(), [])
        # delvewheel's <package>.libs directory is added to the DLL search path by the package.
        if same or anywhere:
            return "bundled", (same or anywhere)[0]
    elsewhere = by_name.get(needed) or by_name.get(base) or by_name.get(base.lower())
    if elsewhere:
        return "unreachable", elsewhere[0]
    return None, None


def resolve_libraries(
    binaries: Mapping[str, Binary], allowed: AllowList
) -> tuple[list[Library], list[Finding]]:
    """Every library the binaries load, where it is found, and what is wrong with that."""
    by_name: dict[str, list[str]] = {}
    for path, binary in binaries.items():
        for key in {binary.name, posixpath.basename(path)}:
            # Windows looks DLLs up without regard to case.
            by_name.setdefault(key.lower() if binary.format == "pe" else key, []).append(path)
    found: dict[tuple[str, Status, str | None], list[str]] = {}
    for path, binary in sorted(binaries.items()):
        for needed in binary.needed:
            status, where = _find(path, binary, needed, binaries, by_name)
            if status is None:
                status = "system" if allowed.allows(binary.format, needed) else "missing"
            found.setdefault((needed, status, where), []).append(path)
    libraries = [
        Library(name, status, where, tuple(users))
        for (name, status, where), users in sorted(found.items(), key=lambda item: (item[0][1], item[0][0]))
    ]
    findings: list[Finding] = []
    for library in libraries:
        users = ", ".join(library.needed_by)
        if library.status == "missing":
            findings.append(
                Finding(
                    "defect",
                    "missing-library",
                    f"{library.name} (needed by {users}) is not in the wheel and not on the allow list "
                    f"({allowed.source})",
                    library.needed_by[0],
                )
            )
        elif library.status == "unreachable":
            findings.append(
                Finding(
                    "warning",
                    "unreachable-library",
                    f"{library.name} (needed by {users}) is in the wheel as {library.path}, "
                    "but the search path of the binary does not lead there",
                    library.needed_by[0],
                )
            )
    return libraries, findings
