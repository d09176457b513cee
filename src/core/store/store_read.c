/* Reading the database: what the build recorded, reports, blobs, checks. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/grow.h"
#include "store_private.h"

mdx_status mdx_store_sources(mdx_store *s, mdx_source_row **rows, size_t *n,
                             mdx_error *err)
{
    sqlite3_stmt *st;
    size_t cap = 0;
    *rows = NULL;
    *n = 0;
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT dir, frame, atom, stamp, hash, error IS NOT "
             "NULL, %s, %s FROM sources ORDER BY dir",
             s->has_quick ? "quick, witnesses" : "NULL, NULL",
             s->has_dropped ? "dropped IS NOT NULL" : "0");
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return mdx_store_error(s, err, "cannot read sources");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        mdx_source_row *grown = mdx_grow(*rows, &cap, *n + 1, sizeof *grown, 256);
        if (!grown)
            break;
        *rows = grown;
        mdx_source_row *r = &(*rows)[*n];
        r->dir = strdup((const char *)sqlite3_column_text(st, 0));
        r->frame = (long)sqlite3_column_int64(st, 1);
        r->atom = (long)sqlite3_column_int64(st, 2);
        r->stamp = (uint64_t)sqlite3_column_int64(st, 3);
        r->hash = (uint64_t)sqlite3_column_int64(st, 4);
        r->failed = sqlite3_column_int(st, 5);
        r->quick = (uint64_t)sqlite3_column_int64(st, 6);
        const char *w = (const char *)sqlite3_column_text(st, 7);
        r->witnesses = w ? strdup(w) : NULL;
        r->dropped = sqlite3_column_int(st, 8);
        if (!r->dir || (w && !r->witnesses)) {
            free(r->dir);
            free(r->witnesses);
            break;
        }
        ++*n;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        mdx_store_free_sources(*rows, *n);
        *rows = NULL;
        *n = 0;
        return rc == SQLITE_ROW ? mdx_error_set(err, MDX_ERR_NOMEM, s->file, 0,
                                                "out of memory")
                                : mdx_store_error(s, err, "cannot read sources");
    }
    return MDX_OK;
}

void mdx_store_free_sources(mdx_source_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(rows[i].dir);
        free(rows[i].witnesses);
    }
    free(rows);
}

static mdx_status prepare(mdx_store *s, const char *sql, sqlite3_stmt **st,
                          mdx_error *err)
{
    if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
        return mdx_store_error(s, err, "cannot read database");
    return MDX_OK;
}

/* Finish a statement stepped to its end (or stopped early, stopped != 0). */
static mdx_status finish(mdx_store *s, sqlite3_stmt *st, int rc, int stopped,
                         mdx_error *err)
{
    mdx_status result = (rc == SQLITE_DONE || stopped)
                            ? MDX_OK : mdx_store_error(s, err, "cannot read database");
    sqlite3_finalize(st);
    return result;
}

mdx_status mdx_store_summary_of(mdx_store *s, mdx_store_summary *sum,
                                mdx_error *err)
{
    sqlite3_stmt *st;
    char sql[1024];
    snprintf(sql, sizeof sql,
        "SELECT (SELECT count(*) FROM sources),"
        " (SELECT count(*) FROM sources WHERE error IS NOT NULL),"
        " (SELECT count(DISTINCT frame) FROM sources WHERE error IS NULL),"
        " (SELECT count(DISTINCT atom) FROM sources WHERE error IS NULL),"
        " (SELECT count(*) FROM paths), (SELECT count(*) FROM chi),"
        " (SELECT min(reff) FROM paths), (SELECT max(reff) FROM paths),"
        " (SELECT min(frame) FROM sources), (SELECT max(frame) FROM sources),"
        " (SELECT max(id) FROM paths),"
        " (SELECT count(*) FROM sources WHERE error IS NULL AND %s)",
        s->schema >= 2 ? "kind IS NOT NULL" : "0");
    mdx_status rc = prepare(s, sql, &st, err);
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
        sum->bin_folders = sqlite3_column_int64(st, 11);
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

/* Call fn for each row (frame, atom, dir, text) of a query of sources. */
static mdx_status each_source_row(mdx_store *s, const char *sql,
                                  int (*fn)(void *ctx, long frame, long atom,
                                            const char *dir, const char *text),
                                  void *ctx, mdx_error *err)
{
    sqlite3_stmt *st;
    mdx_status rc = prepare(s, sql, &st, err);
    if (rc)
        return rc;
    int step, stop = 0;
    while (!stop && (step = sqlite3_step(st)) == SQLITE_ROW)
        stop = fn(ctx, (long)sqlite3_column_int64(st, 0),
                  (long)sqlite3_column_int64(st, 1),
                  (const char *)sqlite3_column_text(st, 2),
                  (const char *)sqlite3_column_text(st, 3));
    return finish(s, st, step, stop, err);
}

mdx_status mdx_store_each_potentials(mdx_store *s,
                                     int (*fn)(void *ctx, long frame, long atom,
                                               const char *dir, const char *ref),
                                     void *ctx, mdx_error *err)
{
    return each_source_row(s, s->has_potentials
        ? "SELECT frame, atom, dir, potentials FROM sources WHERE error IS NULL"
          " ORDER BY frame, atom"
        : "SELECT frame, atom, dir, NULL FROM sources WHERE error IS NULL"
          " ORDER BY frame, atom", fn, ctx, err);
}

mdx_status mdx_store_each_failed(mdx_store *s,
                                 int (*fn)(void *ctx, long frame, long atom,
                                           const char *dir, const char *error),
                                 void *ctx, mdx_error *err)
{
    return each_source_row(s,
        "SELECT frame, atom, dir, error FROM sources WHERE error IS NOT NULL"
        " ORDER BY dir", fn, ctx, err);
}

mdx_status mdx_store_each_folder(mdx_store *s,
                                 int (*fn)(void *ctx, long frame, long atom,
                                           const char *dir,
                                           const char *element),
                                 void *ctx, mdx_error *err)
{
    return each_source_row(s,
        "SELECT frame, atom, dir, coalesce(element, '') FROM sources"
        " WHERE error IS NULL ORDER BY frame, atom", fn, ctx, err);
}

mdx_status mdx_store_each_folder_feff(mdx_store *s,
                                     int (*fn)(void *ctx, const void *blob,
                                               size_t size),
                                     void *ctx, mdx_error *err)
{
    sqlite3_stmt *st;
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT coalesce(%s, (SELECT data FROM feff "
             "WHERE id = (SELECT id FROM paths p WHERE p.frame = s.frame AND "
             "p.atom = s.atom ORDER BY num LIMIT 1))) FROM sources s WHERE "
             "error IS NULL ORDER BY frame, atom",
             s->schema >= 2 ? "s.tables" : "NULL");
    mdx_status rc = prepare(s, sql, &st, err);
    if (rc)
        return rc;
    int step, stop = 0;
    while (!stop && (step = sqlite3_step(st)) == SQLITE_ROW)
        if (sqlite3_column_type(st, 0) == SQLITE_BLOB)
            stop = fn(ctx, sqlite3_column_blob(st, 0),
                      (size_t)sqlite3_column_bytes(st, 0));
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
    char sql[512];
    snprintf(sql, sizeof sql,
        "SELECT p.id, p.frame, p.atom, p.num, s.dir, c.data, f.data,"
        " p.nleg, p.deg, p.reff, p.type, coalesce(p.elements, p.type), %s"
        " FROM paths p JOIN sources s USING (frame, atom)"
        " LEFT JOIN chi c ON c.id = p.id LEFT JOIN feff f ON f.id = p.id"
        " ORDER BY p.frame, p.atom, p.num",
        s->schema >= 2 ? "s.kind, s.tables" : "NULL, NULL");
    mdx_status rc = prepare(s, sql, &st, err);
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
            (size_t)sqlite3_column_bytes(st, 6),
            sqlite3_column_int(st, 7), sqlite3_column_double(st, 8),
            sqlite3_column_double(st, 9),
            (const char *)sqlite3_column_text(st, 10),
            (const char *)sqlite3_column_text(st, 11),
            (const char *)sqlite3_column_text(st, 12),
            sqlite3_column_blob(st, 13),
            (size_t)sqlite3_column_bytes(st, 13)};
        stop = fn(ctx, &p);
    }
    return finish(s, st, step, stop, err);
}

int64_t mdx_store_size(mdx_store *s)
{
    return mdx_store_int(s, "PRAGMA page_count") *
           mdx_store_int(s, "PRAGMA page_size");
}

/* Append to the SQL being built; 0 if it no longer fits. */
static int append(char *sql, size_t size, const char *text)
{
    size_t n = strlen(sql);
    return snprintf(sql + n, size - n, "%s", text) < (int)(size - n);
}

/* Append " AND column IN (?first, ...)" for n values. */
static int append_in(char *sql, size_t size, const char *column, size_t first,
                     size_t n)
{
    char num[32];
    int ok = append(sql, size, " AND ") && append(sql, size, column) &&
             append(sql, size, " IN (");
    for (size_t i = 0; ok && i < n; i++) {
        snprintf(num, sizeof num, "%s?%zu", i ? "," : "", first + i);
        ok = append(sql, size, num);
    }
    return ok && append(sql, size, ")");
}

/* " AND p.reff <= CASE p.type WHEN ?8 THEN ?r ... END": each type's own
 * distance cut-off, so that SQLite sorts only the rows that pass it
 * (the type names are placeholders 8.., their limits `first`..). */
static int append_type_limits(char *sql, size_t size, size_t ntypes,
                              size_t first)
{
    char part[64];
    int ok = append(sql, size, " AND p.reff <= CASE p.type");
    for (size_t i = 0; ok && i < ntypes; i++) {
        snprintf(part, sizeof part, " WHEN ?%zu THEN ?%zu", 8 + i, first + i);
        ok = append(sql, size, part);
    }
    return ok && append(sql, size, " END");
}

/* The WHERE clause for sel, with numbered placeholders: 1-7 fixed (see
 * bind_select), then the types from 8, then the atoms, then the types'
 * distance limits. */
static int select_where(const mdx_selection *sel, char *sql, size_t size)
{
    int ok = append(sql, size,
                    " WHERE s.error IS NULL AND p.frame BETWEEN ?1 AND ?2"
                    " AND p.reff BETWEEN ?3 AND ?4 AND p.nleg BETWEEN ?5 AND ?6");
    if (sel->absorber)
        ok = ok && append(sql, size, " AND s.element = ?7");
    if (sel->ntypes)
        ok = ok && append_in(sql, size, "p.type", 8, sel->ntypes);
    if (sel->natoms)
        ok = ok && append_in(sql, size, "p.atom", 8 + sel->ntypes, sel->natoms);
    if (sel->ntypes)
        ok = ok && append_type_limits(sql, size, sel->ntypes,
                                      8 + sel->ntypes + sel->natoms);
    return ok;
}

static void bind_select(sqlite3_stmt *st, const mdx_selection *sel)
{
    int n = 8;
    sqlite3_bind_int64(st, 1, sel->frame_min);
    sqlite3_bind_int64(st, 2, sel->frame_max);
    sqlite3_bind_double(st, 3, sel->reff_min);
    sqlite3_bind_double(st, 4, sel->reff_max);
    sqlite3_bind_int(st, 5, sel->nleg_min);
    sqlite3_bind_int(st, 6, sel->nleg_max);
    if (sel->absorber)
        sqlite3_bind_text(st, 7, sel->absorber, -1, SQLITE_STATIC);
    for (size_t i = 0; i < sel->ntypes; i++)
        sqlite3_bind_text(st, n++, sel->types[i].name, -1, SQLITE_STATIC);
    for (size_t i = 0; i < sel->natoms; i++)
        sqlite3_bind_int64(st, n++, sel->atoms[i]);
    for (size_t i = 0; i < sel->ntypes; i++)  /* INFINITY: no limit */
        sqlite3_bind_double(st, n++, sel->types[i].reff_max);
}

mdx_status mdx_store_select(mdx_store *s, const mdx_selection *sel,
                            int (*fn)(void *ctx, int64_t id,
                                      const mdx_path_meta *m),
                            void *ctx, mdx_error *err)
{
    char sql[16384] =
        "SELECT p.id, p.frame, p.atom, p.num, p.nleg, p.deg, p.reff, p.type,"
        " coalesce(p.elements, p.type), s.element, s.dir"
        " FROM paths p JOIN sources s ON s.frame = p.frame AND s.atom = p.atom";
    sqlite3_stmt *st;
    if (!select_where(sel, sql, sizeof sql) ||
        !append(sql, sizeof sql, " ORDER BY p.frame, p.atom, p.num"))
        return mdx_error_set(err, MDX_ERR_ARG, s->file, 0,
                             "selection too long (%zu types, %zu atoms)",
                             sel->ntypes, sel->natoms);
    mdx_status rc = prepare(s, sql, &st, err);
    if (rc)
        return rc;
    bind_select(st, sel);
    int step, stop = 0;
    while (!stop && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *absorber = (const char *)sqlite3_column_text(st, 9);
        mdx_path_meta m = {
            (long)sqlite3_column_int64(st, 1), (long)sqlite3_column_int64(st, 2),
            sqlite3_column_int(st, 3), sqlite3_column_int(st, 4),
            sqlite3_column_double(st, 5), sqlite3_column_double(st, 6),
            (const char *)sqlite3_column_text(st, 7),
            (const char *)sqlite3_column_text(st, 8),
            absorber ? absorber : "",
            (const char *)sqlite3_column_text(st, 10)};
        stop = fn(ctx, sqlite3_column_int64(st, 0), &m);
    }
    return finish(s, st, step, stop, err);
}

mdx_status mdx_store_path_id(mdx_store *s, long frame, long atom, int num,
                             int64_t *id, mdx_error *err)
{
    sqlite3_stmt *st;
    mdx_status rc = prepare(s, "SELECT id FROM paths WHERE frame = ?1 AND "
                               "atom = ?2 AND num = ?3", &st, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, frame);
    sqlite3_bind_int64(st, 2, atom);
    sqlite3_bind_int(st, 3, num);
    int step = sqlite3_step(st);
    *id = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        return mdx_store_error(s, err, "cannot read database");
    return MDX_OK;
}

/* Blobs are read through SQLite's incremental blob handles: one per
 * table, moved from row to row (a B-tree seek, no statement to run). */
mdx_status mdx_store_blob(mdx_store *s, enum mdx_blob which, int64_t id,
                          mdx_buf *out, mdx_error *err)
{
    static const char *const table[] = {[MDX_BLOB_CHI] = "chi",
                                        [MDX_BLOB_FEFF] = "feff"};
    sqlite3_blob **h = &s->blob[which];
    int rc = *h ? sqlite3_blob_reopen(*h, id)
                : sqlite3_blob_open(s->db, "main", table[which], "data", id, 0,
                                    h);
    out->len = 0;
    if (rc != SQLITE_OK) {
        int missing = rc == SQLITE_ERROR;  /* no such row: no blob */
        mdx_store_close_blobs(s);
        return missing ? MDX_OK : mdx_store_error(s, err, "cannot read a blob");
    }
    size_t n = (size_t)sqlite3_blob_bytes(*h);
    if (out->cap < n) {
        unsigned char *d = realloc(out->data, n);
        if (!d)
            return mdx_error_set(err, MDX_ERR_NOMEM, s->file, 0,
                                 "out of memory");
        out->data = d;
        out->cap = n;
    }
    if (sqlite3_blob_read(*h, out->data, (int)n, 0) != SQLITE_OK) {
        mdx_status st = mdx_store_error(s, err, "cannot read a blob");
        mdx_store_close_blobs(s);
        return st;
    }
    out->len = n;
    if (sqlite3_get_autocommit(s->db))
        mdx_store_close_blobs(s);  /* an open handle holds a read lock */
    return MDX_OK;
}

mdx_status mdx_store_folder_table(mdx_store *s, long frame, long atom,
                                  mdx_buf *out, mdx_error *err)
{
    sqlite3_stmt *st;
    out->len = 0;
    if (s->schema < 2)
        return MDX_OK;
    mdx_status rc = prepare(s, "SELECT tables FROM sources WHERE frame = ?1 "
                               "AND atom = ?2", &st, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, frame);
    sqlite3_bind_int64(st, 2, atom);
    int step = sqlite3_step(st);
    size_t n = step == SQLITE_ROW ? (size_t)sqlite3_column_bytes(st, 0) : 0;
    if (n > out->cap) {
        unsigned char *d = realloc(out->data, n);
        if (!d) {
            sqlite3_finalize(st);
            return mdx_error_set(err, MDX_ERR_NOMEM, s->file, 0,
                                 "out of memory");
        }
        out->data = d;
        out->cap = n;
    }
    if (n)
        memcpy(out->data, sqlite3_column_blob(st, 0), n);
    out->len = n;
    return finish(s, st, step == SQLITE_ROW ? SQLITE_DONE : step, 0, err);
}

mdx_status mdx_store_each_chidat(mdx_store *s, const mdx_selection *sel,
                                 int (*fn)(void *ctx, long frame, long atom,
                                           const char *dir, const void *blob,
                                           size_t size),
                                 void *ctx, mdx_error *err)
{
    sqlite3_stmt *st;
    mdx_status rc = prepare(s,
        "SELECT frame, atom, dir, chidat FROM sources WHERE error IS NULL"
        " AND frame BETWEEN ?1 AND ?2 ORDER BY frame, atom", &st, err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, sel->frame_min);
    sqlite3_bind_int64(st, 2, sel->frame_max);
    int step, stop = 0;
    while (!stop && (step = sqlite3_step(st)) == SQLITE_ROW) {
        long frame = (long)sqlite3_column_int64(st, 0);
        long atom = (long)sqlite3_column_int64(st, 1);
        if (mdx_selection_has_folder(sel, frame, atom))
            stop = fn(ctx, frame, atom, (const char *)sqlite3_column_text(st, 2),
                      sqlite3_column_blob(st, 3),
                      (size_t)sqlite3_column_bytes(st, 3));
    }
    return finish(s, st, step, stop, err);
}

int64_t mdx_store_shared_potentials(mdx_store *s, char *refs, size_t size)
{
    sqlite3_stmt *st;
    size_t n = 0;
    refs[0] = '\0';
    if (!s->has_potentials ||
        sqlite3_prepare_v2(s->db, "SELECT DISTINCT potentials FROM sources WHERE potentials "
                           "IS NOT NULL ORDER BY potentials", -1, &st, NULL) != SQLITE_OK)
        return 0;
    while (sqlite3_step(st) == SQLITE_ROW && n < size)
        n += (size_t)snprintf(refs + n, size - n, "%s%s", n ? ", " : "",
                              (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (n >= size && size > 4)
        snprintf(refs + size - 5, 5, "...");
    return mdx_store_int(s, "SELECT count(*) FROM sources WHERE potentials IS NOT NULL");
}

int64_t mdx_store_checks(mdx_store *s, mdx_chi_match *worst, double *e0_min)
{
    sqlite3_stmt *st;
    int64_t n = 0;
    if (!s->has_potentials ||
        sqlite3_prepare_v2(s->db, "SELECT count(*), max(check_raw), max(check_rfactor), "
                           "max(check_e0), min(check_e0) FROM sources WHERE check_raw IS "
                           "NOT NULL", -1, &st, NULL) != SQLITE_OK)
        return 0;
    if (sqlite3_step(st) == SQLITE_ROW && (n = sqlite3_column_int64(st, 0)) > 0) {
        worst->raw = sqlite3_column_double(st, 1);
        worst->rfactor = sqlite3_column_double(st, 2);
        worst->e0 = sqlite3_column_double(st, 3);
        *e0_min = sqlite3_column_double(st, 4);
    }
    sqlite3_finalize(st);
    return n;
}

int64_t mdx_store_dropped_count(mdx_store *s)
{
    return s->has_dropped
               ? mdx_store_int(s, "SELECT count(*) FROM sources WHERE dropped IS NOT NULL")
               : 0;
}
