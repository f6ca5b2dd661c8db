from scmpkg._native import ping
from scmpkg._version import version as __version__

__all__ = ["__version__", "ping"]
