int core_value(void) { return 21; }
