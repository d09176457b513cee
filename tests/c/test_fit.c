/* Fitting (fit.c, fit_lm.c) with a C model callback: one FEFF path with
 * noise against xraylarch's feffit in k, R and q space and with three
 * k-weights (goldens/fit, tests/tools/larch_feffit.py); a noise-free
 * synthetic model whose optimum is known exactly; bad input and a model
 * that fails or gives NaN. */
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

/* The model of larch_feffit.py's single cases: path 1 of
 * uo2_feff85/frame_500/atom_0 with s02 amp, e0 de0, deltar dr, sigma2 ss2. */
typedef struct one_path {
    mdx_path path;
    mdx_chi_work work;
} one_path;

static mdx_status path_model(void *ctx, const double *v, size_t nk,
                             double *chi, mdx_error *err)
{
    one_path *m = ctx;
    mdx_chi_params par = mdx_chi_defaults();
    par.s02 = v[0];
    par.e0 = v[1];
    par.deltar = v[2];
    par.sigma2 = v[3];
    double k[MDX_NK];
    mdx_kgrid(k);
    return mdx_chi(&m->path, &par, nk, k, chi, &m->work, err);
}

/* A value of a golden: its line "key v1 v2 ..."; the i-th number. */
static double golden_value(const char *text, const char *key, int i)
{
    char pat[80];
    snprintf(pat, sizeof pat, "\n%s ", key);
    const char *p = strstr(text, pat);
    if (!p)
        fail_msg("no %s in the golden", key);
    char *end = (char *)p + strlen(pat);
    double v = strtod(end, &end);
    while (i-- > 0)
        v = strtod(end, &end);
    return v;
}

static double rel(double a, double b)
{
    return fabs(a - b) / fabs(b);
}

/* The tolerances of tests/lua/fit_spec.lua: best values within 2e-5
 * relative or 1e-7 absolute (finite-difference Jacobians of chi(k) that
 * differ in the last bits), uncertainties and correlations within 1e-3,
 * statistics within 1e-6. */
static void agrees(const mdx_fit_result *r, const char *case_name)
{
    static const char *const vars[] = {"amp", "de0", "dr", "ss2"};
    char rel_path[64], key[64];
    snprintf(rel_path, sizeof rel_path, "goldens/fit/%s.txt", case_name);
    char *raw = read_text(data_path(rel_path), NULL);
    size_t len = strlen(raw);
    char *text = malloc(len + 2);
    text[0] = '\n';  /* every key after a newline */
    memcpy(text + 1, raw, len + 1);
    free(raw);
    for (int i = 0; i < 4; i++) {
        snprintf(key, sizeof key, "value_%s", vars[i]);
        double want = golden_value(text, key, 0);
        if (!(rel(r->values[i], want) <= 2e-5 || fabs(r->values[i] - want) <= 1e-7))
            fail_msg("%s %s = %.10g, xraylarch %.10g", case_name, vars[i],
                     r->values[i], want);
        snprintf(key, sizeof key, "stderr_%s", vars[i]);
        assert_true(rel(r->uncertainties[i], golden_value(text, key, 0)) <= 1e-3);
        for (int j = i + 1; j < 4; j++) {
            snprintf(key, sizeof key, "correl_%s_%s", vars[i], vars[j]);
            double c = golden_value(text, key, 0);
            assert_true(rel(r->correl[i * 4 + j], c) <= 1e-3);
            assert_true(r->correl[i * 4 + j] == r->correl[j * 4 + i]);
        }
    }
    assert_true(rel(r->n_idp, golden_value(text, "n_independent", 0)) <= 1e-6);
    assert_true(rel(r->chi_square, golden_value(text, "chi_square", 0)) <= 1e-6);
    assert_true(rel(r->chi2_reduced, golden_value(text, "chi2_reduced", 0)) <= 1e-6);
    assert_true(rel(r->rfactor, golden_value(text, "rfactor", 0)) <= 1e-6);
    assert_true(rel(r->aic, golden_value(text, "aic", 0)) <= 1e-6);
    assert_true(rel(r->bic, golden_value(text, "bic", 0)) <= 1e-6);
    assert_int_equal(r->ndata, (size_t)golden_value(text, "ndata", 0));
    for (size_t w = 0; w < 1; w++)
        assert_true(rel(r->sets[0].epsilon_k[w], golden_value(text, "epsilon_k", (int)w)) <= 1e-6);
    assert_true(r->errorbars);
    assert_true(r->status >= 1 && r->status <= 4);
    free(text);
}

static void test_one_path_agrees_with_feffit(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        enum mdx_fitspace space;
        size_t nkw;
    } cases[] = {{"single_r", MDX_FIT_R, 1}, {"single_k", MDX_FIT_K, 1},
                 {"single_q", MDX_FIT_Q, 1}, {"single_kw123", MDX_FIT_R, 3}};
    one_path m = {0};
    mdx_error err;
    assert_int_equal(mdx_feff_parse_file(
        data_path("uo2_feff85/frame_500/atom_0/feff0001.dat"), &m.path, &err), MDX_OK);
    char *text = read_text(data_path("goldens/fit/single.chik"), NULL);
    mdx_columns d;
    assert_int_equal(mdx_columns_parse(text, "single.chik", &d, &err), MDX_OK);
    free(text);
    double *k = malloc(d.nrows * sizeof *k), *chi = malloc(d.nrows * sizeof *chi);
    for (size_t i = 0; i < d.nrows; i++) {
        k[i] = d.v[2 * i];
        chi[i] = d.v[2 * i + 1];
    }
    mdx_fit_var vars[4] = {{"amp", 1.0, -INFINITY, INFINITY},
                           {"de0", 0.0, -INFINITY, INFINITY},
                           {"dr", 0.0, -INFINITY, INFINITY},
                           {"ss2", 0.003, -INFINITY, INFINITY}};
    for (size_t c = 0; c < 4; c++) {
        mdx_fit_transform t = mdx_fit_transform_defaults();
        t.kmin = 3;
        t.kmax = 14;
        t.dk = 1;
        t.window = MDX_WIN_HANNING;
        t.rmin = 1.2;
        t.rmax = 2.6;
        t.space = cases[c].space;
        t.nkweights = cases[c].nkw;
        for (size_t w = 0; w < t.nkweights; w++)
            t.kweights[w] = t.nkweights == 1 ? 2 : (int)w + 1;
        mdx_fit_result r;
        assert_int_equal(mdx_fit(k, chi, d.nrows, &t, vars, 4, path_model, &m,
                                 &r, &err), MDX_OK);
        agrees(&r, cases[c].name);
        mdx_fit_result_free(&r);
    }
    free(k);
    free(chi);
    mdx_columns_free(&d);
    mdx_chi_work_free(&m.work);
    mdx_path_free(&m.path);
}

/* a exp(-2 k^2 s) sin(2 k r) / k^2 for k > 0, 0 at k = 0. */
static void damped_sine(const double *v, size_t nk, double *chi)
{
    for (size_t i = 0; i < nk; i++) {
        double k = MDX_KSTEP * (double)i;
        chi[i] = i ? v[0] * exp(-2 * k * k * v[2]) * sin(2 * k * v[1]) / (k * k) : 0;
    }
}

static mdx_status sine_model(void *ctx, const double *v, size_t nk,
                             double *chi, mdx_error *err)
{
    (void)err;
    ++*(int *)ctx;
    damped_sine(v, nk, chi);
    return MDX_OK;
}

/* Data made by the model itself at (0.8, 2.35, 0.004), on the model's
 * grid so that nothing is interpolated: the optimum is exactly there,
 * with a zero chi-square. */
static void test_noise_free_fit_finds_the_truth(void **state)
{
    (void)state;
    const double truth[3] = {0.8, 2.35, 0.004};
    double k[MDX_NK], chi[MDX_NK];
    mdx_kgrid(k);
    damped_sine(truth, MDX_NK, chi);
    mdx_fit_var vars[3] = {{"a", 1.0, 0, 5}, {"r", 2.3, 2, 3},
                           {"s", 0.002, -INFINITY, INFINITY}};
    mdx_fit_transform t = mdx_fit_transform_defaults();
    t.kmin = 3;
    t.kmax = 15;
    t.rmin = 1;
    t.rmax = 3;
    t.epsilon_k = 0.001;  /* no noise to estimate it from */
    for (int space = MDX_FIT_K; space <= MDX_FIT_Q; space++) {
        int calls = 0;
        t.space = (enum mdx_fitspace)space;
        mdx_fit_result r;
        mdx_error err;
        assert_int_equal(mdx_fit(k, chi, MDX_NK, &t, vars, 3, sine_model,
                                 &calls, &r, &err), MDX_OK);
        for (int i = 0; i < 3; i++)
            assert_close(r.values[i], truth[i], 1e-7 * fabs(truth[i]));
        assert_true(r.chi_square < 1e-10);
        assert_true(r.rfactor < 1e-12);
        assert_int_equal(r.nsets, 1);
        assert_int_equal(r.sets[0].nk, MDX_NK);
        assert_int_equal((int)r.nfev, calls);
        /* n_idp is feffit's 1 + 2 dR dk / pi */
        assert_close(r.n_idp, 1 + 2 * 2.0 * 12.0 / M_PI, 1e-12);
        assert_close(r.sets[0].epsilon_k[0], 0.001, 0);
        mdx_fit_result_free(&r);
    }
}

/* The report: feffit_report's sections with the fit's own numbers, its
 * length told by a call without a buffer, cut where the buffer ends. */
static void test_report(void **state)
{
    (void)state;
    const double truth[3] = {0.8, 2.35, 0.004};
    double k[MDX_NK], chi[MDX_NK];
    mdx_kgrid(k);
    damped_sine(truth, MDX_NK, chi);
    mdx_fit_var vars[3] = {{"a", 1.0, 0, 5}, {"r", 2.3, 2, 3},
                           {"s", 0.002, -INFINITY, INFINITY}};
    mdx_fit_transform t = mdx_fit_transform_defaults();
    t.kmin = 3;
    t.kmax = 15;
    t.epsilon_k = 0.001;
    int calls = 0;
    mdx_fit_result r;
    mdx_error err;
    assert_int_equal(mdx_fit(k, chi, MDX_NK, &t, vars, 3, sine_model, &calls,
                             &r, &err), MDX_OK);
    const size_t npaths = 5;
    const double nfolders = 4;
    const char *label = "synthetic";
    size_t n = mdx_fit_report(&r, &t, vars, &npaths, &nfolders, &label, NULL,
                              0);
    char *text = malloc(n + 1), cut[16], line[128];
    assert_non_null(text);
    assert_int_equal(mdx_fit_report(&r, &t, vars, &npaths, &nfolders, &label,
                                    text, n + 1), n);
    assert_int_equal(strlen(text), n);
    static const char head[] = "=================== FEFFIT RESULTS "
                               "====================\n[[Statistics]]\n"
                               "   nvarys, npts       =  3, ";
    assert_memory_equal(text, head, sizeof head - 1);
    const char *want[] = {"   data               = synthetic\n",
                          "   fit space          = 'r'\n",
                          "   paths used in fit  = 5, averaged over 4 folders\n",
                          "[[Variables]]\n", "[[Correlations]]", "[[Fit]]\n"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!strstr(text, want[i]))
            fail_msg("no '%s' in the report:\n%s", want[i], text);
    snprintf(line, sizeof line, "   r              = %.7g +/- ", r.values[1]);
    assert_non_null(strstr(text, line));
    snprintf(line, sizeof line, " (%zu evaluations)\n", r.nfev);
    assert_non_null(strstr(text, line));
    assert_int_equal(mdx_fit_report(&r, &t, vars, &npaths, &nfolders, &label,
                                    cut, sizeof cut), n);
    assert_int_equal(strlen(cut), sizeof cut - 1);
    assert_memory_equal(cut, text, sizeof cut - 1);
    free(text);
    mdx_fit_result_free(&r);
}

static mdx_status failing_model(void *ctx, const double *v, size_t nk,
                                double *chi, mdx_error *err)
{
    (void)v;
    if (ctx)  /* NaN in chi instead of an error */
        for (size_t i = 0; i < nk; i++)
            chi[i] = NAN;
    return ctx ? MDX_OK : mdx_error_set(err, MDX_ERR_STOPPED, "model.lua", 7,
                                        "the model gave up");
}

static void test_bad_input_and_failing_models(void **state)
{
    (void)state;
    double k[MDX_NK], chi[MDX_NK];
    const double truth[3] = {0.8, 2.35, 0.004};
    mdx_kgrid(k);
    damped_sine(truth, MDX_NK, chi);
    mdx_fit_var vars[3] = {{"a", 1.0, 0, 5}, {"r", 2.3, 2, 3},
                           {"s", 0.002, -INFINITY, INFINITY}};
    mdx_fit_transform t = mdx_fit_transform_defaults();
    t.kmin = 3;
    t.kmax = 15;
    t.rmin = 1;
    t.rmax = 3;
    t.epsilon_k = 0.001;
    mdx_fit_result r;
    mdx_error err;
    int calls = 0;
    assert_error(mdx_fit(k, chi, MDX_NK, &t, vars, 0, sine_model, &calls, &r,
                         &err), err, MDX_ERR_ARG, "", 0, "fit: no variables to vary");
    vars[1].min = 3;
    assert_error(mdx_fit(k, chi, MDX_NK, &t, vars, 3, sine_model, &calls, &r,
                         &err), err, MDX_ERR_ARG, "", 0,
                 "fit: variable 'r' has min 3 >= max 3");
    vars[1].min = 2.4;
    assert_error(mdx_fit(k, chi, MDX_NK, &t, vars, 3, sine_model, &calls, &r,
                         &err), err, MDX_ERR_ARG, "", 0,
                 "fit: variable 'r' starts at 2.3, outside its bounds 2.4 .. 3");
    vars[1].min = 2;
    assert_error(mdx_fit(k, chi, 201, &t, vars, 3, sine_model, &calls, &r,
                         &err), err, MDX_ERR_ARG, "", 0,
                 "fit: the k range 3 .. 15 is not within the data's k = 0 .. 10");
    assert_int_equal(calls, 0);  /* refused before any model evaluation */
    t.epsilon_k = -1;
    assert_error(mdx_fit(k, chi, MDX_NK, &t, vars, 3, sine_model, &calls, &r,
                         &err), err, MDX_ERR_ARG, "", 0,
                 "fit: epsilon_k -1 must be a positive finite number");
    t.epsilon_k = 0.001;
    t.space = MDX_FIT_K;  /* a k range within one grid step: no point */
    t.kmax = 3.02;
    assert_error(mdx_fit(k, chi, MDX_NK, &t, vars, 3, sine_model, &calls, &r,
                         &err), err, MDX_ERR_ARG, "", 0,
                 "fit: k 3 .. 3.02, R 1 .. 3 give no point to fit in fit "
                 "space 'k'");
    t.space = MDX_FIT_R;
    t.kmax = 15;
    /* the model's own error comes back whole */
    assert_error(mdx_fit(k, chi, MDX_NK, &t, vars, 3, failing_model, NULL, &r,
                         &err), err, MDX_ERR_STOPPED, "model.lua", 7,
                 "the model gave up");
    assert_null(r.values);
    assert_error(mdx_fit(k, chi, MDX_NK, &t, vars, 3, failing_model, &calls,
                         &r, &err), err, MDX_ERR_ARG, "", 0,
                 "the model's chi(k) is not finite with these variables");
}

/* The damped sine of variables a, r and the sigma^2 of data set *ctx
 * (variable 2 or 3): a temperature series that shares a and r. */
static mdx_status series_model(void *ctx, const double *v, size_t nk,
                               double *chi, mdx_error *err)
{
    (void)err;
    const double own[3] = {v[0], v[1], v[2 + *(const int *)ctx]};
    damped_sine(own, nk, chi);
    return MDX_OK;
}

/* Two noise-free data sets, on grids of their own, sharing two variables
 * and not the third: the truth found, n_idp and the points summed, each
 * data set's own part of the result; a bad data set named. */
static void test_two_data_sets(void **state)
{
    (void)state;
    const double truth[4] = {0.8, 2.35, 0.004, 0.009};
    const int which[2] = {0, 1};
    double k[2][MDX_NK], chi[2][MDX_NK];
    mdx_fit_dataset sets[2];
    for (int d = 0; d < 2; d++) {
        mdx_kgrid(k[d]);
        series_model((void *)&which[d], truth, MDX_NK, chi[d], NULL);
        sets[d] = (mdx_fit_dataset){.k = k[d], .chi = chi[d], .n = MDX_NK,
                                    .transform = mdx_fit_transform_defaults(),
                                    .model = series_model,
                                    .ctx = (void *)&which[d]};
        sets[d].transform.kmin = 3;
        sets[d].transform.kmax = d ? 12 : 15;
        sets[d].transform.rmin = 1;
        sets[d].transform.rmax = 3;
        sets[d].transform.epsilon_k = d ? 0.002 : 0.001;
    }
    sets[1].transform.kweights[0] = 3;
    mdx_fit_var vars[4] = {{"a", 1.0, 0, 5}, {"r", 2.3, 2, 3},
                           {"s1", 0.002, -INFINITY, INFINITY},
                           {"s2", 0.002, -INFINITY, INFINITY}};
    mdx_fit_result r;
    mdx_error err;
    assert_int_equal(mdx_fit_datasets(sets, 2, vars, 4, &r, &err), MDX_OK);
    for (int i = 0; i < 4; i++)
        assert_close(r.values[i], truth[i], 1e-7 * fabs(truth[i]));
    assert_int_equal(r.nsets, 2);
    assert_close(r.sets[0].n_idp, 1 + 2 * 2.0 * 12.0 / M_PI, 1e-12);
    assert_close(r.sets[1].n_idp, 1 + 2 * 2.0 * 9.0 / M_PI, 1e-12);
    assert_close(r.n_idp, r.sets[0].n_idp + r.sets[1].n_idp, 1e-12);
    assert_int_equal(r.ndata, r.sets[0].ndata + r.sets[1].ndata);
    assert_close(r.sets[1].epsilon_k[0], 0.002, 0);
    assert_true(r.rfactor < 1e-12);
    for (size_t i = 0; i < r.sets[1].nk; i++)
        assert_close(r.sets[1].model_chi[i], chi[1][i], 1e-9);
    mdx_fit_result_free(&r);
    sets[1].n = 201;  /* data to k = 10 only */
    assert_error(mdx_fit_datasets(sets, 2, vars, 4, &r, &err), err,
                 MDX_ERR_ARG, "", 0, "fit: data set 2: the k range 3 .. 12 "
                 "is not within the data's k = 0 .. 10");
    assert_error(mdx_fit_datasets(sets, 0, vars, 4, &r, &err), err,
                 MDX_ERR_ARG, "", 0, "fit: no data sets");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_path_agrees_with_feffit),
        cmocka_unit_test(test_report),
        cmocka_unit_test(test_noise_free_fit_finds_the_truth),
        cmocka_unit_test(test_bad_input_and_failing_models),
        cmocka_unit_test(test_two_data_sets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
