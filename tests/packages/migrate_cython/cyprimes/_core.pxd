cdef bint prime(long n)
