cdef long cube_of(long x) noexcept
