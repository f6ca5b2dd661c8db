#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace py = pybind11;

static std::string join(const std::vector<std::string> &words) {
    if (words.empty()) {
        throw std::runtime_error("nothing to join");
    }
    std::string joined;
    for (const auto &word : words) {
        joined += (joined.empty() ? "" : "-") + word;
    }
    return joined;
}

PYBIND11_MODULE(_bound, m) {
    m.def("join", &join, "Join words with '-'; RuntimeError for none.");
}
