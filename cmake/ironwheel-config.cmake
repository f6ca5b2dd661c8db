# ironwheel's CMake helpers: find_package(ironwheel CONFIG REQUIRED).
#
# ironwheel puts this directory on CMAKE_PREFIX_PATH for every build it runs.
# Outside ironwheel (an IDE, plain cmake) point CMake at it:
#   cmake -S . -B build -Dironwheel_DIR="$(python -m ironwheel config --cmake-dir)"
#
#   ironwheel_add_module(...)         IronwheelModule.cmake  C, C++, Fortran, CUDA; pybind11, nanobind
#   ironwheel_add_cython_module(...)  IronwheelCython.cmake  .pyx -> C or C++ at build time
#   ironwheel_add_f2py_module(...)    IronwheelF2Py.cmake    Fortran through NumPy's f2py
#   ironwheel_link_numpy(<target>)    IronwheelModule.cmake  NumPy's C headers
#
# Each file documents its functions.
include("${CMAKE_CURRENT_LIST_DIR}/IronwheelModule.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/IronwheelCython.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/IronwheelF2Py.cmake")
set(ironwheel_CMAKE_DIR "${CMAKE_CURRENT_LIST_DIR}")
