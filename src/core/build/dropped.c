/* The list of the files dropped from a folder once a database held them
 * (mdexafs feff --drop-paths): written before they go, so that a build
 * tells what is left of them (a drop cut short) from a later run's. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan.h"
#include "util/file.h"

static int by_line(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int mdx_dropped_read(const char *abs, mdx_dropped *d)
{
    char path[PATH_MAX];
    size_t len, n = 0;
    memset(d, 0, sizeof *d);
    if (snprintf(path, sizeof path, "%s/%s", abs, MDX_DROPPED) >= (int)sizeof path ||
        mdx_read_file(path, &d->text, &len, NULL))
        return 0;
    for (size_t i = 0; i < len; i++)
        n += d->text[i] == '\n';
    if (!(d->line = malloc((n ? n : 1) * sizeof *d->line))) {
        mdx_dropped_free(d);
        return 0;
    }
    char *save = NULL;
    for (char *l = strtok_r(d->text, "\n", &save); l && d->n < n; l = strtok_r(NULL, "\n", &save))
        d->line[d->n++] = l;
    qsort(d->line, d->n, sizeof *d->line, by_line);
    return 1;
}

void mdx_dropped_free(mdx_dropped *d)
{
    free(d->text);
    free(d->line);
    memset(d, 0, sizeof *d);
}

/* bsearch: a name against a line, "name size mtime" (names hold no
 * space, which sorts before any character a name holds). */
static int name_of_line(const void *key, const void *elem)
{
    const char *name = key, *line = *(char *const *)elem;
    size_t n = strcspn(line, " ");
    int c = strncmp(name, line, n);
    return c ? c : name[n] == '\0' ? 0 : 1;
}

int mdx_dropped_lists(const mdx_dropped *d, const mdx_source_file *sf, int whole)
{
    char *const *at = d->n ? bsearch(sf->name, d->line, d->n, sizeof *d->line, name_of_line)
                           : NULL;
    if (!at || !whole)
        return at != NULL;
    char line[MDX_NAME_MAX + 48];
    snprintf(line, sizeof line, "%s %lld %lld", sf->name, (long long)sf->size,
             (long long)sf->mtime_ns);
    return !strcmp(*at, line);
}

mdx_status mdx_dropped_write(const char *abs, const mdx_source_file *sf, size_t n,
                             mdx_error *err)
{
    char path[PATH_MAX + 32];
    mdx_outfile out;
    snprintf(path, sizeof path, "%s/%s", abs, MDX_DROPPED);
    mdx_status rc = mdx_outfile_open(&out, path, err);
    for (size_t i = 0; rc == MDX_OK && i < n; i++)
        fprintf(out.fp, "%s %lld %lld\n", sf[i].name, (long long)sf[i].size,
                (long long)sf[i].mtime_ns);
    return rc ? rc : mdx_outfile_commit(&out, err);
}

int mdx_folder_only_dropped(const mdx_folder *f, const char *abs)
{
    mdx_dropped d;
    if (!mdx_dropped_read(abs, &d))
        return 0;
    int only = 1;
    for (size_t i = 0; only && i < f->nfiles; i++)
        if (mdx_holds_paths(f->files[i].name))
            only = mdx_dropped_lists(&d, &f->files[i], 1);
    mdx_dropped_free(&d);
    return only;
}
