/* A database as a source: selection in SQL; sums through source_db_sum.c.
 * When the query sets path parameters, or the database was built with
 * --tables-only and holds no chi(k), the paths' FEFF data are decoded and
 * their chi computed instead: with default parameters, the same numbers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mdexafs/chi.h"
#include "store/codec.h"
#include "store/store.h"
#include "util/grow.h"
#include "source_common.h"
#include "source_db_sum.h"
#include "source_private.h"

typedef struct db_impl {
    mdx_store *store;
    int tables_only;   /* layout MDX_LAYOUT_TABLES */
    mdx_db_scratch *scratch;  /* the sums' buffers, kept between queries */
} db_impl;

static db_impl *impl_of(mdx_source *s) { return s->impl; }
static mdx_store *store_of(mdx_source *s) { return impl_of(s)->store; }

static void db_close(mdx_source *s)
{
    mdx_store_close(store_of(s));
    mdx_db_scratch_release(impl_of(s)->scratch);
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

static mdx_status db_sum(mdx_source *s, const mdx_selection *sel,
                         enum mdx_grouping grouping,
                         int (*fn)(void *ctx, const mdx_folder_chi *f),
                         void *ctx, mdx_error *err)
{
    return mdx_db_sum(store_of(s), &impl_of(s)->scratch, s->path,
                      impl_of(s)->tables_only || sel->params != NULL, sel,
                      grouping, fn, ctx, err);
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
    if (rc == MDX_OK && w.failed) {
        mdx_error_set(err, MDX_ERR_FORMAT, s->path, 0, "damaged chi.dat blob");
        rc = mdx_error_advise(err, MDX_REMEDY_CHECK);
    }
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
    mdx_buf blob = {0}, table_blob = {0};
    mdx_path table = {0};
    mdx_codec *codec = mdx_codec_new(0);
    if (!codec)
        return mdx_error_set(err, MDX_ERR_NOMEM, s->path, 0, "out of memory");
    rc = mdx_store_blob(store_of(s), MDX_BLOB_FEFF, id, &blob, err);
    if (rc == MDX_OK)
        rc = mdx_store_folder_table(store_of(s), frame, atom, &table_blob, err);
    if (rc == MDX_OK &&
        ((table_blob.len && mdx_decode_path(codec, table_blob.data,
                                            table_blob.len, NULL, &table,
                                            err) != MDX_OK) ||
         mdx_decode_path(codec, blob.data, blob.len,
                         table_blob.len ? &table : NULL, path, err) != MDX_OK)) {
        mdx_error_set(err, MDX_ERR_FORMAT, s->path, 0, "damaged FEFF data of "
                      "path %d in frame %ld, atom %ld", num, frame, atom);
        rc = mdx_error_advise(err, MDX_REMEDY_CHECK);
    }
    mdx_path_free(&table);
    mdx_buf_free(&table_blob);
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
    mdx_error_set(err, MDX_ERR_ARG, s->path, 0, "%zu folder%s failed to build "
                  "and would be left out: %s%s; fix and build again, or leave "
                  "them out", w.n, w.n == 1 ? "" : "s", w.names,
                  w.n > 3 ? ", ..." : "");
    return mdx_error_advise(err, MDX_REMEDY_SKIP_FAILED);
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

/* What db_potentials walks. */
typedef struct potentials_walk {
    const mdx_selection *sel;
    void (*fn)(void *ctx, const char *ref);
    void *ctx;
} potentials_walk;

static int visit_potentials(void *ctx, long frame, long atom, const char *dir,
                            const char *ref)
{
    potentials_walk *w = ctx;
    (void)dir;
    if (mdx_selection_has_folder(w->sel, frame, atom))
        w->fn(w->ctx, ref);
    return 0;
}

static mdx_status db_potentials(mdx_source *s, const mdx_selection *sel,
                                void (*fn)(void *ctx, const char *ref), void *ctx,
                                mdx_error *err)
{
    potentials_walk w = {sel, fn, ctx};
    return mdx_store_each_potentials(store_of(s), visit_potentials, &w, err);
}

static const source_ops db_ops = {"database", db_each_path, db_sum,
                                  db_each_chidat, db_get_path, db_each_folder,
                                  db_failed, db_potentials, NULL, db_close};

/* Was the database built with the preference asked for? MDX_ERR_ARG
 * when not: mdx_source_choose reads that status (and only this refusal of
 * an open gives it) as "built from the other files". */
static mdx_status check_prefer(mdx_source *s, mdx_store *store,
                               enum mdx_prefer prefer, mdx_error *err)
{
    char have[64];
    mdx_status rc = mdx_store_get_meta(store, "prefer", have, sizeof have, err);
    int bin = strcmp(have, MDX_META_PREFER_BIN) == 0;
    if (rc || prefer == MDX_PREFER_RECORDED || bin == (prefer == MDX_PREFER_BIN))
        return rc;
    mdx_error_set(err, MDX_ERR_ARG, s->path, 0, "was built from the %s of "
                  "folders that have both, not from their %s: build it again "
                  "preferring the %s", bin ? "feff.bin" : "feffNNNN.dat files",
                  bin ? "feffNNNN.dat files" : "feff.bin",
                  bin ? "feffNNNN.dat files" : "feff.bin");
    return mdx_error_advise(err, bin ? MDX_REMEDY_PREFER_DAT
                                     : MDX_REMEDY_PREFER_BIN);
}

mdx_status mdx_source_open_db(mdx_source *s, enum mdx_prefer prefer,
                              mdx_error *err)
{
    char layout[64];
    db_impl *impl = calloc(1, sizeof *impl);
    if (!impl)
        return mdx_error_set(err, MDX_ERR_NOMEM, s->path, 0, "out of memory");
    mdx_status rc = mdx_store_open(s->path, MDX_STORE_READ, &impl->store, err);
    if (rc == MDX_OK)
        rc = check_prefer(s, impl->store, prefer, err);
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
