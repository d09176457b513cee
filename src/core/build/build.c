/* mdexafs build: scan the tree, decide what to read, read and compute in
 * OpenMP threads, and write from one thread at a time in folder order,
 * the folders of each half second in one transaction (in WAL mode with
 * synchronous = NORMAL a commit costs no fsync, but each rewrites the
 * index pages it touched). A kill at any moment loses at most the last
 * half second of writing; the next build picks up from there. */
#include <errno.h>
#include <limits.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mdexafs/version.h"
#include "build_private.h"
#include "mdexafs/build.h"
#include "util/clock.h"

static void problem(const mdx_build_hooks *h, const mdx_error *e)
{
    if (h && h->problem)
        h->problem(h->ctx, e);
}

static void note(const mdx_build_hooks *h, const char *fmt, const char *arg)
{
    char msg[PATH_MAX + 128];
    snprintf(msg, sizeof msg, fmt, arg);
    if (h && h->note)
        h->note(h->ctx, msg);
}

static void progress(writer *w)
{
    w->stats->seconds = mdx_seconds() - w->t0;
    if (w->hooks && w->hooks->progress)
        w->hooks->progress(w->hooks->ctx, w->stats);
}

mdx_status mdx_build_commit(writer *w)
{
    mdx_status rc = w->in_txn ? mdx_store_commit(w->store, &w->err) : MDX_OK;
    if (rc) {
        mdx_store_rollback(w->store);
        w->failed = 1;
    }
    w->in_txn = 0;
    return rc;
}

/* Store one folder's result. Folders that come fast are committed
 * together every COMMIT_SECONDS (one commit per folder rewrote the same
 * index pages thousands of times on trees of small folders); a folder
 * that came slowly is committed at once, so that nothing written waits
 * long for its commit. */
#define COMMIT_SECONDS 0.5

void mdx_build_write(writer *w, const folder_job *job, folder_result *r)
{
    mdx_build_stats *st = w->stats;
    for (size_t i = 0; i < r->nproblems; i++)
        problem(w->hooks, &r->problems[i]);
    if (r->rec.error && job->keep) {  /* the database holds its only copy */
        note(w->hooks, "kept the paths stored for %s: they were dropped from "
             "it, and what it holds now does not build (said above)",
             job->folder->dir);
        st->done++;
        st->failed++;
        progress(w);
        return;
    }
    mdx_status rc = MDX_OK;
    if (!w->in_txn && (rc = mdx_store_begin(w->store, &w->err)) == MDX_OK) {
        w->in_txn = 1;
        w->txn_start = mdx_seconds();
    }
    if (rc == MDX_OK)
        rc = r->unchanged ? mdx_store_touch_folder(w->store, &r->rec, &w->err)
                          : mdx_store_put_folder(w->store, &r->rec, &w->err);
    double t = mdx_seconds();
    if (rc == MDX_OK && (t - w->txn_start >= COMMIT_SECONDS ||
                         t - w->last_write >= COMMIT_SECONDS))
        rc = mdx_build_commit(w);
    w->last_write = t;
    if (rc) {
        if (w->in_txn)
            mdx_store_rollback(w->store);
        w->in_txn = 0;
        w->failed = 1;
        return;
    }
    st->done++;
    st->bad_files += r->bad_files;
    st->bad_extras += r->bad_extras;
    if (r->unchanged)
        st->touched++;
    else if (r->rec.error)
        st->failed++;
    else
        *(job->recorded ? &st->replaced : &st->added) += 1;
    st->paths += r->rec.npaths;
    progress(w);
}

mdx_status mdx_build_touch(mdx_store *s, const mdx_folder *f, mdx_error *err)
{
    mdx_folder_record rec = {.dir = f->dir, .stamp = f->stamp, .quick = f->quick,
                             .witnesses = f->witnesses};
    return mdx_store_touch_folder(s, &rec, err);
}

/* Record folder f as listed now on its row (an unchanged folder whose row
 * lacks the quick evidence, or one whose dropped path files are kept), in
 * the planning transaction (begun here when needed). */
static mdx_status record_quick(writer *w, const mdx_folder *f, int *in_txn,
                               mdx_error *err)
{
    mdx_status rc = MDX_OK;
    if (!*in_txn && (rc = mdx_store_begin(w->store, err)) == MDX_OK)
        *in_txn = 1;
    return rc ? rc : mdx_build_touch(w->store, f, err);
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int mdx_paths_dropped(const mdx_folder *f, const mdx_source_row *r)
{
    int gone = f->dropped || (r->dropped && f->npaths == 0 && !f->from_bin);
    return gone && !r->failed && r->frame == f->frame && r->atom == f->atom;
}

/* Is dir among the n folders later (sorted), to be stored later? */
static int is_later(const char *dir, const char *const *later, size_t n)
{
    return n && bsearch(&dir, later, n, sizeof *later, by_string) != NULL;
}

/* Decide what to read, the folders of later aside; remove what vanished.
 * Fills jobs (tree order). */
static mdx_status plan(writer *w, mdx_tree *t, const char *const *later,
                       size_t nlater, folder_job *jobs, size_t *njobs,
                       mdx_error *err)
{
    mdx_source_row *rows;
    size_t nrows, n = 0;
    mdx_status rc = mdx_store_sources(w->store, &rows, &nrows, err);
    if (rc)
        return rc;
    char *seen = calloc(nrows ? nrows : 1, 1);
    if (!seen) {
        mdx_store_free_sources(rows, nrows);
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    }
    int in_txn = 0;
    for (size_t i = 0; rc == MDX_OK && i < t->nfolders; i++) {
        mdx_folder *f = &t->folders[i];
        mdx_source_row *r = NULL;
        enum folder_state state = mdx_classify_folder(t, i, rows, nrows, 1, seen, &r);
        if (state != FOLDER_DUPLICATE && is_later(f->dir, later, nlater))
            continue;
        if (state == FOLDER_DUPLICATE &&
            (is_later(f->dir, later, nlater) || is_later(f[-1].dir, later, nlater)))
            continue;  /* the pair is stored later, as twins */
        if (state == FOLDER_DUPLICATE) {
            /* the first of the two was planned above: record the pair as
             * failed (mdx_build_folder says why), so that no query takes
             * either for the other */
            w->stats->skipped++;
            folder_job *last = n ? &jobs[n - 1] : NULL;
            if (last && last->twin && last->folder->frame == f->frame &&
                last->folder->atom == f->atom)
                continue;  /* a third: the pair is failed already */
            if (!last || last->folder != f - 1) {  /* it was unchanged */
                w->stats->unchanged--;
                jobs[n] = (folder_job){.folder = f - 1, .recorded = 1};
                n++;
            }
            jobs[n - 1].twin = f->dir;
            continue;
        }
        if (state == FOLDER_UNCHANGED) {
            w->stats->unchanged++;
            if (f->quick && r->quick != f->quick)  /* an older file, or an
                                                      older mdexafs's touch */
                rc = record_quick(w, f, &in_txn, err);
            continue;
        }
        if (state == FOLDER_CHANGED && mdx_paths_dropped(f, r)) {
            w->stats->unchanged++;
            if (!f->problem)  /* its other files as they are now */
                rc = record_quick(w, f, &in_txn, err);
            continue;
        }
        jobs[n].folder = f;
        jobs[n].recorded = r != NULL && r->frame == f->frame &&
                           r->atom == f->atom && !r->failed;
        jobs[n].old_hash = r ? r->hash : 0;
        jobs[n].twin = NULL;
        jobs[n].failure = NULL;
        jobs[n].keep = r && (f->marked || r->dropped) && !r->failed &&
                       r->frame == f->frame && r->atom == f->atom;
        w->stats->paths_todo += f->npaths;
        n++;
    }
    *njobs = n;

    for (size_t i = 0; rc == MDX_OK && i < nrows; i++) {
        if (seen[i])
            continue;
        if (rows[i].dropped) {  /* the database holds its only copy */
            mdx_error e;
            mdx_error_set(&e, MDX_ERR_FORMAT, rows[i].dir, 0, "no longer in the tree, "
                          "but its paths were dropped from it once stored: they are "
                          "kept (put the folder back, or write them out with mdexafs "
                          "export_paths)");
            problem(w->hooks, &e);
            w->stats->missing++;
            continue;
        }
        if (!in_txn && (rc = mdx_store_begin(w->store, err)))
            break;
        in_txn = 1;
        rc = mdx_store_delete_folder(w->store, rows[i].dir, err);
        if (rc == MDX_OK) {
            note(w->hooks, "removed %s: no longer in the tree", rows[i].dir);
            w->stats->removed++;
        }
    }
    if (in_txn && rc == MDX_OK)
        rc = mdx_store_commit(w->store, err);
    if (in_txn && rc)
        mdx_store_rollback(w->store);
    free(seen);
    mdx_store_free_sources(rows, nrows);
    return rc;
}

/* The meta of a new database, in the caller's transaction. */
static mdx_status set_new_meta(mdx_store *s, const char *root,
                               const char *shard, const char *layout,
                               const char *grid, mdx_error *err)
{
    mdx_status rc;
    if ((rc = mdx_store_set_meta(s, "root", root, err)) ||
        (rc = mdx_store_set_meta(s, "shard", shard, err)) ||
        (rc = mdx_store_set_meta(s, "layout", layout, err)) ||
        (rc = mdx_store_set_meta(s, "k_grid", grid, err)) ||
        (rc = mdx_store_set_meta(s, "chi_parameters",
                                 "s02=1 e0=0 sigma2=0 deltar=0 c3=0 c4=0 ei=0",
                                 err)))
        return rc;
    return mdx_store_set_meta(s, "created_by", "mdexafs " MDX_VERSION_STRING,
                              err);
}

/* The meta table: a database belongs to one tree, one k grid, one
 * layout and one shard ("" for the whole tree); it records which files
 * folders with both kinds were read from. */
static mdx_status check_meta(mdx_store *s, const char *db, const char *root,
                             const char *shard, const char *layout,
                             int prefer_bin, mdx_error *err)
{
    char have[PATH_MAX], grid[64];
    const char *prefer = prefer_bin ? MDX_META_PREFER_BIN : MDX_META_PREFER_DAT;
    mdx_status rc;
    if ((rc = mdx_store_get_meta(s, "layout", have, sizeof have, err)))
        return rc;
    if (have[0] && strcmp(have, layout) != 0) {
        mdx_error_set(err, MDX_ERR_ARG, db, 0, "has the layout '%s', not "
                      "'%s': rebuild it to start over", have, layout);
        return mdx_error_advise(err, MDX_REMEDY_REBUILD);
    }
    snprintf(grid, sizeof grid, "%d %.17g %d", 0, MDX_KSTEP, MDX_NK);
    if ((rc = mdx_store_get_meta(s, "shard", have, sizeof have, err)))
        return rc;
    if (strcmp(have, shard) != 0 && mdx_store_get_meta(s, "root", have,
                                                       sizeof have, err) == 0 &&
        have[0]) {
        mdx_store_get_meta(s, "shard", have, sizeof have, err);
        mdx_error_set(err, MDX_ERR_ARG, db, 0, "holds shard '%s', not '%s': "
                      "rebuild it to start over", have, shard);
        return mdx_error_advise(err, MDX_REMEDY_REBUILD);
    }
    if ((rc = mdx_store_get_meta(s, "root", have, sizeof have, err)))
        return rc;
    int64_t dropped = mdx_store_dropped_count(s);
    if (have[0] && strcmp(have, root) != 0 && dropped > 0)
        return mdx_error_set(err, MDX_ERR_ARG, db, 0, "was built from %s, not %s, and "
                             "holds the only copy of the paths of %lld folders, dropped "
                             "from their files: use it with the tree it was built from "
                             "(moved? a symbolic link there will do), or write them out "
                             "first (mdexafs export_paths)", have, root, (long long)dropped);
    if (have[0] && strcmp(have, root) != 0) {
        mdx_error_set(err, MDX_ERR_ARG, db, 0, "was built from %s, not %s: "
                      "rebuild it to start over", have, root);
        return mdx_error_advise(err, MDX_REMEDY_REBUILD);
    }
    if ((rc = mdx_store_get_meta(s, "k_grid", have, sizeof have, err)))
        return rc;
    if (have[0] && strcmp(have, grid) != 0)
        return mdx_error_set(err, MDX_ERR_FORMAT, db, 0,
                             "holds chi(k) on another k grid (%s)", have);
    int known = have[0] != '\0';
    if ((rc = mdx_store_get_meta(s, "prefer", have, sizeof have, err)))
        return rc;
    if (known && strcmp(have[0] ? have : MDX_META_PREFER_DAT, prefer) == 0)
        return MDX_OK;
    if ((rc = mdx_store_begin(s, err)))
        return rc;
    rc = mdx_store_set_meta(s, "prefer", prefer, err);
    if (rc == MDX_OK && !known)
        rc = set_new_meta(s, root, shard, layout, grid, err);
    if (rc == MDX_OK)
        rc = mdx_store_commit(s, err);
    if (rc)
        mdx_store_rollback(s);
    return rc;
}

void mdx_build_recorded(const char *db, const char *key, char *buf, size_t size)
{
    mdx_store *s;
    buf[0] = '\0';
    if (access(db, F_OK) == 0 && mdx_store_open(db, MDX_STORE_READ, &s, NULL) == MDX_OK) {
        if (key)
            mdx_store_get_meta(s, key, buf, size, NULL);
        else
            snprintf(buf, size, "%lld", (long long)mdx_store_dropped_count(s));
        mdx_store_close(s);
    }
}

/* Read folders with both kinds of files from feff.bin? As o says, or
 * as the database records. */
static int prefer_bin(const mdx_build_options *o)
{
    if (o->prefer != MDX_PREFER_RECORDED || o->rebuild)
        return o->prefer == MDX_PREFER_BIN;
    char have[64];
    mdx_build_recorded(o->db, "prefer", have, sizeof have);
    return strcmp(have, MDX_META_PREFER_BIN) == 0;
}

/* May database db be rebuilt from tree? Not when it holds the only copy
 * of paths dropped from their files, as it or the tree says. */
static mdx_status check_rebuild(const char *db, const mdx_tree *tree, mdx_error *err)
{
    char count[32];
    const char *which = NULL;
    mdx_build_recorded(db, NULL, count, sizeof count);
    for (size_t i = 0; !which && i < tree->nfolders; i++)
        if (tree->folders[i].marked)
            which = tree->folders[i].dir;
    if (!which && strcmp(count, "0") == 0)
        return MDX_OK;
    if (!which && !count[0])
        which = "its folders";
    return mdx_error_set(err, MDX_ERR_ARG, db, 0, "will not rebuild: it holds the only "
                         "copy of paths dropped from their files once stored (%s%s%s%s, "
                         "mdexafs feff --drop-paths); write them out first (mdexafs "
                         "export_paths)", count[0] ? count : "", count[0] ? " folders" : "",
                         which && count[0] ? ", " : "", which ? which : "");
}

/* Remove a database and its journal files, for --rebuild. */
static mdx_status remove_db(const char *db, mdx_error *err)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        char name[PATH_MAX];
        snprintf(name, sizeof name, "%s%s", db, suffix[i]);
        if (unlink(name) != 0 && errno != ENOENT)
            return mdx_error_set(err, MDX_ERR_IO, name, 0, "cannot remove: %s",
                                 strerror(errno));
    }
    return MDX_OK;
}

static int stop_requested(const mdx_build_options *o)
{
    return o->stop && *o->stop;
}

/* Read and compute in parallel; write in folder order. */
static void run_jobs(writer *w, const mdx_build_options *o, const mdx_tree *t,
                     const folder_job *jobs, size_t njobs)
{
    int threads = o->threads > 0 ? o->threads : omp_get_max_threads();
    int failed = 0;
#pragma omp parallel num_threads(threads)
    {
        folder_worker fw;
        mdx_error err;
        int ready = mdx_folder_worker_init(&fw, o->tables_only, &err) == MDX_OK;
#pragma omp for ordered schedule(dynamic, 1)
        for (size_t i = 0; i < njobs; i++) {
            int skip;
#pragma omp atomic read
            skip = failed;
            skip = skip || stop_requested(o);
            mdx_status st = MDX_OK;
            if (!skip)
                st = ready ? mdx_build_folder(&fw, t, &jobs[i], &err) : MDX_ERR_NOMEM;
#pragma omp ordered
            {
                if (!skip && !w->failed) {
                    if (st) {
                        if (!ready)
                            mdx_error_set(&err, MDX_ERR_NOMEM, o->db, 0,
                                          "out of memory");
                        w->err = err;
                        w->failed = 1;
                    } else {
                        mdx_build_write(w, &jobs[i], &fw.result);
                    }
                    if (w->failed) {
#pragma omp atomic write
                        failed = 1;
                    }
                }
            }
        }
        mdx_folder_worker_free(&fw);
    }
}

mdx_status mdx_build_begin(const mdx_build_options *o,
                           const mdx_build_hooks *hooks,
                           mdx_build_stats *stats,
                           const char *const *later, size_t nlater,
                           build_session *b, mdx_error *err)
{
    writer *w = &b->w;
    mdx_status rc;
    memset(b, 0, sizeof *b);
    memset(stats, 0, sizeof *stats);
    w->hooks = hooks;
    w->stats = stats;
    w->t0 = mdx_seconds();

    if (!realpath(o->tree, b->root))
        return mdx_error_set(err, MDX_ERR_IO, o->tree, 0, "%s", strerror(errno));
    char shard[64] = "";
    if (o->shard_count > 0) {
        if (o->shard_index >= o->shard_count)
            return mdx_error_set(err, MDX_ERR_ARG, NULL, 0,
                                 "shard %u/%u: need 0 <= I < N", o->shard_index,
                                 o->shard_count);
        snprintf(shard, sizeof shard, "%u/%u", o->shard_index, o->shard_count);
    }
    int bin = prefer_bin(o);
    if ((rc = mdx_scan(b->root, bin, &b->tree, err)))
        return rc;
    mdx_tree *tree = &b->tree;
    for (size_t i = 0; i <= tree->nnotes && i <= MDX_SCAN_NOTES; i++) {
        mdx_error e;  /* what the scan passed over: said even when quiet */
        if (i < tree->nnotes && i < MDX_SCAN_NOTES)
            mdx_error_set(&e, MDX_ERR_FORMAT, NULL, 0, "%s", tree->notes[i]);
        else if (tree->nnotes > MDX_SCAN_NOTES)
            mdx_error_set(&e, MDX_ERR_FORMAT, NULL, 0, "%zu more passed over, "
                          "not listed", tree->nnotes - MDX_SCAN_NOTES);
        else
            break;
        problem(hooks, &e);
    }
    if (o->shard_count > 0)
        mdx_tree_shard(tree, o->shard_index, o->shard_count);
    if (o->rebuild && (rc = check_rebuild(o->db, tree, err)))
        return rc;
    stats->folders = tree->nfolders;
    folder_job *jobs = malloc((tree->nfolders ? tree->nfolders : 1) * sizeof *jobs);
    size_t njobs = 0;
    if (!jobs)
        rc = mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    if (rc == MDX_OK && o->rebuild)
        rc = remove_db(o->db, err);
    if (rc == MDX_OK)
        rc = mdx_store_open(o->db, MDX_STORE_WRITE, &w->store, err);
    if (rc == MDX_OK)
        rc = check_meta(w->store, o->db, b->root, shard,
                        o->tables_only ? MDX_LAYOUT_TABLES : MDX_LAYOUT_CHI,
                        bin, err);
    if (rc == MDX_OK)
        rc = plan(w, tree, later, nlater, jobs, &njobs, err);
    if (rc == MDX_OK) {
        stats->todo = njobs;
        progress(w);
        run_jobs(w, o, tree, jobs, njobs);
        if (w->in_txn) {  /* what was written stays, whatever stopped the rest */
            mdx_error why = w->err;
            int failed = w->failed;
            mdx_build_commit(w);
            if (failed) {
                w->failed = 1;
                w->err = why;
            }
        }
        if (w->failed) {
            rc = mdx_error_copy(err, &w->err);
        } else if (stats->done < njobs) {
            rc = mdx_error_set(err, MDX_ERR_STOPPED, o->db, 0,
                               "interrupted after %zu of %zu folders (all "
                               "stored); run the build again to go on",
                               stats->done, njobs);
        }
        stats->seconds = mdx_seconds() - w->t0;
    }
    free(jobs);
    return rc;
}

void mdx_build_end(build_session *b)
{
    mdx_store_close(b->w.store);
    b->w.store = NULL;
    mdx_tree_free(&b->tree);
}

mdx_status mdx_build(const mdx_build_options *o, const mdx_build_hooks *hooks,
                     mdx_build_stats *stats, mdx_error *err)
{
    build_session b;
    mdx_status rc = mdx_build_begin(o, hooks, stats, NULL, 0, &b, err);
    mdx_build_end(&b);
    return rc;
}
