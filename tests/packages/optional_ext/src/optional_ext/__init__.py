from optional_ext._core import answer

try:
    from optional_ext._speedups import fast
except ImportError:  # the optional module was not built: pure Python instead

    def fast() -> str:
        return "pure"


try:
    from optional_ext._ffast import ffast
except ImportError:

    def ffast() -> str:
        return "pure"
