/* chi(k) against xraylarch: every path of every golden in tests/data/goldens
 * (xraylarch 0.9.58 feffpath + path2chi, default and non-default path
 * parameters) must agree to 1e-10, and so must every file of the path-file
 * corpus (tests/data/corpus: FEFF 6L, 8.5L, larch's feff8l, files edited
 * the ways they are met). Prints the worst difference. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>

#include "mdexafs/chi.h"
#include "golden.h"
#include "testutil.h"

#define TOLERANCE 1e-10

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}
/* Compare every path of one golden; returns the number of paths. */
static int check_golden(const char *folder, const char *file)
{
    char rel[512];
    golden g;
    double k[MDX_NK], chi[MDX_NK], worst = 0;
    mdx_chi_work work = {0};

    snprintf(rel, sizeof rel, "goldens/%s/%s", folder, file);
    load_golden(rel, &g);
    mdx_kgrid(k);
    assert_memory_equal(k, g.k, sizeof k);  /* larch's grid, bit for bit */
    for (int c = 0; c < g.ncols; c++) {
        mdx_path path;
        mdx_error err;
        snprintf(rel, sizeof rel, "%s/%s", folder, g.names[c]);
        if (mdx_feff_parse_file(data_path(rel), &path, &err) ||
            mdx_chi(&path, &g.par, MDX_NK, k, chi, &work, &err))
            fail_msg("%s: %s", rel, err.msg);
        for (int i = 0; i < MDX_NK; i++) {
            double d = fabs(chi[i] - g.chi[(size_t)c * MDX_NK + i]);
            if (!(d <= TOLERANCE))
                fail_msg("%s k=%g: mdexafs %.17g, xraylarch %.17g", rel, k[i],
                         chi[i], g.chi[(size_t)c * MDX_NK + i]);
            worst = fmax(worst, d);
        }
        mdx_path_free(&path);
    }
    printf("  %-28s %-26s %3d paths, worst |diff| %.3g\n", folder, file,
           g.ncols, worst);
    mdx_chi_work_free(&work);
    int n = g.ncols;
    free_golden(&g);
    return n;
}

static const char *const folders[] = {
    "uo2_feff85/frame_500/atom_0", "uo2_feff85/frame_500/atom_1",
    "uo2_feff85/frame_510/atom_0", "uo2_feff85/frame_510/atom_1",
    "uo2_feff6/frame_600/atom_0",  "uo2_feff6/frame_600/atom_1",
};

static void test_every_path_matches_larch_defaults(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof folders / sizeof folders[0]; i++)
        check_golden(folders[i], "larch_paths.txt");
}

static void test_every_path_matches_larch_with_parameters(void **state)
{
    (void)state;
    check_golden(folders[0], "larch_paths_params.txt");
    check_golden(folders[4], "larch_paths_params.txt");
}

/* The entries of tests/data/<rel> other than "." and "..", sorted; with
 * `suffix`, only the names that end in it. */
static int list_dir(const char *rel, const char *suffix, char ***names)
{
    DIR *d = opendir(data_path(rel));
    struct dirent *e;
    int n = 0;
    assert_non_null(d);
    *names = NULL;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name), slen = suffix ? strlen(suffix) : 0;
        if (e->d_name[0] == '.' ||
            (suffix && (len < slen || strcmp(e->d_name + len - slen, suffix))))
            continue;
        *names = realloc(*names, (size_t)(n + 1) * sizeof **names);
        (*names)[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(*names, (size_t)n, sizeof **names, compare_names);
    return n;
}

static void free_names(char **names, int n)
{
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* Every path file of every corpus folder reads and matches xraylarch, with
 * default and with non-default parameters: no file without its golden. */
static void test_corpus_matches_larch(void **state)
{
    (void)state;
    char **runs, **files, rel[512];
    int nruns = list_dir("corpus", NULL, &runs), npaths = 0;
    assert_true(nruns >= 8);
    for (int i = 0; i < nruns; i++) {
        snprintf(rel, sizeof rel, "corpus/%s", runs[i]);
        int nfiles = list_dir(rel, ".dat", &files);
        assert_int_equal(check_golden(rel, "larch_paths.txt"), nfiles);
        assert_int_equal(check_golden(rel, "larch_paths_params.txt"), nfiles);
        npaths += nfiles;
        free_names(files, nfiles);
    }
    printf("  corpus: %d path files in %d folders\n", npaths, nruns);
    free_names(runs, nruns);
}

static void test_short_path_has_no_chi(void **state)
{
    (void)state;
    mdx_path path;
    mdx_error err;
    mdx_chi_work work = {0};
    double k[MDX_NK], chi[MDX_NK];
    mdx_chi_params par = mdx_chi_defaults();
    mdx_kgrid(k);
    assert_int_equal(mdx_feff_parse_file(
        data_path("uo2_feff85/frame_500/atom_0/feff0001.dat"), &path, &err), 0);
    path.reff = 0.04;
    assert_int_equal(mdx_chi(&path, &par, MDX_NK, k, chi, &work, &err),
                     MDX_ERR_RANGE);
    assert_non_null(strstr(err.msg, "below 0.05"));
    mdx_path_free(&path);
    mdx_chi_work_free(&work);
}

/* A table cut short is not extrapolated; parameters that make chi(k)
 * overflow are an error, not NaN. */
static void test_no_chi_beyond_table_or_finite_values(void **state)
{
    (void)state;
    mdx_path path;
    mdx_error err;
    mdx_chi_work work = {0};
    double k[MDX_NK], chi[MDX_NK];
    mdx_chi_params par = mdx_chi_defaults();
    mdx_kgrid(k);
    assert_int_equal(mdx_feff_parse_file(
        data_path("uo2_feff85/frame_500/atom_0/feff0005.dat"), &path, &err), 0);
    size_t rows = path.nrows;
    path.nrows = 20;  /* the table now ends well before k = 20 */
    assert_int_equal(mdx_chi(&path, &par, MDX_NK, k, chi, &work, &err),
                     MDX_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "not all of the k grid 0 .. 20"));
    path.nrows = rows;
    par.e0 = 1e300;
    assert_int_equal(mdx_chi(&path, &par, MDX_NK, k, chi, &work, &err),
                     MDX_ERR_ARG);
    assert_non_null(strstr(err.msg, "not finite"));
    par = mdx_chi_defaults();
    par.s02 = NAN;
    assert_int_equal(mdx_chi(&path, &par, MDX_NK, k, chi, &work, &err),
                     MDX_ERR_ARG);
    mdx_path_free(&path);
    mdx_chi_work_free(&work);
}

static void test_degeneracy_override_scales_chi(void **state)
{
    (void)state;
    mdx_path path;
    mdx_error err;
    mdx_chi_work work = {0};
    double k[MDX_NK], one[MDX_NK], three[MDX_NK];
    mdx_chi_params par = mdx_chi_defaults();
    mdx_kgrid(k);
    assert_int_equal(mdx_feff_parse_file(
        data_path("uo2_feff85/frame_500/atom_0/feff0005.dat"), &path, &err), 0);
    assert_true(path.deg == 1.0);
    assert_int_equal(mdx_chi(&path, &par, MDX_NK, k, one, &work, &err), 0);
    par.degen = 3;
    assert_int_equal(mdx_chi(&path, &par, MDX_NK, k, three, &work, &err), 0);
    for (int i = 0; i < MDX_NK; i++)
        assert_close(three[i], 3 * one[i], 1e-15);
    mdx_path_free(&path);
    mdx_chi_work_free(&work);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_path_matches_larch_defaults),
        cmocka_unit_test(test_every_path_matches_larch_with_parameters),
        cmocka_unit_test(test_corpus_matches_larch),
        cmocka_unit_test(test_short_path_has_no_chi),
        cmocka_unit_test(test_degeneracy_override_scales_chi),
        cmocka_unit_test(test_no_chi_beyond_table_or_finite_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
