#define PY_SSIZE_T_CLEAN
#include <Python.h>
int core_value(void);
static PyObject *value(PyObject *self, PyObject *args) { return PyLong_FromLong(core_value()); }
static PyMethodDef methods[] = {{"value", value, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_a", NULL, -1, methods};
PyMODINIT_FUNC PyInit__a(void) { return PyModule_Create(&module); }
