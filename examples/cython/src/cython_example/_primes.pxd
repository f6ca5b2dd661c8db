cdef bint is_prime(long n) noexcept
