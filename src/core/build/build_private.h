/* What the files of a build share: one folder's job and result, and a
 * build under way (build.c), which the builder (builder.c) goes on with
 * folder by folder. */
#ifndef MDX_BUILD_PRIVATE_H
#define MDX_BUILD_PRIVATE_H

#include <limits.h>

#include "feff/feff_private.h"
#include "mdexafs/build.h"
#include "mdexafs/chi.h"
#include "store/codec.h"
#include "scan.h"
#include "store/store.h"

/* A folder to read: new, or recorded with other file sizes or times (then
 * its recorded content hash may show it unchanged after all). */
typedef struct folder_job {
    mdx_folder *folder;      /* its file list is loaded while it is read */
    int recorded;
    uint64_t old_hash;
    const char *twin;        /* another folder of the same frame and atom:
                                the pair is recorded as failed, unread */
    const char *failure;     /* or why it is known to have failed (its
                                FEFF run did): recorded so, unread */
    int keep;                /* its paths were dropped once stored: if it
                                fails now, what is stored is kept */
} folder_job;

/* What reading a folder gave. */
typedef struct folder_result {
    int unchanged;           /* content hash as recorded: only touch */
    mdx_folder_record rec;   /* what to store otherwise */
    char error[1024];        /* rec.error points here when set */
    char potentials[1024];   /* rec.potentials points here when set */
    mdx_error *problems;     /* every bad file, for the report */
    size_t nproblems, problems_cap;
    size_t bad_files;
    size_t bad_extras;       /* feff.inp, chi.dat that could not be read */
    size_t paths_cap;        /* rec.paths allocated, with their buffers */
    mdx_path_number *nums;   /* the path files' numbers, to find copies */
    size_t nnums, nums_cap;
} folder_result;

/* One thread's state, kept from folder to folder so that the buffers of
 * one folder serve the next (allocating them anew costs a third of the
 * build's time in page faults). */
typedef struct folder_worker {
    int tables_only;         /* compute no chi(k) */
    mdx_codec *codec;
    mdx_chi_work work;
    double k[MDX_NK];
    char **texts;            /* the folder's files */
    size_t *lens;
    size_t cap;
    folder_result result;
} folder_worker;

mdx_status mdx_folder_worker_init(folder_worker *w, int tables_only,
                              mdx_error *err);
void mdx_folder_worker_free(folder_worker *w);

/* Read, hash, parse and compute one folder into w->result, valid until
 * the worker's next folder. Bad files end up in the result, not in the
 * return value, which reports only failures that should stop the build
 * (out of memory). */
mdx_status mdx_build_folder(folder_worker *w, const mdx_tree *t,
                        const folder_job *job, mdx_error *err);

/* The writer's state, touched by one thread at a time. */
typedef struct writer {
    mdx_store *store;
    const mdx_build_hooks *hooks;
    mdx_build_stats *stats;
    double t0;
    int in_txn;          /* a transaction holds folders not yet committed */
    double txn_start;
    double last_write;   /* when the previous folder was written */
    int failed;          /* a database error stopped the build */
    mdx_error err;
} writer;

/* A build under way: mdx_build is mdx_build_begin then mdx_build_end. */
typedef struct build_session {
    writer w;
    mdx_tree tree;       /* the tree as scanned (in its shard) */
    char root[PATH_MAX];
} build_session;

/* Everything mdx_build does, but for the folders of later (dirs under
 * the tree, sorted by strcmp), which are neither read nor removed; the
 * store and tree left open in *b (for mdx_build_end, whatever the return
 * value). */
mdx_status mdx_build_begin(const mdx_build_options *o,
                           const mdx_build_hooks *hooks,
                           mdx_build_stats *stats,
                           const char *const *later, size_t nlater,
                           build_session *b, mdx_error *err);
void mdx_build_end(build_session *b);

/* The value of meta key in database db, or with key NULL how many
 * folders it holds the only copy of (dropped); "" when it has none (or
 * there is no such database, or it cannot be read: opening it will
 * say). */
void mdx_build_recorded(const char *db, const char *key, char *buf, size_t size);

/* Record folder f (listed) on its row as it is now: its stamp and quick
 * evidence, its content unchanged. Call inside a transaction. */
mdx_status mdx_build_touch(mdx_store *s, const mdx_folder *f, mdx_error *err);

/* Store one folder's result: committed with the folders written in the
 * last half second (mdx_build_commit commits at once); w->failed when
 * the database could not take it. */
void mdx_build_write(writer *w, const folder_job *job, folder_result *r);
mdx_status mdx_build_commit(writer *w);

/* A folder stored while it was changing (within MDX_RACY_NS of its
 * listing), so without quick evidence: recorded once it has settled. */
typedef struct settling {
    size_t folder;      /* in the tree */
    uint64_t stamp;     /* as stored */
    double since;       /* when it was listed */
} settling;

/* A folder of the tree, by dir: the builder's index to find it. */
typedef struct folder_index {
    const char *dir;
    size_t folder;
} folder_index;

/* The builder (builder.c), and its drops (builder_drop.c). */
struct mdx_builder {
    build_session b;
    folder_worker fw;
    mdx_source_row *rows;   /* the folders as recorded at the start, by dir */
    size_t nrows;
    folder_index *index;    /* the tree's folders, by dir */
    mdx_store *reader;      /* reads back what a drop relies on */
    char *db;               /* its file */
    int durable;            /* commits reach the disk before they return */
    mdx_buf blob;
    settling *settling;
    size_t nsettling, settling_cap;
};

/* Drop the path files of folder i, just stored cleanly as rec: once the
 * database file reads back rec's blobs, and the folder's files are still
 * those read. The record then follows the folder as it is left (its
 * quick evidence, when it has settled, in f->quick). What keeps them
 * goes into why ("" when dropped); the return value is an error only
 * when the database fails. */
mdx_status mdx_builder_drop(mdx_builder *b, size_t i, const mdx_folder_record *rec,
                            char *why, size_t size, mdx_error *err);

/* Finish the drop of folder i, whose paths were dropped from it once
 * (f->dropped): what is left of them removed, its record following it. */
mdx_status mdx_builder_finish_drop(mdx_builder *b, size_t i, char *why, size_t size,
                                   mdx_error *err);

/* Were folder f's path files dropped (mdexafs feff --drop-paths) after
 * it was stored cleanly as r, as its list of dropped files or the
 * database says? The database then holds their only copy: it is kept,
 * never replaced by a failure. */
int mdx_paths_dropped(const mdx_folder *f, const mdx_source_row *r);

/* bsearch comparison of a dir with an mdx_source_row (in freshness.c). */
int mdx_source_row_by_dir(const void *key, const void *row);

/* What a build would do with folder i of the tree, given what the store
 * recorded (rows, sorted by dir); marks the row it matched in seen. A
 * folder that failed counts as changed when retry_failed (a build tries
 * it again), as unchanged otherwise (the database says it failed). */
enum folder_state { FOLDER_DUPLICATE, FOLDER_UNCHANGED, FOLDER_CHANGED,
                    FOLDER_NEW };
enum folder_state mdx_classify_folder(const mdx_tree *t, size_t i,
                                      mdx_source_row *rows, size_t nrows,
                                      int retry_failed, char *seen,
                                      mdx_source_row **row);

#endif
