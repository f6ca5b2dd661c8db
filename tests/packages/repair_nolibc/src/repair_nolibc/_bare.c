#include <Python.h>

static PyObject *bare(PyObject *self, PyObject *unused) { return PyLong_FromLong(1); }
static PyMethodDef methods[] = {{"bare", bare, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_bare", NULL, -1, methods};
PyMODINIT_FUNC PyInit__bare(void) { return PyModule_Create(&module); }
