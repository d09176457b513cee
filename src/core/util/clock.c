/* Seconds on the monotonic clock, for durations and rates. */
#include <time.h>

#include "clock.h"

double mdx_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}
