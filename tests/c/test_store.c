/* Opening databases: clear refusals for anything that is not ours. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "mdexafs/check.h"
#include "mdexafs/store.h"
#include "testutil.h"

static void expect_refusal(const char *file, mdx_status code, const char *words)
{
    mdx_store *s;
    mdx_error err;
    mdx_status st = mdx_store_open(file, MDX_STORE_READ, &s, &err);
    if (st == MDX_OK) {
        mdx_store_close(s);
        fail_msg("opened %s", file);
    }
    assert_int_equal(st, code);
    assert_string_equal(err.file, file);
    if (!strstr(err.msg, words))
        fail_msg("'%s' does not say '%s'", err.msg, words);
}

static void sql(const char *db, const char *statement)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "sqlite3 '%s' \"%s\"", db, statement);
    assert_int_equal(system(cmd), 0);
}

static void test_refuses_what_is_not_ours(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    char path[256];
    expect_refusal("/nonexistent/chi.db", MDX_ERR_IO, "cannot open");
    expect_refusal(data_path("README.md"), MDX_ERR_FORMAT,
                   "not an mdexafs database (not SQLite)");
    snprintf(path, sizeof path, "%s/other.db", dir);
    sql(path, "CREATE TABLE t(x);");
    expect_refusal(path, MDX_ERR_FORMAT, "not an mdexafs database");
    remove_tree(dir);
}

static void test_schema_versions(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    char path[256];
    mdx_store *s;
    mdx_error err;
    snprintf(path, sizeof path, "%s/chi.db", dir);
    assert_int_equal(mdx_store_open(path, MDX_STORE_WRITE, &s, &err), MDX_OK);
    mdx_store_close(s);
    assert_int_equal(mdx_store_open(path, MDX_STORE_READ, &s, &err), MDX_OK);
    mdx_store_close(s);
    sql(path, "PRAGMA user_version = 99;");
    expect_refusal(path, MDX_ERR_FORMAT, "made by a newer mdexafs (schema 99");
    sql(path, "PRAGMA user_version = 0;");
    expect_refusal(path, MDX_ERR_FORMAT, "older than this mdexafs reads");
    remove_tree(dir);
}

static void test_truncated_database_is_reported(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    char db[256], cmd[1024];
    mdx_check_report rep;
    mdx_error err;
    snprintf(db, sizeof db, "%s/chi.db", dir);
    snprintf(cmd, sizeof cmd, "'%s' build -q '%s' -o '%s'", MDX_BIN,
             data_path("uo2_feff6"), db);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(truncate(db, 100000), 0);
    mdx_status st = mdx_check(db, 0, 1, NULL, NULL, &rep, &err);
    assert_int_equal(st, MDX_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "malformed"));
    assert_int_equal(truncate(db, 0), 0);  /* an empty file is no database */
    st = mdx_check(db, 0, 1, NULL, NULL, &rep, &err);
    assert_int_not_equal(st, MDX_OK);
    remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refuses_what_is_not_ours),
        cmocka_unit_test(test_schema_versions),
        cmocka_unit_test(test_truncated_database_is_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
