from cppypair._pair import pair
from cppypair._plain import plain

__all__ = ["pair", "plain"]
