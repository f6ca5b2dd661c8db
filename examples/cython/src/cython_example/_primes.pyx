"""Primes, with C integers and no bounds checks."""


cdef bint is_prime(long n) noexcept:
    cdef long d = 2
    if n < 2:
        return False
    while d * d <= n:
        if n % d == 0:
            return False
        d += 1
    return True


def primes(int count):
    """The first ``count`` primes."""
    cdef list found = []
    cdef long candidate = 2
    while len(found) < count:
        if is_prime(candidate):
            found.append(candidate)
        candidate += 1
    return found
