#include <Python.h>
#include <unistd.h>

/* getentropy is versioned GLIBC_2.25: this module alone constrains the policy. */
static PyObject *entropy(PyObject *self, PyObject *unused) {
    unsigned char buffer[8];
    if (getentropy(buffer, sizeof buffer) != 0) return PyErr_SetFromErrno(PyExc_OSError);
    return PyBytes_FromStringAndSize((const char *)buffer, sizeof buffer);
}
static PyMethodDef methods[] = {{"entropy", entropy, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_libc", NULL, -1, methods};
PyMODINIT_FUNC PyInit__libc(void) { return PyModule_Create(&module); }
