/* A build that goes on folder by folder as FEFF runs end (mdexafs feff
 * --db): the tree built as mdx_build builds it, but for the folders about
 * to be run, and each of those stored by the build's own code when its
 * run ends, committed at once, so that the database is ready when
 * the last run ends and holds what mdexafs build would store then. With
 * drop, a folder stored cleanly then loses its path files
 * (builder_drop.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build_private.h"
#include "util/file.h"
#include "util/grow.h"
#include "util/clock.h"

static int by_string(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int by_dir(const void *a, const void *b)
{
    return strcmp(((const folder_index *)a)->dir, ((const folder_index *)b)->dir);
}

/* The layout of o->db when it exists (a build would refuse another),
 * else o's: store tables only? */
static int tables_only(const mdx_build_options *o)
{
    char have[64];
    mdx_build_recorded(o->db, "layout", have, sizeof have);
    return have[0] ? !strcmp(have, MDX_LAYOUT_TABLES) : o->tables_only;
}

/* Build what is not to come later, and get ready for the adds: the
 * recorded folders, the index of the tree's, a reader. */
static mdx_status start(mdx_builder *b, const mdx_build_options *o,
                        const mdx_build_hooks *hooks, mdx_build_stats *stats,
                        const char **later, size_t nlater, mdx_error *err)
{
    mdx_build_options own = *o;
    own.tables_only = tables_only(o);
    qsort(later, nlater, sizeof *later, by_string);
    mdx_status rc = mdx_build_begin(&own, hooks, stats, later, nlater, &b->b, err);
    if (rc == MDX_OK)
        rc = mdx_folder_worker_init(&b->fw, own.tables_only, err);
    if (rc == MDX_OK)
        rc = mdx_store_sources(b->b.w.store, &b->rows, &b->nrows, err);
    const mdx_tree *t = &b->b.tree;
    if (rc == MDX_OK && !(b->index = malloc((t->nfolders ? t->nfolders : 1) *
                                            sizeof *b->index)))
        rc = mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; rc == MDX_OK && i < t->nfolders; i++)
        b->index[i] = (folder_index){t->folders[i].dir, i};
    if (rc == MDX_OK)
        qsort(b->index, t->nfolders, sizeof *b->index, by_dir);
    if (rc == MDX_OK)
        rc = mdx_store_open(o->db, MDX_STORE_READ, &b->reader, err);
    if (rc == MDX_OK && !(b->db = strdup(o->db)))
        rc = mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    return rc;
}

mdx_status mdx_builder_open(const mdx_build_options *o,
                            const mdx_build_hooks *hooks,
                            mdx_build_stats *stats,
                            const char *const *later, size_t nlater,
                            mdx_builder **out, mdx_error *err)
{
    mdx_builder *b = calloc(1, sizeof *b);
    const char **sorted = malloc((nlater ? nlater : 1) * sizeof *sorted);
    mdx_status rc = b && sorted ? MDX_OK
                                : mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    if (rc == MDX_OK) {
        if (nlater)
            memcpy(sorted, later, nlater * sizeof *sorted);
        rc = start(b, o, hooks, stats, sorted, nlater, err);
    }
    free(sorted);
    *out = NULL;
    if (rc == MDX_OK)
        *out = b;
    else if (b)
        mdx_builder_close(b);
    return rc;
}

/* Note that folder i was just stored without quick evidence (it was
 * changing): recorded once it has settled. */
static mdx_status add_settling(mdx_builder *b, size_t i, mdx_error *err)
{
    if (b->b.tree.folders[i].quick)
        return MDX_OK;
    settling *s = mdx_grow(b->settling, &b->settling_cap, b->nsettling + 1,
                           sizeof *s, 64);
    if (!s)
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    b->settling = s;
    s[b->nsettling++] = (settling){i, b->b.tree.folders[i].stamp, mdx_seconds()};
    return MDX_OK;
}

/* Record the quick evidence of the folders stored at least MDX_RACY_NS
 * ago, in one transaction. Evidence only saves freshness checks a
 * listing: a failure to record it is said (hooks->problem), and the
 * folders are left without. */
static void settle(mdx_builder *b)
{
    double racy = 1e-9 * (double)MDX_RACY_NS + 0.05, t = mdx_seconds();
    writer *w = &b->b.w;
    mdx_status rc = MDX_OK;
    mdx_error err;
    size_t n = 0;
    for (; rc == MDX_OK && n < b->nsettling && t - b->settling[n].since >= racy; n++) {
        mdx_folder *f = &b->b.tree.folders[b->settling[n].folder];
        if ((rc = mdx_folder_restamp(&b->b.tree, f, &err)) ||
            f->stamp != b->settling[n].stamp || !f->quick)
            continue;  /* changed since: freshness and builds will see it */
        if (!w->in_txn && (rc = mdx_store_begin(w->store, &err)) == MDX_OK)
            w->in_txn = 1;
        if (rc == MDX_OK)
            rc = mdx_build_touch(w->store, f, &err);
    }
    if (rc == MDX_OK && mdx_build_commit(w) != MDX_OK) {
        rc = w->err.code;
        err = w->err;
    }
    if (rc) {
        if (w->in_txn)
            mdx_store_rollback(w->store);
        w->in_txn = w->failed = 0;
        if (w->hooks && w->hooks->problem)
            w->hooks->problem(w->hooks->ctx, &err);
    }
    if (n) {
        memmove(b->settling, b->settling + n, (b->nsettling - n) * sizeof *b->settling);
        b->nsettling -= n;
    }
}

/* The index in the tree of folder dir, or -1. */
static long find_folder(const mdx_builder *b, const char *dir)
{
    folder_index key = {dir, 0};
    size_t n = b->b.tree.nfolders;
    const folder_index *at = n ? bsearch(&key, b->index, n, sizeof key, by_dir) : NULL;
    return at ? (long)at->folder : -1;
}

/* From now on, every commit on disk when it returns, and the database's
 * folder too: a drop relies on both (without one, a commit lost to a
 * power cut is stored again by the next run, its files still there). */
static mdx_status durable(mdx_builder *b, mdx_error *err)
{
    mdx_status rc = MDX_OK;
    if (!b->durable && (rc = mdx_store_durable(b->b.w.store, err)) == MDX_OK &&
        (rc = mdx_sync_folder(b->db, 1, err)) == MDX_OK)
        b->durable = 1;
    return rc;
}

/* Store folder i as a build would, or as failed for `failure`. */
static mdx_status store(mdx_builder *b, size_t i, const char *failure, int drop,
                        int clean_row, const mdx_source_row *r, char *why,
                        size_t size, mdx_error *err)
{
    mdx_tree *t = &b->b.tree;
    writer *w = &b->b.w;
    mdx_folder *f = &t->folders[i];
    folder_job job = {.folder = f, .failure = failure, .old_hash = r ? r->hash : 0,
                      .keep = (f->marked || (r && r->dropped)) && clean_row && !failure,
                      /* a drop compares what it computed: no shortcut */
                      .recorded = clean_row && !drop};
    if (i > 0 && f[-1].frame == f->frame && f[-1].atom == f->atom)
        job.twin = f[-1].dir;
    else if (i + 1 < t->nfolders && f[1].frame == f->frame && f[1].atom == f->atom)
        job.twin = f[1].dir;
    w->stats->todo++;
    mdx_status rc = drop ? durable(b, err) : MDX_OK;
    if (rc == MDX_OK)
        rc = mdx_build_folder(&b->fw, t, &job, err);
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
    if (res->rec.error)
        snprintf(why, size, "%s%s", res->rec.error, job.keep ? "; the paths stored "
                 "before, dropped from the folder, are kept" : "");
    else if (drop)
        rc = mdx_builder_drop(b, i, &res->rec, why, size, err);
    return rc || why[0] ? rc : add_settling(b, i, err);
}

mdx_status mdx_builder_add(mdx_builder *b, const char *dir,
                           const char *failure, int drop, char *why,
                           size_t size, mdx_error *err)
{
    why[0] = '\0';
    long i = find_folder(b, dir);
    if (i < 0) {
        snprintf(why, size, "not a frame_N/.../atom_M folder of the tree (of the "
                 "shard, with one): not stored");
        return MDX_OK;
    }
    mdx_folder *f = &b->b.tree.folders[i];
    const mdx_source_row *r = b->nrows ? bsearch(dir, b->rows, b->nrows, sizeof *b->rows,
                                                 mdx_source_row_by_dir) : NULL;
    int clean_row = r && r->frame == f->frame && r->atom == f->atom && !r->failed;
    mdx_status rc = mdx_folder_restamp(&b->b.tree, f, err);
    if (rc == MDX_OK && !failure && r && mdx_paths_dropped(f, r)) {
        if (drop && (rc = mdx_builder_finish_drop(b, (size_t)i, why, size, err)) == MDX_OK &&
            !why[0])
            rc = add_settling(b, (size_t)i, err);
    }
    else if (rc == MDX_OK)   /* not the paths stored and dropped before */
        rc = store(b, (size_t)i, failure, drop, clean_row, r, why, size, err);
    if (rc == MDX_OK)
        settle(b);
    return rc;
}

void mdx_builder_close(mdx_builder *b)
{
    if (!b)
        return;
    if (b->b.w.store)
        settle(b);
    mdx_store_close(b->reader);
    mdx_buf_free(&b->blob);
    mdx_store_free_sources(b->rows, b->nrows);
    free(b->index);
    mdx_folder_worker_free(&b->fw);
    mdx_build_end(&b->b);
    free(b->settling);
    free(b->db);
    free(b);
}
