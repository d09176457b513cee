/* The minimiser: MINPACK's lmdif (Debian's cminpack) driven as lmfit's
 * Minimizer.leastsq drives scipy's: the same tolerances and step, bounds
 * by lmfit's Minuit-style transforms (parameter.py setup_bounds), the
 * covariance from the final Jacobian's R as scipy computes cov_x, carried
 * to the external variables and scaled by reduced chi-square. */
#include <cminpack.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fit_private.h"

/* External value of variable v at internal u. */
static double from_internal(const mdx_fit_var *v, double u)
{
    if (isinf(v->min) && isinf(v->max))
        return u;
    if (isinf(v->max))
        return v->min - 1 + sqrt(u * u + 1);
    if (isinf(v->min))
        return v->max + 1 - sqrt(u * u + 1);
    return v->min + (sin(u) + 1) * (v->max - v->min) / 2;
}

static double to_internal(const mdx_fit_var *v, double x)
{
    double u;
    if (isinf(v->min) && isinf(v->max))
        u = x;
    else if (isinf(v->max))
        u = sqrt((x - v->min + 1) * (x - v->min + 1) - 1);
    else if (isinf(v->min))
        u = sqrt((v->max - x + 1) * (v->max - x + 1) - 1);
    else
        u = asin(2 * (x - v->min) / (v->max - v->min) - 1);
    return fabs(u) < 1e-15 ? 0 : u;  /* lmfit's tiny */
}

/* d(external)/d(internal) at u. */
static double scale_gradient(const mdx_fit_var *v, double u)
{
    if (isinf(v->min) && isinf(v->max))
        return 1;
    if (isinf(v->max))
        return u / sqrt(u * u + 1);
    if (isinf(v->min))
        return -u / sqrt(u * u + 1);
    return cos(u) * (v->max - v->min) / 2;
}

typedef struct lm_state {
    mdx_fit_residual_fn fn;
    void *ctx;
    const mdx_fit_var *vars;
    double *ext;
    int stopped;
} lm_state;

static int residual_fn(void *ctx, int m, int n, const double *x, double *fvec,
                       int iflag)
{
    lm_state *s = ctx;
    (void)m;
    (void)iflag;
    for (int i = 0; i < n; i++)
        s->ext[i] = from_internal(&s->vars[i], x[i]);
    if (s->fn(s->ctx, s->ext, fvec))
        s->stopped = 1;
    return s->stopped ? -1 : 0;
}

/* lmfit's words for MINPACK's info. */
static const char *message_of(int info)
{
    switch (info) {
    case 1: case 2: case 3: return "Fit succeeded.";
    case 4: return "One or more variable did not affect the fit.";
    case 5: return "Too many function calls.";
    case 0: return "Invalid Input Parameters.";
    default: return "Tolerance seems to be too small.";
    }
}

/* cov = (R^T R)^-1 of the n x n R in fjac's upper triangle (leading
 * dimension m), unpermuted by ipvt, as scipy's leastsq makes cov_x:
 * 0, or -1 when R is singular (a zero on its diagonal). */
static int covariance(const double *fjac, int m, int n, const int *ipvt,
                      double *cov)
{
    double *inv = calloc((size_t)n * (size_t)n, sizeof *inv);
    if (!inv)
        return -1;
    for (int j = n - 1; j >= 0; j--) {  /* invert R column by column */
        double d = fjac[j + (size_t)j * m];
        if (d == 0) {
            free(inv);
            return -1;
        }
        inv[j + (size_t)j * n] = 1 / d;
        for (int i = j - 1; i >= 0; i--) {
            double sum = 0;
            for (int l = i + 1; l <= j; l++)
                sum += fjac[i + (size_t)l * m] * inv[l + (size_t)j * n];
            inv[i + (size_t)j * n] = -sum / fjac[i + (size_t)i * m];
        }
    }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            double sum = 0;
            for (int l = (i > j ? i : j); l < n; l++)
                sum += inv[i + (size_t)l * n] * inv[j + (size_t)l * n];
            cov[(ipvt[i] - 1) + (size_t)(ipvt[j] - 1) * n] = sum;
        }
    free(inv);
    return 0;
}

/* Uncertainties and correlations from the internal covariance at the
 * internal best x, scaled by reduced chi-square (lmfit's scale_covar). */
static void uncertainties(const mdx_fit_var *vars, size_t n, const double *x,
                          double *cov, double redchi, mdx_fit_result *res)
{
    res->errorbars = 1;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            cov[i + j * n] *= scale_gradient(&vars[i], x[i]) *
                              scale_gradient(&vars[j], x[j]) * redchi;
    for (size_t i = 0; i < n; i++) {
        res->uncertainties[i] = sqrt(cov[i + i * n]);
        res->errorbars = res->errorbars && res->uncertainties[i] > 0;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            res->correl[i + j * n] = cov[i + j * n] /
                (res->uncertainties[i] * res->uncertainties[j]);
    if (!res->errorbars)
        for (size_t i = 0; i < n * n; i++)
            res->correl[i] = NAN;
}

mdx_status mdx_fit_minimise(size_t mm, const mdx_fit_var *vars,
                            size_t nvars, mdx_fit_residual_fn fn, void *ctx,
                            mdx_fit_result *res, mdx_error *err)
{
    int m = (int)mm, n = (int)nvars, nfev = 0;
    size_t nn = nvars;
    double *x = malloc(nn * sizeof *x), *ext = malloc(nn * sizeof *ext);
    double *fvec = malloc(mm * sizeof *fvec);
    double *fjac = malloc(mm * nn * sizeof *fjac);
    /* diag, qtf, wa1, wa2, wa3 (n each), wa4 (m) */
    double *work = malloc((5 * nn + mm) * sizeof *work);
    double *cov = malloc(nn * nn * sizeof *cov);
    int *ipvt = malloc(nn * sizeof *ipvt);
    mdx_status rc = MDX_OK;
    if (!x || !ext || !fvec || !fjac || !work || !cov || !ipvt) {
        rc = mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < nn; i++)
        x[i] = to_internal(&vars[i], vars[i].init);
    lm_state s = {fn, ctx, vars, ext, 0};
    /* scipy's leastsq as lmfit calls it: ftol = xtol = 1.49012e-8, gtol 0,
     * maxfev 2 * 2000 (n + 1), epsfcn the machine epsilon, mode 1,
     * factor 100 */
    int info = lmdif(residual_fn, &s, m, n, x, fvec, 1.49012e-08, 1.49012e-08,
                     0.0, 2 * 2000 * (n + 1), DBL_EPSILON, work, 1, 100.0, 0,
                     &nfev, fjac, m, ipvt, work + nn, work + 2 * nn,
                     work + 3 * nn, work + 4 * nn, work + 5 * nn);
    if (s.stopped) {
        rc = MDX_ERR_STOPPED;
        goto done;
    }
    res->status = info;
    snprintf(res->message, sizeof res->message, "%s", message_of(info));
    for (size_t i = 0; i < nn; i++)
        res->values[i] = from_internal(&vars[i], x[i]);
    res->errorbars = 0;
    for (size_t i = 0; i < nn; i++)
        res->uncertainties[i] = NAN;
    for (size_t i = 0; i < nn * nn; i++)
        res->correl[i] = NAN;
    if (info >= 1 && info <= 4 && covariance(fjac, m, n, ipvt, cov) == 0) {
        if (fn(ctx, res->values, fvec)) {
            rc = MDX_ERR_STOPPED;
            goto done;
        }
        double chisqr = 0;
        for (int i = 0; i < m; i++)
            chisqr += fvec[i] * fvec[i];
        double nfree = (double)(m - n);
        uncertainties(vars, nn, x, cov, chisqr / (nfree > 1 ? nfree : 1), res);
    }
    if (!res->errorbars) {
        size_t len = strlen(res->message);
        len += (size_t)snprintf(res->message + len, sizeof res->message - len,
                                " Could not estimate error-bars.");
        for (int j = 0; info >= 1 && info <= 4 && j < n &&
                        len < sizeof res->message; j++)
            if (fjac[j + (size_t)j * m] == 0)  /* its column was zero */
                len += (size_t)snprintf(res->message + len,
                                        sizeof res->message - len,
                                        " '%s' changes nothing.",
                                        vars[ipvt[j] - 1].name);
        for (size_t i = 0; i < nn; i++)
            res->uncertainties[i] = NAN;
    }
done:
    free(x);
    free(ext);
    free(fvec);
    free(fjac);
    free(work);
    free(cov);
    free(ipvt);
    return rc;
}
