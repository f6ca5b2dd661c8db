#include <pybind11/pybind11.h>

PYBIND11_MODULE(_greet, m) {
    m.def("greeting", []() { return SKPKG_GREETING; });
}
