/* A build that goes on folder by folder as FEFF runs end (mdexafs feff
 * --db): the tree built as mdx_build builds it, but for the folders about
 * to be run, and each of those stored by the build's own code when its
 * run ends, committed at once, so that the database is ready when the
 * last run ends and holds what mdexafs build would store then; each
 * commit reaches the disk before the next run is stored. With drop,
 * a folder stored cleanly then loses its path files, once the database is
 * on disk and has been read back and found to hold them. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "build_private.h"
#include "util/file.h"
#include "util/grow.h"

/* A folder stored while it was changing (within MDX_RACY_NS of its
 * listing), so without quick evidence: recorded once it has settled. */
typedef struct settling {
    size_t folder;      /* in the tree */
    uint64_t stamp;     /* as stored */
    double since;       /* when it was listed */
} settling;

struct mdx_builder {
    build_session b;
    folder_worker fw;
    mdx_source_row *rows;   /* the folders as recorded at the start, by dir */
    size_t nrows;
    mdx_store *reader;      /* reads back what a drop relies on */
    mdx_buf blob;
    settling *settling;
    size_t nsettling, settling_cap;
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

mdx_status mdx_builder_open(const mdx_build_options *o,
                            const mdx_build_hooks *hooks,
                            mdx_build_stats *stats,
                            const char *const *later, size_t nlater,
                            mdx_builder **out, mdx_error *err)
{
    mdx_builder *b = calloc(1, sizeof *b);
    const char **sorted = malloc((nlater ? nlater : 1) * sizeof *sorted);
    if (!b || !sorted) {
        free(b);
        free(sorted);
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    }
    if (nlater)
        memcpy(sorted, later, nlater * sizeof *sorted);
    qsort(sorted, nlater, sizeof *sorted, by_string);
    mdx_status rc = mdx_build_begin(o, hooks, stats, sorted, nlater, &b->b, err);
    free(sorted);
    if (rc == MDX_OK)  /* a folder's paths may be dropped once committed */
        rc = mdx_store_durable(b->b.w.store, err);
    if (rc == MDX_OK)
        rc = mdx_folder_worker_init(&b->fw, o->tables_only, err);
    if (rc == MDX_OK)
        rc = mdx_store_sources(b->b.w.store, &b->rows, &b->nrows, err);
    if (rc == MDX_OK)
        rc = mdx_store_open(o->db, MDX_STORE_READ, &b->reader, err);
    *out = b;
    if (rc) {
        mdx_builder_close(b, NULL);
        *out = NULL;
    }
    return rc;
}

/* The index in the tree of folder dir, or -1. A scan, once per folder
 * stored: negligible beside reading the folder. */
static long find_folder(const mdx_tree *t, const char *dir)
{
    for (size_t i = 0; i < t->nfolders; i++)
        if (!strcmp(t->folders[i].dir, dir))
            return (long)i;
    return -1;
}

/* Record the quick evidence of the folders stored at least MDX_RACY_NS
 * ago, in one transaction. */
static mdx_status settle(mdx_builder *b, mdx_error *err)
{
    double racy = 1e-9 * (double)MDX_RACY_NS + 0.05;
    writer *w = &b->b.w;
    mdx_status rc = MDX_OK;
    size_t n = 0;
    double t = now();
    for (; rc == MDX_OK && n < b->nsettling && t - b->settling[n].since >= racy; n++) {
        mdx_folder *f = &b->b.tree.folders[b->settling[n].folder];
        if ((rc = mdx_folder_restamp(&b->b.tree, f, err)))
            break;
        if (f->stamp != b->settling[n].stamp || !f->quick)
            continue;  /* changed since: freshness and builds will see it */
        if (!w->in_txn && (rc = mdx_store_begin(w->store, err)) == MDX_OK)
            w->in_txn = 1;
        mdx_folder_record rec = {.dir = f->dir, .stamp = f->stamp,
                                 .quick = f->quick, .witnesses = f->witnesses};
        if (rc == MDX_OK)
            rc = mdx_store_touch_folder(w->store, &rec, err);
    }
    if (rc == MDX_OK && (rc = mdx_build_commit(w)))
        mdx_error_copy(err, &w->err);
    if (n) {
        memmove(b->settling, b->settling + n, (b->nsettling - n) * sizeof *b->settling);
        b->nsettling -= n;
    }
    return rc;
}

static mdx_status add_settling(mdx_builder *b, size_t folder, mdx_error *err)
{
    settling *s = mdx_grow(b->settling, &b->settling_cap, b->nsettling + 1,
                           sizeof *s, 64);
    if (!s)
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    b->settling = s;
    s[b->nsettling++] = (settling){folder, b->b.tree.folders[folder].stamp, now()};
    return MDX_OK;
}

/* Is blob `which` of path (frame, atom, num), read from the file, the
 * bytes that were stored? */
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

/* The files a drop removes from folder f (loaded), into *out (n of them):
 * its path files, and its feff.bin and feff.pad whether read or not
 * (the same paths again). */
static mdx_status dropped_files(const mdx_tree *t, const mdx_folder *f,
                                mdx_source_file **out, size_t *n, mdx_error *err)
{
    static const char *const bins[] = {"feff.bin", "feff.pad"};
    mdx_source_file *d = malloc((f->npaths + 2) * sizeof *d);
    if (!d)
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    memcpy(d, f->files, f->npaths * sizeof *d);
    *n = f->npaths;
    for (size_t i = 0; i < 2; i++) {
        char path[PATH_MAX];
        struct stat sb;
        snprintf(path, sizeof path, "%s/%s/%s", t->root, f->dir, bins[i]);
        if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
            snprintf(d[*n].name, sizeof d[*n].name, "%s", bins[i]);
            d[*n].size = sb.st_size;
            d[(*n)++].mtime_ns = mdx_mtime_ns(&sb);
        }
    }
    *out = d;
    return MDX_OK;
}

/* Write MDX_DROPPED into folder dir, naming the n files a
 * drop removes, with their sizes and times; synced. */
static mdx_status write_dropped(const char *dir, const mdx_source_file *d,
                                size_t n, mdx_error *err)
{
    char path[PATH_MAX + 32];
    mdx_outfile out;
    snprintf(path, sizeof path, "%s/%s", dir, MDX_DROPPED);
    mdx_status rc = mdx_outfile_open(&out, path, err);
    for (size_t i = 0; rc == MDX_OK && i < n; i++)
        fprintf(out.fp, "%s %lld %lld\n", d[i].name, (long long)d[i].size,
                (long long)d[i].mtime_ns);
    return rc ? rc : mdx_outfile_commit(&out, err);
}

/* Sync folder dir itself (its entries: a rename, a removal). */
static mdx_status sync_folder(const char *dir, mdx_error *err)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    int bad = fd < 0 || fsync(fd) != 0;
    int e = errno;
    if (fd >= 0)
        close(fd);
    return bad ? mdx_error_set(err, MDX_ERR_IO, dir, 0, "cannot sync: %s", strerror(e))
               : MDX_OK;
}

/* Remove folder i's path files (or feff.bin), stored as rec: once the
 * database on disk holds what was stored, and the files are as read. */
static mdx_status drop(mdx_builder *b, size_t i, const mdx_folder_record *rec,
                       mdx_error *err)
{
    const mdx_tree *t = &b->b.tree;
    mdx_folder *f = &t->folders[i];
    char dir[PATH_MAX], path[PATH_MAX + MDX_NAME_MAX];
    int same;
    mdx_status rc = read_back(b, rec, &same, err);
    if (rc == MDX_OK && !same)
        rc = mdx_error_set(err, MDX_ERR_FORMAT, f->dir, 0, "the database does not "
                           "read back what was stored: its path files are kept");
    if (rc == MDX_OK && (rc = mdx_folder_load(t, f, err)) == MDX_OK &&
        f->stamp != rec->stamp)
        rc = mdx_error_set(err, MDX_ERR_IO, f->dir, 0, "changed while it was "
                           "stored: its path files are kept");
    mdx_source_file *gone = NULL;
    size_t ngone = 0;
    if (rc == MDX_OK)
        rc = dropped_files(t, f, &gone, &ngone, err);
    snprintf(dir, sizeof dir, "%s/%s", t->root, f->dir);
    if (rc == MDX_OK && (rc = write_dropped(dir, gone, ngone, err)) == MDX_OK)
        rc = sync_folder(dir, err);
    for (size_t k = 0; rc == MDX_OK && k < ngone; k++) {
        snprintf(path, sizeof path, "%s/%s", dir, gone[k].name);
        if (unlink(path) != 0 && errno != ENOENT)
            rc = mdx_error_set(err, MDX_ERR_IO, path, 0, "cannot remove: %s",
                               strerror(errno));
    }
    free(gone);
    mdx_folder_unload(f);
    if (rc)
        return rc;
    /* the record follows the folder as it is now */
    writer *w = &b->b.w;
    if ((rc = mdx_folder_restamp(t, f, err)) ||
        (rc = mdx_store_begin(w->store, err)))
        return rc;
    mdx_folder_record now_rec = {.dir = f->dir, .stamp = f->stamp,
                                 .quick = f->quick, .witnesses = f->witnesses};
    rc = mdx_store_touch_folder(w->store, &now_rec, err);
    if (rc == MDX_OK)
        rc = mdx_store_commit(w->store, err);
    if (rc) {
        mdx_store_rollback(w->store);
        return rc;
    }
    return f->quick ? MDX_OK : add_settling(b, i, err);
}

mdx_status mdx_builder_add(mdx_builder *b, const char *dir,
                           const char *failure, int drop_paths, char *why,
                           size_t size, mdx_error *err)
{
    mdx_tree *t = &b->b.tree;
    writer *w = &b->b.w;
    long i = find_folder(t, dir);
    if (i < 0) {
        snprintf(why, size, "not a frame_N/.../atom_M folder of the tree: "
                 "not stored");
        return MDX_OK;
    }
    mdx_folder *f = &t->folders[i];
    folder_job job = {.folder = f, .failure = failure};
    if (i > 0 && f[-1].frame == f->frame && f[-1].atom == f->atom)
        job.twin = f[-1].dir;
    else if ((size_t)i + 1 < t->nfolders && f[1].frame == f->frame &&
             f[1].atom == f->atom)
        job.twin = f[1].dir;
    const mdx_source_row *r = b->nrows ? bsearch(dir, b->rows, b->nrows,
                                                 sizeof *b->rows,
                                                 mdx_source_row_by_dir) : NULL;
    /* a drop compares what it computed: no "unchanged" shortcut */
    job.recorded = !drop_paths && r && r->frame == f->frame &&
                   r->atom == f->atom && !r->failed;
    job.old_hash = r ? r->hash : 0;
    w->stats->todo++;
    mdx_status rc = mdx_build_folder(&b->fw, t, &job, err);
    if (rc)
        return rc;
    folder_result *res = &b->fw.result;
    mdx_build_write(w, &job, res);
    if (!w->failed)
        mdx_build_commit(w);
    if (w->failed) {
        w->failed = 0;
        return mdx_error_copy(err, &w->err);
    }
    snprintf(why, size, "%s", res->rec.error ? res->rec.error : "");
    if (!res->rec.error && !res->rec.quick &&
        (rc = add_settling(b, (size_t)i, err)))
        return rc;
    if (!res->rec.error && drop_paths && (rc = drop(b, (size_t)i, &res->rec, err)))
        return rc;
    return settle(b, err);
}

mdx_status mdx_builder_close(mdx_builder *b, mdx_error *err)
{
    if (!b)
        return MDX_OK;
    mdx_error e;
    mdx_status rc = b->b.w.store ? settle(b, err ? err : &e) : MDX_OK;
    mdx_store_close(b->reader);
    mdx_buf_free(&b->blob);
    mdx_store_free_sources(b->rows, b->nrows);
    mdx_folder_worker_free(&b->fw);
    mdx_build_end(&b->b);
    free(b->settling);
    free(b);
    return rc;
}
