#include <Python.h>

static PyObject *accelerate(PyObject *self, PyObject *arg) {
    double value = PyFloat_AsDouble(arg);
    if (value == -1.0 && PyErr_Occurred()) return NULL;
    return PyFloat_FromDouble(value * 9.81);
}
static PyMethodDef methods[] = {{"accelerate", accelerate, METH_O, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_accel", NULL, -1, methods};
PyMODINIT_FUNC PyInit__accel(void) { return PyModule_Create(&module); }
