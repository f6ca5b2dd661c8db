#include <Python.h>

static PyObject *limited(PyObject *self, PyObject *unused) {
#ifdef Py_LIMITED_API
    return PyLong_FromLong(Py_LIMITED_API);
#else
    return PyLong_FromLong(0);
#endif
}
static PyMethodDef methods[] = {{"limited", limited, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "limited_decl._core", NULL, -1, methods};
PyMODINIT_FUNC PyInit__core(void) { return PyModule_Create(&module); }
