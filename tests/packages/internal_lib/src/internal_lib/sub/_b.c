#define PY_SSIZE_T_CLEAN
#include <Python.h>
int core_value(void);
static PyObject *doubled(PyObject *self, PyObject *args) { return PyLong_FromLong(2 * core_value()); }
static PyMethodDef methods[] = {{"doubled", doubled, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_b", NULL, -1, methods};
PyMODINIT_FUNC PyInit__b(void) { return PyModule_Create(&module); }
