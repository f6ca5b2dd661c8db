"""A C++ extension written with pybind11."""

from pybind11_example._core import __version__, add, dot

__all__ = ["__version__", "add", "dot"]
