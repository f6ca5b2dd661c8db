"""The seam between the repair pipeline and the platform tools.

A :class:`Repairer` knows one platform's tool (auditwheel, delocate,
delvewheel) and how relative library paths are written in its binary format.
The pipeline picks one from the wheel's platform tag, never from the host,
so a Windows wheel is repaired on Linux exactly as on Windows.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from ironwheel.repair.binaries import Binary, Format
from ironwheel.repair.mode import Mode

__all__ = ["Job", "Linker", "Options", "Repairer", "Report"]


@dataclasses.dataclass(frozen=True)
class Options:
    """What ``[tool.ironwheel.repair]`` and the build say about how to repair."""

    manylinux: str = "auto"
    exclude: tuple[str, ...] = ()
    macos_archs: tuple[str, ...] = ()
    lib_dirs: tuple[Path, ...] = ()  # where libraries to graft are searched first
    environ: Mapping[str, str] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class Job:
    """One run of a tool: a (skeleton) wheel in, a wheel out into ``out_dir``."""

    wheel: Path
    out_dir: Path
    options: Options


@dataclasses.dataclass(frozen=True)
class Report:
    """What a repair would do: the libraries it would graft and the tag it would give."""

    grafted: tuple[tuple[str, str | None], ...]  # (library, where it was found, or None)
    tag: str
    problems: tuple[str, ...] = ()


class Linker(Protocol):
    """Writes the relative library paths of internal libraries into binaries."""

    format: Format
    origin: str | None  # "$ORIGIN", "@loader_path"; None: the loader searches the directory itself

    def relink(
        self,
        path: Path,
        binary: Binary,
        rpath: tuple[str, ...],
        changes: Mapping[str, str],
        install_name: str | None,
    ) -> None:
        """Give ``path`` the search path ``rpath``, rename the references in ``changes``, set its id."""


class Repairer(Protocol):
    """One platform's repair tool."""

    tool: str
    lib_sdir: str  # where the tool puts grafted libraries, e.g. "<name>.libs/"
    linker: Linker

    def requirements(self, environ: Mapping[str, str], mode: Mode) -> list[str]:
        """The PyPI packages a frontend must install to repair (or check) in ``mode``."""

    def versions(self) -> str:
        """The tool's version(s), for the log; raises ToolError when the tool is missing."""

    def wants(self, name: str) -> bool:
        """Whether the tool must see this non-binary file of the wheel (binaries it always sees)."""

    def repair(self, job: Job) -> Path | None:
        """Repair ``job.wheel`` into ``job.out_dir``; None if it was repaired before, unchanged."""

    def check(self, job: Job) -> Report:
        """What a repair of ``job.wheel`` would graft, and the tag it would get."""
