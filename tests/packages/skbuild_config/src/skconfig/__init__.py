"""Configured through [tool.scikit-build]."""

__version__ = "2.5.0"

from skconfig._ext import fast, twice
from skconfig._version import version
