/* mdexafs database: one SQLite file holding path metadata, chi(k) and FEFF
 * data blobs, and what the build read. Only store.c speaks SQL. */
#ifndef MDEXAFS_STORE_H
#define MDEXAFS_STORE_H

#include <stddef.h>
#include <stdint.h>
#include "codec.h"
#include "mdexafs/chi.h"
#include "mdexafs/error.h"
#include "mdexafs/source.h"

#define MDX_SCHEMA_VERSION 2

/* The meta key "layout": what a database stores per path. */
#define MDX_LAYOUT_CHI "chi+feff"   /* chi(k) and the FEFF data */
#define MDX_LAYOUT_TABLES "feff"    /* the FEFF data only (--tables-only) */

/* The meta key "prefer": which files a folder with both path files and a
 * feff.bin was read from (absent: the path files). */
#define MDX_META_PREFER_BIN "feff.bin"
#define MDX_META_PREFER_DAT "feffNNNN.dat"

typedef struct mdx_store mdx_store;

enum mdx_store_mode {
    MDX_STORE_READ,    /* read only; fails if the file is missing */
    MDX_STORE_WRITE,   /* read-write; creates the file if missing */
    MDX_STORE_RAW,     /* read only, pages not verified against their
                          checksums (for mdexafs check, which does that
                          itself and goes on to name what is damaged) */
};

/* Verify every page of `file` against its checksum; call fn with the
 * number (from 1) of each damaged one. Returns how many were damaged, 0
 * for a file without page checksums, or -1 when the file cannot be read
 * (err says why). */
long mdx_store_damaged_pages(const char *file, void (*fn)(void *ctx, long page),
                             void *ctx, mdx_error *err);

/* Open or create a database. Refuses files that are not SQLite, not made
 * by mdexafs, or of a newer schema version, with a message saying so. An
 * older schema is read as it is, and upgraded in place (in one
 * transaction) when opened for writing. */
mdx_status mdx_store_open(const char *file, enum mdx_store_mode mode,
                          mdx_store **out, mdx_error *err);

/* From now on, a commit returns only once it is on the disk (WAL
 * synchronous = FULL; NORMAL leaves the last commits to a power loss):
 * for a database about to hold the only copy of what it stores. */
mdx_status mdx_store_durable(mdx_store *s, mdx_error *err);

/* The file's schema version (older than MDX_SCHEMA_VERSION when it was
 * opened for reading only). */
int mdx_store_schema(const mdx_store *s);

/* Close (NULL-safe). A write connection leaves a single self-contained file
 * (the write-ahead log checkpointed and removed). */
void mdx_store_close(mdx_store *s);

/* Transactions. Nothing is visible to other connections, or survives a
 * crash, before mdx_store_commit. */
mdx_status mdx_store_begin(mdx_store *s, mdx_error *err);
mdx_status mdx_store_commit(mdx_store *s, mdx_error *err);
void mdx_store_rollback(mdx_store *s);

/* A read transaction around a query of many statements: one lock and one
 * look at the file's change counter instead of one per statement. They
 * nest: only the outermost pair begins and ends it. */
mdx_status mdx_store_read_begin(mdx_store *s, mdx_error *err);
void mdx_store_read_end(mdx_store *s);

/* The meta table: text values by key. get copies into buf ("" if absent). */
mdx_status mdx_store_set_meta(mdx_store *s, const char *key,
                              const char *value, mdx_error *err);
mdx_status mdx_store_get_meta(mdx_store *s, const char *key, char *buf,
                              size_t size, mdx_error *err);

/* One stored path: its metadata and blobs (chi empty when the path has
 * no chi, reff < 0.05 Å). */
typedef struct mdx_stored_path {
    int num, nleg;
    double deg, reff;
    char type[MDX_TYPE_MAX];      /* FEFF labels joined by '-' */
    char elements[MDX_TYPE_MAX];  /* element symbols joined by '-' */
    mdx_buf chi, feff;
} mdx_stored_path;

/* What the build learnt of one folder. */
typedef struct mdx_folder_record {
    const char *dir;
    long frame, atom;
    size_t nfiles;
    uint64_t stamp, hash;
    uint64_t quick;            /* mdx_quick_stamp, 0 when none */
    const char *witnesses;     /* the files it stamps, '/'-separated */
    const char *error;         /* NULL when the folder built cleanly */
    char element[4];           /* absorbing element, "" if unknown */
    int has_position;
    double position[3];        /* absorber position from feff.inp */
    mdx_buf chidat;            /* FEFF's chi.dat as k then chi, or empty */
    const char *kind;          /* "feff.bin" or "feff.pad" when the paths
                                  come from it; NULL: from path files */
    mdx_buf table;             /* the columns the paths' FEFF blobs share
                                  (mdx_encode_path), or empty */
    const char *potentials;    /* the folder whose potentials its FEFF run
                                  used (its note); NULL: its own */
    int checked;               /* with potentials: also run in full, and */
    mdx_chi_match check;       /* what sharing cost it (mdexafs feff --check) */
    size_t npaths;
    mdx_stored_path *paths;
} mdx_folder_record;

/* Replace everything stored for r->dir (and any folder of the same frame
 * and atom) by r. Call inside a transaction. */
mdx_status mdx_store_put_folder(mdx_store *s, const mdx_folder_record *r,
                                mdx_error *err);

/* Record the new stamps (stamp, quick, last) of an unchanged folder whose
 * files were touched. */
mdx_status mdx_store_touch_folder(mdx_store *s, const mdx_folder_record *r,
                                  mdx_error *err);

/* Record that the path files of folder dir were dropped once stored:
 * the database holds their only copy (until the folder is put again). */
mdx_status mdx_store_mark_dropped(mdx_store *s, const char *dir, mdx_error *err);

/* How many folders the database holds the only copy of (marked dropped). */
int64_t mdx_store_dropped_count(mdx_store *s);

/* How many folders were also run in full to measure what sharing
 * potentials cost them (check_raw ...), and the worst: the largest raw
 * and rfactor, the E0 shifts from *e0_min to worst->e0. */
int64_t mdx_store_checks(mdx_store *s, mdx_chi_match *worst, double *e0_min);

/* Call fn for each folder built cleanly, in (frame, atom) order, with the
 * folder whose potentials its FEFF run used (NULL: its own). */
mdx_status mdx_store_each_potentials(mdx_store *s,
                                     int (*fn)(void *ctx, long frame, long atom,
                                               const char *dir, const char *ref),
                                     void *ctx, mdx_error *err);

/* How many folders' FEFF runs used another folder's potentials, and
 * those folders, ", "-joined and sorted, into refs (cut with "..."). */
int64_t mdx_store_shared_potentials(mdx_store *s, char *refs, size_t size);

/* Remove a folder and its paths. */
mdx_status mdx_store_delete_folder(mdx_store *s, const char *dir,
                                   mdx_error *err);

/* A folder as recorded by earlier builds. */
typedef struct mdx_source_row {
    char *dir;
    long frame, atom;
    uint64_t stamp, hash;
    int failed;
    uint64_t quick;     /* 0: no quick evidence (an older file, or a folder
                           that could not be listed whole) */
    char *witnesses;    /* the files quick stamps ('/'-separated), or NULL */
    int dropped;        /* its path files were dropped: the database holds
                           their only copy */
} mdx_source_row;

/* All recorded folders, sorted by dir; free with mdx_store_free_sources. */
mdx_status mdx_store_sources(mdx_store *s, mdx_source_row **rows, size_t *n,
                             mdx_error *err);
void mdx_store_free_sources(mdx_source_row *rows, size_t n);

/* Counts for reports such as `mdexafs info`. */
typedef struct mdx_store_summary {
    int64_t folders, failed_folders, frames, atoms;
    int64_t paths, paths_with_chi;
    int64_t max_path_id;
    double reff_min, reff_max;
    long frame_min, frame_max;
    int64_t bin_folders;   /* of the folders built cleanly, those whose
                              paths came from a feff.bin */
} mdx_store_summary;

mdx_status mdx_store_summary_of(mdx_store *s, mdx_store_summary *sum,
                                mdx_error *err);

/* Per path type: how many paths, their nleg and reff range. */
typedef struct mdx_type_stat {
    const char *type;
    int nleg;
    int64_t count;
    double reff_min, reff_max;
} mdx_type_stat;

/* Call fn for each path type, most frequent first; fn returns non-zero to
 * stop. Likewise mdx_store_each_failed for folders recorded as failed. */
mdx_status mdx_store_each_type(mdx_store *s,
                               int (*fn)(void *ctx, const mdx_type_stat *t),
                               void *ctx, mdx_error *err);
mdx_status mdx_store_each_failed(mdx_store *s,
                                 int (*fn)(void *ctx, long frame, long atom,
                                           const char *dir, const char *error),
                                 void *ctx, mdx_error *err);

/* Call fn for each cleanly built folder, in (frame, atom) order, with its
 * absorbing element; fn returns non-zero to stop. */
mdx_status mdx_store_each_folder(mdx_store *s,
                                 int (*fn)(void *ctx, long frame, long atom,
                                           const char *dir,
                                           const char *element),
                                 void *ctx, mdx_error *err);

/* Call fn with the FEFF blob of each cleanly built folder's table, or
 * when it has none of its first path (for reports: the FEFF version of
 * each folder's run; both decode without a table); fn returns non-zero to
 * stop. */
mdx_status mdx_store_each_folder_feff(mdx_store *s,
                                     int (*fn)(void *ctx, const void *blob,
                                               size_t size),
                                     void *ctx, mdx_error *err);

/* SQLite's integrity check; fills msg with its first complaint. */
mdx_status mdx_store_integrity(mdx_store *s, mdx_error *err);

/* Call fn for each stored path in (frame, atom, num) order with its
 * blobs; fn returns non-zero to stop. */
typedef struct mdx_path_blobs {
    int64_t id;
    long frame, atom;
    int num;
    const char *dir;
    const void *chi, *feff;
    size_t chi_size, feff_size;
    int nleg;                     /* the metadata the selection reads */
    double deg, reff;
    const char *type, *elements;  /* elements: type when they are alike */
    const char *kind;             /* the folder's: see mdx_folder_record */
    const void *table;            /* the folder's table, or NULL */
    size_t table_size;
} mdx_path_blobs;

mdx_status mdx_store_each_path(mdx_store *s,
                               int (*fn)(void *ctx, const mdx_path_blobs *p),
                               void *ctx, mdx_error *err);

/* Call fn(ctx, id, meta) for each path of a folder that built cleanly and
 * that may be selected, in (frame, atom, num) order. The SQL applies the
 * frame, atom, reff, nleg, type and absorber criteria loosely (per-type
 * reff limits, element types and keep are left to the caller: use
 * mdx_selection_matches). fn returns non-zero to stop. */
mdx_status mdx_store_select(mdx_store *s, const mdx_selection *sel,
                            int (*fn)(void *ctx, int64_t id,
                                      const mdx_path_meta *m),
                            void *ctx, mdx_error *err);

/* The two blobs of a path. */
enum mdx_blob { MDX_BLOB_CHI, MDX_BLOB_FEFF };

/* The id of path num of folder (frame, atom) by the (frame, atom, num)
 * index, or -1 when there is none. */
mdx_status mdx_store_path_id(mdx_store *s, long frame, long atom, int num,
                             int64_t *id, mdx_error *err);

/* Copy blob `which` of path `id` into out (empty when it has none). */
mdx_status mdx_store_blob(mdx_store *s, enum mdx_blob which, int64_t id,
                          mdx_buf *out, mdx_error *err);

/* Copy the table blob of folder (frame, atom) into out (empty when it
 * has none: its paths' blobs do not refer to one). */
mdx_status mdx_store_folder_table(mdx_store *s, long frame, long atom,
                                  mdx_buf *out, mdx_error *err);

/* Call fn with the chi.dat blob of each cleanly built folder whose frame
 * and atom the selection allows, in (frame, atom) order. */
mdx_status mdx_store_each_chidat(mdx_store *s, const mdx_selection *sel,
                                 int (*fn)(void *ctx, long frame, long atom,
                                           const char *dir, const void *blob,
                                           size_t size),
                                 void *ctx, mdx_error *err);

/* Copy every folder and path of the database `part` into s, in one
 * transaction. Refuses (changing nothing) when a folder of part is
 * already in s, by dir or by frame and atom. */
mdx_status mdx_store_merge_part(mdx_store *s, const char *part,
                                mdx_error *err);

/* The database file's size in bytes (pages in use times page size). */
int64_t mdx_store_size(mdx_store *s);

#endif
