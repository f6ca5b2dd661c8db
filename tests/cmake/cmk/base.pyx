cdef long cube_of(long x) noexcept:
    return x * x * x


def cube(long x):
    return cube_of(x)
