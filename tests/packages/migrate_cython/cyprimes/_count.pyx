from cyprimes._core cimport prime


def count_primes(long limit):
    cdef long n, found = 0
    for n in range(limit):
        if prime(n):
            found += 1
    return found
