#include <Python.h>
#include "tally.h"
#include "limits_extra.h"

int twice(int value);

static PyObject *answer(PyObject *self, PyObject *unused) {
    return PyLong_FromLong(twice(tally_base()) + LIMITS_EXTRA);
}

static PyObject *flag(PyObject *self, PyObject *unused) {
    return PyLong_FromLong(BUNDLED_FLAG);
}

static PyMethodDef methods[] = {
    {"answer", answer, METH_NOARGS, NULL},
    {"flag", flag, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_core", NULL, -1, methods};
PyMODINIT_FUNC PyInit__core(void) { return PyModule_Create(&module); }
