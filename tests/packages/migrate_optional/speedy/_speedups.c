#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *shout(PyObject *self, PyObject *arg) {
    PyObject *upper = PyObject_CallMethod(arg, "upper", NULL);
    if (upper == NULL) return NULL;
    PyObject *result = PyUnicode_FromFormat("%U!", upper);
    Py_DECREF(upper);
    return result;
}

static PyMethodDef methods[] = {{"shout", shout, METH_O, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_speedups", NULL, -1, methods};

PyMODINIT_FUNC PyInit__speedups(void) { return PyModule_Create(&module); }
