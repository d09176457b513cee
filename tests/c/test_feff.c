/* Reading FEFF path files: what a good file gives, and a clear error with
 * file and line for each kind of bad one. */
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

#include "mdexafs/feff.h"
#include "testutil.h"

#define FEFF85 "uo2_feff85/frame_500/atom_0/"
#define FEFF6 "uo2_feff6/frame_600/atom_0/"

static void test_reads_feff85_single_scattering(void **state)
{
    (void)state;
    mdx_path p;
    mdx_error err;
    char type[64];
    assert_int_equal(mdx_feff_parse_file(data_path(FEFF85 "feff0005.dat"), &p,
                                         &err), MDX_OK);
    assert_string_equal(p.version, "8.50L");
    assert_int_equal(p.index, 5);
    assert_int_equal(p.nleg, 2);
    assert_true(p.deg == 1.0);
    assert_true(p.reff == 2.3822);
    assert_true(p.rnrmav == 2.6145);
    assert_true(p.edge == -8.95811);
    assert_int_equal(p.abs_iz, 92);
    assert_string_equal(p.edge_label, "L3");
    mdx_path_type(&p, type, sizeof type);
    assert_string_equal(type, "U-O");
    assert_string_equal(p.legs[0].label, "U");
    assert_int_equal(p.legs[0].iz, 92);
    assert_int_equal(p.legs[1].ipot, 2);
    assert_true(p.legs[1].x == 1.5505 && p.legs[1].y == 1.1051 &&
                p.legs[1].z == -1.4318);
    /* first and last rows, as written in the file */
    assert_true(p.col[MDX_COL_K][0] == 0.0);
    assert_true(p.col[MDX_COL_REAL_PHC][0] == 16.600);
    assert_true(p.col[MDX_COL_MAG][0] == 3.4136E-04);
    assert_true(p.col[MDX_COL_PHASE][0] == -17.122);
    assert_true(p.col[MDX_COL_RED][0] == 0.3088);
    assert_true(p.col[MDX_COL_LAM][0] == 2.9171);
    assert_true(p.col[MDX_COL_REP][0] == 1.5512);
    assert_true(p.col[MDX_COL_K][p.nrows - 1] == 20.0);
    mdx_path_free(&p);
}

static void test_reads_feff85_multiple_scattering(void **state)
{
    (void)state;
    mdx_path p;
    mdx_error err;
    char type[64];
    assert_int_equal(mdx_feff_parse_file(data_path(FEFF85 "feff0100.dat"), &p,
                                         &err), MDX_OK);
    assert_int_equal(p.nleg, 4);
    assert_true(p.deg == 2.0);
    mdx_path_type(&p, type, sizeof type);
    assert_string_equal(type, "U-O-U-O");
    mdx_path_free(&p);
}

static void test_reads_feff6(void **state)
{
    (void)state;
    mdx_path p;
    mdx_error err;
    char type[64];
    assert_int_equal(mdx_feff_parse_file(data_path(FEFF6 "feff0005.dat"), &p,
                                         &err), MDX_OK);
    assert_string_equal(p.version, "6L.02");
    assert_int_equal(p.index, 5);
    assert_string_equal(p.edge_label, "LIII");
    assert_true(p.reff == 2.4243);
    assert_true(p.col[MDX_COL_RED][10] == 0.1037E+01);
    mdx_path_type(&p, type, sizeof type);
    assert_string_equal(type, "U-O");
    mdx_path_free(&p);
}

/* FEFF 9 and 10 write "FEFF 9.6.4" where 8.5L writes "Feff 8.50L"; the
 * fixtures carry the 8.5L table of feff0005.dat under such headers. */
static void test_reads_feff9_and_feff10(void **state)
{
    (void)state;
    static const char *const files[] = {"feff9_10/feff9.dat",
                                        "feff9_10/feff10.dat"};
    static const char *const versions[] = {"9.6.4", "10.0.0"};
    mdx_path ref, p;
    mdx_error err;
    assert_int_equal(mdx_feff_parse_file(data_path(FEFF85 "feff0005.dat"),
                                         &ref, &err), MDX_OK);
    for (int f = 0; f < 2; f++) {
        assert_int_equal(mdx_feff_parse_file(data_path(files[f]), &p, &err),
                         MDX_OK);
        assert_string_equal(p.version, versions[f]);
        assert_int_equal(p.index, 5);
        assert_int_equal(p.abs_iz, 92);
        assert_int_equal(p.nrows, ref.nrows);
        for (int c = 0; c < MDX_NCOLUMNS; c++)
            assert_memory_equal(p.col[c], ref.col[c],
                                ref.nrows * sizeof *ref.col[c]);
        mdx_path_free(&p);
    }
    mdx_path_free(&ref);
}

static void test_missing_label_falls_back_to_element(void **state)
{
    (void)state;
    size_t len;
    char *text = read_text(data_path(FEFF85 "feff0005.dat"), &len);
    char *o = strstr(text, "8 O     \n");
    assert_non_null(o);
    memcpy(o, "8       ", 8);  /* blank out the label */
    mdx_path p;
    mdx_error err;
    assert_int_equal(mdx_feff_parse(text, len, "x.dat", &p, &err), MDX_OK);
    assert_string_equal(p.legs[1].label, "O");
    mdx_path_free(&p);
    free(text);
}

/* Parse `text` and expect a format error at `line` mentioning `words`. */
static void expect_error(const char *text, long line, const char *words)
{
    mdx_path p;
    mdx_error err;
    mdx_status st = mdx_feff_parse(text, strlen(text), "bad.dat", &p, &err);
    if (st == MDX_OK)
        fail_msg("accepted input that should fail with '%s'", words);
    assert_int_equal(st, MDX_ERR_FORMAT);
    assert_string_equal(err.file, "bad.dat");
    if (err.line != line || !strstr(err.msg, words))
        fail_msg("got line %ld '%s', want line %ld '%s'", err.line, err.msg,
                 line, words);
    assert_null(p.legs);
    assert_null(p.col[0]);
}

/* A good file with line `line` (1-based) replaced by `repl` (NULL: drop it,
 * "" with cut: end the file there). */
static char *edited(const char *rel, int line, const char *repl)
{
    char *text = read_text(data_path(rel), NULL);
    char *start = text;
    for (int i = 1; i < line; i++)
        start = strchr(start, '\n') + 1;
    char *stop = strchr(start, '\n') + 1;
    size_t rlen = repl ? strlen(repl) : 0;
    char *out = malloc(strlen(text) + rlen + 2);
    memcpy(out, text, (size_t)(start - text));
    char *p = out + (start - text);
    if (repl) {
        memcpy(p, repl, rlen);
        p += rlen;
        *p++ = '\n';
    }
    strcpy(p, stop);
    free(text);
    return out;
}

static void test_empty_file(void **state)
{
    (void)state;
    expect_error("", 0, "empty file");
}

static void test_binary_junk(void **state)
{
    (void)state;
    char junk[64];
    for (int i = 0; i < 63; i++)
        junk[i] = (char)(i * 37 + 11);
    junk[63] = '\0';
    mdx_path p;
    mdx_error err;
    assert_int_equal(mdx_feff_parse(junk, sizeof junk - 1, "bad.dat", &p, &err),
                     MDX_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "not a FEFF path file"));
}

static void test_missing_nleg_line(void **state)
{
    (void)state;
    char *t = edited(FEFF85 "feff0005.dat", 11, NULL);
    expect_error(t, 73, "no 'nleg, deg, reff' line");
    free(t);
}

static void test_missing_version(void **state)
{
    (void)state;
    char *t = edited(FEFF85 "feff0005.dat", 1, " UO2 MD snapshot seed 5007");
    expect_error(t, 11, "no 'Feff' version");
    free(t);
}

/* "feff" in a title is not a version: only "feff" before a number is. */
static void test_version_needs_a_number(void **state)
{
    (void)state;
    char *t = edited(FEFF85 "feff0005.dat", 1, " UO2 with feff calc, FEFF run");
    expect_error(t, 11, "no 'Feff' version");
    free(t);
}

static void test_truncated_table(void **state)
{
    (void)state;
    char *t = read_text(data_path(FEFF85 "feff0005.dat"), NULL);
    char *line40 = t;
    for (int i = 1; i < 40; i++)
        line40 = strchr(line40, '\n') + 1;
    line40[25] = '\0';  /* the file ends in the third number of row 40 */
    expect_error(t, 40, "table row has 3 numbers, expected 7");
    free(t);
}

static void test_wrong_column_count(void **state)
{
    (void)state;
    char *t = edited(FEFF85 "feff0005.dat", 20,
                     "  0.500  1.6E+01  5.0E-01 -1.8E+01  4.0E-01  3.0E+00  1.6E+00  9.9");
    expect_error(t, 20, "more than 7 numbers");
    free(t);
}

static void test_non_numeric_field(void **state)
{
    (void)state;
    char *t = edited(FEFF85 "feff0005.dat", 20,
                     "  0.500  1.6E+01  5.0E-01 -1.8E+01  abc  3.0E+00  1.6E+00");
    expect_error(t, 20, "'abc' is not a finite number");
    free(t);
}

static void test_nan_and_inf(void **state)
{
    (void)state;
    char *t = edited(FEFF85 "feff0005.dat", 21,
                     "  0.600  1.6E+01  NaN -1.8E+01  4.0E-01  3.0E+00  1.6E+00");
    expect_error(t, 21, "'NaN' is not a finite number");
    free(t);
    t = edited(FEFF85 "feff0005.dat", 14,
               "     1.5505    Inf   -1.4318  2   8 O     ");
    expect_error(t, 14, "'Inf' is not a finite number");
    free(t);
}

static void test_k_not_increasing(void **state)
{
    (void)state;
    char *t = edited(FEFF85 "feff0005.dat", 22,
                     "  0.100  1.6E+01  5.0E-01 -1.8E+01  4.0E-01  3.0E+00  1.6E+00");
    expect_error(t, 22, "does not increase");
    free(t);
}

static void test_too_few_rows(void **state)
{
    (void)state;
    char *t = edited(FEFF85 "feff0005.dat", 19, "");
    *strstr(t, "\n\n") = '\0';  /* keep the rows on lines 16..18 */
    expect_error(t, 18, "table has 3 rows; at least 4");
    free(t);
}

static void test_missing_atom_line(void **state)
{
    (void)state;
    char *t = edited(FEFF85 "feff0005.dat", 14, NULL);
    expect_error(t, 14, "'k' is not a finite number");
    free(t);
    t = read_text(data_path(FEFF85 "feff0005.dat"), NULL);
    *(strstr(t, "     1.5505")) = '\0';
    expect_error(t, 13, "file ends after 1 of nleg = 2 atom lines");
    free(t);
}

static void test_bad_nleg(void **state)
{
    (void)state;
    char *t = edited(FEFF85 "feff0005.dat", 11,
                     "   2.5   1.000   2.3822    2.6145   -8.95811 nleg, deg, reff, rnrmav(bohr), edge");
    expect_error(t, 11, "nleg 2.5 is not a whole number");
    free(t);
    /* found by fuzz_feff: a huge number must not be cast to int */
    t = edited(FEFF85 "feff0005.dat", 11,
               "   7.7E25   1.000   2.3822    2.6145   -8.95811 nleg, deg, reff, rnrmav(bohr), edge");
    expect_error(t, 11, "nleg 7.7e+25 is not a whole number in 2..32");
    free(t);
}

static void test_missing_file(void **state)
{
    (void)state;
    mdx_path p;
    mdx_error err;
    assert_int_equal(mdx_feff_parse_file("/nonexistent/feff0001.dat", &p, &err),
                     MDX_ERR_IO);
    assert_string_equal(err.file, "/nonexistent/feff0001.dat");
    assert_non_null(strstr(err.msg, "cannot open"));
}

static void test_directory_instead_of_file(void **state)
{
    (void)state;
    mdx_path p;
    mdx_error err;
    assert_int_equal(mdx_feff_parse_file(data_path(FEFF85), &p, &err),
                     MDX_ERR_IO);
    assert_non_null(strstr(err.msg, "is a directory"));
}

/* 0 when reading `name` fails with "Permission denied". */
static int refused_to_read(const char *name)
{
    mdx_path p;
    mdx_error err;
    return !(mdx_feff_parse_file(name, &p, &err) == MDX_ERR_IO &&
             strstr(err.msg, "Permission denied"));
}

static void test_unreadable_file(void **state)
{
    (void)state;
    char name[] = "/tmp/mdx_unreadable_XXXXXX";
    int fd = mkstemp(name);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(chmod(name, 0), 0);
    if (geteuid() != 0) {
        assert_int_equal(refused_to_read(name), 0);
    } else {  /* root reads anything: try as nobody in a child */
        int status;
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0)
            _exit(setgid(65534) || setuid(65534) ? 2 : refused_to_read(name));
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
    }
    unlink(name);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_feff85_single_scattering),
        cmocka_unit_test(test_reads_feff85_multiple_scattering),
        cmocka_unit_test(test_reads_feff6),
        cmocka_unit_test(test_reads_feff9_and_feff10),
        cmocka_unit_test(test_version_needs_a_number),
        cmocka_unit_test(test_missing_label_falls_back_to_element),
        cmocka_unit_test(test_empty_file),
        cmocka_unit_test(test_binary_junk),
        cmocka_unit_test(test_missing_nleg_line),
        cmocka_unit_test(test_missing_version),
        cmocka_unit_test(test_truncated_table),
        cmocka_unit_test(test_wrong_column_count),
        cmocka_unit_test(test_non_numeric_field),
        cmocka_unit_test(test_nan_and_inf),
        cmocka_unit_test(test_k_not_increasing),
        cmocka_unit_test(test_too_few_rows),
        cmocka_unit_test(test_missing_atom_line),
        cmocka_unit_test(test_bad_nleg),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_directory_instead_of_file),
        cmocka_unit_test(test_unreadable_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
