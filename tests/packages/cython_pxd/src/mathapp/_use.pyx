from mathcore._arith cimport gcd


cdef extern from "offset.h":
    long mathapp_offset(long value)


def lcm(long a, long b):
    """lcm through mathcore's cdef gcd (a cimport across packages)."""
    return a // gcd(a, b) * b


def shifted(long value):
    """A C function compiled into the same module, with a macro from the table."""
    return mathapp_offset(value)
