#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *triple(PyObject *self, PyObject *arg) {
    long value = PyLong_AsLong(arg);
    if (value == -1 && PyErr_Occurred()) return NULL;
    return PyLong_FromLong(value * PLAINC_FACTOR);
}

static PyObject *asserts_enabled(PyObject *self, PyObject *unused) {
#ifdef NDEBUG
    Py_RETURN_FALSE;
#else
    Py_RETURN_TRUE;
#endif
}

static PyObject *fast(PyObject *self, PyObject *unused) {
#ifdef PLAINC_FAST
    Py_RETURN_TRUE;
#else
    Py_RETURN_FALSE;
#endif
}

static PyMethodDef methods[] = {
    {"triple", triple, METH_O, "Three times the number."},
    {"asserts_enabled", asserts_enabled, METH_NOARGS, "Whether NDEBUG is undefined."},
    {"fast", fast, METH_NOARGS, "Whether PLAINC_FAST is defined."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_core", NULL, -1, methods};

PyMODINIT_FUNC PyInit__core(void) { return PyModule_Create(&module); }
