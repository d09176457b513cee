/* Growing arrays by doubling. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"

void *mdx_grow(void *array, size_t *cap, size_t need, size_t size,
               size_t first)
{
    if (need <= *cap)
        return array;
    size_t n = *cap ? *cap : first;
    while (n < need)
        n *= 2;
    if (n > SIZE_MAX / size)
        return NULL;
    unsigned char *a = realloc(array, n * size);
    if (!a)
        return NULL;
    memset(a + *cap * size, 0, (n - *cap) * size);
    *cap = n;
    return a;
}
