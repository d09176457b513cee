/* Reweighting (reweight.c) on a synthetic ensemble: 40 folders, damped
 * sines whose distance runs from 2.2 to 2.5 Å, and data made as the
 * average of the first ten plus noise of a known size. The weights found
 * satisfy the problem's optimality condition computed here from scratch
 * (w_i ~ exp(-(A^T (A w - b))_i / theta), A and b the k-space residual
 * written out), the subset gets most of the weight and chi-square falls
 * to the noise; theta = inf gives equal weights exactly; bad input. */
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

#define NF 40
#define SUBSET 10
#define NOISE 0.002

static double folders[NF][MDX_NK];
static double data[MDX_NK], kgrid[MDX_NK];

/* A reproducible normal deviate (Box-Muller on a 64-bit LCG). */
static double normal(uint64_t *state)
{
    double u[2];
    for (int i = 0; i < 2; i++) {
        *state = *state * 6364136223846793005u + 1442695040888963407u;
        u[i] = ((double)(*state >> 11) + 0.5) / 9007199254740992.0;
    }
    return sqrt(-2 * log(u[0])) * cos(2 * M_PI * u[1]);
}

static void make_ensemble(void)
{
    uint64_t state = 42;
    mdx_kgrid(kgrid);
    for (int f = 0; f < NF; f++) {
        double r = 2.2 + 0.3 * f / (NF - 1);
        for (int i = 0; i < MDX_NK; i++) {
            double k = kgrid[i];
            folders[f][i] = i ? exp(-2 * k * k * 0.004) * sin(2 * k * r) /
                                (k * r * r) : 0;
        }
    }
    for (int i = 0; i < MDX_NK; i++) {
        double sum = 0;
        for (int f = 0; f < SUBSET; f++)
            sum += folders[f][i];
        /* noise of NOISE in k^2 chi, as epsilon_k weighs it */
        double k2 = i ? kgrid[i] * kgrid[i] : 1;
        data[i] = sum / SUBSET + NOISE * normal(&state) / k2;
    }
}

/* The transform: k space, k 3 .. 14, k-weight 2, the noise given in
 * k^2 chi units at the middle of the range. */
static mdx_fit_transform transform(void)
{
    mdx_fit_transform t = mdx_fit_transform_defaults();
    t.kmin = 3;
    t.kmax = 14;
    t.rmin = 1;
    t.rmax = 3;
    t.space = MDX_FIT_K;
    t.epsilon_k = NOISE;
    return t;
}

/* The largest relative departure of w from exp(-(A^T (A w - b)) / theta)
 * normalised, A and b written out: column i is folder i's chi times k^2
 * over the noise at k = 3 .. 14 (feffit's slice), all times sqrt(n_idp /
 * m). */
static double optimality(const double *w, double theta)
{
    const mdx_fit_transform t = transform();
    size_t lo = (size_t)(0.01 + t.kmin / MDX_KSTEP);
    size_t hi = (size_t)(0.01 + t.kmax / MDX_KSTEP);
    size_t m = hi - lo;
    double n_idp = 1 + 2 * (t.rmax - t.rmin) * (t.kmax - t.kmin) / M_PI;
    double scale = sqrt(n_idp / (double)m) / NOISE;
    double resid[MDX_NK], g[NF], top = -INFINITY, sum = 0, worst = 0;
    for (size_t j = lo; j < hi; j++) {
        double aw = 0;
        for (int f = 0; f < NF; f++)
            aw += w[f] * folders[f][j];
        resid[j] = (aw - data[j]) * kgrid[j] * kgrid[j] * scale;
    }
    for (int f = 0; f < NF; f++) {
        g[f] = 0;
        for (size_t j = lo; j < hi; j++)
            g[f] += folders[f][j] * kgrid[j] * kgrid[j] * scale * resid[j];
        g[f] = -g[f] / theta;
        top = fmax(top, g[f]);
    }
    for (int f = 0; f < NF; f++)
        sum += exp(g[f] - top);
    for (int f = 0; f < NF; f++)
        worst = fmax(worst, fabs(exp(g[f] - top) / sum - w[f]) /
                                fmax(w[f], 1e-300));
    return worst;
}

static void test_the_subset_is_found(void **state)
{
    (void)state;
    make_ensemble();
    mdx_fit_transform t = transform();
    const double thetas[] = {0.01, 0.1, 1, 10, 100, 1000};
    mdx_reweight_result r;
    mdx_error err;
    assert_int_equal(mdx_reweight(kgrid, data, MDX_NK, &t, &folders[0][0], NF,
                                  MDX_NK, thetas, 6, &r, &err), MDX_OK);
    assert_int_equal(r.nscan, 6);
    assert_close(r.scan_theta[0], 1000, 0);  /* largest first */
    assert_true(r.noise_reached);
    assert_true(r.chi2_after <= r.n_idp);
    assert_true(r.chi2_before > 20 * r.n_idp);
    double subset = 0, total = 0;
    for (int f = 0; f < NF; f++) {
        assert_true(r.weights[f] >= 0);
        total += r.weights[f];
        subset += f < SUBSET ? r.weights[f] : 0;
    }
    assert_close(total, 1, 1e-12);
    assert_true(subset > 0.7);
    assert_true(r.n_eff < NF && r.n_eff > 1);
    assert_true(r.entropy < 0);
    assert_true(optimality(r.weights, r.theta) < 1e-6);
    /* chi-square falls as theta does; the entropy too */
    for (size_t i = 1; i < r.nscan; i++) {
        assert_true(r.scan_chi2[i] <= r.scan_chi2[i - 1] * (1 + 1e-9));
        assert_true(r.scan_entropy[i] <= r.scan_entropy[i - 1] + 1e-9);
    }
    /* the average is the weighted one */
    for (int j = 0; j < MDX_NK; j += 37) {
        double mean = 0;
        for (int f = 0; f < NF; f++)
            mean += r.weights[f] * folders[f][j];
        assert_close(r.average[j], mean, 1e-12);
    }
    mdx_reweight_result_free(&r);
}

static void test_one_theta_and_the_limit(void **state)
{
    (void)state;
    make_ensemble();
    mdx_fit_transform t = transform();
    mdx_reweight_result r;
    mdx_error err;
    const double theta = 3;
    mdx_status rc = mdx_reweight(kgrid, data, MDX_NK, &t, &folders[0][0], NF,
                                 MDX_NK, &theta, 1, &r, &err);
    if (rc)
        fail_msg("%s", err.msg);
    assert_close(r.theta, 3, 0);
    assert_true(optimality(r.weights, 3) < 1e-6);
    mdx_reweight_result_free(&r);
    const double inf = INFINITY;
    assert_int_equal(mdx_reweight(kgrid, data, MDX_NK, &t, &folders[0][0], NF,
                                  MDX_NK, &inf, 1, &r, &err), MDX_OK);
    for (int f = 0; f < NF; f++)
        assert_true(r.weights[f] == 1.0 / NF);
    assert_close(r.entropy, 0, 0);
    assert_close(r.n_eff, NF, 1e-9);
    assert_close(r.chi2_after, r.chi2_before, 0);
    /* the standard error of equal weights: the sample's over sqrt(N) */
    double mean = 0, var = 0;
    for (int f = 0; f < NF; f++)
        mean += folders[f][100] / NF;
    for (int f = 0; f < NF; f++)
        var += (folders[f][100] - mean) * (folders[f][100] - mean);
    assert_close(r.sem[100], sqrt(var / (NF - 1) / NF), 1e-15);
    mdx_reweight_result_free(&r);
}

static void test_bad_input(void **state)
{
    (void)state;
    make_ensemble();
    mdx_fit_transform t = transform();
    mdx_reweight_result r;
    mdx_error err;
    double theta = 0;
    assert_error(mdx_reweight(kgrid, data, MDX_NK, &t, &folders[0][0], NF,
                              MDX_NK, &theta, 1, &r, &err), err, MDX_ERR_ARG,
                 "", 0, "reweight: theta 0 must be above 0 (the entropy's "
                 "weight; inf: equal weights)");
    theta = 1;
    assert_error(mdx_reweight(kgrid, data, MDX_NK, &t, &folders[0][0], 1,
                              MDX_NK, &theta, 1, &r, &err), err, MDX_ERR_ARG,
                 "", 0, "reweight: 1 folder: weights need two or more");
    for (int f = 1; f < NF; f++)
        memcpy(folders[f], folders[0], sizeof folders[0]);
    assert_error(mdx_reweight(kgrid, data, MDX_NK, &t, &folders[0][0], NF,
                              MDX_NK, &theta, 1, &r, &err), err, MDX_ERR_ARG,
                 "", 0, "reweight: every folder's chi(k) is the same in the "
                 "fit's range: the data cannot prefer any");
    make_ensemble();
    t.space = MDX_FIT_W;
    assert_error(mdx_reweight(kgrid, data, MDX_NK, &t, &folders[0][0], NF,
                              MDX_NK, &theta, 1, &r, &err), err, MDX_ERR_ARG,
                 "", 0, "reweight: 28600 residual points (fit space 'w') are "
                 "more than the 2500 its Newton steps can hold: use fit space "
                 "k, r or q, or a narrower range");
    t.space = MDX_FIT_K;
    assert_error(mdx_reweight(kgrid, data, 201, &t, &folders[0][0], NF,
                              MDX_NK, &theta, 1, &r, &err), err, MDX_ERR_ARG,
                 "", 0, "reweight: the k range 3 .. 14 is not within the data's "
                 "k = 0 .. 10");
    assert_null(r.weights);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_subset_is_found),
        cmocka_unit_test(test_one_theta_and_the_limit),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
