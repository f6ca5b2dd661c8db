"""CMake directories that installed packages register through entry points.

The convention scikit-build-core established, and packages such as
cython-cmake follow: an entry point in the group ``cmake.module`` names a
package whose directory goes on ``CMAKE_MODULE_PATH`` (so ``include(UseCython)``
works), ``cmake.prefix`` on ``CMAKE_PREFIX_PATH``, and ``cmake.root`` sets
``<name>_ROOT``. The packages are located, never imported.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import logging
import sys
from collections.abc import Iterable
from pathlib import Path

__all__ = ["CMakeEntryPoints", "cmake_entry_points"]

log = logging.getLogger("ironwheel")


@dataclasses.dataclass(frozen=True)
class CMakeEntryPoints:
    """Directories from the ``cmake.module``, ``cmake.prefix`` and ``cmake.root`` groups."""

    module: tuple[Path, ...] = ()
    prefix: tuple[Path, ...] = ()
    root: tuple[tuple[str, Path], ...] = ()


def _directories(module: str) -> list[Path]:
    name = module.split(":", 1)[0].strip()
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        spec = None
    if spec is None:
        log.warning("ignoring the CMake entry point %s: no such module", module)
        return []
    if spec.submodule_search_locations:
        return [Path(location) for location in spec.submodule_search_locations]
    return [Path(spec.origin).parent] if spec.origin else []


def _group(name: str) -> Iterable[tuple[str, str]]:
    from importlib.metadata import entry_points

    if sys.version_info >= (3, 10):
        selected = entry_points(group=name)
    else:  # pragma: no cover - Python 3.9
        selected = entry_points().get(name, [])
    return sorted((point.name, point.value) for point in selected)


def cmake_entry_points() -> CMakeEntryPoints:
    """What the installed packages of this environment register."""
    module = [path for _name, value in _group("cmake.module") for path in _directories(value)]
    prefix = [path for _name, value in _group("cmake.prefix") for path in _directories(value)]
    root = [(name, path) for name, value in _group("cmake.root") for path in _directories(value)[:1]]
    return CMakeEntryPoints(tuple(module), tuple(prefix), tuple(root))
