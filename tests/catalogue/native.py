"""A small C extension project that the slow catalogue cases break in one place each."""

from __future__ import annotations

__all__ = ["CORE", "LISTS", "c_project"]

CORE = """\
#include <Python.h>
static struct PyModuleDef m = {PyModuleDef_HEAD_INIT, "_core", 0, -1, 0};
PyMODINIT_FUNC PyInit__core(void) { return PyModule_Create(&m); }
"""
LISTS = """\
cmake_minimum_required(VERSION 3.18)
project(demo LANGUAGES C)
find_package(Python COMPONENTS Interpreter Development.Module REQUIRED)
Python_add_library(_core MODULE src/core.c WITH_SOABI)
install(TARGETS _core DESTINATION demo)
"""


def c_project(*, lists: str = LISTS, core: str = CORE, **extra: str) -> dict[str, str]:
    """The files of the project, with ``lists`` and ``core`` replaced as a case needs."""
    return {"src/demo/__init__.py": "", "src/core.c": core, "CMakeLists.txt": lists, **extra}
