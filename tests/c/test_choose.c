/* mdx_source_choose: the one policy for where chi(k) comes from, for every
 * state a database can be in against its tree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mdexafs/build.h"
#include "mdexafs/fit.h"
#include "mdexafs/plot.h"
#include "mdexafs/source.h"
#include "testutil.h"

static char top[256], tree[512], db[512];

static void build(const char *t, const char *d)
{
    mdx_build_options o = {.tree = t, .db = d};
    mdx_build_stats st;
    mdx_error err;
    if (mdx_build(&o, NULL, &st, &err))
        fail_msg("%s", err.msg);
}

/* A copy of the FEFF 6 sample tree and its database. */
static int setup(void **state)
{
    (void)state;
    snprintf(top, sizeof top, "%s", temp_dir());
    snprintf(tree, sizeof tree, "%s/tree", top);
    snprintf(db, sizeof db, "%s/chi.db", top);
    copy_data("uo2_feff6", tree);
    build(tree, db);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    remove_tree(top);
    return 0;
}

/* Choose for (d, t, build, prefer); the plan, with the source's kind (or
 * "" when none was opened) in kind. */
static mdx_source_plan choose(const char *d, const char *t, int build_it,
                              enum mdx_prefer prefer, char *kind)
{
    mdx_source_request r = {d, t, build_it, prefer, MDX_VERIFY_FOLDERS, 0};
    mdx_source_plan p;
    mdx_source *src;
    mdx_error err;
    if (mdx_source_choose(&r, &p, &src, &err))
        fail_msg("%s: %s", err.file, err.msg);
    strcpy(kind, src ? mdx_source_kind(src) : "");
    mdx_source_close(src);
    return p;
}

/* The error choosing gives, with its status. */
static mdx_error refused(const char *d, const char *t, mdx_status want)
{
    mdx_source_request r = {d, t, 0, MDX_PREFER_RECORDED, MDX_VERIFY_FOLDERS,
                            0};
    mdx_source_plan p;
    mdx_source *src = (mdx_source *)&p;
    mdx_error err;
    assert_int_equal(mdx_source_choose(&r, &p, &src, &err), want);
    assert_null(src);
    return err;
}

static void test_a_tree_alone_is_read(void **state)
{
    (void)state;
    char kind[32];
    mdx_source_plan p = choose(NULL, tree, 0, MDX_PREFER_RECORDED, kind);
    assert_int_equal(p.choice, MDX_CHOOSE_TREE);
    assert_string_equal(kind, "tree");
    assert_string_equal(p.fresh.tree, tree);
}

static void test_a_fresh_database_is_used(void **state)
{
    (void)state;
    char kind[32];
    mdx_source_plan p = choose(db, NULL, 1, MDX_PREFER_RECORDED, kind);
    assert_int_equal(p.choice, MDX_CHOOSE_DB);
    assert_int_equal(p.fresh.state, MDX_FRESH);
    assert_string_equal(kind, "database");
}

static void test_a_stale_database_is_updated_or_passed_over(void **state)
{
    (void)state;
    char kind[32], gone[600];
    snprintf(gone, sizeof gone, "%s/frame_600/atom_1", tree);
    remove_tree(gone);
    mdx_source_plan p = choose(db, NULL, 0, MDX_PREFER_RECORDED, kind);
    assert_int_equal(p.choice, MDX_CHOOSE_FILES);
    assert_int_equal(p.fresh.state, MDX_STALE);
    assert_string_equal(p.fresh.tree, tree);  /* the one it was built from */
    assert_string_equal(kind, "tree");
    p = choose(db, NULL, 1, MDX_PREFER_RECORDED, kind);
    assert_int_equal(p.choice, MDX_CHOOSE_BUILD);
    assert_int_equal(p.rebuild, 0);
    assert_string_equal(kind, "");  /* the caller builds, then opens */
}

static void test_a_missing_or_damaged_database(void **state)
{
    (void)state;
    char kind[32], other[600];
    snprintf(other, sizeof other, "%s/none.db", top);
    mdx_source_plan p = choose(other, tree, 0, MDX_PREFER_RECORDED, kind);
    assert_int_equal(p.choice, MDX_CHOOSE_FILES);
    assert_int_equal(p.fresh.state, MDX_MISSING);
    p = choose(other, tree, 1, MDX_PREFER_RECORDED, kind);
    assert_int_equal(p.choice, MDX_CHOOSE_BUILD);
    assert_int_equal(p.rebuild, 0);
    mdx_error e = refused(other, NULL, MDX_ERR_IO);
    assert_non_null(strstr(e.msg, "none.db is missing (no such file) and no "
                                  "tree was given to compute from"));
    write_text(other, "this is not a database\n");
    p = choose(other, tree, 1, MDX_PREFER_RECORDED, kind);
    assert_int_equal(p.fresh.state, MDX_DAMAGED);
    assert_int_equal(p.choice, MDX_CHOOSE_BUILD);
    assert_int_equal(p.rebuild, 1);  /* start afresh */
}

static void test_a_database_without_its_tree_is_used_as_built(void **state)
{
    (void)state;
    char kind[32], moved[600];
    snprintf(moved, sizeof moved, "%s/moved", top);
    assert_int_equal(rename(tree, moved), 0);
    mdx_source_plan p = choose(db, NULL, 1, MDX_PREFER_RECORDED, kind);
    assert_int_equal(p.choice, MDX_CHOOSE_UNCHECKED);
    assert_int_equal(p.fresh.state, MDX_UNKNOWN);
    assert_string_equal(kind, "database");
    assert_int_equal(rename(moved, tree), 0);
}

static void test_neither_or_a_data_file_is_refused(void **state)
{
    (void)state;
    char data[600];
    mdx_error e = refused(NULL, NULL, MDX_ERR_ARG);
    assert_string_equal(e.msg, "give a database, a tree or both");
    snprintf(data, sizeof data, "%s/data.chik", top);
    write_text(data, "# k chi\n0 1\n0.05 2\n");
    e = refused(data, tree, MDX_ERR_ARG);
    assert_non_null(strstr(e.msg, "a data file (2 columns: k chi)"));
}

/* A database built from the path files of folders with both, asked for
 * their feff.bin: a build with that preference would change it. */
static void test_a_database_of_the_other_files_is_stale(void **state)
{
    (void)state;
    char kind[32], bintree[600], bindb[600];
    snprintf(bintree, sizeof bintree, "%s/bin", top);
    copy_data("uo2_feffbin", bintree);
    snprintf(bindb, sizeof bindb, "%s/bin.db", top);
    build(bintree, bindb);
    mdx_source_plan p = choose(bindb, NULL, 0, MDX_PREFER_BIN, kind);
    assert_int_equal(p.fresh.state, MDX_STALE);
    assert_non_null(strstr(p.fresh.detail, "built from the other files: "));
    assert_int_equal(p.choice, MDX_CHOOSE_FILES);
    assert_int_equal(p.prefer, MDX_PREFER_BIN);
    p = choose(bindb, NULL, 0, MDX_PREFER_RECORDED, kind);
    assert_int_equal(p.choice, MDX_CHOOSE_DB);
}

/* The plan in words, the same for every face. */
static void test_the_plan_is_worded(void **state)
{
    (void)state;
    char kind[32], note[2048], gone[600], want[2048];
    mdx_source_plan p = choose(db, NULL, 0, MDX_PREFER_RECORDED, kind);
    mdx_source_plan_note(&p, db, note, sizeof note);
    snprintf(want, sizeof want, "using the database %s", db);
    assert_string_equal(note, want);
    snprintf(gone, sizeof gone, "%s/frame_600/atom_1", tree);
    remove_tree(gone);
    p = choose(db, NULL, 0, MDX_PREFER_RECORDED, kind);
    mdx_source_plan_note(&p, db, note, sizeof note);
    snprintf(want, sizeof want, "%s is stale (%s): computing from the files "
             "in %s", db, p.fresh.detail, tree);
    assert_string_equal(note, want);
    p = choose(db, NULL, 1, MDX_PREFER_RECORDED, kind);
    mdx_source_plan_note(&p, db, note, sizeof note);
    snprintf(want, sizeof want, "%s is stale (%s): updating it from %s", db,
             p.fresh.detail, tree);
    assert_string_equal(note, want);
    p = choose(NULL, tree, 0, MDX_PREFER_RECORDED, kind);
    mdx_source_plan_note(&p, NULL, note, sizeof note);
    snprintf(want, sizeof want, "computing from the files in %s", tree);
    assert_string_equal(note, want);
}

/* A request's options from users' words; the source chosen leaves
 * failed folders out when asked. */
static void test_options_by_name(void **state)
{
    (void)state;
    mdx_source_request r = {db, NULL, 0, MDX_PREFER_RECORDED,
                            MDX_VERIFY_FOLDERS, 0};
    mdx_error err;
    assert_int_equal(mdx_source_request_option(&r, "prefer", "feff.bin", &err),
                     MDX_OK);
    assert_int_equal(r.prefer, MDX_PREFER_BIN);
    assert_int_equal(mdx_source_request_option(&r, "verify", "files", &err),
                     MDX_OK);
    assert_int_equal(r.verify, MDX_VERIFY_FILES);
    assert_int_equal(mdx_source_request_option(&r, "failed", "skip", &err),
                     MDX_OK);
    assert_int_equal(r.skip_failed, 1);
    assert_int_equal(mdx_source_request_option(&r, "prefer", "bin", &err),
                     MDX_ERR_ARG);
    assert_string_equal(err.msg, "source: prefer must be \"feff.bin\" or "
                        "\"feffNNNN.dat\", not 'bin'");
    assert_int_equal(mdx_source_request_option(&r, "failed", "drop", &err),
                     MDX_ERR_ARG);
    assert_string_equal(err.msg, "source: failed must be \"stop\" or "
                        "\"skip\", not 'drop'");
    assert_int_equal(mdx_source_request_option(&r, "quick", "yes", &err),
                     MDX_ERR_ARG);
    assert_string_equal(err.msg, "source: unknown option 'quick' (known: "
                        "prefer verify failed)");
    assert_int_equal(r.prefer, MDX_PREFER_BIN);  /* refusals change nothing */
    assert_int_equal(r.skip_failed, 1);
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(mdx_freshness_state_name(MDX_DAMAGED), "damaged");
    assert_string_equal(mdx_source_choice_name(MDX_CHOOSE_FILES), "files");
    assert_string_equal(mdx_prefer_name(MDX_PREFER_BIN), "feff.bin");
    assert_null(mdx_prefer_name(MDX_PREFER_RECORDED));
    assert_string_equal(mdx_verify_name(MDX_VERIFY_FOLDERS), "folders");
    assert_string_equal(mdx_verify_name(MDX_VERIFY_FILES), "files");
    assert_null(mdx_verify_name((enum mdx_verify)2));
    assert_string_equal(mdx_fitspace_name(MDX_FIT_K), "k");
    assert_string_equal(mdx_fitspace_name(MDX_FIT_Q), "q");
    assert_string_equal(mdx_fitspace_name(MDX_FIT_W), "w");
    assert_null(mdx_fitspace_name((enum mdx_fitspace)4));
    assert_string_equal(mdx_legend_name(MDX_LEGEND_OUTSIDE), "outside");
    assert_null(mdx_legend_name((enum mdx_legend)3));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_a_tree_alone_is_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_fresh_database_is_used, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_stale_database_is_updated_or_passed_over, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_missing_or_damaged_database, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_database_without_its_tree_is_used_as_built, setup, teardown),
        cmocka_unit_test_setup_teardown(test_neither_or_a_data_file_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_database_of_the_other_files_is_stale, setup, teardown),
        cmocka_unit_test_setup_teardown(test_the_plan_is_worded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_options_by_name, setup, teardown),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
