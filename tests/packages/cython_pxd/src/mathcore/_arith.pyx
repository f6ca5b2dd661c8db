cdef long gcd(long a, long b) noexcept:
    while b:
        a, b = b, a % b
    return a


def py_gcd(long a, long b):
    return gcd(a, b)
