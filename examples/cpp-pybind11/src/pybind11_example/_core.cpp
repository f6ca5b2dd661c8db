#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <numeric>
#include <stdexcept>
#include <vector>

namespace py = pybind11;

double dot(const std::vector<double> &a, const std::vector<double> &b) {
    if (a.size() != b.size()) {
        throw std::invalid_argument("dot: vectors differ in length");
    }
    return std::inner_product(a.begin(), a.end(), b.begin(), 0.0);
}

PYBIND11_MODULE(_core, m) {
    m.doc() = "The compiled core.";
    m.def("add", [](int a, int b) { return a + b; }, "Add two integers.", py::arg("a"), py::arg("b"));
    m.def("dot", &dot, "Dot product of two sequences of floats.", py::arg("a"), py::arg("b"));
    m.attr("__version__") = VERSION_INFO;
}
