from libcpp.vector cimport vector

from cmk.base cimport cube_of


def cubes(int n):
    cdef vector[long] values
    cdef int i
    for i in range(n):
        values.push_back(cube_of(i))
    return list(values)
