/* mdexafs build: a FEFF tree into a chi database, in parallel, incremental
 * and crash-safe. */
#ifndef MDEXAFS_BUILD_H
#define MDEXAFS_BUILD_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "mdexafs/error.h"
#include "mdexafs/feff.h"
#include "mdexafs/api.h"

MDX_BEGIN_DECLS

/* What a build did, so far or in all. */
typedef struct mdx_build_stats {
    size_t folders;     /* folders in the tree */
    size_t todo;        /* folders that had to be read */
    size_t done;        /* of those, written so far */
    size_t added;       /* new folders stored */
    size_t replaced;    /* changed folders stored again */
    size_t touched;     /* files' times changed, content did not */
    size_t unchanged;   /* skipped on their recorded sizes and times */
    size_t removed;     /* folders gone from the tree, removed */
    size_t failed;      /* folders recorded as failed */
    size_t skipped;     /* folders not stored (same frame and atom as another) */
    size_t paths;       /* paths computed and stored */
    size_t paths_todo;  /* path files in the folders to read */
    size_t bad_files;   /* path files that could not be read or parsed */
    size_t bad_extras;  /* feff.inp and chi.dat files that could not: their
                           folders are stored, without them */
    double seconds;     /* since the build started */
    size_t missing;     /* folders gone from the tree but kept: the
                           database holds the only copy of their paths */
} mdx_build_stats;

/* How a build talks to its caller; every member may be NULL. Called from
 * one thread at a time. */
typedef struct mdx_build_hooks {
    void *ctx;
    void (*progress)(void *ctx, const mdx_build_stats *st);
    void (*problem)(void *ctx, const mdx_error *e);  /* bad file, folder */
    void (*note)(void *ctx, const char *msg);        /* e.g. a removal */
} mdx_build_hooks;

typedef struct mdx_build_options {
    const char *tree;       /* the FEFF tree */
    const char *db;         /* the database file */
    int threads;            /* 0: all cores */
    int rebuild;            /* start from an empty database */
    volatile sig_atomic_t *stop;  /* when it becomes non-zero, commit what
                                     is done and return MDX_ERR_STOPPED */
    int tables_only;        /* store the FEFF data only, no chi(k): about a
                               quarter of the size; queries compute chi */
    unsigned shard_index;   /* with shard_count > 0: build only shard */
    unsigned shard_count;   /* shard_index of shard_count (mdx_tree_shard) */
    enum mdx_prefer prefer; /* path files or feff.bin, where both are */
} mdx_build_options;

/* Build or update `o->db` from `o->tree`. Folders whose recorded file
 * sizes and times are unchanged are skipped; others are read, and stored
 * again unless their content hash is unchanged. Folders gone from the tree
 * are removed. Bad path files make their folder "failed" (reported through
 * hooks->problem) without stopping the build: the return value is MDX_OK
 * and stats->failed counts them. Errors that stop the build (unreadable
 * tree, database trouble) are returned; what was committed stays. */
MDX_API mdx_status mdx_build(const mdx_build_options *o, const mdx_build_hooks *hooks,
                             mdx_build_stats *stats, mdx_error *err);

/* ---- a build that takes folders as they are made (mdexafs feff --db) */
typedef struct mdx_builder mdx_builder;

/* Bring o->db up to date with o->tree as mdx_build does, but for the
 * folders of `later` (dirs relative to the tree, any order), left as they
 * are to be added when made; then keep the database open for
 * mdx_builder_add. *stats goes on counting what the adds do; it and
 * hooks must last until mdx_builder_close. */
MDX_API mdx_status mdx_builder_open(const mdx_build_options *o,
                                    const mdx_build_hooks *hooks,
                                    mdx_build_stats *stats,
                                    const char *const *later, size_t nlater,
                                    mdx_builder **out, mdx_error *err);

/* Store folder `dir` (relative to the tree) as mdx_build would store it
 * now, committed before it returns (to disk, with drop); or, with
 * `failure` non-NULL, record it as failed for that reason, unread. With
 * drop, a folder stored cleanly then loses its path files (its
 * feffNNNN.dat, feff.bin and feff.pad), once what the database file holds
 * has been read back and found equal to what was computed, listed first in
 * the folder's .mdexafs-dropped: the database is their only copy from then
 * on, and builds and freshness checks keep it so. A folder whose paths
 * were dropped before is not read again: what is left of them is removed
 * (a drop cut short). `why` gets "" when the folder was stored (and
 * dropped) cleanly, else why not: it failed (recorded so, unless the paths
 * stored before were dropped from it: those are kept), or was stored but
 * not (wholly) dropped. The return value is an error only when the
 * database could not take the folder. */
MDX_API mdx_status mdx_builder_add(mdx_builder *b, const char *dir,
                                   const char *failure, int drop, char *why,
                                   size_t size, mdx_error *err);

/* Record the quick evidence of the folders stored as they were changing,
 * then close; NULL-safe. Those stored in the last two seconds are left
 * without it: freshness checks compare their files one by one until the
 * next build records it. */
MDX_API void mdx_builder_close(mdx_builder *b);

/* Is a database up to date with its tree? */
enum mdx_freshness_state {
    MDX_FRESH, MDX_STALE, MDX_MISSING, MDX_DAMAGED, MDX_UNKNOWN
};

typedef struct mdx_freshness {
    enum mdx_freshness_state state;
    char detail[512];     /* "2 folders changed, 1 new, 0 gone", or why not */
    char tree[4096];      /* the tree compared with ("" if unknown) */
    enum mdx_prefer prefer; /* what the database reads folders with both
                               from (MDX_PREFER_RECORDED when unknown) */
} mdx_freshness;

/* How closely mdx_check_freshness looks. */
enum mdx_verify {
    /* O(folders): the tree's folders are listed (not their files), and
     * each folder's own mtime and the sizes and mtimes of its witnesses
     * (chi.dat, the first path file, the newest file) are compared with
     * the build's. Sees a folder added, removed or renamed, a file added,
     * removed or renamed in a folder, and a FEFF run again in place. A
     * folder whose record differs, or that has none (one that changed
     * within 2 s of its build), is compared file by file as
     * MDX_VERIFY_FILES does; the others are not listed. */
    MDX_VERIFY_FOLDERS,
    /* O(files): every file's size and mtime, as the build compares them;
     * sees also one path file edited in place (its size or mtime). Content
     * changed with size and mtime kept is found only by hashing: mdexafs
     * check --recompute. */
    MDX_VERIFY_FILES
};

/* "folders", "files" (NULL beyond the enum). */
MDX_API const char *mdx_verify_name(enum mdx_verify v);

/* Compare `db` with `tree` (NULL: the tree the database was built from):
 * MDX_FRESH when a build would change nothing, MDX_STALE when it would,
 * MDX_MISSING when there is no such file, MDX_DAMAGED when it cannot be
 * opened or read as an mdexafs database, MDX_UNKNOWN when the tree, or a
 * part of it, cannot be read (detail says what). A folder recorded as
 * failed is fresh while its files are unchanged (a query then stops or
 * skips it; a build tries it again). */
MDX_API void mdx_check_freshness(const char *db, const char *tree,
                                 enum mdx_verify verify, mdx_freshness *f);

/* ---- check: is a database whole, and does it hold what the files say? */
typedef struct mdx_check_report {
    int64_t paths;        /* paths looked at */
    int64_t bad_pages;    /* pages whose checksum does not match */
    int64_t bad_blobs;    /* paths whose stored data is damaged: a blob
                             that does not decode, FEFF data or chi(k)
                             missing, metadata that disagrees with it */
    int64_t recomputed;   /* paths recomputed from the source files */
    int64_t dropped;      /* paths chosen but not recomputed: their files
                             were dropped (mdexafs feff --drop-paths) */
    int64_t mismatched;   /* of those, with a different chi or table */
    double max_diff;      /* largest |chi difference| among recomputed */
    uint64_t digest;      /* hash of the decoded content, in path order:
                             equal digests mean equal databases */
    int64_t copies;       /* folders holding a path file twice: two files
                             whose "Path N" say the same N */
} mdx_check_report;

/* Verify every page's checksum, run SQLite's integrity check, decode
 * every blob (their own checksums), compare each path's metadata with its
 * stored FEFF data, find path files stored twice (two of a folder whose
 * "Path N" lines say the same N), and recompute `recompute` paths chosen at random
 * (seeded by `seed`) from the source tree recorded in the database. Each
 * problem goes to problem(); the return value is MDX_OK when the checks
 * could run at all, whatever they found. */
MDX_API mdx_status mdx_check(const char *db, size_t recompute, uint64_t seed,
                             void (*problem)(void *ctx, const mdx_error *e), void *ctx,
                             mdx_check_report *rep, mdx_error *err);

/* What database `db` holds, as lines of text to `out` (`mdexafs info`):
 * schema, source tree, k grid, chi parameters, folders (built, failed,
 * from feff.bin), frames, atoms and paths, the FEFF versions that made
 * them, each path type with its count and reff range, size on disk, and
 * the folders that failed to build, with why. */
MDX_API mdx_status mdx_describe(const char *db, FILE *out, mdx_error *err);

/* ---- merge: join databases built as shards of one tree. */
/* Write `out` (which must not exist) holding every folder of the n parts.
 * Refuses parts built from different trees or k grids, or whose folders
 * overlap, naming the part. `out` appears whole or not at all. */
MDX_API mdx_status mdx_merge(const char *const *parts, size_t n, const char *out,
                             mdx_error *err);

MDX_END_DECLS

#endif
