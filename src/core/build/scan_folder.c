/* What a listed folder holds: a file by name, its feff.bin, a file's
 * full path, why it has no path, whether its paths were dropped, and its
 * quick stamp. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "scan.h"
#include "util/file.h"

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
               "feff --drop-paths): read it from the database";
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

/* Is every path file and feff.bin of f (listed) one that the folder's
 * MDX_DROPPED lists, with its size and mtime: none left, or the leftovers
 * of a drop cut short, and none from a later run? */
int mdx_folder_only_dropped(const mdx_folder *f, const char *abs)
{
    char path[PATH_MAX], line[MDX_NAME_MAX + 48], *text;
    size_t len;
    if (snprintf(path, sizeof path, "%s/%s", abs, MDX_DROPPED) >= (int)sizeof path ||
        mdx_read_file(path, &text, &len, NULL))
        return 0;
    int only = 1;
    for (size_t i = 0; only && i < f->nfiles; i++) {
        const mdx_source_file *sf = &f->files[i];
        if (i >= f->npaths && strcmp(sf->name, "feff.bin") &&
            strcmp(sf->name, "feff.pad"))
            continue;
        snprintf(line, sizeof line, "%s %lld %lld\n", sf->name,
                 (long long)sf->size, (long long)sf->mtime_ns);
        size_t n = strlen(line);
        only = (len >= n && !memcmp(text, line, n));
        for (const char *p = text; !only && (p = strstr(p, line)) != NULL; p++)
            only = p[-1] == '\n';
    }
    free(text);
    return only;
}
