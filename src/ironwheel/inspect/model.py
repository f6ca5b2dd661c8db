"""What ``inspect`` found, as frozen records; the JSON form follows ``schema.json``."""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

__all__ = [
    "SCHEMA_VERSION",
    "Archive",
    "Finding",
    "Library",
    "Module",
    "Report",
    "SbomSummary",
    "SdistSummary",
    "Severity",
    "TagInfo",
]

SCHEMA_VERSION = 1

# defect: the archive is wrong (exit code 7); warning: it may be (exit code 7 with --strict);
# note: worth knowing, never fails.
Severity = Literal["defect", "warning", "note"]


@dataclasses.dataclass(frozen=True)
class Finding:
    """One thing to fix or to know, with a stable ``code``."""

    severity: Severity
    code: str
    message: str
    path: str | None = None


@dataclasses.dataclass(frozen=True)
class TagInfo:
    """One wheel tag and what it promises."""

    tag: str
    python: str  # "CPython 3.11", "any Python 3"
    abi: str  # "CPython 3.11 only", "stable ABI (abi3), CPython 3.9 or newer"
    platform: str  # "Linux, glibc 2.28 or newer, x86_64"
    pure: bool
    abi3_floor: str | None = None  # "3.9"
    free_threaded: bool = False
    glibc: str | None = None  # minimum glibc, from manylinux_x_y
    musl: str | None = None  # minimum musl, from musllinux_x_y
    macos: str | None = None  # minimum macOS, from macosx_x_y
    arch: str | None = None


@dataclasses.dataclass(frozen=True)
class Module:
    """An extension module: what its file name says, and what its binary imports."""

    path: str
    format: str  # elf, macho, pe
    suffix: str  # the part after the module name: ".cpython-311-x86_64-linux-gnu.so", ".abi3.so", ".pyd"
    built_for: str  # "CPython 3.11", "stable ABI (abi3)", "PyPy 3.10", "any (unversioned suffix)"
    abi3: bool
    links_python: str | None  # libpython3.11.so.1.0, python311.dll, python3.dll
    limited_api_needed: str | None  # the newest limited-API version among the symbols it imports
    outside_limited_api: tuple[str, ...] = ()  # only reported for abi3 modules
    newer_than_floor: tuple[tuple[str, str], ...] = ()  # (symbol, version added)


@dataclasses.dataclass(frozen=True)
class Library:
    """A library a binary of the wheel loads, and where the loader finds it."""

    name: str  # as the binary asks for it: libfoo.so.1, @rpath/libfoo.dylib, foo.dll
    status: Literal["bundled", "system", "unreachable", "missing"]
    path: str | None  # in the wheel, when bundled
    needed_by: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class SbomSummary:
    """One PEP 770 SBOM in ``.dist-info/sboms/``."""

    path: str
    format: str  # "CycloneDX 1.6", "SPDX-2.3", "unknown"
    components: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class Archive:
    """Sizes: the archive's, and its members' (unpacked)."""

    file_size: int
    files: int
    unpacked_size: int
    largest: tuple[tuple[str, int], ...]


@dataclasses.dataclass(frozen=True)
class SdistSummary:
    """An sdist's PKG-INFO, and how its files compare with the project's git tree."""

    metadata: tuple[tuple[str, str], ...]  # (field, value) in PKG-INFO order, summarised
    compared_with: str | None  # the project directory whose git tree was compared, or None
    not_in_sdist: tuple[str, ...] = ()  # tracked by git, left out of the sdist
    not_in_git: tuple[str, ...] = ()  # in the sdist, not tracked (generated: PKG-INFO, ...)


@dataclasses.dataclass(frozen=True)
class Report:
    """Everything ``inspect`` says about one archive."""

    kind: Literal["wheel", "sdist"]
    file: str
    name: str
    version: str
    archive: Archive
    findings: tuple[Finding, ...]
    tags: tuple[TagInfo, ...] = ()
    modules: tuple[Module, ...] = ()
    libraries: tuple[Library, ...] = ()
    allow_list: str | None = None  # where the libraries a system provides come from
    search_paths: tuple[tuple[str, tuple[str, ...]], ...] = ()  # binary -> RPATH/RUNPATH/LC_RPATH
    install_names: tuple[tuple[str, str], ...] = ()  # Mach-O binary -> its install name
    sboms: tuple[SbomSummary, ...] = ()
    record_entries: int | None = None  # wheels: RECORD rows, every hash and size checked
    sdist: SdistSummary | None = None

    def count(self, severity: Severity) -> int:
        return sum(1 for finding in self.findings if finding.severity == severity)

    def failed(self, *, strict: bool = False) -> bool:
        """Whether the report fails: a defect, or with ``strict`` a warning too."""
        return bool(self.count("defect") or (strict and self.count("warning")))

    def to_json(self) -> dict[str, Any]:
        """The report as ``schema.json`` describes it."""
        return {
            "schema_version": SCHEMA_VERSION,
            "kind": self.kind,
            "file": self.file,
            "name": self.name,
            "version": self.version,
            "archive": {
                "file_size": self.archive.file_size,
                "files": self.archive.files,
                "unpacked_size": self.archive.unpacked_size,
                "largest": [{"path": path, "size": size} for path, size in self.archive.largest],
            },
            "tags": [dataclasses.asdict(tag) for tag in self.tags],
            "modules": [
                {
                    **{k: v for k, v in dataclasses.asdict(module).items() if k != "newer_than_floor"},
                    "outside_limited_api": list(module.outside_limited_api),
                    "newer_than_floor": [
                        {"symbol": symbol, "added": added} for symbol, added in module.newer_than_floor
                    ],
                }
                for module in self.modules
            ],
            "libraries": [
                {**dataclasses.asdict(library), "needed_by": list(library.needed_by)}
                for library in self.libraries
            ],
            "allow_list": self.allow_list,
            "search_paths": {binary: list(paths) for binary, paths in self.search_paths},
            "install_names": dict(self.install_names),
            "sboms": [
                {"path": sbom.path, "format": sbom.format, "components": list(sbom.components)}
                for sbom in self.sboms
            ],
            "record": None
            if self.record_entries is None
            else {"entries": self.record_entries, "verified": True},
            "sdist": None
            if self.sdist is None
            else {
                "metadata": dict(self.sdist.metadata),
                "compared_with": self.sdist.compared_with,
                "not_in_sdist": list(self.sdist.not_in_sdist),
                "not_in_git": list(self.sdist.not_in_git),
            },
            "findings": [dataclasses.asdict(finding) for finding in self.findings],
            "summary": {
                "defects": self.count("defect"),
                "warnings": self.count("warning"),
                "notes": self.count("note"),
            },
        }
