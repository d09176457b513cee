/* Fourier transforms (xft.c): window names, larch's ftwindow for every
 * kind (goldens/core/ftwindow.txt, tests/tools/numpy_core.py), xftf of the
 * reference mix_file.dat against xraylarch's xftf for nine window cases
 * (goldens/science/xftf_*.txt, tests/tools/larch_goldens.py), and the
 * options xftf refuses. */
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

/* Parse tests/data/<rel> as a column file. */
static void load_columns(const char *rel, mdx_columns *c)
{
    char *text = read_text(data_path(rel), NULL);
    mdx_error err;
    if (mdx_columns_parse(text, rel, c, &err))
        fail_msg("%s: %s", rel, err.msg);
    free(text);
}

static const char *const names[] = {"hanning", "fhanning", "gaussian",
                                    "kaiser", "parzen", "welch", "sine",
                                    "bessel"};

static void test_window_names(void **state)
{
    (void)state;
    enum mdx_window w;
    mdx_error err;
    for (int i = 0; i < 8; i++) {
        assert_string_equal(mdx_window_name((enum mdx_window)i), names[i]);
        assert_int_equal(mdx_window_parse(names[i], &w, &err), MDX_OK);
        assert_int_equal(w, i);
    }
    /* as larch: the first three letters, any case */
    assert_int_equal(mdx_window_parse("KAIser-bessel", &w, &err), MDX_OK);
    assert_int_equal(w, MDX_WIN_KAISER);
    assert_int_equal(mdx_window_parse("Fha", &w, &err), MDX_OK);
    assert_int_equal(w, MDX_WIN_FHANNING);
    assert_null(mdx_window_name((enum mdx_window)8));
    assert_error(mdx_window_parse("square", &w, &err), err, MDX_ERR_ARG, "", 0,
                 "unknown window 'square' (known: hanning fhanning gaussian "
                 "kaiser parzen welch sine bessel)");
    /* two letters are not enough to name one */
    assert_error(mdx_window_parse("ha", &w, &err), err, MDX_ERR_ARG, "", 0,
                 "unknown window 'ha'");
}

static void test_defaults_are_larchs(void **state)
{
    (void)state;
    mdx_xft_options o = mdx_xft_defaults();  /* larch's xftf signature */
    assert_true(o.kmin == 0 && o.kmax == 20 && o.dk == 1 && o.kweight == 0);
    assert_true(isnan(o.dk2));
    assert_int_equal(o.window, MDX_WIN_KAISER);
    assert_true(o.rmax_out == 10 && o.kstep == 0.05);
    assert_int_equal(o.nfft, 2048);
}

static void test_ftwindow_matches_larch(void **state)
{
    (void)state;
    mdx_columns g;
    load_columns("goldens/core/ftwindow.txt", &g);
    assert_int_equal(g.nrows, 401);
    assert_int_equal(g.ncols, 9);
    double x[401], win[401];
    for (size_t i = 0; i < 401; i++)
        x[i] = g.v[i * 9];
    for (int kind = 0; kind < 8; kind++) {
        assert_int_equal(mdx_columns_find(&g, names[kind]), kind + 1);
        mdx_ftwindow(x, 401, 3, 14, 2, 1, (enum mdx_window)kind, win);
        for (size_t i = 0; i < 401; i++)
            if (!(fabs(win[i] - g.v[i * 9 + 1 + (size_t)kind]) <= 1e-12))
                fail_msg("%s at x = %g: %.17g, larch %.17g", names[kind],
                         x[i], win[i], g.v[i * 9 + 1 + (size_t)kind]);
    }
    mdx_columns_free(&g);
}

/* The cases of tests/tools/larch_goldens.py. */
typedef struct xcase {
    const char *name;
    double kweight, kmin, kmax, dk, dk2;
    enum mdx_window window;
    double rmax_out;
    size_t nfft;
} xcase;

static const xcase cases[] = {
    {"kaiser_kw2", 2, 3, 14, 1, NAN, MDX_WIN_KAISER, 10, 2048},
    {"hanning_kw3", 3, 2.5, 15, 2, NAN, MDX_WIN_HANNING, 10, 2048},
    {"sine_kw1", 1, 2, 12, 1.5, NAN, MDX_WIN_SINE, 10, 2048},
    {"parzen_kw2", 2, 3, 13, 2, NAN, MDX_WIN_PARZEN, 10, 2048},
    {"welch_kw2", 2, 3, 13, 2, NAN, MDX_WIN_WELCH, 10, 2048},
    {"gaussian_kw2", 2, 3, 13, 3, NAN, MDX_WIN_GAUSSIAN, 10, 2048},
    {"fhanning_kw2", 2, 3, 13, 0.2, NAN, MDX_WIN_FHANNING, 10, 2048},
    {"bessel_kw2", 2, 3, 13, 2.5, NAN, MDX_WIN_BESSEL, 10, 2048},
    {"kaiser_dk2_kw0", 0, 4, 16, 3, 1, MDX_WIN_KAISER, 6, 4096},
};

/* r within 1e-12, the rest within 1e-10 of the peak of |chi(R)| (what
 * the Lua spec allows: FFTW and numpy's FFT round differently). */
static void test_xftf_matches_larch(void **state)
{
    (void)state;
    mdx_columns mix;
    load_columns("goldens/reference/uo2_feff85/mix_file.dat", &mix);
    assert_int_equal(mix.ncols, 2);
    double *k = malloc(mix.nrows * sizeof *k), *chi = malloc(mix.nrows * sizeof *chi);
    for (size_t i = 0; i < mix.nrows; i++) {
        k[i] = mix.v[2 * i];
        chi[i] = mix.v[2 * i + 1];
    }
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const xcase *x = &cases[c];
        char rel[128];
        snprintf(rel, sizeof rel, "goldens/science/xftf_%s.txt", x->name);
        mdx_columns g;
        load_columns(rel, &g);
        mdx_xft_options o = mdx_xft_defaults();
        o.kweight = x->kweight;
        o.kmin = x->kmin;
        o.kmax = x->kmax;
        o.dk = x->dk;
        o.dk2 = x->dk2;
        o.window = x->window;
        o.rmax_out = x->rmax_out;
        o.nfft = x->nfft;
        mdx_chir r;
        mdx_error err;
        assert_int_equal(mdx_xftf(k, chi, mix.nrows, &o, &r, &err), MDX_OK);
        assert_int_equal(r.n, g.nrows);
        double peak = 0;
        for (size_t i = 0; i < g.nrows; i++)
            peak = fmax(peak, g.v[4 * i + 3]);
        for (size_t i = 0; i < r.n; i++) {
            assert_close(r.r[i], g.v[4 * i], 1e-12);
            assert_close(r.re[i], g.v[4 * i + 1], 1e-10 * peak);
            assert_close(r.im[i], g.v[4 * i + 2], 1e-10 * peak);
            assert_close(r.mag[i], g.v[4 * i + 3], 1e-10 * peak);
        }
        mdx_chir_free(&r);
        mdx_columns_free(&g);
    }
    free(k);
    free(chi);
    mdx_columns_free(&mix);
}

static void test_xftf_refuses(void **state)
{
    (void)state;
    double k[41], chi[41];
    for (int i = 0; i < 41; i++) {
        k[i] = 0.25 * i;
        chi[i] = sin(2 * k[i]);
    }
    mdx_xft_options o = mdx_xft_defaults();
    mdx_chir r;
    mdx_error err;
    o.kmin = 5;
    o.kmax = 5;
    assert_error(mdx_xftf(k, chi, 41, &o, &r, &err), err, MDX_ERR_ARG, "", 0,
                 "xftf: need two or more points, kstep > 0, nfft >= 2 and "
                 "kmin < kmax");
    assert_null(r.r);
    o = mdx_xft_defaults();
    o.kmin = 10;  /* the data end at k = 10 */
    assert_error(mdx_xftf(k, chi, 41, &o, &r, &err), err, MDX_ERR_ARG, "", 0,
                 "xftf: kmin 10 is at or beyond the end of the data (k up to 10)");
    o = mdx_xft_defaults();
    o.nfft = 64;  /* 201 points on the 0.05 grid */
    assert_error(mdx_xftf(k, chi, 41, &o, &r, &err), err, MDX_ERR_ARG, "", 0,
                 "xftf: 201 points of chi(k) do not fit in nfft = 64");
    o = mdx_xft_defaults();
    o.rmax_out = 0;
    assert_error(mdx_xftf(k, chi, 41, &o, &r, &err), err, MDX_ERR_ARG, "", 0,
                 "xftf: rmax_out 0 must be positive");
    o = mdx_xft_defaults();
    o.dk2 = -1;
    assert_error(mdx_xftf(k, chi, 41, &o, &r, &err), err, MDX_ERR_ARG, "", 0,
                 "xftf: dk 1 and dk2 -1 must not be negative");
    o = mdx_xft_defaults();
    o.kweight = INFINITY;
    assert_error(mdx_xftf(k, chi, 41, &o, &r, &err), err, MDX_ERR_ARG, "", 0,
                 "must be finite numbers");
    o = mdx_xft_defaults();
    k[0] = -0.25;
    assert_error(mdx_xftf(k, chi, 41, &o, &r, &err), err, MDX_ERR_ARG, "", 0,
                 "xftf: chi(k) starts at k = -0.25: k must be >= 0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_window_names),
        cmocka_unit_test(test_defaults_are_larchs),
        cmocka_unit_test(test_ftwindow_matches_larch),
        cmocka_unit_test(test_xftf_matches_larch),
        cmocka_unit_test(test_xftf_refuses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
