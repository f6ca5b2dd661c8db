int a_value(void);
int dep_value(void);

/* Not a real module initialiser: a loader would call it and print the number. */
__declspec(dllexport) int PyInit__ext(void) { return a_value() + dep_value(); }
