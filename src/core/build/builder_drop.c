/* Dropping a stored folder's path files (mdexafs feff --drop-paths): only
 * once the database file reads back what was stored, and the files are
 * still those read; listed first (MDX_DROPPED), so that a drop cut short
 * is finished later and never taken for a new run; the folder's record
 * then follows the folder as it is left, so that it stays fresh. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build_private.h"
#include "util/file.h"
#include "util/grow.h"

/* Does the database file hold bytes `stored` as blob `which` of path id? */
static mdx_status same_blob(mdx_builder *b, int64_t id, enum mdx_blob which,
                            const mdx_buf *stored, int *same, mdx_error *err)
{
    mdx_status rc = mdx_store_blob(b->reader, which, id, &b->blob, err);
    *same = rc == MDX_OK && b->blob.len == stored->len &&
            (!stored->len || !memcmp(b->blob.data, stored->data, stored->len));
    return rc;
}

/* Does the database file hold folder rec as it was stored? */
static mdx_status read_back(mdx_builder *b, const mdx_folder_record *rec,
                            int *same, mdx_error *err)
{
    mdx_status rc = mdx_store_folder_table(b->reader, rec->frame, rec->atom,
                                           &b->blob, err);
    *same = rc == MDX_OK && b->blob.len == rec->table.len &&
            (!rec->table.len || !memcmp(b->blob.data, rec->table.data, rec->table.len));
    for (size_t i = 0; rc == MDX_OK && *same && i < rec->npaths; i++) {
        const mdx_stored_path *p = &rec->paths[i];
        int64_t id;
        rc = mdx_store_path_id(b->reader, rec->frame, rec->atom, p->num, &id, err);
        *same = rc == MDX_OK && id >= 0;
        if (*same && (rc = same_blob(b, id, MDX_BLOB_FEFF, &p->feff, same, err)) == MDX_OK &&
            *same)
            rc = same_blob(b, id, MDX_BLOB_CHI, &p->chi, same, err);
    }
    return rc;
}

/* The files of folder abs that hold its paths, into *out (n of them):
 * every feffNNNN.dat, feff.bin and feff.pad, whichever it was read from. */
static mdx_status path_files(const char *abs, mdx_source_file **out, size_t *n,
                             mdx_error *err)
{
    DIR *d = opendir(abs);
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    if (!d)
        return mdx_error_set(err, MDX_ERR_IO, abs, 0, "cannot list: %s", strerror(errno));
    mdx_status rc = MDX_OK;
    for (struct dirent *e; rc == MDX_OK && (e = readdir(d)) != NULL;) {
        char path[PATH_MAX + MDX_NAME_MAX];
        struct stat sb;
        if (!mdx_holds_paths(e->d_name) || strlen(e->d_name) >= MDX_NAME_MAX)
            continue;
        snprintf(path, sizeof path, "%s/%s", abs, e->d_name);
        if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
            continue;
        mdx_source_file *more = mdx_grow(*out, &cap, *n + 1, sizeof *more, 512);
        if (!more) {
            rc = mdx_error_set(err, MDX_ERR_NOMEM, abs, 0, "out of memory");
            break;
        }
        *out = more;
        memcpy(more[*n].name, e->d_name, strlen(e->d_name) + 1);  /* fits: see above */
        more[*n].size = sb.st_size;
        more[(*n)++].mtime_ns = mdx_mtime_ns(&sb);
    }
    closedir(d);
    return rc;
}

/* Remove the n files sf of folder abs; why says which could not go. */
static void remove_files(const char *abs, const mdx_source_file *sf, size_t n, char *why,
                         size_t size)
{
    for (size_t k = 0; k < n && !why[0]; k++) {
        char path[PATH_MAX + MDX_NAME_MAX];
        snprintf(path, sizeof path, "%s/%s", abs, sf[k].name);
        if (unlink(path) != 0 && errno != ENOENT)
            snprintf(why, size, "stored, but its paths not all dropped: cannot remove %s: %s",
                     sf[k].name, strerror(errno));
    }
}

/* Record folder i as it is left (its stamp and quick evidence, which
 * f->quick then shows), so that the database stays fresh, and as one
 * whose paths the database alone holds. */
static mdx_status record_left(mdx_builder *b, size_t i, mdx_error *err)
{
    writer *w = &b->b.w;
    mdx_folder *f = &b->b.tree.folders[i];
    mdx_status rc;
    if ((rc = mdx_folder_restamp(&b->b.tree, f, err)) ||
        (rc = mdx_store_begin(w->store, err)))
        return rc;
    rc = mdx_build_touch(w->store, f, err);
    if (rc == MDX_OK)
        rc = mdx_store_mark_dropped(w->store, f->dir, err);
    if (rc == MDX_OK)
        rc = mdx_store_commit(w->store, err);
    if (rc)
        mdx_store_rollback(w->store);
    return rc;
}

mdx_status mdx_builder_drop(mdx_builder *b, size_t i, const mdx_folder_record *rec,
                            char *why, size_t size, mdx_error *err)
{
    const mdx_tree *t = &b->b.tree;
    mdx_folder *f = &t->folders[i];
    char abs[PATH_MAX];
    int same;
    snprintf(abs, sizeof abs, "%s/%s", t->root, f->dir);
    mdx_status rc = read_back(b, rec, &same, err);
    if (rc == MDX_OK && !same)
        snprintf(why, size, "stored, but its paths kept: the database does not read back "
                 "what was stored");
    else if (rc == MDX_OK && (rc = mdx_folder_restamp(t, f, err)) == MDX_OK &&
             f->stamp != rec->stamp)
        snprintf(why, size, "stored, but its paths kept: its files changed while they "
                 "were stored");
    if (rc || why[0])
        return rc;
    mdx_source_file *files;
    size_t n;
    mdx_error e;
    if ((rc = path_files(abs, &files, &n, err)))
        return rc;
    if (mdx_dropped_write(abs, files, n, &e) || mdx_sync_folder(abs, 0, &e))
        mdx_error_format(&e, why, size);
    else
        remove_files(abs, files, n, why, size);
    free(files);
    return why[0] ? MDX_OK : record_left(b, i, err);
}

mdx_status mdx_builder_finish_drop(mdx_builder *b, size_t i, char *why, size_t size,
                                   mdx_error *err)
{
    const mdx_tree *t = &b->b.tree;
    char abs[PATH_MAX];
    snprintf(abs, sizeof abs, "%s/%s", t->root, t->folders[i].dir);
    mdx_source_file *files;
    size_t n, left = 0;
    mdx_dropped d;
    mdx_status rc = path_files(abs, &files, &n, err);
    if (rc)
        return rc;
    mdx_dropped_read(abs, &d);
    for (size_t k = 0; k < n; k++)  /* only what the list names, as it names it */
        if (mdx_dropped_lists(&d, &files[k], 1))
            files[left++] = files[k];
    mdx_dropped_free(&d);
    remove_files(abs, files, left, why, size);
    free(files);
    return why[0] ? MDX_OK : record_left(b, i, err);
}
