#include <cmath>
#include <string>
#include <tuple>
#include <pybind11/pybind11.h>

namespace {

double distance(double x, double y) {
    auto [a, b] = std::make_tuple(x * x, y * y);  // structured bindings: C++17
    return std::sqrt(a + b);
}

std::string built_for() { return CPPFLAGS_PLATFORM; }

}  // namespace

PYBIND11_MODULE(_geometry, m) {
    m.def("distance", &distance);
    m.def("built_for", &built_for);
}
