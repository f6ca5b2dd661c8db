__version__ = "0.9.0"

from decl._mod import scale

__all__ = ["__version__", "scale"]
