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

#include "feff/feff_private.h"
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
    assert_string_equal(p.version, "Feff 8.50L");
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
    assert_string_equal(p.version, "Feff 6L.02");
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
    static const char *const versions[] = {"FEFF 9.6.4", "FEFF 10.0.0"};
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

/* `len` bytes of text with every "@" turned into a NUL byte. */
static char *with_nuls(const char *text, size_t *len)
{
    *len = strlen(text);
    char *t = malloc(*len + 1);
    for (size_t i = 0; i <= *len; i++)
        t[i] = text[i] == '@' ? '\0' : text[i];
    return t;
}

static const char nul_header[] =
    " Cu                               Feff 6L.02  @@@@@@@@@@@@\r\n"
    " Abs   Z=29 Rmt= 1.289 Rnm= 1.427 @@@@@@@@@@\r\n"
    " Gam_ch=1.761E+00 @@@@@@@@\r\n"
    " Path    4      icalc       2     Feff 6L.02  @@@@@@@@@@@@\r\n"
    " ---------------------------------------------------------------\r\n"
    "   2  12.000   2.5527    2.6430   -3.67145 nleg, deg, reff\r\n"
    "        x         y         z   pot at#\r\n"
    "    -0.0000   -0.0000   -0.0000  0  29 @@@@@@   absorbing atom\r\n"
    "    -0.0000   -1.8050    1.8050  1  29 Cu@@@@\r\n"
    "    k   real[2*phc]   mag[feff]  phase[feff] red factor   lambda     real[p]@#\r\n"
    "   .000  3.9932E+00  0.0000E+00 -5.1660E+00  9.921E-01  1.6049E+01  1.8210E+00\r\n"
    "   .100  3.9935E+00  5.1300E-02 -5.6639E+00  9.924E-01  1.6072E+01  1.8236E+00\r\n"
    "   .200  3.9944E+00  1.0140E-01 -6.1572E+00  9.930E-01  1.6139E+01  1.8314E+00\r\n"
    "   .300  3.9958E+00  1.4910E-01 -6.6457E+00  9.939E-01  1.6251E+01  1.8441E+00\r\n";

/* NUL bytes where FEFF left a string unset read as blanks: the header
 * text, an atom's label (the element symbol then), its padding. */
static void test_nul_bytes_in_text_fields(void **state)
{
    (void)state;
    size_t len;
    char *t = with_nuls(nul_header, &len);
    t[strstr(nul_header, "real[p]@#") - nul_header + 7] = '@';  /* not NUL */
    mdx_path p;
    mdx_error err;
    assert_int_equal(mdx_feff_parse(t, len, "nul.dat", &p, &err), MDX_OK);
    assert_string_equal(p.version, "Feff 6L.02");
    assert_int_equal(p.index, 4);
    assert_int_equal(p.abs_iz, 29);
    assert_string_equal(p.edge_label, "");
    assert_string_equal(p.legs[0].label, "Cu");
    assert_string_equal(p.legs[1].label, "Cu");
    assert_int_equal(p.nrows, 4);
    assert_true(p.col[MDX_COL_K][0] == 0.0 && p.col[MDX_COL_K][3] == 0.3);
    mdx_path_free(&p);
    free(t);
}

/* A NUL byte in a number, the nleg line, a title line or the table is
 * binary data (a file cut short by a crash is padded with them). */
static void test_nul_bytes_elsewhere_refused(void **state)
{
    (void)state;
    static const struct {
        const char *from, *to;
        long line;
    } cases[] = {
        {"   2  12.000", "   2@ 12.000", 6},
        {"   2  12.000", "   2  12@000", 6},
        {"   x         y", "   x    @    y", 7},
        {"    -0.0000   -1.8050", "    -0.0000 @ -1.8050", 9},
        {"  1  29 Cu", "  1  2@ Cu", 9},
        {"    k   real[2*phc]", "    k @ real[2*phc]", 10},
        {"   .100  3.9935E+00", "   .100  3.99@5E+00", 12},
        {"   .300  3.9958E+00", "@@@@@@@@@@@@@@@@@@@", 14},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[sizeof nul_header + 64];
        const char *at = strstr(nul_header, cases[i].from);
        assert_non_null(at);
        size_t pre = (size_t)(at - nul_header), len;
        snprintf(text, sizeof text, "%.*s%s%s", (int)pre, nul_header,
                 cases[i].to, at + strlen(cases[i].from));
        char *t = with_nuls(text, &len);
        t[strstr(text, "real[p]@#") - text + 7] = '@';
        mdx_path p;
        mdx_error err;
        if (mdx_feff_parse(t, len, "bad.dat", &p, &err) == MDX_OK)
            fail_msg("case %zu: accepted a NUL byte", i);
        if (err.line != cases[i].line || !strstr(err.msg, "binary data"))
            fail_msg("case %zu: line %ld '%s'", i, err.line, err.msg);
        free(t);
    }
}

/* Header lines with a leading '#', as some tools rewrite them. */
static void test_hash_before_header_lines(void **state)
{
    (void)state;
    char *text = read_text(data_path(FEFF85 "feff0005.dat"), NULL);
    size_t len = strlen(text);
    char *out = malloc(2 * len + 1), *o = out;
    const char *table_title = strstr(text, "real[p]@#");
    for (const char *l = text; *l; ) {
        const char *nl = strchr(l, '\n');
        size_t n = nl ? (size_t)(nl - l + 1) : strlen(l);
        if (l < table_title)
            *o++ = '#';
        memcpy(o, l, n);
        o += n;
        l += n;
    }
    *o = '\0';
    mdx_path p, ref;
    mdx_error err;
    assert_int_equal(mdx_feff_parse(out, (size_t)(o - out), "h.dat", &p, &err),
                     MDX_OK);
    assert_int_equal(mdx_feff_parse(text, len, "t.dat", &ref, &err), MDX_OK);
    assert_string_equal(p.version, ref.version);
    assert_int_equal(p.index, ref.index);
    assert_int_equal(p.nleg, ref.nleg);
    assert_string_equal(p.legs[1].label, "O");
    assert_int_equal(p.nrows, ref.nrows);
    assert_memory_equal(p.col[MDX_COL_MAG], ref.col[MDX_COL_MAG],
                        ref.nrows * sizeof(double));
    mdx_path_free(&p);
    mdx_path_free(&ref);
    free(out);
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

static void test_bad_label_refused(void **state)
{
    (void)state;
    char *t = edited(FEFF85 "feff0005.dat", 14,
                     "     1.5505    1.1051   -1.4318  2   8 Oxygen_of_the_cage");
    expect_error(t, 14, "atom label 'Oxygen_of_the_cage' is longer than 15");
    free(t);
    /* found by fuzz_feff: a control byte would make "O" and "O^T" two types */
    t = edited(FEFF85 "feff0005.dat", 14,
               "     1.5505    1.1051   -1.4318  2   8 O\024     ");
    expect_error(t, 14, "atom label has a control character (byte 0x14)");
    free(t);
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
    expect_error(t, 11, "'x' is not a finite number");
    free(t);
}

/* The title line's version text, as `parse` shows it: from the last word
 * "feff" to the version number; none is no error. */
static void test_version_texts(void **state)
{
    (void)state;
    static const char *const titles[][2] = {
        {" UO2 seed 6011                    Feff 6L.02  potph 4.12", "Feff 6L.02"},
        {" Cu metal fcc                     Feff8L (EXAFS)       0.1",
         "Feff8L (EXAFS)       0.1"},
        {" Cu                               Feff XX 6.10", "Feff XX 6.10"},
        {" Cu                               Feff  6.01a", "Feff  6.01a"},
        {"# my feff run                     FEFF 10.0.0", "FEFF 10.0.0"},
        {" feff8 test                       Feff 8.50L", "Feff 8.50L"},
        {" UO2 MD snapshot seed 5007", ""},
        {" UO2 with feff calc, FEFF run, feffit", ""},
    };
    for (size_t i = 0; i < sizeof titles / sizeof titles[0]; i++) {
        char *t = edited(FEFF85 "feff0005.dat", 1, titles[i][0]);
        mdx_path p;
        mdx_error err;
        assert_int_equal(mdx_feff_parse(t, strlen(t), "t.dat", &p, &err),
                         MDX_OK);
        assert_string_equal(p.version, titles[i][1]);
        mdx_path_free(&p);
        free(t);
    }
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

/* No mean free path of 0 (chi would be NaN), no negative magnitude. */
static void test_impossible_values(void **state)
{
    (void)state;
    char *t = edited(FEFF85 "feff0005.dat", 21,
                     "  0.600  1.6E+01  5.0E-01 -1.8E+01  4.0E-01  0.0E+00  1.6E+00");
    expect_error(t, 21, "lambda 0");
    free(t);
    t = edited(FEFF85 "feff0005.dat", 21,
               "  0.600  1.6E+01 -5.0E-01 -1.8E+01  4.0E-01  3.0E+00  1.6E+00");
    expect_error(t, 21, "mag -0.5");
    free(t);
    t = edited(FEFF85 "feff0005.dat", 21,
               "  0.600  1.6E+01  5.0E-01 -1.8E+01 -4.0E-01  3.0E+00  1.6E+00");
    expect_error(t, 21, "red factor -0.4");
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

/* The absorber's position in feff.inp, in the syntax FEFF reads (each
 * variant run through Debian's feff8l): commas, comment lines, Fortran D
 * exponents, the card by its first four letters, the absorber not first. */
static void test_feffinp_absorber_as_feff_reads_it(void **state)
{
    (void)state;
    static const char *const inputs[] = {
        "TITLE Cu\nATOMS\n 0.1 0.2 0.3 0 Cu\n 1.8 1.8 0 1 Cu\nEND\n",
        "TITLE Cu\natoms\n 0.1, 0.2, 0.3, 0 Cu\nEND\n",
        "ATOMS\n# x y z ipot\n% old\n; also\n* and\n\n0.1\t0.2\t0.3\t0\n",
        "ATOM\n 1.0D-01 2.0D-01 3.0d-01 0 Cu\n",
        "ATOMS\r\n 1.8 1.8 0 1 Cu\r\n 0.1 0.2 0.3 0 Cu\r\n",
    };
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
        double pos[3] = {0};
        mdx_error err;
        if (mdx_feffinp_absorber(inputs[i], "feff.inp", pos, &err))
            fail_msg("input %zu: %s:%ld: %s", i, err.file, err.line, err.msg);
        assert_true(pos[0] == 0.1 && pos[1] == 0.2 && pos[2] == 0.3);
    }
    double pos[3];
    mdx_error err;
    assert_int_equal(mdx_feffinp_absorber("TITLE x\nEND\n", "feff.inp", pos,
                                          &err), MDX_ERR_FORMAT);
    assert_string_equal(err.msg, "no ATOMS list");
    assert_int_equal(mdx_feffinp_absorber("ATOMS\n 1 1 1 1\nEND\n",
                                          "feff.inp", pos, &err),
                     MDX_ERR_FORMAT);
    assert_string_equal(err.msg, "no atom with potential 0 in ATOMS");
    assert_int_equal(err.line, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_feff85_single_scattering),
        cmocka_unit_test(test_reads_feff85_multiple_scattering),
        cmocka_unit_test(test_reads_feff6),
        cmocka_unit_test(test_reads_feff9_and_feff10),
        cmocka_unit_test(test_missing_label_falls_back_to_element),
        cmocka_unit_test(test_nul_bytes_in_text_fields),
        cmocka_unit_test(test_nul_bytes_elsewhere_refused),
        cmocka_unit_test(test_hash_before_header_lines),
        cmocka_unit_test(test_bad_label_refused),
        cmocka_unit_test(test_empty_file),
        cmocka_unit_test(test_feffinp_absorber_as_feff_reads_it),
        cmocka_unit_test(test_binary_junk),
        cmocka_unit_test(test_missing_nleg_line),
        cmocka_unit_test(test_version_texts),
        cmocka_unit_test(test_truncated_table),
        cmocka_unit_test(test_wrong_column_count),
        cmocka_unit_test(test_non_numeric_field),
        cmocka_unit_test(test_nan_and_inf),
        cmocka_unit_test(test_k_not_increasing),
        cmocka_unit_test(test_impossible_values),
        cmocka_unit_test(test_too_few_rows),
        cmocka_unit_test(test_missing_atom_line),
        cmocka_unit_test(test_bad_nleg),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_directory_instead_of_file),
        cmocka_unit_test(test_unreadable_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
