cdef extern from *:
    """
    #ifdef USER_ONLY
    #error "the project's compile options leaked into a table's module"
    #endif
    """


def fast():
    return 2
