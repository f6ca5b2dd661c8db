cdef bint prime(long n):
    cdef long d = 2
    if n < 2:
        return False
    while d * d <= n:
        if n % d == 0:
            return False
        d += 1
    return True


def is_prime(long n):
    return prime(n)
