from repair_nolibc._bare import bare
from repair_nolibc._internal import value

__all__ = ["bare", "value"]
