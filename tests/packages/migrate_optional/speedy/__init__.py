try:
    from speedy._speedups import shout

    COMPILED = True
except ImportError:
    from speedy._native import shout

    COMPILED = False

__all__ = ["COMPILED", "shout"]
