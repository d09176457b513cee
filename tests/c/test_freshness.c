/* Freshness of a database an older mdexafs wrote (no quick evidence):
 * read as it is, checked file by file, upgraded in place by a build,
 * then checked by folders. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mdexafs/build.h"
#include "store/store_private.h"
#include "testutil.h"

static int has_quick_columns(const char *db)
{
    mdx_store *s;
    mdx_error err;
    assert_int_equal(mdx_store_open(db, MDX_STORE_READ, &s, &err), MDX_OK);
    int n = (int)mdx_store_int(s, "SELECT count(*) FROM pragma_table_info"
                                  "('sources') WHERE name IN ('quick', "
                                  "'witnesses')");
    mdx_store_close(s);
    return n;
}

static void test_older_database_is_read_then_upgraded(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    char tree[256], db[256], cmd[1024];
    snprintf(tree, sizeof tree, "%s/tree", dir);
    snprintf(db, sizeof db, "%s/chi.db", dir);
    copy_data("uo2_feff6", tree);
    copy_data("schema1/uo2_feff6_v1.db", db);
    snprintf(cmd, sizeof cmd, "find '%s' -exec touch -d @1767225600 "
             "{} +", tree);
    assert_int_equal(system(cmd), 0);  /* the times the fixture recorded,
                                           long past: not racy */

    /* read as it is: no quick evidence, so every file is compared */
    assert_int_equal(has_quick_columns(db), 0);
    mdx_freshness f;
    mdx_check_freshness(db, tree, MDX_VERIFY_FOLDERS, &f);
    assert_int_equal(f.state, MDX_FRESH);
    assert_non_null(strstr(f.detail, "0 folders changed, 0 new, 0 gone"));

    /* its tree moved here: record that, which opens it for writing (and
     * upgrades it), then build: nothing to read, the evidence recorded */
    mdx_store *s;
    mdx_error err;
    char root[4096];
    assert_non_null(realpath(tree, root));
    assert_int_equal(mdx_store_open(db, MDX_STORE_WRITE, &s, &err), MDX_OK);
    assert_int_equal(mdx_store_set_meta(s, "root", root, &err), MDX_OK);
    mdx_store_close(s);
    assert_int_equal(has_quick_columns(db), 2);
    mdx_build_options o = {.tree = tree, .db = db, .threads = 1,
                           .tables_only = 1};
    mdx_build_stats st;
    assert_int_equal(mdx_build(&o, NULL, &st, &err), MDX_OK);
    assert_int_equal(st.unchanged, 2);
    assert_int_equal(st.added + st.replaced + st.touched, 0);

    mdx_check_freshness(db, tree, MDX_VERIFY_FOLDERS, &f);
    assert_int_equal(f.state, MDX_FRESH);
    assert_non_null(strstr(f.detail, "2 folders as built"));
    remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_older_database_is_read_then_upgraded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
