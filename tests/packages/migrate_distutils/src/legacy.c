#include <Python.h>
#include "legacy.h"

static PyObject *answer(PyObject *self, PyObject *unused) { return PyLong_FromLong(LEGACY_ANSWER); }
static PyMethodDef methods[] = {{"answer", answer, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_legacy", NULL, -1, methods};
PyMODINIT_FUNC PyInit__legacy(void) { return PyModule_Create(&module); }
