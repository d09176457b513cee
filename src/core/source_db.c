/* A database as a source: selection in SQL, then the blobs of a batch of
 * folders read in order and decoded and summed on all threads. When the
 * query sets path parameters, or the database was built with --tables-only
 * and holds no chi(k), the paths' FEFF data are decoded and their chi
 * computed instead: with default parameters, the same numbers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mdexafs/chi.h"
#include "codec.h"
#include "store.h"
#include "grow.h"
#include "source_common.h"
#include "source_private.h"

#define BATCH_PATHS 512   /* blobs held at once: ~1.5 MB, reused */

/* A selected path waiting for its blob. */
typedef struct pending {
    int64_t id;
    int num;              /* of feffNNNN.dat, for messages */
    double reff;          /* from the paths row */
    char type[MDX_TYPE_MAX];
    mdx_chi_params par;   /* used when chi is computed */
    mdx_buf blob;
} pending;

/* One folder of the batch: its paths are pending[first, first + n). */
typedef struct batch_folder {
    long frame, atom;
    char *dir;
    size_t first, n;
    folder_sums sums;
    mdx_error err;        /* why a path of it gave no chi */
    int failed;
} batch_folder;

typedef struct summer {
    mdx_source *src;
    mdx_store *store;
    const mdx_selection *sel;
    enum mdx_grouping grouping;
    int compute;        /* chi from the FEFF data, not the stored chi */
    int (*fn)(void *ctx, const mdx_folder_chi *f);
    void *ctx;
    pending *paths;
    size_t npaths, paths_cap;
    batch_folder *folders;
    size_t nfolders, folders_cap;
    int stopped;        /* fn said stop */
    int keep_failed;    /* the keep callback failed */
    mdx_status failure; /* out of memory, database or blob trouble */
    mdx_error err;
} summer;

typedef struct db_impl {
    mdx_store *store;
    int tables_only;   /* layout MDX_LAYOUT_TABLES */
} db_impl;

static db_impl *impl_of(mdx_source *s) { return s->impl; }
static mdx_store *store_of(mdx_source *s) { return impl_of(s)->store; }

static void db_close(mdx_source *s)
{
    mdx_store_close(store_of(s));
    free(s->impl);
}

typedef struct path_walk {
    const mdx_selection *sel;
    int (*fn)(void *ctx, const mdx_path_meta *m);
    void *ctx;
    int keep_failed;
} path_walk;

static int walk_path(void *ctx, int64_t id, const mdx_path_meta *m)
{
    path_walk *w = ctx;
    (void)id;
    int ok = mdx_source_accept(w->sel, m, NULL);
    if (ok < 0) {
        w->keep_failed = 1;
        return 1;
    }
    return ok ? w->fn(w->ctx, m) : 0;
}

static mdx_status db_each_path(mdx_source *s, const mdx_selection *sel,
                               int (*fn)(void *ctx, const mdx_path_meta *m),
                               void *ctx, mdx_error *err)
{
    path_walk w = {sel, fn, ctx, 0};
    mdx_status rc = mdx_store_select(store_of(s), sel, walk_path, &w, err);
    return rc ? rc : w.keep_failed ? mdx_source_stopped(err) : MDX_OK;
}

static int fail(summer *m, mdx_status code)
{
    if (!m->failure) {
        m->failure = code;
        if (code == MDX_ERR_NOMEM)
            mdx_error_set(&m->err, code, m->src->path, 0,
                          "out of memory");
    }
    return 1;
}

/* chi of a stored chi blob: 1, or 0 when the path has none (reff below
 * MDX_REFF_MIN), -1 damaged (e says how): a longer path without its chi
 * row too. */
static int blob_chi(mdx_codec *codec, const pending *p, double *chi,
                    mdx_error *e)
{
    const mdx_buf *blob = &p->blob;
    if (blob->len == 0 && p->reff < MDX_REFF_MIN)
        return 0;
    if (blob->len == 0) {
        mdx_error_set(e, MDX_ERR_FORMAT, NULL, 0, "its chi(k) is missing: "
                      "the database is damaged (run mdexafs check)");
        return -1;
    }
    if (mdx_decode_doubles(codec, blob->data, blob->len, chi, MDX_NK, e)) {
        mdx_error_set(e, MDX_ERR_FORMAT, NULL, 0, "its chi(k) blob is "
                      "damaged (run mdexafs check)");
        return -1;
    }
    return 1;
}

/* chi computed from a stored FEFF path blob with parameters par: 1, 0
 * when the path has none, -1 with e saying why not. */
static int path_chi(mdx_codec *codec, mdx_chi_work *work, const mdx_buf *blob,
                    const mdx_chi_params *par, double *chi, mdx_error *e)
{
    mdx_path p;
    double k[MDX_NK];
    if (mdx_decode_path(codec, blob->data, blob->len, &p, e)) {
        mdx_error_set(e, MDX_ERR_FORMAT, NULL, 0, "its FEFF data are damaged "
                      "(run mdexafs check)");
        return -1;
    }
    mdx_kgrid(k);
    mdx_status st = mdx_chi(&p, par, MDX_NK, k, chi, work, e);
    mdx_path_free(&p);
    return st == MDX_OK ? 1 : st == MDX_ERR_RANGE ? 0 : -1;
}

/* Read the batch's blobs, decode and sum per folder in parallel, emit in
 * order, and empty the batch. */
static void flush(summer *m)
{
    const int compute = m->compute;
    for (size_t i = 0; i < m->npaths && !m->failure; i++)
        if (mdx_store_blob(m->store, compute ? MDX_BLOB_FEFF : MDX_BLOB_CHI,
                           m->paths[i].id, &m->paths[i].blob, &m->err))
            fail(m, m->err.code);
    int failed = 0;
    if (!m->failure) {
#pragma omp parallel reduction(|| : failed)
        {
            mdx_codec *codec = mdx_codec_new(0);
            mdx_chi_work work = {0};
            double chi[MDX_NK];
            failed = !codec;
#pragma omp for schedule(dynamic, 1)
            for (size_t f = 0; f < m->nfolders; f++) {
                batch_folder *bf = &m->folders[f];
                mdx_folder_sums_reset(&bf->sums, bf->frame, bf->atom, bf->dir);
                bf->failed = 0;
                for (size_t i = bf->first; i < bf->first + bf->n && codec; i++) {
                    pending *p = &m->paths[i];
                    int got = compute ? path_chi(codec, &work, &p->blob,
                                                 &p->par, chi, &bf->err)
                                      : blob_chi(codec, p, chi, &bf->err);
                    if (got == 0)
                        continue;  /* reff < 0.05 Å: no chi, as in larch */
                    if (got < 0) {
                        snprintf(bf->err.file, sizeof bf->err.file,
                                 "%.900s/feff%04d.dat", bf->dir, p->num);
                        bf->err.line = 0;
                        bf->failed = failed = 1;
                        break;
                    }
                    if (!mdx_folder_sums_add(&bf->sums,
                                         m->grouping == MDX_GROUP_TYPE ? p->type
                                                                       : NULL,
                                         chi)) {
                        mdx_error_set(&bf->err, MDX_ERR_NOMEM, NULL, 0,
                                      "out of memory");
                        bf->failed = failed = 1;
                        break;
                    }
                }
            }
            mdx_chi_work_free(&work);
            mdx_codec_free(codec);
        }
    }
    for (size_t f = 0; failed && f < m->nfolders; f++)
        if (m->folders[f].failed) {  /* the first in folder order */
            m->err = m->folders[f].err;
            fail(m, m->err.code);
            break;
        }
    if (failed && !m->failure) {  /* a worker had no codec */
        mdx_error_set(&m->err, MDX_ERR_NOMEM, m->src->path, 0,
                      "out of memory");
        fail(m, MDX_ERR_NOMEM);
    }
    for (size_t f = 0; f < m->nfolders && !m->failure && !m->stopped; f++) {
        int stop = mdx_folder_sums_emit(&m->folders[f].sums, m->fn, m->ctx);
        m->stopped = stop != 0;
    }
    for (size_t f = 0; f < m->nfolders; f++) {
        free(m->folders[f].dir);
        m->folders[f].dir = NULL;
    }
    m->nfolders = 0;
    m->npaths = 0;
}

static int add_path(void *ctx, int64_t id, const mdx_path_meta *meta)
{
    summer *m = ctx;
    mdx_chi_params par;
    int ok = mdx_source_accept(m->sel, meta, &par);
    if (ok < 0) {
        m->keep_failed = 1;
        return 1;
    }
    if (!ok)
        return 0;
    batch_folder *last = m->nfolders ? &m->folders[m->nfolders - 1] : NULL;
    if (!last || last->frame != meta->frame || last->atom != meta->atom) {
        if (m->npaths >= BATCH_PATHS) {  /* the batch's folders are whole */
            flush(m);
            if (m->failure || m->stopped)
                return 1;
        }
        batch_folder *folders = mdx_grow(m->folders, &m->folders_cap,
                                         m->nfolders + 1, sizeof *folders, 16);
        if (!folders)
            return fail(m, MDX_ERR_NOMEM);
        m->folders = folders;
        last = &m->folders[m->nfolders++];
        last->frame = meta->frame;
        last->atom = meta->atom;
        last->first = m->npaths;
        last->n = 0;
        if (!(last->dir = strdup(meta->dir)))
            return fail(m, MDX_ERR_NOMEM);
    }
    pending *paths = mdx_grow(m->paths, &m->paths_cap, m->npaths + 1,
                              sizeof *paths, 1024);
    if (!paths)
        return fail(m, MDX_ERR_NOMEM);
    m->paths = paths;
    pending *p = &m->paths[m->npaths++];
    p->id = id;
    p->num = meta->num;
    p->reff = meta->reff;
    p->par = par;
    snprintf(p->type, sizeof p->type, "%s", meta->type);
    last->n++;
    return 0;
}

static mdx_status db_sum(mdx_source *s, const mdx_selection *sel,
                         enum mdx_grouping grouping,
                         int (*fn)(void *ctx, const mdx_folder_chi *f),
                         void *ctx, mdx_error *err)
{
    summer m = {.src = s, .store = store_of(s), .sel = sel,
                .grouping = grouping,
                .compute = impl_of(s)->tables_only || sel->params != NULL,
                .fn = fn, .ctx = ctx};
    mdx_status rc = mdx_store_read_begin(m.store, err);
    if (rc == MDX_OK)
        rc = mdx_store_select(m.store, sel, add_path, &m, err);
    if (rc == MDX_OK && !m.failure && !m.keep_failed && !m.stopped)
        flush(&m);
    mdx_store_read_end(m.store);
    if (rc == MDX_OK && m.keep_failed)
        rc = mdx_source_stopped(err);
    else if (rc == MDX_OK && m.failure) {
        mdx_error_copy(err, &m.err);
        rc = m.failure;
    }
    for (size_t i = 0; i < m.paths_cap; i++)
        mdx_buf_free(&m.paths[i].blob);
    for (size_t f = 0; f < m.folders_cap; f++) {
        free(m.folders[f].dir);
        mdx_folder_sums_free(&m.folders[f].sums);
    }
    free(m.paths);
    free(m.folders);
    return rc;
}

typedef struct chidat_walk {
    mdx_codec *codec;
    int (*fn)(void *ctx, const mdx_folder_chidat *f);
    void *ctx;
    double *kchi;
    size_t cap;
    mdx_error err;
    int failed;
} chidat_walk;

static int walk_chidat(void *ctx, long frame, long atom, const char *dir,
                       const void *blob, size_t size)
{
    chidat_walk *w = ctx;
    if (!blob)
        return 0;  /* the folder had no chi.dat */
    size_t n = mdx_doubles_count(blob, size);
    double *kchi = mdx_grow(w->kchi, &w->cap, n, sizeof *kchi, 1024);
    if (!kchi)
        return w->failed = 1;
    w->kchi = kchi;
    if (n == 0 || n % 2 ||
        mdx_decode_doubles(w->codec, blob, size, w->kchi, n, &w->err))
        return w->failed = 1;
    mdx_folder_chidat f = {frame, atom, dir, n / 2, w->kchi, w->kchi + n / 2};
    return w->fn(w->ctx, &f);
}

static mdx_status db_each_chidat(mdx_source *s, const mdx_selection *sel,
                                 int (*fn)(void *ctx, const mdx_folder_chidat *f),
                                 void *ctx, mdx_error *err)
{
    chidat_walk w = {mdx_codec_new(0), fn, ctx, NULL, 0, {0}, 0};
    if (!w.codec)
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    mdx_status rc = mdx_store_each_chidat(store_of(s), sel, walk_chidat, &w, err);
    if (rc == MDX_OK && w.failed)
        rc = mdx_error_set(err, MDX_ERR_FORMAT, s->path, 0,
                           "damaged chi.dat blob (run mdexafs check)");
    free(w.kchi);
    mdx_codec_free(w.codec);
    return rc;
}

static mdx_status db_get_path(mdx_source *s, long frame, long atom, int num,
                              mdx_path *path, mdx_error *err)
{
    int64_t id;
    mdx_status rc = mdx_store_path_id(store_of(s), frame, atom, num, &id, err);
    if (rc)
        return rc;
    if (id < 0)
        return mdx_source_no_path(s->path, frame, atom, num, err);
    mdx_buf blob = {0};
    mdx_codec *codec = mdx_codec_new(0);
    if (!codec)
        return mdx_error_set(err, MDX_ERR_NOMEM, s->path, 0, "out of memory");
    rc = mdx_store_blob(store_of(s), MDX_BLOB_FEFF, id, &blob, err);
    if (rc == MDX_OK &&
        mdx_decode_path(codec, blob.data, blob.len, path, err) != MDX_OK)
        rc = mdx_error_set(err, MDX_ERR_FORMAT, s->path, 0,
                           "damaged FEFF data of path %d in frame %ld, atom "
                           "%ld (run mdexafs check)", num, frame, atom);
    mdx_buf_free(&blob);
    mdx_codec_free(codec);
    return rc;
}

/* The failed folders a selection admits: a count and the first few. */
typedef struct failed_walk {
    const mdx_selection *sel;
    size_t n;
    char names[600];
} failed_walk;

static int note_failed(void *ctx, long frame, long atom, const char *dir,
                       const char *error)
{
    failed_walk *w = ctx;
    if (!mdx_selection_has_folder(w->sel, frame, atom))
        return 0;
    size_t len = strlen(w->names);
    if (w->n++ < 3)
        snprintf(w->names + len, sizeof w->names - len, "%s%s (%s)",
                 len ? ", " : "", dir, error);
    return 0;
}

static mdx_status db_failed(mdx_source *s, const mdx_selection *sel,
                            mdx_error *err)
{
    failed_walk w = {sel, 0, ""};
    mdx_status rc = mdx_store_each_failed(store_of(s), note_failed, &w, err);
    if (rc || w.n == 0)
        return rc;
    s->left_out = w.n;
    if (s->skip_failed)
        return MDX_OK;
    return mdx_error_set(err, MDX_ERR_ARG, s->path, 0,
                         "%zu folder%s failed to build and would be left out: "
                         "%s%s; fix and build again, or leave them out "
                         "(failed = \"skip\", a recipe's --skip-failed)", w.n, w.n == 1 ? "" : "s",
                         w.names, w.n > 3 ? ", ..." : "");
}

typedef struct folder_walk {
    const mdx_selection *sel;
    int (*fn)(void *ctx, const mdx_folder_meta *f);
    void *ctx;
} folder_walk;

static int visit_folder(void *ctx, long frame, long atom, const char *dir,
                        const char *element)
{
    folder_walk *w = ctx;
    if (!mdx_selection_has_folder(w->sel, frame, atom))
        return 0;
    mdx_folder_meta f = {frame, atom, element, dir};
    return w->fn(w->ctx, &f);
}

static mdx_status db_each_folder(mdx_source *s, const mdx_selection *sel,
                                 int (*fn)(void *ctx, const mdx_folder_meta *f),
                                 void *ctx, mdx_error *err)
{
    folder_walk w = {sel, fn, ctx};
    return mdx_store_each_folder(store_of(s), visit_folder, &w, err);
}

static const source_ops db_ops = {"database", db_each_path, db_sum,
                                  db_each_chidat, db_get_path, db_each_folder,
                                  db_failed, NULL, db_close};

mdx_status mdx_source_open_db(mdx_source *s, mdx_error *err)
{
    char layout[64];
    db_impl *impl = calloc(1, sizeof *impl);
    if (!impl)
        return mdx_error_set(err, MDX_ERR_NOMEM, s->path, 0, "out of memory");
    mdx_status rc = mdx_store_open(s->path, MDX_STORE_READ, &impl->store, err);
    if (rc == MDX_OK)
        rc = mdx_store_get_meta(impl->store, "layout", layout, sizeof layout, err);
    if (rc) {
        mdx_store_close(impl->store);
        free(impl);
        return rc;
    }
    impl->tables_only = strcmp(layout, MDX_LAYOUT_TABLES) == 0;
    s->ops = &db_ops;
    s->impl = impl;
    return MDX_OK;
}
