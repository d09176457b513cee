/* What a listed folder holds: a file by name, its feff.bin, a file's
 * full path, why it has no path, and its quick stamp. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

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
    if (f->dropped)
        return "its path files were dropped once stored in a database (mdexafs "
               "feff --drop-paths): read it from the database (brought up to date "
               "by mdexafs build when stale)";
    return f->filesdat ? "FEFF found no path (its files.dat lists none): "
                         "RPATH below the nearest neighbour?"
                       : "no feffNNNN.dat files and no feff.bin: a FEFF run "
                         "that did not finish?";
}

uint64_t mdx_quick_stamp(int64_t dir_mtime_ns, const mdx_source_file *w,
                         size_t n)
{
    uint64_t h = XXH3_64bits(&dir_mtime_ns, sizeof dir_mtime_ns);
    for (size_t i = 0; i < n; i++) {
        int64_t v[2] = {w[i].size, w[i].mtime_ns};
        h = XXH3_64bits_withSeed(w[i].name, strlen(w[i].name), h);
        h = XXH3_64bits_withSeed(v, sizeof v, h);
    }
    return h ? h : 1;  /* 0 means "no evidence" */
}
