cdef long gcd(long a, long b) noexcept
