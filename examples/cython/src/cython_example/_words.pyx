# distutils: language = c++
"""Cython in C++ mode: std::set does the work."""

from libcpp.set cimport set as cpp_set
from libcpp.string cimport string
from libcpp.vector cimport vector

from cython_example._primes cimport is_prime


def unique_sorted(words):
    """The distinct words, sorted by std::set."""
    cdef cpp_set[string] seen
    for word in words:
        seen.insert(word.encode("utf-8"))
    return [item.decode("utf-8") for item in seen]


def prime_lengths(words):
    """The words whose length is prime (is_prime is cimported from the other module)."""
    cdef vector[string] kept
    for word in words:
        if is_prime(len(word)):
            kept.push_back(word.encode("utf-8"))
    return [item.decode("utf-8") for item in kept]
