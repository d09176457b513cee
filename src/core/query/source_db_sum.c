/* Summing a selection from a database. The selected paths come from SQL
 * in folder order; their blobs are read on the calling thread in batches
 * of whole folders, and each batch is decoded and summed per folder by
 * OpenMP tasks on all threads while the next batch is read: two batches
 * in turn. Folders go to fn in order, on the calling thread (which also
 * runs the selection's callbacks). The batches and the threads' codecs
 * live in the source's scratch, from one query to the next (and from a
 * closed source to the next): a query allocates nothing it did not need
 * before. */
#include <omp.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/codec.h"
#include "util/grow.h"
#include "mdexafs/chi.h"
#include "source_common.h"
#include "source_db_sum.h"

#define BATCH_PATHS 512  /* blobs a batch holds at least: ~1.5 MB, reused;
                            and two folders per thread */

/* A selected path waiting for its blob. */
typedef struct pending {
    int64_t id;
    int num;              /* of feffNNNN.dat, for messages */
    double reff;          /* from the paths row */
    char type[MDX_TYPE_MAX];
    mdx_chi_params par;   /* used when chi is computed */
    mdx_buf blob;
} pending;

/* One folder of a batch: its paths are pending[first, first + n). */
typedef struct batch_folder {
    long frame, atom;
    char *dir;
    size_t first, n;
    mdx_buf table;        /* the table its FEFF blobs share, when computed */
    folder_sums sums;
    mdx_error err;        /* why a path of it gave no chi */
    int failed;
} batch_folder;

typedef struct batch {
    pending *paths;
    size_t npaths, paths_cap;
    batch_folder *folders;
    size_t nfolders, folders_cap;
} batch;

/* What a thread decodes and computes with, made on its first task. */
typedef struct worker {
    mdx_codec *codec;
    mdx_chi_work work;
} worker;

struct mdx_db_scratch {
    batch batches[2];
    worker *workers;
    int nworkers;       /* made so far */
    int busy;           /* a query is using it */
};

typedef struct summer {
    mdx_store *store;
    const char *name;
    const mdx_selection *sel;
    enum mdx_grouping grouping;
    int compute;        /* chi from the FEFF data, not the stored chi */
    int (*fn)(void *ctx, const mdx_folder_chi *f);
    void *ctx;
    batch *batches;     /* two, the scratch's */
    int filling;        /* the batch being filled and read */
    int summing;        /* the other batch has tasks summing it */
    worker *workers;    /* one per thread, the scratch's */
    int nworkers;
    int stopped;        /* fn said stop */
    int keep_failed;    /* the keep callback failed */
    mdx_status failure; /* out of memory, database or blob trouble */
    mdx_error err;
} summer;

static int fail(summer *m, mdx_status code)
{
    if (!m->failure) {
        m->failure = code;
        if (code == MDX_ERR_NOMEM)
            mdx_error_set(&m->err, code, m->name, 0, "out of memory");
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
                      "the database is damaged");
        mdx_error_advise(e, MDX_REMEDY_CHECK);
        return -1;
    }
    if (mdx_decode_doubles(codec, blob->data, blob->len, chi, MDX_NK, e)) {
        mdx_error_set(e, MDX_ERR_FORMAT, NULL, 0, "its chi(k) blob is "
                      "damaged");
        mdx_error_advise(e, MDX_REMEDY_CHECK);
        return -1;
    }
    return 1;
}

/* chi computed from a stored FEFF path blob with parameters par (table:
 * its folder's, or NULL): 1, 0 when the path has none, -1 with e saying
 * why not. */
static int path_chi(mdx_codec *codec, mdx_chi_work *work, const mdx_buf *blob,
                    const mdx_path *table, const mdx_chi_params *par,
                    double *chi, mdx_error *e)
{
    mdx_path p;
    double k[MDX_NK];
    if (mdx_decode_path(codec, blob->data, blob->len, table, &p, e)) {
        mdx_error_set(e, MDX_ERR_FORMAT, NULL, 0, "its FEFF data are "
                      "damaged");
        mdx_error_advise(e, MDX_REMEDY_CHECK);
        return -1;
    }
    mdx_kgrid(k);
    mdx_status st = mdx_chi(&p, par, MDX_NK, k, chi, work, e);
    mdx_path_free(&p);
    return st == MDX_OK ? 1 : st == MDX_ERR_RANGE ? 0 : -1;
}

/* Decode (or compute) and sum one folder's paths: a task. */
static void sum_folder(summer *m, batch *b, batch_folder *bf)
{
    worker *w = &m->workers[omp_get_thread_num()];
    double chi[MDX_NK];
    mdx_path table = {0};
    mdx_folder_sums_reset(&bf->sums, bf->frame, bf->atom, bf->dir);
    bf->failed = 0;
    if (!w->codec && !(w->codec = mdx_codec_new(0))) {
        mdx_error_set(&bf->err, MDX_ERR_NOMEM, m->name, 0, "out of memory");
        bf->failed = 1;
        return;
    }
    if (bf->table.len && mdx_decode_path(w->codec, bf->table.data,
                                         bf->table.len, NULL, &table,
                                         &bf->err)) {
        mdx_error_set(&bf->err, MDX_ERR_FORMAT, m->name, 0, "the FEFF table "
                      "of %s is damaged", bf->dir);
        mdx_error_advise(&bf->err, MDX_REMEDY_CHECK);
        bf->failed = 1;
        return;
    }
    for (size_t i = bf->first; i < bf->first + bf->n && !bf->failed; i++) {
        pending *p = &b->paths[i];
        int got = m->compute ? path_chi(w->codec, &w->work, &p->blob,
                                        bf->table.len ? &table : NULL,
                                        &p->par, chi, &bf->err)
                             : blob_chi(w->codec, p, chi, &bf->err);
        if (got == 0)
            continue;  /* reff < 0.05 Å: no chi, as in larch */
        if (got < 0) {
            snprintf(bf->err.file, sizeof bf->err.file, "%.900s/feff%04d.dat",
                     bf->dir, p->num);
            bf->err.line = 0;
            bf->failed = 1;
        } else if (!mdx_folder_sums_add(&bf->sums, m->grouping ==
                                        MDX_GROUP_TYPE ? p->type : NULL, chi)) {
            mdx_error_set(&bf->err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
            bf->failed = 1;
        }
    }
    mdx_path_free(&table);
}

/* Empty a batch, keeping its memory. */
static void clear(batch *b)
{
    for (size_t f = 0; f < b->nfolders; f++) {
        free(b->folders[f].dir);
        b->folders[f].dir = NULL;
    }
    b->nfolders = b->npaths = 0;
}

/* After its tasks: the first failure in folder order, or each folder's
 * sums to fn in order; then empty the batch. */
static void finish(summer *m, batch *b)
{
    for (size_t f = 0; f < b->nfolders && !m->failure; f++)
        if (b->folders[f].failed) {
            m->err = b->folders[f].err;
            fail(m, m->err.code);
        }
    for (size_t f = 0; f < b->nfolders && !m->failure && !m->stopped; f++)
        m->stopped = mdx_folder_sums_emit(&b->folders[f].sums, m->fn,
                                          m->ctx) != 0;
    clear(b);
}

/* The batch being filled is whole: read its blobs (while the other batch
 * is summed), hand the other batch's folders on, and start summing this
 * one. */
static void submit(summer *m)
{
    batch *b = &m->batches[m->filling];
    enum mdx_blob which = m->compute ? MDX_BLOB_FEFF : MDX_BLOB_CHI;
    for (size_t i = 0; i < b->npaths && !m->failure; i++)
        if (mdx_store_blob(m->store, which, b->paths[i].id, &b->paths[i].blob,
                           &m->err))
            fail(m, m->err.code);
    for (size_t f = 0; f < b->nfolders && !m->failure; f++) {
        batch_folder *bf = &b->folders[f];
        bf->table.len = 0;
        if (m->compute && mdx_store_folder_table(m->store, bf->frame, bf->atom,
                                                 &bf->table, &m->err))
            fail(m, m->err.code);
    }
#pragma omp taskwait
    if (m->summing)
        finish(m, &m->batches[!m->filling]);
    m->summing = 0;
    if (m->failure || m->stopped) {
        clear(b);
        return;
    }
    for (size_t f = 0; f < b->nfolders; f++) {
        batch_folder *bf = &b->folders[f];
#pragma omp task firstprivate(m, b, bf)
        sum_folder(m, b, bf);
    }
    m->summing = 1;
    m->filling = !m->filling;
}

/* The selection's callback for each path SQL selects. */
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
    batch *b = &m->batches[m->filling];
    batch_folder *last = b->nfolders ? &b->folders[b->nfolders - 1] : NULL;
    if (!last || last->frame != meta->frame || last->atom != meta->atom) {
        if (b->npaths >= BATCH_PATHS &&  /* whole folders, enough for all */
            b->nfolders >= 2 * (size_t)m->nworkers) {
            submit(m);
            if (m->failure || m->stopped)
                return 1;
            b = &m->batches[m->filling];
        }
        batch_folder *folders = mdx_grow(b->folders, &b->folders_cap,
                                         b->nfolders + 1, sizeof *folders, 16);
        if (!folders)
            return fail(m, MDX_ERR_NOMEM);
        b->folders = folders;
        last = &b->folders[b->nfolders++];  /* its sums keep their memory */
        last->frame = meta->frame;
        last->atom = meta->atom;
        last->first = b->npaths;
        last->n = 0;
        if (!(last->dir = strdup(meta->dir)))
            return fail(m, MDX_ERR_NOMEM);
    }
    pending *paths = mdx_grow(b->paths, &b->paths_cap, b->npaths + 1,
                              sizeof *paths, 256);
    if (!paths)
        return fail(m, MDX_ERR_NOMEM);
    b->paths = paths;
    pending *p = &b->paths[b->npaths++];
    p->id = id;
    p->num = meta->num;
    p->reff = meta->reff;
    p->par = par;
    snprintf(p->type, sizeof p->type, "%s", meta->type);
    last->n++;
    return 0;
}

static void free_batch(batch *b)
{
    for (size_t i = 0; i < b->paths_cap; i++)
        mdx_buf_free(&b->paths[i].blob);
    for (size_t f = 0; f < b->folders_cap; f++) {
        free(b->folders[f].dir);
        mdx_buf_free(&b->folders[f].table);
        mdx_folder_sums_free(&b->folders[f].sums);
    }
    free(b->paths);
    free(b->folders);
}

/* Run the query on the calling thread (OpenMP's master), the other
 * threads taking the summing tasks. */
static mdx_status run(summer *m, mdx_error *err)
{
    mdx_status rc = mdx_store_read_begin(m->store, err);
    if (rc == MDX_OK)
        rc = mdx_store_select(m->store, m->sel, add_path, m, err);
    if (rc || m->keep_failed)
        m->stopped = 1;  /* the query failed: nothing more goes to fn */
    else if (!m->failure && !m->stopped && m->batches[m->filling].nfolders)
        submit(m);
#pragma omp taskwait
    if (m->summing)
        finish(m, &m->batches[!m->filling]);
    m->summing = 0;
    mdx_store_read_end(m->store);
    return rc;
}

/* The scratch of the last source closed, for the next one. */
static _Atomic(mdx_db_scratch *) parked;

static void free_scratch(mdx_db_scratch *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->nworkers; i++) {
        mdx_codec_free(s->workers[i].codec);
        mdx_chi_work_free(&s->workers[i].work);
    }
    free(s->workers);
    free_batch(&s->batches[0]);
    free_batch(&s->batches[1]);
    free(s);
}

void mdx_db_scratch_release(mdx_db_scratch *s)
{
    if (s)
        free_scratch(atomic_exchange(&parked, s));
}

/* The scratch, made on the first query, with a worker for each of
 * nworkers threads. */
static mdx_db_scratch *scratch_for(mdx_db_scratch **scratch, int nworkers)
{
    mdx_db_scratch *s = *scratch;
    if (!s && !(s = atomic_exchange(&parked, NULL)) &&
        !(s = calloc(1, sizeof *s)))
        return NULL;
    *scratch = s;
    if (nworkers > s->nworkers) {
        worker *grown = realloc(s->workers, (size_t)nworkers * sizeof *grown);
        if (!grown)
            return NULL;
        memset(grown + s->nworkers, 0,
               (size_t)(nworkers - s->nworkers) * sizeof *grown);
        s->workers = grown;
        s->nworkers = nworkers;
    }
    return s;
}

mdx_status mdx_db_sum(mdx_store *store, mdx_db_scratch **scratch,
                      const char *name, int compute,
                      const mdx_selection *sel, enum mdx_grouping grouping,
                      int (*fn)(void *ctx, const mdx_folder_chi *f),
                      void *ctx, mdx_error *err)
{
    summer m = {.store = store, .name = name, .sel = sel,
                .grouping = grouping, .compute = compute, .fn = fn,
                .ctx = ctx};
    int nworkers = m.nworkers = omp_get_max_threads();
    mdx_status rc = MDX_OK;
    mdx_db_scratch *own = NULL;  /* for a query in a callback of another */
    mdx_db_scratch *s = scratch_for(*scratch && (*scratch)->busy ? &own
                                                                 : scratch,
                                    nworkers);
    if (!s)
        return mdx_error_set(err, MDX_ERR_NOMEM, name, 0, "out of memory");
    s->busy = 1;
    m.batches = s->batches;
    m.workers = s->workers;
#pragma omp parallel num_threads(nworkers)
#pragma omp master
    rc = run(&m, err);
    if (rc == MDX_OK && m.keep_failed)
        rc = mdx_source_stopped(err);
    else if (rc == MDX_OK && m.failure)
        rc = mdx_error_copy(err, &m.err);
    clear(&m.batches[0]);
    clear(&m.batches[1]);
    s->busy = 0;
    free_scratch(own);
    return rc;
}
