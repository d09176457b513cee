/* mdexafs time: seconds on a clock that never goes back, for durations. */
#ifndef MDEXAFS_CLOCK_H
#define MDEXAFS_CLOCK_H

/* Seconds since an arbitrary start (CLOCK_MONOTONIC). */
double mdx_seconds(void);

#endif
