#include <Python.h>

static PyObject *fast(PyObject *self, PyObject *unused) { return PyUnicode_FromString("compiled"); }
static PyMethodDef methods[] = {{"fast", fast, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "optional_ext._speedups", NULL, -1, methods};
PyMODINIT_FUNC PyInit__speedups(void) { return PyModule_Create(&module) }
