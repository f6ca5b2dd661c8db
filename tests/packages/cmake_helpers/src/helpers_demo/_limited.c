#include <Python.h>
#include <numpy/npy_common.h>

#ifndef Py_LIMITED_API
#error "LIMITED_API_VERSION did not define Py_LIMITED_API"
#endif

static PyObject *size_of_intp(PyObject *self, PyObject *unused) { return PyLong_FromLong((long)sizeof(npy_intp)); }
static PyMethodDef methods[] = {{"size_of_intp", size_of_intp, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "helpers_demo._limited", NULL, -1, methods};
PyMODINIT_FUNC PyInit__limited(void) { return PyModule_Create(&module); }
