#include <Python.h>

int broken(void) {
    return 1 +
}
