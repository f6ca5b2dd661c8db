"""An extension built once for every CPython from 3.9 on."""

from abi3_example._core import fib

__all__ = ["fib"]
