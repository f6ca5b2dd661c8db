#include <Python.h>

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_ext", NULL, -1, NULL};

PyMODINIT_FUNC PyInit__ext(void) {
    PyObject *created = PyModule_Create(&module);
    if (created != NULL) {
        PyModule_AddObject(created, "answer", PyLong_FromLong(42));
    }
    return created;
}
