"""What setuptools, distutils, Cython, pybind11 and numpy.distutils call things.

Shared by the static reading and the recorder that runs setup.py, which
imports nothing else of ironwheel (standard library only).
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Sequence
from pathlib import Path

__all__ = [
    "EXTENSION_CLASSES",
    "EXTENSION_LIST_ATTRIBUTES",
    "SETUP_FUNCTIONS",
    "cython_module_name",
    "find_packages",
]

SETUP_FUNCTIONS = frozenset(
    {
        "setuptools.setup",
        "distutils.core.setup",
        "numpy.distutils.core.setup",
        "skbuild.setup",
    }
)
EXTENSION_CLASSES = {
    "setuptools.Extension": "setuptools",
    "setuptools.extension.Extension": "setuptools",
    "distutils.core.Extension": "setuptools",
    "distutils.extension.Extension": "setuptools",
    "Cython.Distutils.Extension": "cython",
    "Cython.Distutils.extension.Extension": "cython",
    "numpy.distutils.core.Extension": "numpy",
    "numpy.distutils.extension.Extension": "numpy",
    "pybind11.setup_helpers.Pybind11Extension": "pybind11",
}
# Extension attributes that are lists (an attribute never given reads as []).
EXTENSION_LIST_ATTRIBUTES = (
    "sources",
    "include_dirs",
    "define_macros",
    "undef_macros",
    "library_dirs",
    "libraries",
    "runtime_library_dirs",
    "extra_objects",
    "extra_compile_args",
    "extra_link_args",
    "export_symbols",
    "swig_opts",
    "depends",
)


def cython_module_name(root: Path | str, source: str) -> str:
    """The module a source file makes, as Cython and pybind11 name it: up through the packages."""
    path = Path(source) if os.path.isabs(source) else Path(root) / source
    parts = [path.name.split(".")[0]]
    directory = path.parent
    root_path = Path(os.path.abspath(root))
    while directory not in (root_path, directory.parent):
        if not any((directory / f"__init__{suffix}").is_file() for suffix in (".py", ".pxd", ".pyx")):
            break
        parts.insert(0, directory.name)
        directory = directory.parent
    return ".".join(parts)


def _matches(name: str, patterns: Sequence[str]) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)


def find_packages(
    root: Path | str,
    where: str = ".",
    include: Sequence[str] = ("*",),
    exclude: Sequence[str] = (),
    *,
    namespaces: bool = False,
) -> list[str]:
    """setuptools' ``find_packages``/``find_namespace_packages`` over the tree."""
    base = os.path.normpath(os.path.join(root, where))
    found: list[str] = []
    for current, dirs, _files in os.walk(base, followlinks=True):
        candidates = sorted(dirs)
        dirs[:] = []
        for directory in candidates:
            full = os.path.join(current, directory)
            package = os.path.relpath(full, base).replace(os.sep, ".")
            looks = namespaces or os.path.isfile(os.path.join(full, "__init__.py"))
            if "." in directory or not looks:
                continue
            if _matches(package, include) and not _matches(package, exclude):
                found.append(package)
            if f"{package}*" in exclude or f"{package}.*" in exclude:
                continue
            dirs.append(directory)
    return found
