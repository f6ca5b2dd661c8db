"""The build environment, probed once per build: the interpreter, its paths, NumPy, the variables.

Every input of the configure plan that comes from the process is read
here, or, for what the wheel is for (the target's platform and Python,
which the wheel's tag needs long before a build), by ``ironwheel.target``.
Planning the configure (``cmake/plan.py``) then only computes: a test
builds a :class:`BuildEnvironment` and a target by hand instead of patching
the interpreter.

NumPy is located, never imported: the backend process stays light, and a
NumPy that cannot be imported here (another ABI, say) still has its headers
found.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import logging
import os
import sys
import sysconfig
from collections.abc import Mapping
from pathlib import Path

from ironwheel._records import Record
from ironwheel.cmake.entrypoints import CMakeEntryPoints, cmake_entry_points

__all__ = ["BuildEnvironment", "NumPyDirs", "numpy_dirs", "site_directories"]

log = logging.getLogger("ironwheel")


@dataclasses.dataclass(frozen=True)
class NumPyDirs:
    """NumPy's C include directory and f2py's source directory."""

    include: Path
    f2py_source: Path


def site_directories(path: list[str] | None = None) -> list[Path]:
    """The site-packages directories of the running (possibly isolated) environment."""
    found: list[Path] = []
    for entry in sys.path if path is None else path:
        if not entry or Path(entry).name not in ("site-packages", "dist-packages"):
            continue
        directory = Path(entry)
        if directory.is_dir() and directory not in found:
            found.append(directory)
    return found


def numpy_dirs() -> NumPyDirs | None:
    """Where this environment's NumPy keeps its C headers and f2py's sources, or None without NumPy."""
    try:
        spec = importlib.util.find_spec("numpy")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(next(iter(spec.submodule_search_locations)))
    for include in (root / "_core" / "include", root / "core" / "include"):
        if (include / "numpy" / "arrayobject.h").is_file():
            return NumPyDirs(include, root / "f2py" / "src")
    log.debug("numpy at %s has no C headers", root)
    return None


@dataclasses.dataclass(frozen=True)
class BuildEnvironment:
    """The interpreter and environment a build runs in, as read once."""

    executable: Path  # this interpreter, maybe in a temporary environment
    base_executable: Path  # the interpreter behind any virtual environment
    version: str  # sys.version
    soabi: str
    include_dir: Path  # Python's C headers
    prefix: Path
    base_prefix: Path
    site_dirs: tuple[Path, ...]
    environ: Mapping[str, str]
    numpy: NumPyDirs | None = None
    entry_points: CMakeEntryPoints = dataclasses.field(default_factory=CMakeEntryPoints)
    # include-packages entry -> its include directories (cmake/includes.py), once the tables are known
    package_includes: Mapping[str, tuple[Path, ...]] = dataclasses.field(default_factory=dict)

    @classmethod
    def probe(cls, entry_points: Record | None = None) -> BuildEnvironment:
        """This process's environment; ``entry_points`` keeps the CMake entry points between builds."""
        config = sysconfig.get_config_vars()
        return cls(
            executable=Path(sys.executable),
            base_executable=Path(getattr(sys, "_base_executable", "") or sys.executable),
            version=sys.version,
            soabi=str(config.get("SOABI") or ""),
            include_dir=Path(sysconfig.get_path("include")),
            prefix=Path(sys.prefix),
            base_prefix=Path(sys.base_prefix),
            site_dirs=tuple(site_directories()),
            environ=dict(os.environ),
            numpy=numpy_dirs(),
            entry_points=cmake_entry_points(entry_points),
        )

    def python_identity(self) -> dict[str, str]:
        """The interpreter behind any virtual environment: what a CMake cache depends on."""
        return {
            "executable": str(self.base_executable.resolve()),
            "version": self.version,
            "soabi": self.soabi,
            "include": str(self.include_dir),
        }

    def roots(self) -> list[Path]:
        """Prefixes of the Python environments this build runs in, other than the base interpreter's."""
        base = self.base_prefix.resolve()
        roots: list[Path] = []
        if self.prefix.resolve() != base:
            roots.append(self.prefix.resolve())
        for site in self.site_dirs:
            real = site.resolve()
            if real == base or base in real.parents:
                continue
            # <root>/lib/pythonX.Y/site-packages, or <root>/Lib/site-packages on Windows
            root = real.parents[2] if real.parent.name.startswith("python") else real.parents[1]
            if root not in roots:
                roots.append(root)
        return roots
