#include <Python.h>

#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace {

std::string describe(long value) {
    if (value < 0) {
        throw std::invalid_argument("negative: " + std::to_string(value));
    }
    std::ostringstream text;
    text << "value=" << value;
    return text.str();
}

PyObject *shout(PyObject *, PyObject *args) {
    long value = 0;
    if (!PyArg_ParseTuple(args, "l", &value)) {
        return nullptr;
    }
    try {
        std::string text = describe(value);
        std::cout << text << std::endl;
        return PyUnicode_FromString(text.c_str());
    } catch (const std::exception &error) {
        PyErr_SetString(PyExc_ValueError, error.what());
        return nullptr;
    }
}

PyMethodDef methods[] = {
    {"shout", shout, METH_VARARGS, "Print and return value=N; ValueError for a negative N."},
    {nullptr, nullptr, 0, nullptr},
};

PyModuleDef module = {PyModuleDef_HEAD_INIT, "_plain", nullptr, -1, methods};

}  // namespace

PyMODINIT_FUNC PyInit__plain(void) { return PyModule_Create(&module); }
