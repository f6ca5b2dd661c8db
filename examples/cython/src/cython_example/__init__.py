"""Cython modules built from [tool.ironwheel.extension] tables."""

from cython_example._primes import primes
from cython_example._words import prime_lengths, unique_sorted

__all__ = ["prime_lengths", "primes", "unique_sorted"]
