/* Opening databases: clear refusals for anything that is not ours. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "mdexafs/build.h"
#include "mdexafs/source.h"
#include "store/store.h"
#include "testutil.h"

static int count_path(void *ctx, const mdx_path_meta *m)
{
    (void)ctx;
    (void)m;
    return 0;
}

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
    /* the sqlite3 shell writes pages without their checksums: that is
     * damage to mdexafs */
    sql(path, "PRAGMA user_version = 99;");
    expect_refusal(path, MDX_ERR_FORMAT, "its checksum does not match");
    /* a database of another schema (without page checksums, as the
     * sqlite3 shell makes it) */
    remove(path);
    sql(path, "PRAGMA application_id = 1296324678; PRAGMA user_version = 99;"
              " CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);");
    expect_refusal(path, MDX_ERR_FORMAT, "made by a newer mdexafs (schema 99");
    sql(path, "PRAGMA user_version = 0;");
    expect_refusal(path, MDX_ERR_FORMAT, "older than any this mdexafs reads");
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

/* Sum every path of db through the source API; 0 on success. */
static int read_all(const char *db)
{
    mdx_source *src;
    mdx_selection sel;
    mdx_error err;
    mdx_selection_init(&sel);
    if (mdx_source_open(db, &src, &err))
        return 1;
    int rc = mdx_source_each_path(src, &sel, count_path, NULL, &err) != MDX_OK;
    mdx_source_close(src);
    return rc;
}

static int count_files(const char *dir)
{
    char cmd[512], out[64] = "";
    snprintf(cmd, sizeof cmd, "ls -A '%s' | wc -l", dir);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    assert_non_null(fgets(out, sizeof out, p));
    pclose(p);
    return atoi(out);
}

static void test_read_only_folder_is_enough(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    char db[256], cmd[1024];
    snprintf(db, sizeof db, "%s/chi.db", dir);
    snprintf(cmd, sizeof cmd, "'%s' build -q '%s' -o '%s' && chmod 0444 '%s' "
             "&& chmod 0555 '%s'", MDX_BIN, data_path("uo2_feff6"), db, db, dir);
    assert_int_equal(system(cmd), 0);
    int before = count_files(dir);
    /* as nobody when we are root, who may write anywhere */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(geteuid() == 0 && (setgid(65534) || setuid(65534)) ? 2
                                                                  : read_all(db));
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(count_files(dir), before);  /* no lock or journal files */
    assert_int_equal(chmod(dir, 0755), 0);
    remove_tree(dir);
}

static void test_readers_see_committed_folders_during_a_build(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    char db[256], tree[256], cmd[2048];
    snprintf(db, sizeof db, "%s/chi.db", dir);
    snprintf(tree, sizeof tree, "%s/tree", dir);
    snprintf(cmd, sizeof cmd,
             "for i in $(seq 1 40); do d='%s'/frame_$i/atom_0; mkdir -p $d && "
             "ln -s '%s'/* $d; done", tree, data_path("uo2_feff85/frame_500/atom_0"));
    assert_int_equal(system(cmd), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        execl(MDX_BIN, "mdexafs", "build", "-q", "-j", "1", tree, "-o", db,
              (char *)NULL);
        _exit(127);
    }
    int status, reads = 0, partial = 0;
    int64_t last = 0;
    while (waitpid(pid, &status, WNOHANG) == 0) {
        mdx_store *s;
        mdx_store_summary sum;
        mdx_error err;
        if (mdx_store_open(db, MDX_STORE_READ, &s, &err))
            continue;  /* not created yet */
        assert_int_equal(mdx_store_summary_of(s, &sum, &err), MDX_OK);
        mdx_store_close(s);
        assert_true(sum.folders >= last);  /* committed state only grows */
        assert_int_equal(sum.paths, sum.folders * 358);  /* whole folders */
        last = sum.folders;
        partial += sum.folders > 0 && sum.folders < 40;
        if (sum.folders > 0)  /* a query of no folder at all is an error */
            assert_int_equal(read_all(db), 0);
        reads++;
    }
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_true(partial > 0);  /* we did read while the build was writing */
    printf("  %d reads during the build, %d of them of a partial database\n",
           reads, partial);
    remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refuses_what_is_not_ours),
        cmocka_unit_test(test_schema_versions),
        cmocka_unit_test(test_truncated_database_is_reported),
        cmocka_unit_test(test_read_only_folder_is_enough),
        cmocka_unit_test(test_readers_see_committed_folders_during_a_build),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
