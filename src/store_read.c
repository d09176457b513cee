/* Reading the database: what the build recorded, reports, blobs, checks. */
#include <stdlib.h>
#include <string.h>

#include "store_private.h"

mdx_status mdx_store_sources(mdx_store *s, mdx_source_row **rows, size_t *n,
                             mdx_error *err)
{
    sqlite3_stmt *st;
    size_t cap = 0;
    *rows = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT dir, frame, atom, stamp, hash, error IS NOT "
                           "NULL FROM sources ORDER BY dir", -1, &st,
                           NULL) != SQLITE_OK)
        return store_error(s, err, "cannot read sources");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 256;
            mdx_source_row *nr = realloc(*rows, cap * sizeof *nr);
            if (!nr)
                break;
            *rows = nr;
        }
        mdx_source_row *r = &(*rows)[*n];
        r->dir = strdup((const char *)sqlite3_column_text(st, 0));
        r->frame = (long)sqlite3_column_int64(st, 1);
        r->atom = (long)sqlite3_column_int64(st, 2);
        r->stamp = (uint64_t)sqlite3_column_int64(st, 3);
        r->hash = (uint64_t)sqlite3_column_int64(st, 4);
        r->failed = sqlite3_column_int(st, 5);
        if (!r->dir)
            break;
        ++*n;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        mdx_store_free_sources(*rows, *n);
        *rows = NULL;
        *n = 0;
        return rc == SQLITE_ROW ? mdx_error_set(err, MDX_ERR_NOMEM, s->file, 0,
                                                "out of memory")
                                : store_error(s, err, "cannot read sources");
    }
    return MDX_OK;
}

void mdx_store_free_sources(mdx_source_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(rows[i].dir);
    free(rows);
}

static mdx_status prepare(mdx_store *s, const char *sql, sqlite3_stmt **st,
                          mdx_error *err)
{
    if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
        return store_error(s, err, "cannot read database");
    return MDX_OK;
}

/* Finish a statement stepped to its end (or stopped early, stopped != 0). */
static mdx_status finish(mdx_store *s, sqlite3_stmt *st, int rc, int stopped,
                         mdx_error *err)
{
    mdx_status result = (rc == SQLITE_DONE || stopped)
                            ? MDX_OK : store_error(s, err, "cannot read database");
    sqlite3_finalize(st);
    return result;
}

mdx_status mdx_store_summary_of(mdx_store *s, mdx_store_summary *sum,
                                mdx_error *err)
{
    sqlite3_stmt *st;
    mdx_status rc = prepare(s,
        "SELECT (SELECT count(*) FROM sources),"
        " (SELECT count(*) FROM sources WHERE error IS NOT NULL),"
        " (SELECT count(DISTINCT frame) FROM sources WHERE error IS NULL),"
        " (SELECT count(DISTINCT atom) FROM sources WHERE error IS NULL),"
        " (SELECT count(*) FROM paths), (SELECT count(*) FROM chi),"
        " (SELECT min(reff) FROM paths), (SELECT max(reff) FROM paths),"
        " (SELECT min(frame) FROM sources), (SELECT max(frame) FROM sources),"
        " (SELECT max(id) FROM paths)",
        &st, err);
    if (rc)
        return rc;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        sum->folders = sqlite3_column_int64(st, 0);
        sum->failed_folders = sqlite3_column_int64(st, 1);
        sum->frames = sqlite3_column_int64(st, 2);
        sum->atoms = sqlite3_column_int64(st, 3);
        sum->paths = sqlite3_column_int64(st, 4);
        sum->paths_with_chi = sqlite3_column_int64(st, 5);
        sum->reff_min = sqlite3_column_double(st, 6);
        sum->reff_max = sqlite3_column_double(st, 7);
        sum->frame_min = (long)sqlite3_column_int64(st, 8);
        sum->frame_max = (long)sqlite3_column_int64(st, 9);
        sum->max_path_id = sqlite3_column_int64(st, 10);
        step = SQLITE_DONE;
    }
    return finish(s, st, step, 0, err);
}

mdx_status mdx_store_each_type(mdx_store *s,
                               int (*fn)(void *ctx, const mdx_type_stat *t),
                               void *ctx, mdx_error *err)
{
    sqlite3_stmt *st;
    mdx_status rc = prepare(s,
        "SELECT type, min(nleg), count(*), min(reff), max(reff) FROM paths"
        " GROUP BY type ORDER BY count(*) DESC, type", &st, err);
    if (rc)
        return rc;
    int step, stop = 0;
    while (!stop && (step = sqlite3_step(st)) == SQLITE_ROW) {
        mdx_type_stat t = {
            (const char *)sqlite3_column_text(st, 0), sqlite3_column_int(st, 1),
            sqlite3_column_int64(st, 2), sqlite3_column_double(st, 3),
            sqlite3_column_double(st, 4)};
        stop = fn(ctx, &t);
    }
    return finish(s, st, step, stop, err);
}

mdx_status mdx_store_each_failed(mdx_store *s,
                                 int (*fn)(void *ctx, const char *dir,
                                           const char *error),
                                 void *ctx, mdx_error *err)
{
    sqlite3_stmt *st;
    mdx_status rc = prepare(s,
        "SELECT dir, error FROM sources WHERE error IS NOT NULL ORDER BY dir",
        &st, err);
    if (rc)
        return rc;
    int step, stop = 0;
    while (!stop && (step = sqlite3_step(st)) == SQLITE_ROW)
        stop = fn(ctx, (const char *)sqlite3_column_text(st, 0),
                  (const char *)sqlite3_column_text(st, 1));
    return finish(s, st, step, stop, err);
}

mdx_status mdx_store_integrity(mdx_store *s, mdx_error *err)
{
    sqlite3_stmt *st;
    mdx_status rc = prepare(s, "PRAGMA integrity_check", &st, err);
    if (rc)
        return rc;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        const char *msg = (const char *)sqlite3_column_text(st, 0);
        if (!msg || strcmp(msg, "ok") != 0) {
            rc = mdx_error_set(err, MDX_ERR_FORMAT, s->file, 0,
                               "SQLite integrity check: %s", msg ? msg : "?");
            sqlite3_finalize(st);
            return rc;
        }
        step = SQLITE_DONE;
    }
    return finish(s, st, step, 0, err);
}

mdx_status mdx_store_each_path(mdx_store *s,
                               int (*fn)(void *ctx, const mdx_path_blobs *p),
                               void *ctx, mdx_error *err)
{
    sqlite3_stmt *st;
    mdx_status rc = prepare(s,
        "SELECT p.id, p.frame, p.atom, p.num, s.dir, c.data, f.data"
        " FROM paths p JOIN sources s USING (frame, atom)"
        " LEFT JOIN chi c ON c.id = p.id LEFT JOIN feff f ON f.id = p.id"
        " ORDER BY p.frame, p.atom, p.num", &st, err);
    if (rc)
        return rc;
    int step, stop = 0;
    while (!stop && (step = sqlite3_step(st)) == SQLITE_ROW) {
        mdx_path_blobs p = {
            sqlite3_column_int64(st, 0), (long)sqlite3_column_int64(st, 1),
            (long)sqlite3_column_int64(st, 2), sqlite3_column_int(st, 3),
            (const char *)sqlite3_column_text(st, 4),
            sqlite3_column_blob(st, 5), sqlite3_column_blob(st, 6),
            (size_t)sqlite3_column_bytes(st, 5),
            (size_t)sqlite3_column_bytes(st, 6)};
        stop = fn(ctx, &p);
    }
    return finish(s, st, step, stop, err);
}

int64_t mdx_store_size(mdx_store *s)
{
    return store_int(s, "PRAGMA page_count") *
           store_int(s, "PRAGMA page_size");
}
