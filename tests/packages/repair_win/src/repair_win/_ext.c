#include <pthread.h>

int a_value(void);

/* Not a real module initialiser: the test loader calls it and prints the number. */
__declspec(dllexport) int PyInit__ext(void) { return a_value() + (pthread_self() ? 0 : 1000); }
