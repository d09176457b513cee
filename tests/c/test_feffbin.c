/* feff.bin: every path of FEFF's own sample run read as the same path its
 * feffNNNN.dat gives, within the .dat's printed rounding, and the same
 * chi(k) within that rounding's effect; ne1 and the path list with and
 * without xsect.bin; bad input named by file and line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mdexafs/chi.h"
#include "mdexafs/feff.h"
#include "testutil.h"

/* Within half the last digit FEFF printed of `printed` (digits
 * significant digits), and a part in 1e6 for FEFF's single precision. */
static int within_print(double ours, double printed, int digits)
{
    double mag = printed == 0 ? 1e-30 : fabs(printed);
    double half = 0.5 * pow(10, floor(log10(mag)) - (digits - 1));
    return fabs(ours - printed) <= half * 1.01 + 1e-6 * mag;
}

static void test_paths_match_feffs_own_files(void **state)
{
    (void)state;
    mdx_feffbin fb;
    mdx_error err;
    char file[4096];
    assert_int_equal(mdx_feffbin_read(data_path("uo2_feffbin/frame_900/"
                                                "atom_0/feff.bin"), &fb, &err),
                     MDX_OK);
    assert_int_equal(fb.npaths, 356);
    double k[MDX_NK], a[MDX_NK], b[MDX_NK], worst_chi = 0, worst_k = 0;
    mdx_kgrid(k);
    mdx_chi_params par = mdx_chi_defaults();
    mdx_chi_work work = {0};
    for (size_t i = 0; i < fb.npaths; i++) {
        const mdx_path *p = &fb.paths[i];
        mdx_path dat = {0};
        snprintf(file, sizeof file, "uo2_feffbin/frame_900/atom_0/feff%04d.dat",
                 p->index);
        assert_int_equal(mdx_feff_parse_file(data_path(file), &dat, &err),
                         MDX_OK);
        assert_string_equal(p->version, dat.version);
        assert_int_equal(p->nleg, dat.nleg);
        assert_int_equal(p->abs_iz, dat.abs_iz);
        assert_string_equal(p->edge_label, dat.edge_label);
        assert_true(fabs(p->deg - dat.deg) < 1e-3);
        assert_true(fabs(p->reff - dat.reff) <= 5e-5);
        for (int l = 0; l < p->nleg; l++) {
            assert_int_equal(p->legs[l].ipot, dat.legs[l].ipot);
            assert_int_equal(p->legs[l].iz, dat.legs[l].iz);
            assert_string_equal(p->legs[l].label, dat.legs[l].label);
            /* printed with 4 decimals from FEFF's single precision */
            assert_true(fabs(p->legs[l].x - dat.legs[l].x) <= 5.1e-5);
            assert_true(fabs(p->legs[l].y - dat.legs[l].y) <= 5.1e-5);
            assert_true(fabs(p->legs[l].z - dat.legs[l].z) <= 5.1e-5);
        }
        assert_int_equal(p->nrows, dat.nrows);
        for (size_t r = 0; r < p->nrows; r++) {
            double dk = fabs(p->col[MDX_COL_K][r] - dat.col[MDX_COL_K][r]);
            worst_k = fmax(worst_k, dk);
            assert_true(dk <= 5e-4);  /* printed with 3 decimals */
            for (int c = 1; c < MDX_NCOLUMNS; c++)
                if (!within_print(p->col[c][r], dat.col[c][r],
                                  c == MDX_COL_RED ? 4 : 5))
                    fail_msg("path %d row %zu column %d: %.10g, FEFF printed "
                             "%.5g", p->index, r, c, p->col[c][r],
                             dat.col[c][r]);
        }
        assert_int_equal(mdx_chi(p, &par, MDX_NK, k, a, &work, &err), MDX_OK);
        assert_int_equal(mdx_chi(&dat, &par, MDX_NK, k, b, &work, &err), MDX_OK);
        double big = 0, diff = 0;
        for (int j = 0; j < MDX_NK; j++) {
            big = fmax(big, fabs(b[j]));
            diff = fmax(diff, fabs(a[j] - b[j]));
        }
        worst_chi = fmax(worst_chi, diff / big);
        assert_true(diff <= 3e-3 * big);
        mdx_path_free(&dat);
    }
    printf("# worst |k - k.dat| %.3g, worst chi difference %.3g of the "
           "path's largest |chi|\n", worst_k, worst_chi);
    mdx_chi_work_free(&work);
    mdx_feffbin_free(&fb);
}

static void test_without_xsect_the_grid_stops_where_k_does(void **state)
{
    (void)state;
    mdx_feffbin with, without;
    mdx_error err;
    assert_int_equal(mdx_feffbin_read(data_path("uo2_feffbin/frame_900/"
                                                "atom_0/feff.bin"), &with, &err),
                     MDX_OK);
    assert_int_equal(mdx_feffbin_read(data_path("uo2_feffbin/frame_910/"
                                                "atom_0/feff.bin"), &without,
                                      &err), MDX_OK);
    assert_int_equal(without.npoints, with.npoints);  /* the same FEFF grid */
    assert_true(without.npaths > 300);
    for (size_t r = 0; r < with.npoints; r++)  /* FEFF's grid, 0.1 apart */
        assert_true(fabs(with.paths[0].col[MDX_COL_K][r] -
                         without.paths[0].col[MDX_COL_K][r]) < 1e-3);
    mdx_feffbin_free(&with);
    mdx_feffbin_free(&without);
}

/* The sample file with `from` replaced by `to` at its first occurrence,
 * or cut after `cut` bytes when from is NULL; the error it gives. */
static mdx_error damaged(const char *from, const char *to, size_t cut)
{
    size_t len;
    char *text = read_text(data_path("uo2_feffbin/frame_900/atom_0/feff.bin"),
                           &len);
    if (from) {
        char *at = strstr(text, from);
        assert_non_null(at);
        memcpy(at, to, strlen(to));
    } else {
        len = cut;
        text[len] = '\0';
    }
    mdx_feffbin fb;
    mdx_error err;
    memset(&err, 0, sizeof err);
    if (mdx_feffbin_parse(text, len, "feff.bin", 0, NULL, 0, &fb, &err) ==
        MDX_OK)
        fail_msg("read without an error: '%s' for '%s', or cut at %zu",
                 to ? to : "", from ? from : "", cut);
    assert_null(fb.paths);
    free(text);
    return err;
}

/* The offset just after the first line end at or after `at`. */
static size_t line_end(size_t at)
{
    size_t len;
    char *text = read_text(data_path("uo2_feffbin/frame_900/atom_0/feff.bin"),
                           &len);
    size_t end = (size_t)(strchr(text + at, '\n') - text) + 1;
    free(text);
    return end;
}

static void test_bad_input_is_named(void **state)
{
    (void)state;
    mdx_error e = damaged("v03", "v02", 0);
    assert_int_equal(e.line, 1);
    assert_non_null(strstr(e.msg, "v03"));
    e = damaged("#&", "#x", 0);
    assert_int_equal(e.line, 3);
    e = damaged("O       92  92   8", "O       92  92   x", 0);  /* not a Z */
    assert_int_equal(e.line, 4);
    e = damaged("$SLoX{}X", "$SLoX{ X", 0);  /* a blank inside a number */
    assert_non_null(strstr(e.msg, "packing alphabet"));
    assert_int_equal(e.line, 5);
    e = damaged("##", "#%", 0);  /* the first path record's marker */
    assert_non_null(strstr(e.msg, "path record"));
    e = damaged(NULL, NULL, 3000);  /* cut inside a line of the arrays */
    assert_non_null(strstr(e.msg, "cut short"));
    e = damaged(NULL, NULL, line_end(3000));  /* after one: "xk" missing */
    assert_non_null(strstr(e.msg, "ends where"));
    e = damaged(NULL, NULL, 300000);  /* cut inside a line */
    assert_non_null(strstr(e.msg, "cut short"));
    assert_true(e.line > 1000);
    e = damaged("#_    2   83    8", "#_    2   83   99", 0);
    assert_int_equal(e.line, 2);
}

/* A file cut between two path records holds fewer paths: list.dat,
 * when present, names the ones it lacks. */
static void test_list_names_paths_the_file_lacks(void **state)
{
    (void)state;
    size_t len;
    char *text = read_text(data_path("uo2_feffbin/frame_900/atom_0/feff.bin"),
                           &len);
    char *second = strstr(strstr(text, "\n##") + 1, "\n##");
    int keep[] = {1, 2};
    mdx_feffbin fb;
    mdx_error err;
    assert_non_null(second);
    len = (size_t)(second - text) + 1;  /* path 1 only, whole lines */
    text[len] = '\0';
    assert_int_equal(mdx_feffbin_parse(text, len, "feff.bin", 0, keep, 2, &fb,
                                       &err), MDX_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "names path 2"));
    assert_int_equal(mdx_feffbin_parse(text, len, "feff.bin", 0, keep, 1, &fb,
                                       &err), MDX_OK);
    assert_int_equal(fb.npaths, 1);
    mdx_feffbin_free(&fb);
    free(text);
}

/* Each feff.bin path written as a feffNNNN.dat reads back as the same
 * path: the same chi(k), bit for bit (xraylarch on these files:
 * tests/tools/larch_compare.py). */
static void test_paths_export_as_path_files(void **state)
{
    (void)state;
    mdx_feffbin fb;
    mdx_error err;
    const char *dir = temp_dir();
    char file[4096];
    double k[MDX_NK], a[MDX_NK], b[MDX_NK];
    mdx_kgrid(k);
    mdx_chi_params par = mdx_chi_defaults();
    mdx_chi_work work = {0};
    assert_int_equal(mdx_feffbin_read(data_path("uo2_feffbin/frame_910/"
                                                "atom_0/feff.bin"), &fb, &err),
                     MDX_OK);
    for (size_t i = 0; i < fb.npaths; i++) {
        mdx_path back = {0};
        snprintf(file, sizeof file, "%s/feff%04d.dat", dir, fb.paths[i].index);
        assert_int_equal(mdx_feff_write(&fb.paths[i], file, "from feff.bin",
                                        &err), MDX_OK);
        if (mdx_feff_parse_file(file, &back, &err))
            fail_msg("%s:%ld: %s", err.file, err.line, err.msg);
        if (mdx_chi(&fb.paths[i], &par, MDX_NK, k, a, &work, &err) ||
            mdx_chi(&back, &par, MDX_NK, k, b, &work, &err))
            fail_msg("path %d: %s", fb.paths[i].index, err.msg);
        assert_memory_equal(a, b, sizeof a);
        mdx_path_free(&back);
    }
    mdx_chi_work_free(&work);
    mdx_feffbin_free(&fb);
    remove_tree(dir);
}

/* A copy of frame_900/atom_0's feff.bin with `list` as its list.dat
 * (frame_910's, or its own with line `line` replaced by `text`); the
 * error reading it gives. */
static mdx_error with_list(const char *list, int line, const char *text)
{
    const char *dir = temp_dir();
    char cmd[8192], bin[4096];
    snprintf(bin, sizeof bin, "%s/feff.bin", dir);
    copy_data("uo2_feffbin/frame_900/atom_0/feff.bin", bin);
    snprintf(cmd, sizeof cmd, "cp '%s' '%s/list.dat'", data_path(list), dir);
    assert_int_equal(system(cmd), 0);
    if (text) {
        snprintf(cmd, sizeof cmd, "sed -i '%ds/.*/%s/' '%s/list.dat'", line,
                 text, dir);
        assert_int_equal(system(cmd), 0);
    }
    mdx_feffbin fb;
    mdx_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(mdx_feffbin_read(bin, &fb, &err), MDX_ERR_FORMAT);
    assert_null(fb.paths);
    remove_tree(dir);
    return err;
}

static void test_list_dat_is_read_strictly(void **state)
{
    (void)state;
    const char *own = "uo2_feffbin/frame_900/atom_0/list.dat";
    mdx_error e = with_list("uo2_feffbin/frame_910/atom_0/list.dat", 0, NULL);
    assert_non_null(strstr(e.msg, "another run"));
    e = with_list(own, 8, "       x5     0.00000     0.9700E+02     1.000"
                          "     2   2.2577");
    assert_int_equal(e.line, 8);
    assert_non_null(strstr(e.file, "list.dat"));
    e = with_list(own, 8, "        5     0.00000     0.9700E+02     1.000"
                          "     3   9.9999");
    assert_non_null(strstr(e.msg, "path 5"));
}

/* FEFF prints reff in list.dat to 4 decimals from single precision: path
 * 42 of this real run is 4.25405 in feff.pad, printed 4.2540, half a unit
 * of the last digit away and a little more in double precision. */
static void test_list_dat_rounded_half_way_agrees(void **state)
{
    (void)state;
    mdx_feffbin fb;
    mdx_error err;
    const char *pad = data_path("uo2_feffpad_halfway/frame_2019/atom_26/"
                                "feff.pad");
    if (mdx_feffbin_read(pad, &fb, &err))
        fail_msg("%s:%ld: %s", err.file, err.line, err.msg);
    size_t i = 0;
    while (i < fb.npaths && fb.paths[i].index != 42)
        i++;
    assert_true(i < fb.npaths);
    assert_true(fabs(fb.paths[i].reff - 4.2540) > 5e-5);
    mdx_feffbin_free(&fb);
}

/* Path 5 of frame_900 (list.dat line 8) with its reff printed `off` from
 * feff.bin's own value, to 6 decimals: is the pair read? */
static int reads_with_reff_off(double off)
{
    mdx_feffbin fb;
    mdx_error err;
    const char *dir = temp_dir();
    char bin[4096], line[160];
    snprintf(bin, sizeof bin, "%s/feff.bin", dir);
    copy_data("uo2_feffbin/frame_900/atom_0/feff.bin", bin);
    copy_data("uo2_feffbin/frame_900/atom_0/list.dat", dir);
    if (mdx_feffbin_read(bin, &fb, &err))
        fail_msg("%s", err.msg);
    size_t i = 0;
    while (fb.paths[i].index != 5)
        i++;
    snprintf(line, sizeof line, "sed -i '8s/.*/        5     0.00000     "
             "0.8929E+02     1.000     2   %.6f/' '%s/list.dat'",
             fb.paths[i].reff + off, dir);
    mdx_feffbin_free(&fb);
    assert_int_equal(system(line), 0);
    mdx_status st = mdx_feffbin_read(bin, &fb, &err);
    if (st == MDX_OK)
        mdx_feffbin_free(&fb);
    remove_tree(dir);
    return st == MDX_OK;
}

/* list.dat's reff within half a unit of its 4th decimal (and the single
 * precision of feff.bin) agrees; beyond it, it is another run's. */
static void test_list_dat_reff_tolerance(void **state)
{
    (void)state;
    assert_true(reads_with_reff_off(4.9e-5));
    assert_true(reads_with_reff_off(-4.9e-5));
    assert_false(reads_with_reff_off(5.2e-5));
    assert_false(reads_with_reff_off(-5.2e-5));
}

static void test_one_path_twice_is_refused(void **state)
{
    (void)state;
    size_t len;
    char *text = read_text(data_path("uo2_feffbin/frame_900/atom_0/feff.bin"),
                           &len);
    const char *first = strstr(text, "\n##") + 1;
    const char *second = strstr(first, "\n##") + 1;
    size_t rec = (size_t)(second - first);
    char *twice = malloc(len + rec + 1);
    memcpy(twice, text, len);
    memcpy(twice + len, first, rec);  /* path 1 again at the end */
    twice[len + rec] = '\0';
    mdx_feffbin fb;
    mdx_error err;
    assert_int_equal(mdx_feffbin_parse(twice, len + rec, "feff.bin", 0, NULL,
                                       0, &fb, &err), MDX_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "twice"));
    free(twice);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paths_match_feffs_own_files),
        cmocka_unit_test(test_without_xsect_the_grid_stops_where_k_does),
        cmocka_unit_test(test_bad_input_is_named),
        cmocka_unit_test(test_list_names_paths_the_file_lacks),
        cmocka_unit_test(test_paths_export_as_path_files),
        cmocka_unit_test(test_list_dat_is_read_strictly),
        cmocka_unit_test(test_list_dat_rounded_half_way_agrees),
        cmocka_unit_test(test_list_dat_reff_tolerance),
        cmocka_unit_test(test_one_path_twice_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
