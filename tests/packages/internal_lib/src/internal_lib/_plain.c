#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *one(PyObject *self, PyObject *args) { return PyLong_FromLong(1); }
static PyMethodDef methods[] = {{"one", one, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_plain", NULL, -1, methods};
PyMODINIT_FUNC PyInit__plain(void) { return PyModule_Create(&module); }
