from libcpp.vector cimport vector


def squares(int n):
    cdef vector[long] values
    cdef int i
    for i in range(n):
        values.push_back(i * i)
    return list(values)
