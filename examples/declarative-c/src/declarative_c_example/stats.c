#include "stats.h"

double stats_mean(const double *values, size_t n) {
    double sum = 0.0;
    if (n == 0) {
        return 0.0;
    }
    for (size_t i = 0; i < n; i++) {
        sum += values[i];
    }
    return sum / (double)n;
}
