__version__ = "2.3.0"

from skpkg._greet import greeting

__all__ = ["greeting"]
