#include <Python.h>

int cuda_decl_runtime_version(void);

static PyObject *runtime_version(PyObject *self, PyObject *unused) {
    return PyLong_FromLong(cuda_decl_runtime_version());
}
static PyMethodDef methods[] = {{"runtime_version", runtime_version, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "cuda_decl._gpu", NULL, -1, methods};
PyMODINIT_FUNC PyInit__gpu(void) { return PyModule_Create(&module); }
