"""A C extension cross-compiled for Windows."""
