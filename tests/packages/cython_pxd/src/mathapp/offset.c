#include "offset.h"

long mathapp_offset(long value) { return value + MATHAPP_OFFSET; }
