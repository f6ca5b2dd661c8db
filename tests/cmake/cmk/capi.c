#include <Python.h>

#ifndef MODULE_NAME
#define MODULE_NAME capi
#endif
#define STRINGIFY(x) #x
#define NAME(x) STRINGIFY(x)
#define JOIN(a, b) a##b
#define INIT(name) JOIN(PyInit_, name)

static PyObject *twice(PyObject *self, PyObject *arg) { return PyLong_FromLong(2 * PyLong_AsLong(arg)); }

static PyObject *limited(PyObject *self, PyObject *unused) {
#ifdef Py_LIMITED_API
    return PyLong_FromLong(Py_LIMITED_API);
#else
    return PyLong_FromLong(0);
#endif
}

static PyMethodDef methods[] = {
    {"twice", twice, METH_O, NULL},
    {"limited", limited, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "cmk." NAME(MODULE_NAME), NULL, -1, methods};

PyMODINIT_FUNC INIT(MODULE_NAME)(void) { return PyModule_Create(&module); }
