from cyprimes._core cimport prime

cdef extern from "cyprimes_limits.h":
    # A header beside the .pyx, found as it is when Cython writes the C in place.
    int CYPRIMES_LIMIT


def count_primes(long limit):
    cdef long n, found = 0
    for n in range(min(limit, CYPRIMES_LIMIT)):
        if prime(n):
            found += 1
    return found


def largest_limit():
    return CYPRIMES_LIMIT
