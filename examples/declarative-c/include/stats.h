#ifndef STATS_H
#define STATS_H
#include <stddef.h>

/* The arithmetic mean of n values; 0 for none. */
double stats_mean(const double *values, size_t n);

#endif
