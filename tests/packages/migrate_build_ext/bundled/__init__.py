from bundled._core import answer, flag

__all__ = ["answer", "flag"]
