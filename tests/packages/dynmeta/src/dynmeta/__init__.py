from dynmeta._core import answer
from dynmeta._version import __version__

__all__ = ["__version__", "answer"]
