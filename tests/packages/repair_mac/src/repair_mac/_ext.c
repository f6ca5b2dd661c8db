int foo_value(void);
int dep_value(void);

int PyInit__ext(void) { return foo_value() + dep_value(); }
