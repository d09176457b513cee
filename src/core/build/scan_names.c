/* The names of a FEFF tree's path files, feffNNNN.dat, and of the files
 * that hold a folder's paths (frame_N and atom_M folders: util/shard.c). */
#include <string.h>

#include "scan.h"

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

int mdx_holds_paths(const char *name)
{
    return mdx_path_file_number(name) >= 0 || !strcmp(name, "feff.bin") ||
           !strcmp(name, "feff.pad");
}
