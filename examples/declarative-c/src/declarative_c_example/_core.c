#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdlib.h>

#include "stats.h"

#ifndef STATS_FAST_PATH
#error "define-macros did not reach the compiler"
#endif

static PyObject *mean(PyObject *self, PyObject *arg) {
    PyObject *sequence = PySequence_Fast(arg, "mean() needs a sequence of numbers");
    if (sequence == NULL) {
        return NULL;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(sequence);
    double *values = malloc(sizeof(double) * (size_t)(n ? n : 1));
    if (values == NULL) {
        Py_DECREF(sequence);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        values[i] = PyFloat_AsDouble(PySequence_Fast_GET_ITEM(sequence, i));
        if (values[i] == -1.0 && PyErr_Occurred()) {
            free(values);
            Py_DECREF(sequence);
            return NULL;
        }
    }
    double result = stats_mean(values, (size_t)n);
    free(values);
    Py_DECREF(sequence);
    return PyFloat_FromDouble(result);
}

static PyMethodDef methods[] = {
    {"mean", mean, METH_O, "The arithmetic mean of a sequence of numbers."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "declarative_c_example._core", NULL, -1, methods,
};

PyMODINIT_FUNC PyInit__core(void) {
    PyObject *m = PyModule_Create(&module);
    if (m != NULL && PyModule_AddStringConstant(m, "version", STATS_VERSION) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
