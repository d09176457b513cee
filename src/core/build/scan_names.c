/* The names of a FEFF tree: frame_N and atom_M folders, feffNNNN.dat
 * path files. */
#include <limits.h>
#include <string.h>

#include "scan.h"

long mdx_scan_number(const char *name, const char *prefix)
{
    size_t n = strlen(prefix);
    if (strncmp(name, prefix, n) != 0 || !name[n])
        return -1;
    long v = 0;
    for (const char *p = name + n; *p; p++) {
        if (*p < '0' || *p > '9' || v > (LONG_MAX - 9) / 10)
            return -1;
        v = v * 10 + (*p - '0');
    }
    return v;
}

long mdx_path_file_number(const char *name)
{
    size_t n = strlen(name);
    char digits[MDX_NAME_MAX];
    if (n < 9 || n >= MDX_NAME_MAX || strncmp(name, "feff", 4) != 0 ||
        strcmp(name + n - 4, ".dat") != 0)
        return -1;
    memcpy(digits, name + 4, n - 8);
    digits[n - 8] = '\0';
    return mdx_scan_number(digits, "");
}
