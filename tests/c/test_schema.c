/* Schema versions: a schema-1 database (tests/data/schema1, made by the
 * mdexafs of just before schema 2) is read as it is, upgraded in place by
 * a build, and a kill -9 at any moment of the upgrade leaves a file that
 * opens, whole, at one version or the other. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "mdexafs/build.h"
#include "mdexafs/source.h"
#include "store/store_private.h"
#include "testutil.h"

#define V1 "schema1/uo2_feff6_v1_quick.db"

static int64_t query(const char *db, const char *sql)
{
    mdx_store *s;
    mdx_error err;
    if (mdx_store_open(db, MDX_STORE_READ, &s, &err))
        fail_msg("%s: %s", err.file, err.msg);
    int64_t v = mdx_store_int(s, sql);
    mdx_store_close(s);
    return v;
}

static int count_path(void *ctx, const mdx_path_meta *m)
{
    (void)m;
    ++*(size_t *)ctx;
    return 0;
}

/* Paths a source selects from db, and its check's digest. */
static size_t paths_of(const char *db, uint64_t *digest)
{
    mdx_source *src;
    mdx_error err;
    mdx_selection sel;
    mdx_check_report rep;
    size_t n = 0;
    mdx_selection_init(&sel);
    if (mdx_source_open(db, &src, &err))
        fail_msg("%s: %s", err.file, err.msg);
    assert_int_equal(mdx_source_each_path(src, &sel, count_path, &n, &err),
                     MDX_OK);
    mdx_source_close(src);
    assert_int_equal(mdx_check(db, 0, 1, NULL, NULL, &rep, &err), MDX_OK);
    assert_int_equal(rep.bad_blobs + rep.bad_pages, 0);
    *digest = rep.digest;
    return n;
}

static void test_schema1_is_read_then_upgraded_by_a_build(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    char tree[256], db[256], cmd[1024];
    uint64_t before, after;
    snprintf(tree, sizeof tree, "%s/tree", dir);
    snprintf(db, sizeof db, "%s/chi.db", dir);
    copy_data("uo2_feff6", tree);
    copy_data(V1, db);
    snprintf(cmd, sizeof cmd, "find '%s' -exec touch -d @1767225600 {} +",
             tree);
    assert_int_equal(system(cmd), 0);  /* the times the fixture recorded */

    assert_int_equal(query(db, "PRAGMA user_version"), 1);
    size_t n = paths_of(db, &before);
    assert_true(n > 0);
    assert_int_equal(query(db, "PRAGMA user_version"), 1);  /* reading
                                                              changed nothing */
    mdx_store *s;
    mdx_error err;
    char root[4096];
    assert_non_null(realpath(tree, root));  /* its tree, moved here */
    assert_int_equal(mdx_store_open(db, MDX_STORE_WRITE, &s, &err), MDX_OK);
    assert_int_equal(mdx_store_set_meta(s, "root", root, &err), MDX_OK);
    mdx_store_close(s);

    mdx_build_options o = {.tree = tree, .db = db, .tables_only = 1};
    mdx_build_stats st;
    assert_int_equal(mdx_build(&o, NULL, &st, &err), MDX_OK);
    assert_int_equal(st.unchanged, 2);  /* nothing read again */
    assert_int_equal(query(db, "PRAGMA user_version"), MDX_SCHEMA_VERSION);
    assert_int_equal(query(db, "SELECT count(*) FROM pragma_table_info("
                               "'sources') WHERE name IN ('kind', 'tables')"),
                     2);
    assert_int_equal(paths_of(db, &after), n);
    assert_true(after == before);  /* every path's data as it was */
    remove_tree(dir);
}

/* Upgrade db in a child killed after `us` microseconds (never, when us
 * is negative); 1 if the child had finished. */
static int killed_upgrade(const char *db, long us)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        mdx_store *s;
        mdx_error err;
        _exit(mdx_store_open(db, MDX_STORE_WRITE, &s, &err) ? 1 : 0);
    }
    if (us >= 0) {
        struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
        nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status);
}

static void test_killed_upgrade_leaves_one_version_or_the_other(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    char db[256], cmd[600];
    uint64_t want, got;
    snprintf(db, sizeof db, "%s/chi.db", dir);
    copy_data(V1, db);
    size_t n = paths_of(db, &want);
    int versions[3] = {0};
    /* how long an upgrade takes here, so that the kills fall before,
     * during and after it whatever the machine's speed */
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(killed_upgrade(db, -1), 1);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_int_equal(query(db, "PRAGMA user_version"), MDX_SCHEMA_VERSION);
    long took = (t1.tv_sec - t0.tv_sec) * 1000000L +
                (t1.tv_nsec - t0.tv_nsec) / 1000;
    for (long step = 0; step <= 40; step++) {
        long us = took * 3 / 2 * step / 40;
        snprintf(cmd, sizeof cmd, "rm -f '%s'*", db);
        assert_int_equal(system(cmd), 0);
        copy_data(V1, db);
        killed_upgrade(db, us);
        int64_t v = query(db, "PRAGMA user_version");
        assert_true(v == 1 || v == 2);
        versions[v]++;
        assert_int_equal(query(db, "SELECT count(*) FROM pragma_table_info("
                                   "'sources') WHERE name = 'kind'"), v == 2);
        assert_int_equal(paths_of(db, &got), n);
        assert_true(got == want);
    }
    print_message("  an upgrade took %ld us; killed ones left %d files at "
                  "schema 1, %d at 2\n", took, versions[1], versions[2]);
    remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema1_is_read_then_upgraded_by_a_build),
        cmocka_unit_test(test_killed_upgrade_leaves_one_version_or_the_other),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
