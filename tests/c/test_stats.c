/* Ensemble statistics (stats.c) against numpy (tests/tools/numpy_core.py
 * and numpy_stats.py): weighted moments (goldens/core), reff moments of
 * every path type of uo2_feff85, the histogram of its U-O reff and the
 * legs and angles of its U-O-U paths (goldens/stats), leg lengths
 * and angles of paths built by hand, the distance of each folder's U-O sum
 * (of xraylarch's chi) from their mean (goldens/stats/spread_UO.txt), and
 * the refusals. */
#include <glob.h>
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

/* The numbers of golden tests/data/<rel> after its '#' lines, in order. */
static size_t golden_numbers(const char *rel, double *v, size_t max)
{
    char *text = read_text(data_path(rel), NULL), *save;
    size_t n = 0;
    for (char *line = strtok_r(text, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        char *p = line, *end;
        while (line[0] != '#' && n < max) {
            double x = strtod(p, &end);
            if (end == p)
                break;
            v[n++] = x;
            p = end;
        }
    }
    free(text);
    return n;
}

/* Mirrored from tests/tools/numpy_core.py. */
static const double values[11] = {1.0, 1.2, 1.4, 1.6, 1.8, 2.0, 1.1, 1.9999,
                                  0.5, 2.5, 1.35};
static const double weights[11] = {1.0, 2.0, 0.5, 1.5, 3.0, 1.0, 0.25, 2.0,
                                   4.0, 1.0, 0.75};

static void test_moments_match_numpy(void **state)
{
    (void)state;
    double want[4];
    mdx_moments m;
    mdx_error err;
    assert_int_equal(golden_numbers("goldens/core/moments.txt", want, 4), 4);
    assert_int_equal(mdx_moments_of(values, weights, 11, &m, &err), MDX_OK);
    assert_int_equal(m.n, 11);
    assert_close(m.weight, want[0], 1e-14);
    assert_close(m.mean, want[1], 1e-14);
    assert_close(m.variance, want[2], 1e-14);
    assert_close(m.c3, want[3], 1e-14);
    assert_true(m.min == 0.5 && m.max == 2.5);
    /* no weights: each 1, the plain mean and population variance */
    const double x[4] = {1, 2, 3, 10};
    assert_int_equal(mdx_moments_of(x, NULL, 4, &m, &err), MDX_OK);
    assert_close(m.weight, 4, 0);
    assert_close(m.mean, 4, 1e-15);
    assert_close(m.variance, (9 + 4 + 1 + 36) / 4.0, 1e-14);
    assert_close(m.c3, (-27 - 8 - 1 + 216) / 4.0, 1e-13);
}

/* Every path file of uo2_feff85, as numpy_stats.py reads them. */
typedef struct tree_paths {
    size_t n;
    mdx_path *p;
} tree_paths;

static void read_tree(tree_paths *t)
{
    char pattern[4096];
    glob_t g;
    snprintf(pattern, sizeof pattern, "%s",
             data_path("uo2_feff85/frame_*/atom_*/feff[0-9]*.dat"));
    assert_int_equal(glob(pattern, 0, NULL, &g), 0);
    assert_int_equal(g.gl_pathc, 1417);
    t->n = g.gl_pathc;
    t->p = calloc(t->n, sizeof *t->p);
    for (size_t i = 0; i < t->n; i++) {
        mdx_error err;
        if (mdx_feff_parse_file(g.gl_pathv[i], &t->p[i], &err))
            fail_msg("%s: %s", g.gl_pathv[i], err.msg);
    }
    globfree(&g);
}

static void free_tree(tree_paths *t)
{
    for (size_t i = 0; i < t->n; i++)
        mdx_path_free(&t->p[i]);
    free(t->p);
}

static void assert_moments(const mdx_moments *m, const double *want)
{
    assert_int_equal(m->n, (size_t)want[0]);
    assert_close(m->weight, want[1], 1e-9);
    assert_close(m->mean, want[2], 1e-12 * fabs(want[2]));
    assert_close(m->variance, want[3], 1e-10 * fabs(want[3]));
    assert_close(m->c3, want[4], 1e-9 * fabs(want[4]));
    assert_close(m->min, want[5], 1e-12);
    assert_close(m->max, want[6], 1e-12);
}

static void test_tree_statistics_match_numpy(void **state)
{
    (void)state;
    tree_paths t;
    read_tree(&t);
    double *x = malloc(t.n * 8 * sizeof *x), *w = malloc(t.n * 8 * sizeof *w);
    char *text = read_text(data_path("goldens/stats/reff_moments.txt"), NULL), *save;
    int types = 0;
    for (char *line = strtok_r(text, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#')
            continue;
        char type[64], buf[MDX_TYPE_MAX];
        double want[7];
        assert_int_equal(sscanf(line, "%63s %lf %lf %lf %lf %lf %lf %lf", type,
                                &want[0], &want[1], &want[2], &want[3], &want[4],
                                &want[5], &want[6]), 8);
        size_t n = 0;
        for (size_t i = 0; i < t.n; i++) {
            mdx_path_type(&t.p[i], buf, sizeof buf);
            if (!strcmp(buf, type)) {
                x[n] = t.p[i].reff;
                w[n++] = t.p[i].deg;
            }
        }
        mdx_moments m;
        mdx_error err;
        assert_int_equal(mdx_moments_of(x, w, n, &m, &err), MDX_OK);
        assert_moments(&m, want);
        types++;
    }
    assert_int_equal(types, 12);
    free(text);

    /* U-O reff in 20 bins over 2.0 .. 3.2 as numpy.histogram */
    double hist[40], counts[20], outside;
    size_t n = 0;
    assert_int_equal(golden_numbers("goldens/stats/histogram_UO.txt", hist, 40), 40);
    for (size_t i = 0; i < t.n; i++) {
        char buf[MDX_TYPE_MAX];
        mdx_path_type(&t.p[i], buf, sizeof buf);
        if (!strcmp(buf, "U-O")) {
            x[n] = t.p[i].reff;
            w[n++] = t.p[i].deg;
        }
    }
    mdx_error err;
    assert_int_equal(mdx_histogram(x, w, n, 2.0, 3.2, 20, counts, &outside,
                                   &err), MDX_OK);
    double inside = 0;
    for (int b = 0; b < 20; b++) {
        assert_close(counts[b], hist[2 * b + 1], 0);
        inside += counts[b];
    }
    assert_close(outside, 224 - inside, 0);  /* the rest of U-O's weight */
    assert_error(mdx_histogram(x, NULL, n, 2, 2, 5, counts, &outside, &err),
                 err, MDX_ERR_ARG, "", 0, "histogram: need at least one bin "
                 "and lo < hi (5 bins, 2 .. 2)");
    assert_error(mdx_histogram(x, NULL, n, 1, 2, 0, counts, &outside, &err),
                 err, MDX_ERR_ARG, "", 0, "histogram: need at least one bin");

    /* U-O-U: all legs, and the angle at each scatterer */
    double want[2][7];
    text = read_text(data_path("goldens/stats/geometry_UOU.txt"), NULL);
    assert_int_equal(sscanf(strstr(text, "\nlegs "), "\nlegs %lf %lf %lf %lf %lf %lf %lf",
                            &want[0][0], &want[0][1], &want[0][2], &want[0][3],
                            &want[0][4], &want[0][5], &want[0][6]), 7);
    assert_int_equal(sscanf(strstr(text, "\nangles "), "\nangles %lf %lf %lf %lf %lf %lf %lf",
                            &want[1][0], &want[1][1], &want[1][2], &want[1][3],
                            &want[1][4], &want[1][5], &want[1][6]), 7);
    free(text);
    size_t nl = 0, na = 0;
    double *ang = malloc(t.n * 8 * sizeof *ang), *aw = malloc(t.n * 8 * sizeof *aw);
    for (size_t i = 0; i < t.n; i++) {
        char buf[MDX_TYPE_MAX];
        mdx_path_type(&t.p[i], buf, sizeof buf);
        if (strcmp(buf, "U-O-U"))
            continue;
        mdx_path_legs(&t.p[i], x + nl);
        mdx_path_angles(&t.p[i], ang + na);
        for (int l = 0; l < t.p[i].nleg; l++)
            w[nl++] = t.p[i].deg;
        for (int l = 1; l < t.p[i].nleg; l++)
            aw[na++] = t.p[i].deg;
    }
    mdx_moments m;
    assert_int_equal(mdx_moments_of(x, w, nl, &m, &err), MDX_OK);
    assert_moments(&m, want[0]);
    assert_int_equal(mdx_moments_of(ang, aw, na, &m, &err), MDX_OK);
    assert_moments(&m, want[1]);
    free(ang);
    free(aw);
    free(x);
    free(w);
    free_tree(&t);
}

/* A right-angled triangle and a straight U-O-U-O chain, by hand. */
static void test_legs_and_angles_by_hand(void **state)
{
    (void)state;
    mdx_leg tri[3] = {{0, 0, 0, 0, 92, "U"}, {2, 0, 0, 1, 8, "O"},
                      {2, 2, 0, 1, 8, "O"}};
    mdx_path p = {.nleg = 3, .legs = tri};
    double len[4], deg[3];
    mdx_path_legs(&p, len);
    assert_close(len[0], 2, 1e-15);
    assert_close(len[1], 2, 1e-15);
    assert_close(len[2], sqrt(8), 1e-15);
    mdx_path_angles(&p, deg);
    assert_close(deg[0], 90, 1e-12);
    assert_close(deg[1], 45, 1e-12);
    mdx_leg chain[4] = {{0, 0, 0, 0, 92, "U"}, {0, 0, 2.1, 1, 8, "O"},
                        {0, 0, 4.2, 2, 92, "U"}, {0, 0, 2.1, 1, 8, "O"}};
    p = (mdx_path){.nleg = 4, .legs = chain};
    mdx_path_legs(&p, len);
    for (int l = 0; l < 4; l++)
        assert_close(len[l], 2.1, 1e-15);
    mdx_path_angles(&p, deg);
    assert_close(deg[0], 180, 1e-12);  /* straight on */
    assert_close(deg[1], 0, 1e-12);    /* back the way it came */
    assert_close(deg[2], 180, 1e-12);
}

/* Each folder's sum of its U-O paths up to 3 Å (xraylarch's chi from the
 * larch_paths.txt goldens) against the mean of the four, over k 3..12
 * with k-weight 2, on the goldens' own k (as numpy_stats.py). */
static void test_distance_matches_numpy(void **state)
{
    (void)state;
    static const char *const folders[] = {"frame_500/atom_0", "frame_500/atom_1",
                                          "frame_510/atom_0", "frame_510/atom_1"};
    double want[12], k[MDX_NK], sums[4][MDX_NK] = {{0}}, mean[MDX_NK] = {0};
    assert_int_equal(golden_numbers("goldens/stats/spread_UO.txt", want, 12), 12);
    for (int f = 0; f < 4; f++) {
        char rel[128], file[4096];
        int use[512] = {0};
        snprintf(rel, sizeof rel, "goldens/uo2_feff85/%s/larch_paths.txt", folders[f]);
        /* "# k feff0001.dat ...", then 401 rows: too many columns for
         * mdx_columns (at most 64), read here */
        char *text = read_text(data_path(rel), NULL), *save;
        char *names = strtok_r(text + 4, "\n", &save), *rows = save, *s2;
        size_t ncols = 1;
        for (char *name = strtok_r(names, " ", &s2); name;
             name = strtok_r(NULL, " ", &s2), ncols++) {
            assert_true(ncols < 512);
            mdx_path p;
            mdx_error err;
            char type[MDX_TYPE_MAX];
            snprintf(file, sizeof file, "%s/%s/%s", data_path("uo2_feff85"),
                     folders[f], name);
            assert_int_equal(mdx_feff_parse_file(file, &p, &err), MDX_OK);
            mdx_path_type(&p, type, sizeof type);
            use[ncols] = !strcmp(type, "U-O") && p.reff <= 3.0;
            mdx_path_free(&p);
        }
        char *at = rows;
        for (size_t i = 0; i < MDX_NK; i++) {
            k[i] = strtod(at, &at);
            for (size_t col = 1; col < ncols; col++) {
                double v = strtod(at, &at);
                sums[f][i] += use[col] ? v : 0;
            }
            mean[i] += sums[f][i] / 4;
        }
        free(text);
    }
    for (int f = 0; f < 4; f++) {
        double d;
        mdx_error err;
        assert_int_equal(mdx_chi_distance(k, sums[f], mean, MDX_NK, 3, 12, 2,
                                          &d, &err), MDX_OK);
        assert_close(d, want[3 * f + 2], 1e-12 * want[3 * f + 2]);
    }
}

/* Values on the inner edges of the bins go into the bin above, as
 * numpy.histogram puts them (goldens/core/histogram.txt). */
static void test_histogram_edges_match_numpy(void **state)
{
    (void)state;
    double want[6], counts[5], outside;
    char *text = read_text(data_path("goldens/core/histogram.txt"), NULL);
    char *p = text;
    while (*p == '#')
        while (*p++ != '\n')
            ;
    for (int i = 0; i < 6; i++)
        want[i] = strtod(p, &p);
    free(text);
    mdx_error err;
    assert_int_equal(mdx_histogram(values, weights, 11, 1, 2, 5, counts,
                                   &outside, &err), MDX_OK);
    for (int b = 0; b < 5; b++)
        if (!(fabs(counts[b] - want[b]) <= 1e-14))
            fail_msg("bin %d: %g, numpy %g", b, counts[b], want[b]);
    assert_close(outside, want[5], 1e-14);
}

static void test_refusals(void **state)
{
    (void)state;
    const double x[3] = {1, NAN, 2}, w0[3] = {0, 0, 0}, neg[3] = {1, -1, 1};
    double k[3] = {0, 1, 2}, zero[3] = {0, 0, 0}, d;
    mdx_moments m;
    mdx_error err;
    assert_error(mdx_moments_of(x, NULL, 3, &m, &err), err, MDX_ERR_ARG, "", 0,
                 "moments: value 2 (nan, weight 1) is not a finite number with "
                 "a weight >= 0");
    assert_error(mdx_moments_of(k, neg, 3, &m, &err), err, MDX_ERR_ARG, "", 0,
                 "moments: value 2 (1, weight -1)");
    assert_error(mdx_moments_of(k, w0, 3, &m, &err), err, MDX_ERR_ARG, "", 0,
                 "moments: no values (or no weight) to take them of");
    assert_error(mdx_moments_of(k, NULL, 0, &m, &err), err, MDX_ERR_ARG, "", 0,
                 "moments: no values");
    assert_error(mdx_distance_check(5, 5, 2, &err), err, MDX_ERR_ARG, "", 0,
                 "kmin 5, kmax 5: need 0 <= kmin < kmax <= 20");
    assert_error(mdx_distance_check(3, 21, 2, &err), err, MDX_ERR_ARG, "", 0,
                 "kmin 3, kmax 21: need 0 <= kmin < kmax <= 20");
    assert_error(mdx_distance_check(3, 12, NAN, &err), err, MDX_ERR_ARG, "", 0,
                 "kweight must be a finite number");
    assert_error(mdx_distance_check(0, 12, -1, &err), err, MDX_ERR_ARG, "", 0,
                 "kweight -1 with kmin 0: k^-1 is infinite at k = 0, so a "
                 "negative k-weight needs kmin > 0");
    assert_int_equal(mdx_distance_check(0.5, 12, -1, &err), MDX_OK);
    assert_error(mdx_chi_distance(k, k, zero, 3, 0, 2, 2, &d, &err), err,
                 MDX_ERR_RANGE, "", 0, "the reference is zero over k 0 .. 2, "
                 "or the range holds no point");
    assert_error(mdx_chi_distance(k, k, k, 3, 1.2, 1.8, 2, &d, &err), err,
                 MDX_ERR_RANGE, "", 0, "the reference is zero over k 1.2 .. 1.8");
    assert_error(mdx_chi_distance(k, k, k, 3, 2, 1, 2, &d, &err), err,
                 MDX_ERR_ARG, "", 0, "kmin 2, kmax 1: need");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_moments_match_numpy),
        cmocka_unit_test(test_tree_statistics_match_numpy),
        cmocka_unit_test(test_legs_and_angles_by_hand),
        cmocka_unit_test(test_distance_matches_numpy),
        cmocka_unit_test(test_histogram_edges_match_numpy),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
