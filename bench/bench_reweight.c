/* Benchmark: mdx_reweight on a synthetic ensemble.
 *   N folders of 401-point chi(k) (damped sines, random distance 2.2 ..
 *   2.6 Å, amplitude and sigma^2), data the mean of the first N / 10
 *   plus noise; the transform in k space (k 3 .. 14, k-weight 2, noise
 *   given) or R space (R 1 .. 3, noise estimated), and one theta or a
 *   scan of 15 (10^4 .. 10^-3).
 * Usage: bench_reweight [-n FOLDERS] [-s k|r] [-t THETA|scan] [-r REPEAT]
 * Prints each repeat's seconds (the ensemble made once, not timed), then
 * the weights' statistics. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mdexafs/mdexafs.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double uniform(uint64_t *state)
{
    *state = *state * 6364136223846793005u + 1442695040888963407u;
    return ((double)(*state >> 11) + 0.5) / 9007199254740992.0;
}

int main(int argc, char **argv)
{
    size_t n = 10000, repeat = 5;
    const char *space = "k", *theta_arg = "1";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "-n"))
            n = (size_t)atol(argv[i + 1]);
        else if (!strcmp(argv[i], "-s"))
            space = argv[i + 1];
        else if (!strcmp(argv[i], "-t"))
            theta_arg = argv[i + 1];
        else if (!strcmp(argv[i], "-r"))
            repeat = (size_t)atol(argv[i + 1]);
    }
    double *folders = malloc(n * MDX_NK * sizeof *folders), k[MDX_NK];
    double data[MDX_NK] = {0};
    if (!folders || n < 10)
        return 1;
    mdx_kgrid(k);
    uint64_t state = 7;
    for (size_t f = 0; f < n; f++) {
        double r = 2.2 + 0.4 * uniform(&state), s2 = 0.003 + 0.003 *
                   uniform(&state), amp = 0.8 + 0.4 * uniform(&state);
        for (size_t i = 0; i < MDX_NK; i++) {
            double v = i ? amp * exp(-2 * k[i] * k[i] * s2) *
                           sin(2 * k[i] * r) / (k[i] * r * r) : 0;
            folders[f * MDX_NK + i] = v;
            if (f < n / 10)
                data[i] += v / (double)(n / 10);
        }
    }
    for (size_t i = 1; i < MDX_NK; i++) {  /* noise 0.002 in k^2 chi */
        double u = uniform(&state), v = uniform(&state);
        data[i] += 0.002 * sqrt(-2 * log(u)) * cos(2 * M_PI * v) /
                   (k[i] * k[i]);
    }
    mdx_fit_transform t = mdx_fit_transform_defaults();
    t.kmin = 3;
    t.kmax = 14;
    t.dk = 1;
    t.rmin = 1;
    t.rmax = 3;
    t.space = strcmp(space, "r") ? MDX_FIT_K : MDX_FIT_R;
    if (t.space == MDX_FIT_K)
        t.epsilon_k = 0.002;
    double thetas[15];
    size_t nthetas = 1;
    if (!strcmp(theta_arg, "scan")) {
        nthetas = 15;
        for (size_t i = 0; i < nthetas; i++)
            thetas[i] = pow(10, -3 + 0.5 * (double)i);
    } else {
        thetas[0] = atof(theta_arg);
    }
    mdx_reweight_result r = {0};
    for (size_t rep = 0; rep < repeat; rep++) {
        mdx_error err;
        mdx_reweight_result_free(&r);
        double t0 = now();
        if (mdx_reweight(k, data, MDX_NK, &t, folders, n, MDX_NK, thetas,
                         nthetas, &r, &err)) {
            fprintf(stderr, "bench_reweight: %s\n", err.msg);
            return 1;
        }
        printf("%zu folders, %s space, %zu residual points, theta %s: "
               "%.3f s\n", n, space, r.ndata, theta_arg, now() - t0);
    }
    double subset = 0;
    for (size_t f = 0; f < n / 10; f++)
        subset += r.weights[f];
    printf("theta kept %g; chi2 %.4g -> %.4g (n_idp %.2f); n_eff %.1f; the "
           "subset's weight %.3f\n", r.theta, r.chi2_before, r.chi2_after,
           r.n_idp, r.n_eff, subset);
    mdx_reweight_result_free(&r);
    free(folders);
    return 0;
}
