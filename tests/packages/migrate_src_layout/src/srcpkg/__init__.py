from srcpkg._fast import double

__all__ = ["double"]
