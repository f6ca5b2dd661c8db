#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdlib.h>

int cuda_example_add(float *values, float amount, int n);
int cuda_example_devices(void);

static PyObject *devices(PyObject *self, PyObject *unused) {
    return PyLong_FromLong(cuda_example_devices());
}

static PyObject *add(PyObject *self, PyObject *args) {
    PyObject *list;
    float amount;
    if (!PyArg_ParseTuple(args, "O!f", &PyList_Type, &list, &amount)) {
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(list);
    float *values = malloc(sizeof(float) * (size_t)(n ? n : 1));
    if (values == NULL) {
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        values[i] = (float)PyFloat_AsDouble(PyList_GET_ITEM(list, i));
    }
    int status = cuda_example_add(values, amount, (int)n);
    if (status != 0) {
        free(values);
        return PyErr_Format(PyExc_RuntimeError, "CUDA error %d", status);
    }
    PyObject *result = PyList_New(n);
    for (Py_ssize_t i = 0; result != NULL && i < n; i++) {
        PyList_SET_ITEM(result, i, PyFloat_FromDouble(values[i]));
    }
    free(values);
    return result;
}

static PyMethodDef methods[] = {
    {"devices", devices, METH_NOARGS, "The number of CUDA devices (-1: no driver or device)."},
    {"add", add, METH_VARARGS, "add(values, amount): add amount to every value, on the GPU."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "cuda_example._core", NULL, -1, methods};

PyMODINIT_FUNC PyInit__core(void) { return PyModule_Create(&module); }
