/* Output files (output.c): the plain "k chi" columns at %.6f and with the
 * fewest exact digits, xraylarch's column form with Athena's k-weighted
 * columns and an XDI header, chi(R) columns, the header texts, and what
 * is refused (nothing is written then). Every file goes to a fresh
 * folder and is read back as text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <mdexafs/mdexafs.h>
#include "expect.h"
#include "testutil.h"

typedef struct fixture {
    char dir[64], file[128];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "%s", temp_dir());
    snprintf(f->file, sizeof f->file, "%s/out.chik", f->dir);
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

static const double k3[3] = {0, 0.05, 12.5};
static const double chi3[3] = {0.25, -1.0 / 3, 1e-7};
static const double sem3[3] = {0.001, 0.0123456789, 2.5};

static void test_plain_columns(void **state)
{
    fixture *f = *state;
    mdx_error err;
    assert_int_equal(mdx_write_chi(f->file, "k(A^-1)  chi(k) - test", "k chi",
                                   0, 3, k3, chi3, NULL, &err), MDX_OK);
    char *text = read_text(f->file, NULL);
    assert_string_equal(text, "# k(A^-1)  chi(k) - test\n# k chi\n"
                              "0.000000 0.250000\n0.050000 -0.333333\n"
                              "12.500000 0.000000\n");
    free(text);
    assert_int_equal(mdx_write_chi(f->file, "h", "k chi sem", 0, 3, k3, chi3,
                                   sem3, &err), MDX_OK);
    text = read_text(f->file, NULL);
    assert_string_equal(text, "# h\n# k chi sem\n0.000000 0.250000 0.001000\n"
                              "0.050000 -0.333333 0.012346\n"
                              "12.500000 0.000000 2.500000\n");
    free(text);
}

/* full: every value reads back as the same double */
static void test_full_digits_read_back_exactly(void **state)
{
    fixture *f = *state;
    mdx_error err;
    assert_int_equal(mdx_write_chi(f->file, "h", "k chi", 1, 3, k3, chi3, NULL,
                                   &err), MDX_OK);
    char *text = read_text(f->file, NULL), *p = strstr(text, "# k chi\n") + 8;
    for (int i = 0; i < 3; i++) {
        assert_true(strtod(p, &p) == k3[i]);
        assert_true(strtod(p, &p) == chi3[i]);
    }
    assert_string_equal(p, "\n");
    free(text);
}

static void test_weighted_plain_header(void **state)
{
    fixture *f = *state;
    mdx_output o = {.sem = 1};
    mdx_chik c = {3, k3, chi3, sem3, 2, "U-O: mean", "U", "L3"};
    mdx_error err;
    assert_int_equal(mdx_write_chik(f->file, &o, &c, &err), MDX_OK);
    char *text = read_text(f->file, NULL);
    assert_string_equal(text, "# k(A^-1)  k^2 chi(k)  sem - U-O: mean\n"
                              "# k k2chi sem\n0.000000 0.250000 0.001000\n"
                              "0.050000 -0.333333 0.012346\n"
                              "12.500000 0.000000 2.500000\n");
    free(text);
}

/* Athena's columns are k^n chi for n = 1..3, at % .10e. */
static void test_athena_columns_with_xdi(void **state)
{
    fixture *f = *state;
    mdx_output o = {.athena = 1, .xdi = 1};
    snprintf(o.comment, sizeof o.comment, "a comment");
    mdx_chik c = {3, k3, chi3, NULL, 0, "U-O: mean", "U", "L3"};
    mdx_error err;
    assert_int_equal(mdx_write_chik(f->file, &o, &c, &err), MDX_OK);
    char *text = read_text(f->file, NULL), *save;
    const char *head[] = {
        NULL, "# Element.symbol: U", "# Element.edge: L3",
        "# Column.1: k inverse Angstrom", "# Column.2: chi",
        "# Column.3: kchi inverse Angstrom", "# Column.4: k2chi inverse Angstrom^2",
        "# Column.5: k3chi inverse Angstrom^3", "# MDexafs.averaged: U-O: mean",
        "# ///", "# a comment", "#---------------------------------",
        "#  k  chi  kchi  k2chi  k3chi"};
    char *line = strtok_r(text, "\n", &save);
    assert_memory_equal(line, "# XDI/1.0 mdexafs/", 18);
    for (size_t i = 1; i < sizeof head / sizeof head[0]; i++)
        assert_string_equal(strtok_r(NULL, "\n", &save), head[i]);
    for (int i = 0; i < 3; i++) {
        char want[160];
        snprintf(want, sizeof want, " % .10e % .10e % .10e % .10e % .10e", k3[i],
                 chi3[i], k3[i] * chi3[i], k3[i] * k3[i] * chi3[i],
                 k3[i] * k3[i] * k3[i] * chi3[i]);
        assert_string_equal(strtok_r(NULL, "\n", &save), want);
    }
    assert_null(strtok_r(NULL, "\n", &save));
    free(text);
    /* o's element and edge win over the curve's */
    snprintf(o.element, sizeof o.element, "Pt");
    snprintf(o.edge, sizeof o.edge, "K");
    assert_int_equal(mdx_write_chik(f->file, &o, &c, &err), MDX_OK);
    text = read_text(f->file, NULL);
    assert_non_null(strstr(text, "\n# Element.symbol: Pt\n# Element.edge: K\n"));
    free(text);
}

static void test_chir_columns(void **state)
{
    fixture *f = *state;
    double r[2] = {0, 0.0306796}, re[2] = {1.5, -2e-3}, im[2] = {0, 4.25},
           mag[2] = {1.5, 4.2500004705882};
    mdx_chir c = {2, r, re, im, mag};
    mdx_output o = {0};
    mdx_error err;
    assert_int_equal(mdx_write_chir(f->file, &o, &c, 2, "U-O chi(R)", "U", "L3",
                                    &err), MDX_OK);
    char *text = read_text(f->file, NULL);
    assert_string_equal(text, "# U-O chi(R)\n#---------------------------------\n"
                              "#  r  chir_re  chir_im  chir_mag\n"
                              "  0.0000000000e+00  1.5000000000e+00  0.0000000000e+00  1.5000000000e+00\n"
                              "  3.0679600000e-02 -2.0000000000e-03  4.2500000000e+00  4.2500004706e+00\n");
    free(text);
    o.xdi = 1;
    assert_int_equal(mdx_write_chir(f->file, &o, &c, 2, "w", NULL, NULL, &err), MDX_OK);
    text = read_text(f->file, NULL);
    assert_non_null(strstr(text, "\n# Column.2: chir_re inverse Angstrom^3\n"));
    assert_null(strstr(text, "Element."));  /* none known: none written */
    free(text);
}

static void test_labels_and_descriptions(void **state)
{
    (void)state;
    char buf[256];
    const double w[] = {0, 1, 2, 2.5, -1};
    const char *want[] = {"chi", "kchi", "k2chi", "k2.5chi", "k-1chi"};
    for (int i = 0; i < 5; i++) {
        mdx_chi_label(w[i], buf, sizeof buf);
        assert_string_equal(buf, want[i]);
    }
    const char *known[] = {"K", "L1", "L3", "M1", "M5", "N1", "N7"};
    const char *unknown[] = {"", "K1", "L", "L4", "M6", "N8", "LIII", "l3", "O1"};
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        assert_true(mdx_xdi_edge_known(known[i]));
    for (size_t i = 0; i < sizeof unknown / sizeof *unknown; i++)
        assert_false(mdx_xdi_edge_known(unknown[i]));
    mdx_chik_describe(buf, sizeof buf, "U-O", 4, 4, 120, 1, 0);
    assert_string_equal(buf, "U-O: mean over 4 folders (4 with selected paths) "
                             "of the sum of their selected paths (120 paths)");
    mdx_chik_describe(buf, sizeof buf, "U-O", 1, 1, 1, 1, 0);
    assert_string_equal(buf, "U-O: mean over 1 folder (1 with selected paths) "
                             "of the sum of their selected paths (1 path)");
    mdx_chik_describe(buf, sizeof buf, "U-O", 1, 1, 30, 0, 0);
    assert_string_equal(buf, "U-O (30 paths)");
    mdx_chik_describe(buf, sizeof buf, "all", 4, 4, 0, 1, 1);
    assert_string_equal(buf, "all: mean over 4 folders' chi.dat");
}

static void test_refusals_write_nothing(void **state)
{
    fixture *f = *state;
    double bad[3] = {0.25, NAN, 1};
    mdx_output o = {0};
    mdx_chik c = {3, k3, chi3, NULL, 2, "w", "U", "L3"};
    mdx_error err;
    assert_error(mdx_write_chi(f->file, "h", "k chi", 0, 3, k3, bad, NULL, &err),
                 err, MDX_ERR_RANGE, f->file, 0,
                 "not written: row 2 (k = 0.05) holds a value that is not finite");
    o.sem = 1;
    assert_error(mdx_write_chik(f->file, &o, &c, &err), err, MDX_ERR_ARG,
                 f->file, 0, "not written: this curve has no standard error");
    o = (mdx_output){.athena = 1};
    assert_error(mdx_write_chik(f->file, &o, &c, &err), err, MDX_ERR_ARG,
                 f->file, 0, "not written: Athena's columns are k^n chi(k) of "
                 "an unweighted chi(k); this one is k^2 chi(k)");
    c.kweight = 0;
    o = (mdx_output){.xdi = 1};
    snprintf(o.element, sizeof o.element, "Xq");
    assert_error(mdx_write_chik(f->file, &o, &c, &err), err, MDX_ERR_ARG,
                 f->file, 0, "not written: XDI element 'Xq' is not an element symbol");
    o.element[0] = '\0';
    c.edge = "LIII";  /* FEFF 6's name: XDI says L3 */
    assert_error(mdx_write_chik(f->file, &o, &c, &err), err, MDX_ERR_ARG,
                 f->file, 0, "not written: XDI edge 'LIII' is not one XDI knows");
    c.edge = "L3";
    c.what = "two\nlines";
    assert_error(mdx_write_chik(f->file, &o, &c, &err), err, MDX_ERR_ARG,
                 f->file, 0, "not written: a header text is not one line");
    c.what = "w";
    c.chi = bad;
    assert_error(mdx_write_chik(f->file, &o, &c, &err), err, MDX_ERR_RANGE,
                 f->file, 0, "not written: chi in row 2 is not finite");
    assert_int_equal(access(f->file, F_OK), -1);
    /* an output never replaces a folder or a database */
    assert_error(mdx_write_chi(f->dir, "h", "k chi", 0, 3, k3, chi3, NULL, &err),
                 err, MDX_ERR_IO, f->dir, 0, "not a regular file: not written");
    write_text(f->file, "SQLite format 3");  /* its 16 bytes with the NUL */
    FILE *fp = fopen(f->file, "ab");
    fputc('\0', fp);
    fclose(fp);
    assert_error(mdx_write_chi(f->file, "h", "k chi", 0, 3, k3, chi3, NULL, &err),
                 err, MDX_ERR_IO, f->file, 0,
                 "is a database: not overwritten with an output file");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_plain_columns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_full_digits_read_back_exactly, setup, teardown),
        cmocka_unit_test_setup_teardown(test_weighted_plain_header, setup, teardown),
        cmocka_unit_test_setup_teardown(test_athena_columns_with_xdi, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chir_columns, setup, teardown),
        cmocka_unit_test(test_labels_and_descriptions),
        cmocka_unit_test_setup_teardown(test_refusals_write_nothing, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
