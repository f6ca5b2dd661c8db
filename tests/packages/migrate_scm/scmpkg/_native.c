#include <Python.h>

static PyObject *ping(PyObject *self, PyObject *unused) { return PyUnicode_FromString("pong"); }
static PyMethodDef methods[] = {{"ping", ping, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_native", NULL, -1, methods};
PyMODINIT_FUNC PyInit__native(void) { return PyModule_Create(&module); }
