/* Merging databases: copy a part's folders and paths into another
 * database, giving its paths new ids. */
#include <stdio.h>
#include <string.h>

#include "store_private.h"

/* The columns of a part's folders to copy: those every schema has, then
 * those a part of an older schema may lack (main has them all). */
static const char base_columns[] = "dir, frame, atom, nfiles, stamp, hash, "
                                   "error, element, x, y, z, chidat";
static const char *const later_columns[][2] = {
    {"quick", ", quick, witnesses"},
    {"kind", ", kind, tables"},
    {"dropped", ", dropped"},
    {"potentials", ", potentials"},
    {"check_raw", ", check_raw, check_rfactor, check_e0, check_amplitude"},
};

/* Copy the part's folders, with what its schema has of their columns. */
static mdx_status copy_sources(mdx_store *s, mdx_error *err)
{
    char columns[512], sql[1200], probe[128];
    snprintf(columns, sizeof columns, "%s", base_columns);
    for (size_t i = 0; i < sizeof later_columns / sizeof *later_columns; i++) {
        snprintf(probe, sizeof probe, "SELECT count(*) FROM pragma_table_info"
                 "('sources', 'part') WHERE name = '%s'", later_columns[i][0]);
        if (mdx_store_int(s, probe) == 1)
            strcat(columns, later_columns[i][1]);
    }
    snprintf(sql, sizeof sql, "INSERT INTO main.sources(%s) SELECT %s FROM "
             "part.sources ORDER BY id", columns, columns);
    if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return mdx_store_error(s, err, "cannot copy part");
    return MDX_OK;
}

static const char *const copy_sql[] = {
    "INSERT INTO main.paths(frame, atom, num, nleg, deg, reff, type, elements)"
    " SELECT frame, atom, num, nleg, deg, reff, type, elements FROM part.paths"
    " ORDER BY id",
    "INSERT INTO main.chi(id, data) SELECT m.id, c.data FROM part.chi c"
    " JOIN part.paths p ON p.id = c.id JOIN main.paths m"
    " ON m.frame = p.frame AND m.atom = p.atom AND m.num = p.num ORDER BY m.id",
    "INSERT INTO main.feff(id, data) SELECT m.id, f.data FROM part.feff f"
    " JOIN part.paths p ON p.id = f.id JOIN main.paths m"
    " ON m.frame = p.frame AND m.atom = p.atom AND m.num = p.num ORDER BY m.id",
};

/* The first folder of part already in main, into buf ("" if none). */
static mdx_status overlap(mdx_store *s, char *buf, size_t size, mdx_error *err)
{
    sqlite3_stmt *st;
    buf[0] = '\0';
    if (sqlite3_prepare_v2(s->db,
                           "SELECT p.dir FROM part.sources p JOIN main.sources m"
                           " ON m.dir = p.dir OR (m.frame = p.frame AND"
                           " m.atom = p.atom) LIMIT 1", -1, &st, NULL) != SQLITE_OK)
        return mdx_store_error(s, err, "cannot read part");
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        snprintf(buf, size, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return mdx_store_error(s, err, "cannot read part");
    return MDX_OK;
}

mdx_status mdx_store_merge_part(mdx_store *s, const char *part, mdx_error *err)
{
    sqlite3_stmt *st;
    char dir[1024];
    if (sqlite3_prepare_v2(s->db, "ATTACH DATABASE ?1 AS part", -1, &st, NULL)
        != SQLITE_OK)
        return mdx_store_error(s, err, "cannot attach");
    sqlite3_bind_text(st, 1, part, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return mdx_error_set(err, MDX_ERR_IO, part, 0, "cannot attach: %s",
                             sqlite3_errmsg(s->db));
    mdx_status result = overlap(s, dir, sizeof dir, err);
    if (result == MDX_OK && dir[0])
        result = mdx_error_set(err, MDX_ERR_ARG, part, 0,
                               "folder %s (or its frame and atom) is in an "
                               "earlier part too: parts overlap", dir);
    if (result == MDX_OK)
        result = mdx_store_begin(s, err);
    if (result == MDX_OK)
        result = copy_sources(s, err);
    for (size_t i = 0; result == MDX_OK && i < sizeof copy_sql / sizeof *copy_sql; i++)
        if (sqlite3_exec(s->db, copy_sql[i], NULL, NULL, NULL) != SQLITE_OK)
            result = mdx_store_error(s, err, "cannot copy part");
    if (result == MDX_OK)
        result = mdx_store_commit(s, err);
    if (result)
        mdx_store_rollback(s);
    sqlite3_exec(s->db, "DETACH DATABASE part", NULL, NULL, NULL);
    return result;
}
