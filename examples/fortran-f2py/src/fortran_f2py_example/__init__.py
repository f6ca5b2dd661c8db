"""Fortran routines wrapped by f2py from a [tool.ironwheel.extension] table."""

from fortran_f2py_example._fortran import axpy, moving_average

__all__ = ["axpy", "moving_average"]
