/* What a listed folder holds: a file by name, its feff.bin, a file's
 * full path, and why it has no path. */
#include <stdio.h>
#include <string.h>

#include "scan.h"

long mdx_folder_find(const mdx_folder *f, const char *name)
{
    for (size_t i = f->npaths; i < f->nfiles; i++)
        if (!strcmp(f->files[i].name, name))
            return (long)i;
    return -1;
}

long mdx_folder_bin(const mdx_folder *f)
{
    long i = mdx_folder_find(f, "feff.bin");
    return i >= 0 ? i : mdx_folder_find(f, "feff.pad");
}

void mdx_folder_file(const mdx_tree *t, const mdx_folder *f, size_t i,
                     char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s/%s", t->root, f->dir, f->files[i].name);
}

const char *mdx_folder_empty(const mdx_folder *f)
{
    return f->filesdat ? "FEFF found no path (its files.dat lists none): "
                         "RPATH below the nearest neighbour?"
                       : "no feffNNNN.dat files and no feff.bin: a FEFF run "
                         "that did not finish?";
}
