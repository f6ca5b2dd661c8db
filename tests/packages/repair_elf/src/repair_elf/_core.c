#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <omp.h>
#include <sqlite3.h>

int foo_answer(void);

static PyObject *answer(PyObject *self, PyObject *args) { return PyLong_FromLong(foo_answer()); }

static PyObject *sqlite_version(PyObject *self, PyObject *args) {
    return PyUnicode_FromString(sqlite3_libversion());
}

static PyObject *threads(PyObject *self, PyObject *args) {
    return PyBool_FromLong(omp_get_max_threads() > 0);
}

static PyMethodDef methods[] = {
    {"answer", answer, METH_NOARGS, NULL},
    {"sqlite_version", sqlite_version, METH_NOARGS, NULL},
    {"threads", threads, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_core", NULL, -1, methods};

PyMODINIT_FUNC PyInit__core(void) { return PyModule_Create(&module); }
