#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <string>
#include <vector>

namespace nb = nanobind;

NB_MODULE(_core, m) {
    m.doc() = "The compiled core.";
    m.def("add", [](int a, int b) { return a + b; }, nb::arg("a"), nb::arg("b"), "Add two integers.");
    m.def(
        "scale",
        [](std::vector<double> values, double factor) {
            for (double &value : values) {
                value *= factor;
            }
            return values;
        },
        nb::arg("values"), nb::arg("factor"), "Multiply every value by factor.");
}
