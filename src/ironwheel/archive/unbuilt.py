"""Native sources that nothing builds: said, not silently shipped as plain files.

A project with C, C++, Cython, Fortran or CUDA sources but neither a
CMakeLists.txt nor extension tables (a setup.py project, typically) would
become a pure-Python wheel carrying its ``.c`` files; in a CMake project, a
source inside a package that no target compiles ships as a plain file. The
files come from the wheel's own file selection, so the check costs no walk
of its own, except through ``src/`` outside the packages of a project that
builds nothing native.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from ironwheel.archive.layout import Package, import_name

__all__ = ["SUFFIXES", "warn_unbuilt"]

log = logging.getLogger("ironwheel")

SUFFIXES = frozenset(
    {".c", ".cc", ".cpp", ".cxx", ".c++", ".pyx", ".f", ".for", ".f90", ".f95", ".f03", ".f08", ".cu"}
)
_SHOWN = 3


def _native(name: str) -> bool:
    return os.path.splitext(name)[1].lower() in SUFFIXES


def _listing(names: list[str]) -> str:
    shown = ", ".join(names[:_SHOWN])
    return shown + (f" and {len(names) - _SHOWN} more" if len(names) > _SHOWN else "")


def _outside_packages(root: Path, packages: Iterable[Package]) -> list[Path]:
    """Native sources under ``src/`` that are in no package."""
    src = root / "src"
    inside = {package.source for package in packages}
    found: list[Path] = []
    for directory, subdirectories, files in os.walk(src):
        subdirectories[:] = sorted(
            name
            for name in subdirectories
            if not name.startswith(".")
            and Path(directory, name) not in inside
            and not Path(directory, name, "CACHEDIR.TAG").exists()
        )
        found += [Path(directory, name) for name in sorted(files) if _native(name)]
    return found


def warn_unbuilt(
    root: Path,
    project_name: str,
    shipped: Mapping[str, Path],
    packages: Iterable[Package],
    *,
    native: bool,
    excluded: Callable[[str], bool],
) -> None:
    """Warn about the native sources among the ``shipped`` package files (wheel path -> source).

    ``excluded`` tells the wheel paths ``wheel.exclude`` leaves out.
    """
    sources = {name: path for name, path in shipped.items() if _native(name) and not excluded(name)}
    extra = [] if native else _outside_packages(root, packages)
    if not sources and not extra:
        return

    def shown(path: Path) -> str:
        absolute = Path(os.path.abspath(path))
        return absolute.relative_to(root).as_posix() if root in absolute.parents else str(path)

    names = sorted({*(shown(path) for path in sources.values()), *(shown(path) for path in extra)})
    if native:
        log.warning(
            "%s: native sources in the packages that the build does not compile: the wheel ships them as "
            "plain files; compile them in a CMake target or an extension table, or leave them out of the "
            "wheel with tool.ironwheel.wheel.exclude",
            _listing(names),
        )
        return
    first = min(sources) if sources else None
    module = (
        os.path.splitext(first)[0].replace("/", ".")
        if first is not None
        else f"{import_name(project_name)}.{min(extra).stem}"  # the first one listed
    )
    migrate = (
        ", or convert setup.py with `python -m ironwheel migrate`" if (root / "setup.py").is_file() else ""
    )
    log.warning(
        "%s: native sources that nothing builds: the wheel ships them as plain files, with no compiled "
        'module; build them with a [tool.ironwheel.extension."%s"] table or a CMakeLists.txt%s',
        _listing(names),
        module,
        migrate,
    )
