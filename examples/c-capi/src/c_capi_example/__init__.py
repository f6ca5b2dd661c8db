"""A C extension written against the plain CPython API."""

from c_capi_example._core import add, greet

__all__ = ["add", "greet"]
