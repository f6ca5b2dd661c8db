from internal_lib._a import value
from internal_lib._plain import one
from internal_lib.sub._b import doubled

__all__ = ["doubled", "one", "value"]
