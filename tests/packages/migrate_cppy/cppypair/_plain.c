#include <Python.h>

static PyObject *plain(PyObject *self, PyObject *unused) { return PyLong_FromLong(7); }
static PyMethodDef methods[] = {{"plain", plain, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_plain", NULL, -1, methods};
PyMODINIT_FUNC PyInit__plain(void) { return PyModule_Create(&module); }
