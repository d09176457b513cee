/* What store.c and store_read.c share: the connection and its helpers. */
#ifndef MDX_STORE_PRIVATE_H
#define MDX_STORE_PRIVATE_H

#include <sqlite3.h>

#include "store.h"

#define NSTMT_MAX 16  /* prepared statements store.c keeps */

struct mdx_store {
    sqlite3 *db;
    char *file;
    int writable;
    int schema;        /* the file's schema version */
    int has_quick;     /* sources has the quick-evidence columns */
    int has_dropped;   /* sources has the column dropped */
    int has_potentials;   /* sources has the column potentials */
    int reads;         /* read transactions begun and not yet ended */
    sqlite3_stmt *stmt[NSTMT_MAX];
    sqlite3_blob *blob[2];  /* by enum mdx_blob, opened on first use */
};

/* Fill err from the connection's last error, prefixed by `what`. */
mdx_status mdx_store_error(mdx_store *s, mdx_error *err, const char *what);

/* Close the blob handles (before a transaction ends, or after an error). */
void mdx_store_close_blobs(mdx_store *s);

/* The first column of the first row of `sql` as an integer, or -1. */
int64_t mdx_store_int(mdx_store *s, const char *sql);

#endif
