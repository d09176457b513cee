/* Errors: status names, copies, and the rule that every function taking
 * an mdx_error * accepts NULL there and still returns its status. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "mdexafs/mdexafs.h"
#include "testutil.h"

static void test_status_names(void **state)
{
    (void)state;
    assert_string_equal(mdx_status_name(MDX_OK), "ok");
    assert_string_equal(mdx_status_name(MDX_ERR_IO), "io");
    assert_string_equal(mdx_status_name(MDX_ERR_FORMAT), "format");
    assert_string_equal(mdx_status_name(MDX_ERR_NOMEM), "nomem");
    assert_string_equal(mdx_status_name(MDX_ERR_RANGE), "range");
    assert_string_equal(mdx_status_name(MDX_ERR_ARG), "arg");
    assert_string_equal(mdx_status_name(MDX_ERR_STOPPED), "stopped");
    assert_string_equal(mdx_status_name((mdx_status)99), "unknown");
}

static void test_copy(void **state)
{
    (void)state;
    mdx_error a, b;
    mdx_error_set(&a, MDX_ERR_FORMAT, "f.dat", 7, "bad %s", "row");
    assert_int_equal(mdx_error_copy(&b, &a), MDX_ERR_FORMAT);
    assert_string_equal(b.file, "f.dat");
    assert_int_equal(b.line, 7);
    assert_string_equal(b.msg, "bad row");
    assert_int_equal(mdx_error_copy(NULL, &a), MDX_ERR_FORMAT);
}

/* A remedy rides with the error until the next set; each has a name the
 * faces map to their own words. */
static void test_remedy(void **state)
{
    (void)state;
    mdx_error a, b;
    mdx_error_set(&a, MDX_ERR_ARG, "chi.db", 0, "built from another tree");
    assert_int_equal(a.remedy, MDX_REMEDY_NONE);
    assert_int_equal(mdx_error_advise(&a, MDX_REMEDY_REBUILD), MDX_ERR_ARG);
    mdx_error_copy(&b, &a);
    assert_int_equal(b.remedy, MDX_REMEDY_REBUILD);
    mdx_error_set(&a, MDX_ERR_IO, NULL, 0, "cannot open");
    assert_int_equal(a.remedy, MDX_REMEDY_NONE);
    assert_int_equal(mdx_error_advise(NULL, MDX_REMEDY_CHECK), MDX_OK);
    static const char *const names[] = {"", "check", "build", "rebuild",
                                        "prefer feff.bin", "prefer feffNNNN.dat",
                                        "skip failed", "merge"};
    for (int r = MDX_REMEDY_NONE; r <= MDX_REMEDY_MERGE; r++)
        assert_string_equal(mdx_remedy_name((mdx_remedy)r), names[r]);
    assert_string_equal(mdx_remedy_name((mdx_remedy)99), "");
}

/* Failing calls of every layer, err = NULL: a status, no crash. */
static void test_null_error(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    char bad[1024], db[1024];
    snprintf(bad, sizeof bad, "%s/feff0001.dat", dir);
    snprintf(db, sizeof db, "%s/chi.db", dir);
    write_text(bad, "not a path file\n");

    mdx_path path;
    assert_int_equal(mdx_feff_parse_file(bad, &path, NULL), MDX_ERR_FORMAT);
    mdx_source *src;
    assert_int_not_equal(mdx_source_open("/nonexistent/chi.db", &src, NULL),
                         MDX_OK);
    mdx_build_options o = {.tree = "/nonexistent", .db = db};
    mdx_build_stats st;
    assert_int_not_equal(mdx_build(&o, NULL, &st, NULL), MDX_OK);
    mdx_check_report rep;
    assert_int_not_equal(mdx_check(db, 0, 1, NULL, NULL, &rep, NULL), MDX_OK);
    assert_int_equal(mdx_describe("/nonexistent/chi.db", stdout, NULL),
                     MDX_ERR_IO);

    double k[2] = {0, 0.05}, chi[2] = {0, 1};
    mdx_chik c = {2, k, chi, NULL, 0, NULL, NULL, NULL};
    mdx_output plain = {0}, with_sem = {.sem = 1};
    assert_int_equal(mdx_write_chik(dir, &plain, &c, NULL), MDX_ERR_IO);
    assert_int_equal(mdx_write_chik(bad, &with_sem, &c, NULL), MDX_ERR_ARG);
    mdx_output xdi = {.xdi = 1};
    c.what = "two\nlines";  /* a header line must stay one line */
    assert_int_equal(mdx_write_chik(bad, &plain, &c, NULL), MDX_ERR_ARG);
    assert_int_equal(mdx_write_chik(bad, &xdi, &c, NULL), MDX_ERR_ARG);
    c.what = NULL;
    chi[1] = NAN;
    snprintf(bad, sizeof bad, "%s/out.dat", dir);
    assert_int_equal(mdx_write_chik(bad, &plain, &c, NULL), MDX_ERR_RANGE);
    enum mdx_window w;
    assert_int_equal(mdx_window_parse("hamming", &w, NULL), MDX_ERR_ARG);
    remove_tree(dir);
}

static void test_version(void **state)
{
    (void)state;
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", MDX_VERSION_MAJOR,
             MDX_VERSION_MINOR, MDX_VERSION_PATCH);
    assert_string_equal(mdx_version(), want);
    assert_string_equal(MDX_VERSION_STRING, want);
    for (const char *const *n = (const char *const[]){"sqlite", "zstd", "fftw",
                                                        "xxhash", "plplot", NULL};
         *n; n++)
        assert_true(mdx_dependency_version(*n) &&
                    strchr("0123456789", mdx_dependency_version(*n)[0]));
    assert_null(mdx_dependency_version("lapack"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_names),
        cmocka_unit_test(test_copy),
        cmocka_unit_test(test_remedy),
        cmocka_unit_test(test_null_error),
        cmocka_unit_test(test_version),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
