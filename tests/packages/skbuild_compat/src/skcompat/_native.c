#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *project_version(PyObject *self, PyObject *unused) {
    return PyUnicode_FromString(PROJECT_VERSION);
}

static PyObject *build_state(PyObject *self, PyObject *unused) {
    return PyUnicode_FromString(BUILD_STATE);
}

static PyMethodDef methods[] = {
    {"project_version", project_version, METH_NOARGS, NULL},
    {"build_state", build_state, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_native", NULL, -1, methods};

PyMODINIT_FUNC PyInit__native(void) { return PyModule_Create(&module); }
