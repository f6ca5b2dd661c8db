#define Py_LIMITED_API 0x03090000
#include <Python.h>

static PyObject *scale(PyObject *self, PyObject *arg) {
    long value = PyLong_AsLong(arg);
    if (value == -1 && PyErr_Occurred()) return NULL;
    return PyLong_FromLong(value * DECL_SCALE);
}
static PyMethodDef methods[] = {{"scale", scale, METH_O, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_mod", NULL, -1, methods};
PyMODINIT_FUNC PyInit__mod(void) { return PyModule_Create(&module); }
