#include <Python.h>

int core_value(void);
static PyObject *value(PyObject *self, PyObject *unused) { return PyLong_FromLong(core_value()); }
static PyMethodDef methods[] = {{"value", value, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_internal", NULL, -1, methods};
PyMODINIT_FUNC PyInit__internal(void) { return PyModule_Create(&module); }
