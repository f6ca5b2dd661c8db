#include <Python.h>

int ffast_value(void);

static PyObject *ffast(PyObject *self, PyObject *unused) {
    return PyUnicode_FromFormat("fortran %d", ffast_value());
}
static PyMethodDef methods[] = {{"ffast", ffast, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "optional_ext._ffast", NULL, -1, methods};
PyMODINIT_FUNC PyInit__ffast(void) { return PyModule_Create(&module); }
