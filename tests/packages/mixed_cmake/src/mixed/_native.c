#include <Python.h>
#include "mixed.h"

#ifndef USER_ONLY
#error "the project's own compile options are missing"
#endif

static PyObject *native(PyObject *self, PyObject *unused) { return PyLong_FromLong(MIXED_NATIVE); }
static PyMethodDef methods[] = {{"native", native, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "mixed._native", NULL, -1, methods};
PyMODINIT_FUNC PyInit__native(void) { return PyModule_Create(&module); }
