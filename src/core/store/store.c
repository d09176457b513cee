/* The SQLite database: schema, versions, transactions and every statement.
 *
 * Schema 2 (schema 1 lacks the columns kind and tables, and before the
 * quick check also quick and witnesses):
 *   meta(key, value)        schema_version, tool_version, root, k grid, ...
 *   sources(...)            one row per frame/atom folder: what was read
 *                           (file count, stamp of names/sizes/mtimes,
 *                           content hash), the absorber, chi.dat, error,
 *                           and the quick evidence: the stamp of the
 *                           folder's mtime and of its witness files
 *                           (added to older schema-1 files when written);
 *                           kind: what its paths were read from (NULL:
 *                           feffNNNN.dat files, else "feff.bin" or
 *                           "feff.pad"); tables: the table columns its
 *                           paths share, as a FEFF blob (see codec.h);
 *                           dropped: 1 when its path files were removed
 *                           once stored (the database their only copy;
 *                           added to older files when written);
 *                           potentials: the folder whose potentials its
 *                           FEFF run used (mdexafs feff --potentials=once),
 *                           NULL for its own; check_raw, check_rfactor,
 *                           check_e0, check_amplitude: what that cost it,
 *                           when it was also run in full (mdexafs feff
 *                           --check; mdx_chi_match_e0), else NULL (all
 *                           added as dropped is)
 *   paths(...)              metadata of each path, indexed for selection;
 *                           elements is NULL when it equals type
 *   chi(id, data)           chi(k) blob of path id on the meta k grid
 *   feff(id, data)          FEFF data blob of path id (legs and table)
 * Blobs live apart from paths so that scanning metadata reads no blob. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "store_private.h"
#include "mdexafs/output.h"
#include "store_vfs.h"

#define APPLICATION_ID 0x4d445846  /* "MDXF" in PRAGMA application_id */

/* Prepared statements, by job. */
enum {
    ST_GET_META, ST_SET_META, ST_DEL_CHI, ST_DEL_FEFF, ST_DEL_PATHS,
    ST_DEL_SOURCE, ST_INS_SOURCE, ST_INS_PATH, ST_INS_CHI, ST_INS_FEFF,
    ST_TOUCH, ST_FIND_SOURCE, ST_MARK_DROPPED, NSTMT
};
_Static_assert(NSTMT <= NSTMT_MAX, "raise NSTMT_MAX");

static const char *const stmt_sql[NSTMT] = {
    [ST_GET_META] = "SELECT value FROM meta WHERE key = ?1",
    [ST_SET_META] = "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)",
    [ST_DEL_CHI] = "DELETE FROM chi WHERE id IN "
                   "(SELECT id FROM paths WHERE frame = ?1 AND atom = ?2)",
    [ST_DEL_FEFF] = "DELETE FROM feff WHERE id IN "
                    "(SELECT id FROM paths WHERE frame = ?1 AND atom = ?2)",
    [ST_DEL_PATHS] = "DELETE FROM paths WHERE frame = ?1 AND atom = ?2",
    [ST_DEL_SOURCE] = "DELETE FROM sources WHERE frame = ?1 AND atom = ?2 "
                      "OR dir = ?3",
    [ST_INS_SOURCE] = "INSERT INTO sources(dir, frame, atom, nfiles, stamp, "
                      "hash, error, element, x, y, z, chidat, quick, "
                      "witnesses, kind, tables, potentials, check_raw, "
                      "check_rfactor, check_e0, check_amplitude) VALUES (?1, ?2, "
                      "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
                      "?16, ?17, ?18, ?19, ?20, ?21)",
    [ST_INS_PATH] = "INSERT INTO paths(frame, atom, num, nleg, deg, reff, "
                    "type, elements) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [ST_INS_CHI] = "INSERT INTO chi(id, data) VALUES (?1, ?2)",
    [ST_INS_FEFF] = "INSERT INTO feff(id, data) VALUES (?1, ?2)",
    [ST_TOUCH] = "UPDATE sources SET stamp = ?2, quick = ?3, witnesses = ?4 "
                 "WHERE dir = ?1",
    [ST_FIND_SOURCE] = "SELECT frame, atom FROM sources WHERE dir = ?1",
    [ST_MARK_DROPPED] = "UPDATE sources SET dropped = 1 WHERE dir = ?1",
};

static const char schema_sql[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
    "CREATE TABLE sources("
    "  id INTEGER PRIMARY KEY, dir TEXT NOT NULL UNIQUE,"
    "  frame INTEGER NOT NULL, atom INTEGER NOT NULL,"
    "  nfiles INTEGER NOT NULL, stamp INTEGER NOT NULL, hash INTEGER NOT NULL,"
    "  error TEXT, element TEXT, x REAL, y REAL, z REAL, chidat BLOB,"
    "  quick INTEGER, witnesses TEXT, kind TEXT, tables BLOB, dropped INTEGER,"
    "  potentials TEXT, check_raw REAL, check_rfactor REAL, check_e0 REAL,"
    "  check_amplitude REAL,"
    "  UNIQUE(frame, atom));"
    "CREATE TABLE paths("
    "  id INTEGER PRIMARY KEY, frame INTEGER NOT NULL, atom INTEGER NOT NULL,"
    "  num INTEGER NOT NULL, nleg INTEGER NOT NULL, deg REAL NOT NULL,"
    "  reff REAL NOT NULL, type TEXT NOT NULL, elements TEXT);"
    "CREATE UNIQUE INDEX paths_folder ON paths(frame, atom, num);"
    "CREATE INDEX paths_type ON paths(type, reff);"
    "CREATE TABLE chi(id INTEGER PRIMARY KEY, data BLOB NOT NULL);"
    "CREATE TABLE feff(id INTEGER PRIMARY KEY, data BLOB NOT NULL);"
    "CREATE VIEW atoms AS SELECT frame, atom, element, x, y, z FROM sources"
    "  WHERE error IS NULL;";

mdx_status mdx_store_error(mdx_store *s, mdx_error *err, const char *what)
{
    if (sqlite3_extended_errcode(s->db) == SQLITE_IOERR_DATA)
        return mdx_error_set(err, MDX_ERR_FORMAT, s->file, 0,
                             "%s: a page of the database is damaged (its "
                             "checksum does not match)", what);
    int code = sqlite3_errcode(s->db);
    mdx_status st = code == SQLITE_NOMEM ? MDX_ERR_NOMEM
                  : (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
                      ? MDX_ERR_FORMAT : MDX_ERR_IO;
    return mdx_error_set(err, st, s->file, 0, "%s: %s", what,
                         sqlite3_errmsg(s->db));
}

static mdx_status exec(mdx_store *s, const char *sql, mdx_error *err)
{
    if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return mdx_store_error(s, err, "database error");
    return MDX_OK;
}

/* A prepared statement, reset and unbound, ready for new bindings. */
static sqlite3_stmt *stmt(mdx_store *s, int which)
{
    sqlite3_stmt *st = s->stmt[which];
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return st;
}

/* Step a statement that returns no rows. */
static mdx_status run(mdx_store *s, sqlite3_stmt *st, mdx_error *err)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return mdx_store_error(s, err, "database write failed");
    return MDX_OK;
}

int64_t mdx_store_int(mdx_store *s, const char *sql)
{
    sqlite3_stmt *st;
    int64_t v = -1;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* A new database: schema and meta. 32 KB pages hold ten ~3 KB chi blobs
 * with little left over (4 KB pages would waste a quarter of each); each
 * keeps 8 bytes for its checksum (store_vfs.c). */
static mdx_status create_schema(mdx_store *s, mdx_error *err)
{
    char sql[256];
    int reserve = MDX_PAGE_CHECKSUM_BYTES;
    mdx_status st;
    if ((st = exec(s, "PRAGMA page_size = 32768", err)))
        return st;
    if (sqlite3_file_control(s->db, "main", SQLITE_FCNTL_RESERVE_BYTES,
                             &reserve) != SQLITE_OK)
        return mdx_store_error(s, err, "cannot reserve page checksums");
    snprintf(sql, sizeof sql,
             "PRAGMA application_id = %d; PRAGMA user_version = %d;",
             APPLICATION_ID, MDX_SCHEMA_VERSION);
    if ((st = exec(s, sql, err)) || (st = exec(s, "BEGIN", err)))
        return st;
    if ((st = exec(s, schema_sql, err))) {
        mdx_store_rollback(s);
        return st;
    }
    snprintf(sql, sizeof sql,
             "INSERT INTO meta VALUES ('schema_version', '%d');",
             MDX_SCHEMA_VERSION);
    if ((st = exec(s, sql, err)) || (st = exec(s, "COMMIT", err))) {
        mdx_store_rollback(s);
        return st;
    }
    return MDX_OK;
}

/* Is this a database we can use? Older schemas are read as they are
 * and upgraded when opened for writing. */
static mdx_status check_schema(mdx_store *s, mdx_error *err)
{
    int64_t app = mdx_store_int(s, "PRAGMA application_id");
    if (app < 0)
        return mdx_store_error(s, err, "cannot read database");
    if (app != APPLICATION_ID)
        return mdx_error_set(err, MDX_ERR_FORMAT, s->file, 0,
                             "not an mdexafs database");
    int64_t version = mdx_store_int(s, "PRAGMA user_version");
    if (version > MDX_SCHEMA_VERSION)
        return mdx_error_set(err, MDX_ERR_FORMAT, s->file, 0,
                             "made by a newer mdexafs (schema %lld, this one "
                             "knows %d at most): upgrade mdexafs",
                             (long long)version, MDX_SCHEMA_VERSION);
    if (version < 1) {
        mdx_error_set(err, MDX_ERR_FORMAT, s->file, 0, "schema %lld is older "
                      "than any this mdexafs reads: rebuild it",
                      (long long)version);
        return mdx_error_advise(err, MDX_REMEDY_REBUILD);
    }
    s->schema = (int)version;
    return MDX_OK;
}

/* Statements only a writer runs (a reader of an older file may lack the
 * columns they name). */
static int writes(int which)
{
    return which != ST_GET_META && which != ST_FIND_SOURCE;
}

static int has_column(mdx_store *s, const char *name)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM pragma_table_info("
             "'sources') WHERE name = '%s'", name);
    return mdx_store_int(s, sql) == 1;
}

/* Bring a schema-1 file opened for writing to the current schema, in one
 * transaction: a crash leaves it whole at one version or the other. */
static mdx_status upgrade(mdx_store *s, mdx_error *err)
{
    char sql[128];
    mdx_status st = exec(s, "BEGIN IMMEDIATE", err);
    if (st == MDX_OK && !has_column(s, "quick"))
        st = exec(s, "ALTER TABLE sources ADD COLUMN quick INTEGER;"
                     "ALTER TABLE sources ADD COLUMN witnesses TEXT;", err);
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d; INSERT OR REPLACE "
             "INTO meta VALUES ('schema_version', '%d');", MDX_SCHEMA_VERSION,
             MDX_SCHEMA_VERSION);
    if (st == MDX_OK)
        st = exec(s, "ALTER TABLE sources ADD COLUMN kind TEXT;"
                     "ALTER TABLE sources ADD COLUMN tables BLOB;", err);
    if (st == MDX_OK)
        st = exec(s, sql, err);
    if (st == MDX_OK)
        st = exec(s, "COMMIT", err);
    if (st)
        mdx_store_rollback(s);
    else
        s->schema = MDX_SCHEMA_VERSION;
    return st;
}

/* Check the schema; upgrade an older one when writing (and add the
 * columns dropped and potentials, which files of schema 2 may lack).
 * What the file's sources table has is in s->has_quick, s->has_dropped,
 * s->has_potentials and s->schema. */
static mdx_status settle_schema(mdx_store *s, mdx_error *err)
{
    mdx_status st = check_schema(s, err);
    if (st == MDX_OK && s->writable && s->schema < MDX_SCHEMA_VERSION)
        st = upgrade(s, err);
    static const char *const later[][2] = {
        {"dropped", "INTEGER"}, {"potentials", "TEXT"}, {"check_raw", "REAL"},
        {"check_rfactor", "REAL"}, {"check_e0", "REAL"}, {"check_amplitude", "REAL"}};
    char sql[128];
    for (size_t i = 0; i < sizeof later / sizeof *later; i++)
        if (st == MDX_OK && s->writable && !has_column(s, later[i][0])) {
            snprintf(sql, sizeof sql, "ALTER TABLE sources ADD COLUMN %s %s", later[i][0],
                     later[i][1]);
            st = exec(s, sql, err);
        }
    s->has_quick = has_column(s, "quick");
    s->has_dropped = has_column(s, "dropped");
    s->has_potentials = has_column(s, "potentials") && has_column(s, "check_amplitude");
    return st;
}

/* A writer killed in a transaction leaves a "hot" journal, which only
 * a connection that may write can roll back: open one to do it, so that
 * a reader sees the file as it was before that transaction. 1 if done. */
static int roll_back_hot_journal(const char *file)
{
    sqlite3 *db;
    int ok = sqlite3_open_v2(file, &db, SQLITE_OPEN_READWRITE,
                             mdx_store_vfs()) ==
                 SQLITE_OK &&
             sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema", NULL,
                          NULL, NULL) == SQLITE_OK;
    sqlite3_close(db);
    return ok;
}

mdx_status mdx_store_open(const char *file, enum mdx_store_mode mode,
                          mdx_store **out, mdx_error *err)
{
    mdx_status st;
    mdx_store *s = calloc(1, sizeof *s);
    *out = NULL;
    if (!s || !(s->file = strdup(file))) {
        free(s);
        return mdx_error_set(err, MDX_ERR_NOMEM, file, 0, "out of memory");
    }
    struct stat sb;
    if (stat(file, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        st = mdx_error_set(err, MDX_ERR_IO, file, 0, "is a folder, not a "
                           "database");
        mdx_store_close(s);
        return st;
    }
    s->writable = mode == MDX_STORE_WRITE;
    int flags = s->writable ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                            : SQLITE_OPEN_READONLY;
    if (sqlite3_open_v2(file, &s->db, flags | SQLITE_OPEN_NOMUTEX,
                        mode == MDX_STORE_RAW ? NULL : mdx_store_vfs())
        != SQLITE_OK) {
        st = mdx_error_set(err, MDX_ERR_IO, file, 0, "cannot open: %s",
                           s->db ? sqlite3_errmsg(s->db) : "out of memory");
        mdx_store_close(s);
        return st;
    }
    sqlite3_busy_timeout(s->db, 10000);
    sqlite3_extended_result_codes(s->db, 0);
    int64_t tables = mdx_store_int(s, "SELECT count(*) FROM sqlite_schema");
    if (tables < 0 && !s->writable &&
        sqlite3_extended_errcode(s->db) == SQLITE_READONLY_ROLLBACK &&
        roll_back_hot_journal(file))
        tables = mdx_store_int(s, "SELECT count(*) FROM sqlite_schema");
    char data[256];
    if (tables < 0) {
        st = sqlite3_errcode(s->db) != SQLITE_NOTADB
                 ? mdx_store_error(s, err, "cannot read database")
             : mdx_columns_sniff(file, data, sizeof data)
                 ? mdx_error_set(err, MDX_ERR_FORMAT, file, 0, "a data file "
                                 "(%s), not an mdexafs database", data)
                 : mdx_error_set(err, MDX_ERR_FORMAT, file, 0,
                                 "not an mdexafs database (not SQLite)");
        mdx_store_close(s);
        return st;
    }
    if ((tables == 0 && s->writable && (st = create_schema(s, err))) ||
        (st = settle_schema(s, err)) ||
        (s->writable &&
         (st = exec(s, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL",
                    err)))) {
        mdx_store_close(s);
        return st;
    }
    for (int i = 0; i < NSTMT; i++)
        if ((s->writable || !writes(i)) && sqlite3_prepare_v3(s->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
                               &s->stmt[i], NULL) != SQLITE_OK) {
            st = mdx_store_error(s, err, "database schema is damaged");
            mdx_store_close(s);
            return st;
        }
    *out = s;
    return MDX_OK;
}

mdx_status mdx_store_durable(mdx_store *s, mdx_error *err)
{
    return exec(s, "PRAGMA synchronous = FULL", err);
}

int mdx_store_schema(const mdx_store *s)
{
    return s->schema;
}

void mdx_store_close_blobs(mdx_store *s)
{
    for (int i = 0; i < 2; i++) {
        sqlite3_blob_close(s->blob[i]);
        s->blob[i] = NULL;
    }
}

void mdx_store_close(mdx_store *s)
{
    if (!s)
        return;
    for (int i = 0; i < NSTMT; i++)
        sqlite3_finalize(s->stmt[i]);
    mdx_store_close_blobs(s);
    if (s->db && s->writable)  /* fold the WAL back: one self-contained file */
        sqlite3_exec(s->db, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
    sqlite3_close(s->db);
    free(s->file);
    free(s);
}

mdx_status mdx_store_begin(mdx_store *s, mdx_error *err)
{
    return exec(s, "BEGIN IMMEDIATE", err);
}

mdx_status mdx_store_commit(mdx_store *s, mdx_error *err)
{
    return exec(s, "COMMIT", err);
}

mdx_status mdx_store_read_begin(mdx_store *s, mdx_error *err)
{
    if (s->reads++ > 0)
        return MDX_OK;  /* a query inside a query (a Lua callback's) */
    mdx_status st = exec(s, "BEGIN DEFERRED", err);
    if (st)
        s->reads = 0;
    return st;
}

void mdx_store_read_end(mdx_store *s)
{
    if (s->reads == 0 || --s->reads > 0)
        return;
    mdx_store_close_blobs(s);
    sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
}

void mdx_store_rollback(mdx_store *s)
{
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

mdx_status mdx_store_set_meta(mdx_store *s, const char *key,
                              const char *value, mdx_error *err)
{
    sqlite3_stmt *st = stmt(s, ST_SET_META);
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    return run(s, st, err);
}

mdx_status mdx_store_get_meta(mdx_store *s, const char *key, char *buf,
                              size_t size, mdx_error *err)
{
    sqlite3_stmt *st = stmt(s, ST_GET_META);
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    const unsigned char *v = rc == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
    snprintf(buf, size, "%s", v ? (const char *)v : "");
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return mdx_store_error(s, err, "cannot read meta");
    return MDX_OK;
}

static void bind_blob(sqlite3_stmt *st, int i, const mdx_buf *b)
{
    if (b->len)
        sqlite3_bind_blob(st, i, b->data, (int)b->len, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

/* Delete the rows of folder (frame, atom) and of `dir`. */
static mdx_status delete_rows(mdx_store *s, long frame, long atom,
                              const char *dir, mdx_error *err)
{
    static const int order[] = {ST_DEL_CHI, ST_DEL_FEFF, ST_DEL_PATHS,
                                ST_DEL_SOURCE};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        sqlite3_stmt *st = stmt(s, order[i]);
        sqlite3_bind_int64(st, 1, frame);
        sqlite3_bind_int64(st, 2, atom);
        if (order[i] == ST_DEL_SOURCE)
            sqlite3_bind_text(st, 3, dir, -1, SQLITE_STATIC);
        mdx_status rc = run(s, st, err);
        if (rc)
            return rc;
    }
    return MDX_OK;
}

static mdx_status insert_path(mdx_store *s, const mdx_folder_record *r,
                              const mdx_stored_path *p, mdx_error *err)
{
    sqlite3_stmt *st = stmt(s, ST_INS_PATH);
    sqlite3_bind_int64(st, 1, r->frame);
    sqlite3_bind_int64(st, 2, r->atom);
    sqlite3_bind_int(st, 3, p->num);
    sqlite3_bind_int(st, 4, p->nleg);
    sqlite3_bind_double(st, 5, p->deg);
    sqlite3_bind_double(st, 6, p->reff);
    sqlite3_bind_text(st, 7, p->type, -1, SQLITE_STATIC);
    if (strcmp(p->elements, p->type) != 0)  /* NULL: same as type */
        sqlite3_bind_text(st, 8, p->elements, -1, SQLITE_STATIC);
    mdx_status rc = run(s, st, err);
    if (rc)
        return rc;
    sqlite3_int64 id = sqlite3_last_insert_rowid(s->db);
    if (p->chi.len) {
        st = stmt(s, ST_INS_CHI);
        sqlite3_bind_int64(st, 1, id);
        bind_blob(st, 2, &p->chi);
        if ((rc = run(s, st, err)))
            return rc;
    }
    st = stmt(s, ST_INS_FEFF);
    sqlite3_bind_int64(st, 1, id);
    bind_blob(st, 2, &p->feff);
    return run(s, st, err);
}

mdx_status mdx_store_put_folder(mdx_store *s, const mdx_folder_record *r,
                                mdx_error *err)
{
    mdx_status rc;
    sqlite3_stmt *st = stmt(s, ST_FIND_SOURCE);
    long old_frame = r->frame, old_atom = r->atom;
    sqlite3_bind_text(st, 1, r->dir, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {  /* the folder was renumbered? */
        old_frame = (long)sqlite3_column_int64(st, 0);
        old_atom = (long)sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    if ((rc = delete_rows(s, old_frame, old_atom, r->dir, err)) ||
        (rc = delete_rows(s, r->frame, r->atom, r->dir, err)))
        return rc;

    st = stmt(s, ST_INS_SOURCE);
    sqlite3_bind_text(st, 1, r->dir, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, r->frame);
    sqlite3_bind_int64(st, 3, r->atom);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)r->nfiles);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)r->stamp);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)r->hash);
    if (r->error)
        sqlite3_bind_text(st, 7, r->error, -1, SQLITE_STATIC);
    if (r->element[0])
        sqlite3_bind_text(st, 8, r->element, -1, SQLITE_STATIC);
    if (r->has_position)
        for (int i = 0; i < 3; i++)
            sqlite3_bind_double(st, 9 + i, r->position[i]);
    bind_blob(st, 12, &r->chidat);
    if (r->quick) {
        sqlite3_bind_int64(st, 13, (sqlite3_int64)r->quick);
        sqlite3_bind_text(st, 14, r->witnesses, -1, SQLITE_STATIC);
    }
    if (r->kind)
        sqlite3_bind_text(st, 15, r->kind, -1, SQLITE_STATIC);
    bind_blob(st, 16, &r->table);
    if (r->potentials)
        sqlite3_bind_text(st, 17, r->potentials, -1, SQLITE_STATIC);
    if (r->checked) {
        const double v[4] = {r->check.raw, r->check.rfactor, r->check.e0, r->check.amplitude};
        for (int i = 0; i < 4; i++)
            sqlite3_bind_double(st, 18 + i, v[i]);
    }
    if ((rc = run(s, st, err)))
        return rc;
    for (size_t i = 0; i < r->npaths; i++)
        if ((rc = insert_path(s, r, &r->paths[i], err)))
            return rc;
    return MDX_OK;
}

mdx_status mdx_store_touch_folder(mdx_store *s, const mdx_folder_record *r,
                                  mdx_error *err)
{
    sqlite3_stmt *st = stmt(s, ST_TOUCH);
    sqlite3_bind_text(st, 1, r->dir, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)r->stamp);
    if (r->quick) {
        sqlite3_bind_int64(st, 3, (sqlite3_int64)r->quick);
        sqlite3_bind_text(st, 4, r->witnesses, -1, SQLITE_STATIC);
    }
    return run(s, st, err);
}

mdx_status mdx_store_mark_dropped(mdx_store *s, const char *dir, mdx_error *err)
{
    sqlite3_stmt *st = stmt(s, ST_MARK_DROPPED);
    sqlite3_bind_text(st, 1, dir, -1, SQLITE_STATIC);
    return run(s, st, err);
}

mdx_status mdx_store_delete_folder(mdx_store *s, const char *dir,
                                   mdx_error *err)
{
    sqlite3_stmt *st = stmt(s, ST_FIND_SOURCE);
    sqlite3_bind_text(st, 1, dir, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    long frame = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
    long atom = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 1) : -1;
    sqlite3_reset(st);
    return delete_rows(s, frame, atom, dir, err);
}
