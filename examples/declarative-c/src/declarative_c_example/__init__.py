"""A C extension built from a [tool.ironwheel.extension] table."""

from declarative_c_example._core import mean, version

__all__ = ["mean", "version"]
