# a Cython source that wheel.exclude leaves out
