#define PY_SSIZE_T_CLEAN
#include <Python.h>

double fdot(int n, const double *x, const double *y);

static PyObject *dot(PyObject *self, PyObject *args) {
    PyObject *a, *b;
    if (!PyArg_ParseTuple(args, "O!O!", &PyList_Type, &a, &PyList_Type, &b)) {
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(a);
    if (PyList_GET_SIZE(b) != n || n > 64) {
        PyErr_SetString(PyExc_ValueError, "two lists of the same length (at most 64)");
        return NULL;
    }
    double x[64], y[64];
    for (Py_ssize_t i = 0; i < n; i++) {
        x[i] = PyFloat_AsDouble(PyList_GET_ITEM(a, i));
        y[i] = PyFloat_AsDouble(PyList_GET_ITEM(b, i));
    }
    return PyFloat_FromDouble(fdot((int)n, x, y));
}

static PyMethodDef methods[] = {{"dot", dot, METH_VARARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "fortran_from_c._dot", NULL, -1, methods};

PyMODINIT_FUNC PyInit__dot(void) { return PyModule_Create(&module); }
