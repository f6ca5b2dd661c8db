#include <cppy/cppy.h>

static PyObject *pair(PyObject *self, PyObject *args) {
    PyObject *first, *second;
    if (!PyArg_ParseTuple(args, "OO", &first, &second)) return nullptr;
    cppy::ptr result(PyTuple_New(2));
    if (!result) return nullptr;
    PyTuple_SET_ITEM(result.get(), 0, cppy::incref(first));
    PyTuple_SET_ITEM(result.get(), 1, cppy::incref(second));
    return result.release();
}

static PyMethodDef methods[] = {{"pair", pair, METH_VARARGS, nullptr}, {nullptr, nullptr, 0, nullptr}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_pair", nullptr, -1, methods};
PyMODINIT_FUNC PyInit__pair(void) { return PyModule_Create(&module); }
