/* Growing arrays: the one place that doubles a capacity. */
#ifndef MDX_GROW_H
#define MDX_GROW_H

#include <stddef.h>

/* Make room for `need` elements of `size` bytes in `array`, of capacity
 * *cap: at least `first` elements, doubling, new space zeroed. Returns the
 * (perhaps moved) array and updates *cap; returns NULL when out of memory,
 * leaving the array and *cap as they were. */
void *mdx_grow(void *array, size_t *cap, size_t need, size_t size,
               size_t first);

#endif
