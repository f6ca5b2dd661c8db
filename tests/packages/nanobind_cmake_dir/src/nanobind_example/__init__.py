"""A C++ extension written with nanobind."""

from nanobind_example._core import add, scale

__all__ = ["add", "scale"]
