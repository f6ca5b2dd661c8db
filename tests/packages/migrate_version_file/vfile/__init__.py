__version__ = "3.1.4"

from vfile._impl import answer

__all__ = ["__version__", "answer"]
