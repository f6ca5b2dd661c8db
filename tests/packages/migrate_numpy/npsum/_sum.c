#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <numpy/arrayobject.h>

static PyObject *total(PyObject *self, PyObject *arg) {
    PyArrayObject *array = (PyArrayObject *)PyArray_FROM_OTF(arg, NPY_DOUBLE, NPY_ARRAY_IN_ARRAY);
    if (array == NULL) return NULL;
    double sum = 0.0;
    const double *data = (const double *)PyArray_DATA(array);
    for (npy_intp i = 0; i < PyArray_SIZE(array); i++) sum += data[i];
    Py_DECREF(array);
    return PyFloat_FromDouble(sum);
}

static PyMethodDef methods[] = {{"total", total, METH_O, "The sum of an array."}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_sum", NULL, -1, methods};

PyMODINIT_FUNC PyInit__sum(void) {
    import_array();
    return PyModule_Create(&module);
}
