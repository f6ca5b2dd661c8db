/* Only the limited API: USE_SABI defines Py_LIMITED_API for this file. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *fib(PyObject *self, PyObject *arg) {
    long n = PyLong_AsLong(arg);
    if (n == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (n < 0) {
        PyErr_SetString(PyExc_ValueError, "fib() needs n >= 0");
        return NULL;
    }
    unsigned long long a = 0, b = 1;
    for (long i = 0; i < n; i++) {
        unsigned long long next = a + b;
        a = b;
        b = next;
    }
    return PyLong_FromUnsignedLongLong(a);
}

static PyMethodDef methods[] = {
    {"fib", fib, METH_O, "The n-th Fibonacci number."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_core", "The compiled core.", -1, methods,
};

PyMODINIT_FUNC PyInit__core(void) { return PyModule_Create(&module); }
