"""CMake directories that installed packages register through entry points.

The convention scikit-build-core established, and packages such as
cython-cmake follow: an entry point in the group ``cmake.module`` names a
package whose directory goes on ``CMAKE_MODULE_PATH`` (so ``include(UseCython)``
works), ``cmake.prefix`` on ``CMAKE_PREFIX_PATH``, and ``cmake.root`` sets
``<name>_ROOT``. The packages are located, never imported.

Reading every distribution's entry points costs a build tens of
milliseconds; the answer is kept (in the build dir, and in the user cache
for the first build of a tree) with the modification times of the
``sys.path`` directories, which installing or removing a distribution
changes.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ironwheel._records import Record
from ironwheel._usercache import Memo

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
        import importlib.util  # only when the record of entry points is out of date

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


def _search_path() -> list[list[object]]:
    """The directories distributions are found in, with their modification times."""
    key: list[list[object]] = []
    for entry in sys.path:
        try:
            key.append([entry, os.stat(entry or ".").st_mtime_ns])
        except OSError:
            key.append([entry, None])
    return key


def _decode(data: Any) -> CMakeEntryPoints:
    return CMakeEntryPoints(
        tuple(Path(path) for path in data["module"]),
        tuple(Path(path) for path in data["prefix"]),
        tuple((str(name), Path(path)) for name, path in data["root"]),
    )


def _encode(found: CMakeEntryPoints) -> dict[str, Any]:
    return {
        "module": [str(path) for path in found.module],
        "prefix": [str(path) for path in found.prefix],
        "root": [[name, str(path)] for name, path in found.root],
    }


def cmake_entry_points(record: Record | None = None, memo: Memo | None = None) -> CMakeEntryPoints:
    """What the installed packages of this environment register.

    ``record`` (the build dir's) and ``memo`` (the user cache's, by default) keep it.
    """
    key = _search_path()
    memo = Memo("entry-points.json") if memo is None else memo
    known = record.recall(key, _decode) if record is not None else None
    if known is None:
        known = memo.recall(key, _decode)
        if known is not None and record is not None:
            record.keep(key, _encode(known))
    if known is not None:
        return known
    module = [path for _name, value in _group("cmake.module") for path in _directories(value)]
    prefix = [path for _name, value in _group("cmake.prefix") for path in _directories(value)]
    root = [(name, path) for name, value in _group("cmake.root") for path in _directories(value)[:1]]
    found = CMakeEntryPoints(tuple(module), tuple(prefix), tuple(root))
    if record is not None:
        record.keep(key, _encode(found))
    memo.keep(key, _encode(found))
    return found
