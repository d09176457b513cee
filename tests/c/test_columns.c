/* Column files (columns.c): numbers and labels of plain, comma-separated,
 * CRLF and XDI files, the file lines of rows, each refusal with its file
 * and line, sniffing a file, and which labels name chi(k) with what
 * k-weight. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <mdexafs/mdexafs.h>
#include "expect.h"
#include "testutil.h"

static void test_numbers_labels_and_lines(void **state)
{
    (void)state;
    mdx_columns c;
    mdx_error err;
    const char *text = "# a title line\n\n# k chi\n0 1.5\n   \n"
                       "0.05\t-2e-3\n1E1 , 3\r\n";
    assert_int_equal(mdx_columns_parse(text, "a.chi", &c, &err), MDX_OK);
    assert_int_equal(c.nrows, 3);
    assert_int_equal(c.ncols, 2);
    const double want[] = {0, 1.5, 0.05, -2e-3, 10, 3};
    for (int i = 0; i < 6; i++)
        assert_true(c.v[i] == want[i]);
    assert_int_equal(c.lines[0], 4);
    assert_int_equal(c.lines[1], 6);
    assert_int_equal(c.lines[2], 7);
    assert_string_equal(c.labels[0], "k");
    assert_string_equal(c.labels[1], "chi");
    assert_int_equal(mdx_columns_find(&c, "CHI"), 1);
    assert_int_equal(mdx_columns_find(&c, "k"), 0);
    assert_int_equal(mdx_columns_find(&c, "sem"), -1);
    mdx_columns_free(&c);
    assert_null(c.v);

    /* a last comment of another count of words labels nothing */
    assert_int_equal(mdx_columns_parse("# k chi sem\n1 2\n", "b", &c, &err), MDX_OK);
    assert_string_equal(c.labels[0], "");
    assert_int_equal(mdx_columns_find(&c, "k"), -1);
    mdx_columns_free(&c);
}

/* XDI's Column.N lines win over the line of labels before the numbers. */
static void test_xdi_labels(void **state)
{
    (void)state;
    mdx_columns c;
    mdx_error err;
    const char *text = "# XDI/1.0\n# Column.1: k inverse Angstrom\n"
                       "# Column.2: chi\n# Column.3: k2chi\n# ///\n"
                       "#---\n#  a  b  c\n1 2 3\n4 5 6\n";
    assert_int_equal(mdx_columns_parse(text, "x.xdi", &c, &err), MDX_OK);
    assert_int_equal(c.ncols, 3);
    assert_string_equal(c.labels[0], "k");
    assert_string_equal(c.labels[1], "chi");
    assert_string_equal(c.labels[2], "k2chi");
    assert_int_equal(mdx_columns_find(&c, "K2CHI"), 2);
    assert_int_equal(mdx_columns_find(&c, "a"), -1);
    assert_true(c.v[5] == 6);
    mdx_columns_free(&c);
}

static void test_refusals_name_file_and_line(void **state)
{
    (void)state;
    mdx_columns c;
    mdx_error err;
    assert_error(mdx_columns_parse("# k chi\n1 2\n\n3 4 5\n", "r.chi", &c, &err),
                 err, MDX_ERR_FORMAT, "r.chi", 4,
                 "3 numbers where the rows before have 2");
    assert_null(c.v);
    assert_error(mdx_columns_parse("1 2\n3 abc\n", "w.chi", &c, &err), err,
                 MDX_ERR_FORMAT, "w.chi", 2,
                 "expected a row of numbers: column 2 is 'abc'");
    assert_error(mdx_columns_parse("1 2\n3 4\n5 nan\n", "n.chi", &c, &err), err,
                 MDX_ERR_FORMAT, "n.chi", 3, "column 2 is 'nan', not a finite number");
    assert_error(mdx_columns_parse("1 1e999\n", "i.chi", &c, &err), err,
                 MDX_ERR_FORMAT, "i.chi", 1, "column 2 is '1e999', not a finite number");
    assert_error(mdx_columns_parse("# only\n\n", "e.chi", &c, &err), err,
                 MDX_ERR_FORMAT, "e.chi", 2, "no rows of numbers");
    char wide[65 * 3 + 2] = "";
    for (int i = 0; i < 65; i++)
        strcat(wide, "1 ");
    strcat(wide, "\n");
    assert_error(mdx_columns_parse(wide, "m.chi", &c, &err), err, MDX_ERR_FORMAT,
                 "m.chi", 1, "more than 64 columns");
}

static void test_sniff(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    char file[128], buf[64];
    snprintf(file, sizeof file, "%s/a.chi", dir);
    write_text(file, "# written by hand\n# k chi\n0 1\n0.05 2\n");
    assert_int_equal(mdx_columns_sniff(file, buf, sizeof buf), 1);
    assert_string_equal(buf, "2 columns: k chi");
    write_text(file, "1\n2\n");
    assert_int_equal(mdx_columns_sniff(file, buf, sizeof buf), 1);
    assert_string_equal(buf, "1 column");
    write_text(file, "1 2 3\n");
    assert_int_equal(mdx_columns_sniff(file, buf, sizeof buf), 1);
    assert_string_equal(buf, "3 columns");
    write_text(file, "SQLite format 3");
    assert_int_equal(mdx_columns_sniff(file, buf, sizeof buf), 0);
    write_text(file, "");
    assert_int_equal(mdx_columns_sniff(file, buf, sizeof buf), 0);
    snprintf(file, sizeof file, "%s/none", dir);
    assert_int_equal(mdx_columns_sniff(file, buf, sizeof buf), 0);
    /* a real path file is not one: its header lines are text */
    assert_int_equal(mdx_columns_sniff(data_path(
        "uo2_feff85/frame_500/atom_0/feff0001.dat"), buf, sizeof buf), 0);
    assert_int_equal(mdx_columns_sniff(data_path(
        "goldens/reference/uo2_feff85/mix_file.dat"), buf, sizeof buf), 1);
    assert_string_equal(buf, "2 columns");
    remove_tree(dir);
}

/* A file read whole and parsed; a folder or a missing file refused, naming
 * it. */
static void test_read(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    char file[128];
    snprintf(file, sizeof file, "%s/a.chi", dir);
    write_text(file, "# k chi\n0 1\n0.05 2.5\n");
    mdx_columns c;
    mdx_error err;
    assert_int_equal(mdx_columns_read(file, &c, &err), MDX_OK);
    assert_int_equal(c.nrows, 2);
    assert_int_equal(c.ncols, 2);
    assert_true(c.v[3] == 2.5);
    assert_int_equal(c.lines[1], 3);
    assert_int_equal(mdx_columns_find(&c, "chi"), 1);
    mdx_columns_free(&c);
    assert_int_equal(mdx_columns_read(dir, &c, &err), MDX_ERR_IO);
    assert_string_equal(err.file, dir);
    assert_non_null(strstr(err.msg, "directory"));
    FILE *f = fopen(file, "wb");  /* a NUL byte: not a text file */
    assert_non_null(f);
    fwrite("1 2\n3 4\n\0\n7 8\n", 1, 15, f);
    fclose(f);
    assert_int_equal(mdx_columns_read(file, &c, &err), MDX_ERR_FORMAT);
    assert_int_equal(err.line, 3);
    assert_string_equal(err.msg, "a NUL byte: not a text file");
    snprintf(file, sizeof file, "%s/none", dir);
    assert_int_equal(mdx_columns_read(file, &c, &err), MDX_ERR_IO);
    assert_string_equal(err.file, file);
    remove_tree(dir);
}

/* The labels of the header's list, with the k-weight each holds. */
static void test_chi_labels(void **state)
{
    (void)state;
    static const struct {
        const char *label;
        double w;
    } yes[] = {{"chi", 0}, {"CHI(k)", 0}, {"chi_k", 0}, {"kchi", 1},
               {"k2chi", 2}, {"k^2chi", 2}, {"k*chi", 1}, {"k^2*chi", 2},
               {"k2.5chi", 2.5}, {"k-1chi", -1}, {"chik", 1}, {"chik2", 2},
               {"chik^2", 2}, {"chi*k", 1}, {"chi*k^2", 2}, {"chi_k2", 2},
               {"K3CHI", 3}};
    static const char *const no[] = {"k", "sem", "chi2", "kchik", "k^chi",
                                     "k2chi(x)", "chi_", "chi_kx", "kch",
                                     "chir_mag", ""};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
        double w = NAN;
        if (!mdx_columns_chi(yes[i].label, &w) || w != yes[i].w)
            fail_msg("'%s': weight %g, want %g", yes[i].label, w, yes[i].w);
    }
    for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
        double w = 42;
        if (mdx_columns_chi(no[i], &w))
            fail_msg("'%s' taken for chi (weight %g)", no[i], w);
        assert_true(w == 42);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers_labels_and_lines),
        cmocka_unit_test(test_xdi_labels),
        cmocka_unit_test(test_refusals_name_file_and_line),
        cmocka_unit_test(test_sniff),
        cmocka_unit_test(test_read),
        cmocka_unit_test(test_chi_labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
