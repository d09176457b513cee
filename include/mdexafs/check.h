/* mdexafs check: is a database whole, and does it hold what the files say? */
#ifndef MDEXAFS_CHECK_H
#define MDEXAFS_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include "mdexafs/error.h"
#include "mdexafs/api.h"

MDX_BEGIN_DECLS

typedef struct mdx_check_report {
    int64_t paths;        /* paths looked at */
    int64_t bad_pages;    /* pages whose checksum does not match */
    int64_t bad_blobs;    /* blobs that did not decode (damaged) */
    int64_t recomputed;   /* paths recomputed from the source files */
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

MDX_END_DECLS

#endif
