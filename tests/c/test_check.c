/* Checking a database (check.c): a fresh build of uo2_feff6 checks clean,
 * every path recomputed from its file equal to the stored one, with a
 * digest that two builds share and a different tree does not; a path
 * file edited after the build, a row of metadata changed behind
 * mdexafs's back (sqlite3 shell) and a missing database are each found
 * and named. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <mdexafs/mdexafs.h>
#include "expect.h"
#include "testutil.h"

typedef struct fixture {
    char dir[64], tree[128], db[128];
    int problems;
    mdx_error first, last;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "%s", temp_dir());
    snprintf(f->tree, sizeof f->tree, "%s/tree", f->dir);
    snprintf(f->db, sizeof f->db, "%s/chi.db", f->dir);
    copy_data("uo2_feff6", f->tree);
    mdx_build_options o = {.tree = f->tree, .db = f->db, .threads = 2};
    mdx_build_stats st;
    mdx_error err;
    assert_int_equal(mdx_build(&o, NULL, &st, &err), MDX_OK);
    assert_int_equal(st.paths, 234);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    remove_tree(f->dir);
    free(f);
    return 0;
}

static void on_problem(void *ctx, const mdx_error *e)
{
    fixture *f = ctx;
    if (f->problems++ == 0)
        f->first = *e;
    f->last = *e;
}

static void test_fresh_build_checks_clean(void **state)
{
    fixture *f = *state;
    mdx_check_report rep, again, other;
    mdx_error err;
    char second[128], feff85[128];
    assert_int_equal(mdx_check(f->db, 1000, 3, on_problem, f, &rep, &err), MDX_OK);
    assert_int_equal(f->problems, 0);
    assert_int_equal(rep.paths, 234);
    assert_int_equal(rep.recomputed, 234);  /* more asked than there are */
    assert_int_equal(rep.mismatched, 0);
    assert_true(rep.max_diff == 0);
    assert_int_equal(rep.bad_pages + rep.bad_blobs + rep.copies, 0);
    /* the same tree built again: the same digest; another tree: not */
    snprintf(second, sizeof second, "%s/second.db", f->dir);
    snprintf(feff85, sizeof feff85, "%s/feff85.db", f->dir);
    mdx_build_options o = {.tree = f->tree, .db = second, .threads = 1};
    mdx_build_stats st;
    assert_int_equal(mdx_build(&o, NULL, &st, &err), MDX_OK);
    o = (mdx_build_options){.tree = data_path("uo2_feff85"), .db = feff85};
    assert_int_equal(mdx_build(&o, NULL, &st, &err), MDX_OK);
    assert_int_equal(mdx_check(second, 10, 5, NULL, NULL, &again, &err), MDX_OK);
    assert_int_equal(again.recomputed, 10);
    assert_true(again.digest == rep.digest);
    assert_int_equal(mdx_check(feff85, 0, 5, NULL, NULL, &other, &err), MDX_OK);
    assert_int_equal(other.paths, 1417);
    assert_int_equal(other.recomputed, 0);
    assert_true(other.digest != rep.digest);
}

/* Change the first digit of real[2*phc] in the table's first row. */
static void bump_table(const char *path)
{
    char *text = read_text(path, NULL);
    char *row = strstr(text, "real[p]@#\n");
    assert_non_null(row);
    char *digit = strstr(row, "  0.000  ");
    assert_non_null(digit);
    digit += 9;
    *digit = *digit == '1' ? '2' : '1';
    write_text(path, text);
    free(text);
}

static void test_edited_file_is_named(void **state)
{
    fixture *f = *state;
    char file[256];
    mdx_check_report rep;
    mdx_error err;
    snprintf(file, sizeof file, "%s/frame_600/atom_1/feff0003.dat", f->tree);
    bump_table(file);
    assert_int_equal(mdx_check(f->db, 1000, 3, on_problem, f, &rep, &err), MDX_OK);
    assert_int_equal(rep.mismatched, 1);
    assert_int_equal(f->problems, 1);
    assert_true(rep.max_diff > 0);
    assert_int_equal(f->last.code, MDX_ERR_FORMAT);
    assert_string_equal(f->last.file, file);
    assert_int_equal(f->last.line, 0);
    assert_string_equal(f->last.msg, "stored path differs from the file "
                        "(changed since the build? build again)");
    assert_int_equal(f->last.remedy, MDX_REMEDY_BUILD);
    /* not recomputed: nothing to compare, nothing found */
    f->problems = 0;
    assert_int_equal(mdx_check(f->db, 0, 3, on_problem, f, &rep, &err), MDX_OK);
    assert_int_equal(rep.mismatched + f->problems, 0);
}

/* A path's reff changed in the database: the selections read it, so
 * check compares it with the stored FEFF data. The sqlite3 shell writes
 * pages without mdexafs's checksums: those are found first. */
static void test_changed_metadata_is_found(void **state)
{
    fixture *f = *state;
    char cmd[512];
    mdx_check_report rep;
    mdx_error err;
    snprintf(cmd, sizeof cmd, "sqlite3 '%s' 'UPDATE paths SET reff = 9.5 WHERE id = 3'",
             f->db);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(mdx_check(f->db, 0, 3, on_problem, f, &rep, &err), MDX_OK);
    assert_true(rep.bad_pages >= 1);
    assert_int_equal(f->problems, rep.bad_pages + 1);
    assert_int_equal(f->first.code, MDX_ERR_FORMAT);
    assert_string_equal(f->first.file, f->db);
    assert_non_null(strstr(f->first.msg, " is damaged (its checksum does not match)"));
    assert_memory_equal(f->first.msg, "page ", 5);
    assert_int_equal(rep.bad_blobs, 1);
    assert_int_equal(f->last.code, MDX_ERR_FORMAT);
    assert_int_equal(f->last.line, 0);
    assert_memory_equal(f->last.file, "frame_600/atom_", 15);
    assert_non_null(strstr(f->last.msg, "metadata (nleg "));
    assert_non_null(strstr(f->last.msg, ", reff 9.5, type "));
    assert_non_null(strstr(f->last.msg, ") disagrees with the stored FEFF data"));
}

static void test_missing_database(void **state)
{
    fixture *f = *state;
    char none[128];
    mdx_check_report rep;
    mdx_error err;
    snprintf(none, sizeof none, "%s/none.db", f->dir);
    assert_error(mdx_check(none, 0, 1, on_problem, f, &rep, &err), err,
                 MDX_ERR_IO, none, 0, "cannot open: No such file or directory");
    assert_int_equal(f->problems, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_fresh_build_checks_clean, setup, teardown),
        cmocka_unit_test_setup_teardown(test_edited_file_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changed_metadata_is_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_database, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
