__version__ = "1.9.4"

try:
    from intree._helpers_c import halve
except ImportError:  # INTREE_NO_EXTENSIONS
    from intree._helpers_py import halve

__all__ = ["halve"]
