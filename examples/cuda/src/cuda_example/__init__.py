"""A CUDA kernel behind a C API module."""

from cuda_example._core import add, devices

__all__ = ["add", "devices"]
