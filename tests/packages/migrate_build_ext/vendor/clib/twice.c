int twice(int value) { return value * TWICE_FACTOR; }
