#include <Python.h>
#include <sqlite3.h>

static PyObject *version(PyObject *self, PyObject *unused) { return PyLong_FromLong(sqlite3_libversion_number()); }
static PyMethodDef methods[] = {{"version", version, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_sqlite", NULL, -1, methods};
PyMODINIT_FUNC PyInit__sqlite(void) { return PyModule_Create(&module); }
