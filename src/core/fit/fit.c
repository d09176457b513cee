/* Fitting as xraylarch's feffit (larch/xafs/feffit.py): the data on the
 * model's k grid, feffit's windows and transforms, the noise estimate,
 * the residual in k, R or q space, and the statistics scaled to the
 * number of independent points. The minimiser is in fit_lm.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fftw3.h>

#include "fit_private.h"
#include "util/spline.h"
#include "mdexafs/chi.h"

#define FIT_NFFT 2048

#define KSTEP MDX_KSTEP
#define RSTEP (M_PI / (KSTEP * FIT_NFFT))
#define FIT_KMAX (KSTEP * (MDX_NK - 1))  /* the model grid's end */

/* One fit: the data on the model grid and everything the residual
 * needs, made once. */
typedef struct fit_problem {
    mdx_fit_transform t;
    size_t nk;                 /* model grid points */
    double *data;              /* the data on it */
    double *model;             /* the last model evaluated */
    double *kwin, *rwin;       /* feffit's windows on the FFT grids */
    double eps_k[MDX_FIT_KWEIGHTS], eps_r[MDX_FIT_KWEIGHTS];
    size_t m;                  /* residual length */
    fftw_complex *buf;
    fftw_plan forward, backward;
    mdx_fit_model fn;
    void *ctx;
    size_t nfev;
    mdx_error err;             /* why the model failed */
    int failed;
} fit_problem;

mdx_fit_transform mdx_fit_transform_defaults(void)
{
    mdx_fit_transform t = {
        .kmin = 0, .kmax = 20, .dk = 4, .dk2 = NAN, .window = MDX_WIN_KAISER,
        .rmin = 0, .rmax = 10, .dr = 0, .dr2 = NAN,
        .rwindow = MDX_WIN_HANNING, .kweights = {2}, .nkweights = 1,
        .space = MDX_FIT_R, .epsilon_k = NAN,
    };
    return t;
}

/* Index ranges feffit slices with: int(0.01 + x / step), within nfft/2. */
static size_t grid_index(double x, double step)
{
    double i = fmin(FIT_NFFT / 2, 0.01 + x / step);
    return i < 0 ? 0 : (size_t)i;
}

/* larch's fftf: chi * kwin * k^kw on the model grid, zero-padded, into
 * p->buf (nfft/2 useful points, scaled by kstep / sqrt(pi)). */
static void fftf(fit_problem *p, const double *chi, int kw)
{
    memset(p->buf, 0, FIT_NFFT * sizeof *p->buf);
    for (size_t i = 0; i < p->nk; i++) {
        p->buf[i][0] = chi[i] * p->kwin[i] * pow(KSTEP * (double)i, kw);
    }
    fftw_execute(p->forward);
    const double scale = KSTEP / sqrt(M_PI);
    for (size_t i = 0; i < FIT_NFFT / 2; i++) {
        p->buf[i][0] *= scale;
        p->buf[i][1] *= scale;
    }
}

/* larch's fftr of p->buf's chi(R) (after fftf), windowed by rwin: the
 * back-transform, scaled by 4 sqrt(pi) / kstep as numpy's ifft (1/nfft). */
static void fftr(fit_problem *p)
{
    for (size_t i = 0; i < FIT_NFFT; i++) {
        double w = i < FIT_NFFT / 2 ? p->rwin[i] : 0;
        p->buf[i][0] *= w;
        p->buf[i][1] *= w;
    }
    fftw_execute(p->backward);
    const double scale = 4 * sqrt(M_PI) / KSTEP / FIT_NFFT;
    for (size_t i = 0; i < FIT_NFFT / 2; i++) {
        p->buf[i][0] *= scale;
        p->buf[i][1] *= scale;
    }
}

/* How many residual points each k-weight gives. */
static size_t points_per_kweight(const fit_problem *p)
{
    const mdx_fit_transform *t = &p->t;
    size_t qmin = grid_index(t->kmin, KSTEP), qmax = grid_index(t->kmax, KSTEP);
    if (t->space == MDX_FIT_R)
        return 2 * (grid_index(t->rmax, RSTEP) - grid_index(t->rmin, RSTEP));
    if (t->space == MDX_FIT_K && qmax > p->nk)
        qmax = p->nk;  /* numpy's slice stops at the model grid's end */
    return qmax - qmin;
}

/* The noise each k-weight's part of the residual is divided by. */
static double noise_of(const fit_problem *p, size_t w)
{
    return p->t.space == MDX_FIT_K ? p->eps_k[w] : p->eps_r[w];
}

/* The residual of the model at `values` (or of the data alone,
 * data_only, for the R-factor's denominator) into r[0..p->m), each
 * k-weight's part divided by its noise, or not (raw: for the R-factor,
 * which must not depend on the noise). 0, or -1 when the model failed or
 * gave a number that is not finite (p->err). */
static int residual(fit_problem *p, const double *values, int data_only,
                    int raw, double *r)
{
    const mdx_fit_transform *t = &p->t;
    if (!data_only) {
        p->nfev++;
        if (p->fn(p->ctx, values, p->nk, p->model, &p->err)) {
            p->failed = 1;
            return -1;
        }
    }
    double *diff = malloc(p->nk * sizeof *diff);
    if (!diff) {
        mdx_error_set(&p->err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
        p->failed = 1;
        return -1;
    }
    for (size_t i = 0; i < p->nk; i++)
        diff[i] = data_only ? p->data[i] : p->data[i] - p->model[i];
    size_t n = 0;
    size_t qmin = grid_index(t->kmin, KSTEP), qmax = grid_index(t->kmax, KSTEP);
    size_t rmin = grid_index(t->rmin, RSTEP), rmax = grid_index(t->rmax, RSTEP);
    for (size_t w = 0; w < t->nkweights; w++) {
        int kw = t->kweights[w];
        double eps = raw ? 1 : noise_of(p, w);
        if (t->space == MDX_FIT_K) {
            for (size_t i = qmin; i < qmax && i < p->nk; i++)
                r[n++] = diff[i] / eps * pow(KSTEP * (double)i, kw);
            continue;
        }
        fftf(p, diff, kw);
        if (t->space == MDX_FIT_R) {
            for (size_t i = rmin; i < rmax; i++) {
                r[n++] = p->buf[i][0] / eps;
                r[n++] = p->buf[i][1] / eps;
            }
        } else {
            fftr(p);
            for (size_t i = qmin; i < qmax; i++)
                r[n++] = p->buf[i][0] / eps;
        }
    }
    free(diff);
    for (size_t i = 0; i < n; i++)
        if (!isfinite(r[i])) {
            int model_finite = 1;
            for (size_t j = 0; !data_only && j < p->nk; j++)
                model_finite = model_finite && isfinite(p->model[j]);
            if (model_finite)
                mdx_error_set(&p->err, MDX_ERR_ARG, NULL, 0, "fit: the "
                              "residual is not finite: the noise (epsilon_k "
                              "%g) is too small for these data", p->eps_k[0]);
            else
                mdx_error_set(&p->err, MDX_ERR_ARG, NULL, 0, "the model's "
                              "chi(k) is not finite with these variables: "
                              "check the path parameters they make");
            p->failed = 1;
            return -1;
        }
    return 0;
}

/* The residual the minimiser sees. */
static int model_residual(void *ctx, const double *values, double *r)
{
    return residual(ctx, values, 0, 0, r);
}

/* feffit's noise estimate (estimate_noise, rmin 15, rmax 30, every
 * k-weight): eps_r from chi(R) of the data at high R, eps_k from it by
 * Parseval; or, with epsilon_k given, eps_r from it (set_epsilon_k). An
 * estimate of 0 (data without noise) cannot weigh a residual: an error. */
static mdx_status estimate_noise(fit_problem *p, mdx_error *err)
{
    const mdx_fit_transform *t = &p->t;
    double kwin_sum = 0;
    for (size_t i = 0; i < FIT_NFFT; i++)
        kwin_sum += p->kwin[i];
    double kwin_ave = kwin_sum * KSTEP / (t->kmax - t->kmin);
    size_t lo = (size_t)(0.01 + 15.0 / RSTEP);
    size_t hi = (size_t)fmin(FIT_NFFT / 2, 1.01 + 30.0 / RSTEP);
    for (size_t w = 0; w < t->nkweights; w++) {
        double kw = 2.0 * t->kweights[w] + 1;
        double span = KSTEP * (pow(t->kmax, kw) - pow(t->kmin, kw));
        if (!isnan(t->epsilon_k)) {
            p->eps_k[w] = t->epsilon_k;
            p->eps_r[w] = t->epsilon_k / (2 * sqrt(M_PI * kw / span));
            continue;
        }
        fftf(p, p->data, t->kweights[w]);
        double sum = 0;
        for (size_t i = lo; i < hi; i++)
            sum += p->buf[i][0] * p->buf[i][0] + p->buf[i][1] * p->buf[i][1];
        p->eps_r[w] = sqrt(sum / (double)(2 * (hi - lo))) / kwin_ave;
        p->eps_k[w] = sqrt(2 * M_PI * kw / span) * p->eps_r[w];
        if (!(p->eps_k[w] > 0 && isfinite(p->eps_k[w]) && p->eps_r[w] > 0))
            return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "fit: the data's "
                                 "noise estimated from |chi(R)| at 15-30 Å "
                                 "(k-weight %d) is %g: give epsilon_k",
                                 t->kweights[w], p->eps_k[w]);
    }
    return MDX_OK;
}

/* Is the transform one feffit can use on data from k = kstart to kend,
 * `step` apart on average? The k range must lie within the data, give or
 * take one step (or the model's, if larger). */
static mdx_status check_transform(const mdx_fit_transform *t, double kstart,
                                  double kend, double step, size_t nvars,
                                  mdx_error *err)
{
    double dk2 = isnan(t->dk2) ? t->dk : t->dk2;
    double slack = fmax(step, KSTEP);
    if (!(t->kmin >= 0 && t->kmin < t->kmax && t->dk >= 0 && dk2 >= 0))
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "fit: need 0 <= kmin "
                             "< kmax and dk >= 0 (kmin %g, kmax %g, dk %g)",
                             t->kmin, t->kmax, t->dk);
    if (t->kmin < kstart - slack || t->kmax > kend + slack)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "fit: the k range "
                             "%g .. %g is not within the data's k = %g .. %g",
                             t->kmin, t->kmax, kstart, kend);
    if (kend > FIT_KMAX && t->kmax + dk2 / 2 > FIT_KMAX)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "fit: the model is "
                             "computed up to k = %g 1/Å; kmax + dk2/2 = %g "
                             "goes beyond it", FIT_KMAX, t->kmax + dk2 / 2);
    if (!(t->rmin >= 0 && t->rmin < t->rmax && t->rmax <= 30 && t->dr >= 0))
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "fit: need 0 <= rmin "
                             "< rmax <= 30 Å and dr >= 0 (rmin %g, rmax %g)",
                             t->rmin, t->rmax);
    if (t->nkweights < 1 || t->nkweights > MDX_FIT_KWEIGHTS)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "fit: give 1 to %d "
                             "k-weights, not %zu", MDX_FIT_KWEIGHTS,
                             t->nkweights);
    for (size_t w = 0; w < t->nkweights; w++) {
        if (t->kweights[w] < 0 || t->kweights[w] > 10)
            return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "fit: k-weight "
                                 "%d is not one of 0 .. 10", t->kweights[w]);
        for (size_t v = 0; v < w; v++)
            if (t->kweights[v] == t->kweights[w])
                return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "fit: "
                                     "k-weight %d given twice",
                                     t->kweights[w]);
    }
    if (!isnan(t->epsilon_k) && !(t->epsilon_k > 0 && isfinite(t->epsilon_k)))
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "fit: epsilon_k %g "
                             "must be a positive finite number",
                             t->epsilon_k);
    double n_idp = 1 + 2 * (t->rmax - t->rmin) * (t->kmax - t->kmin) / M_PI;
    if (n_idp <= (double)nvars)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "fit: %zu variables "
                             "but only %.2f independent points in k %g .. %g, "
                             "R %g .. %g: widen the ranges or vary fewer",
                             nvars, n_idp, t->kmin, t->kmax, t->rmin, t->rmax);
    return MDX_OK;
}

static mdx_status check_vars(const mdx_fit_var *vars, size_t nvars,
                             mdx_error *err)
{
    if (nvars == 0)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "fit: no variables "
                             "to vary");
    for (size_t i = 0; i < nvars; i++) {
        const mdx_fit_var *v = &vars[i];
        if (!isfinite(v->init) || isnan(v->min) || isnan(v->max))
            return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "fit: variable "
                                 "'%s' needs a finite start and bounds that "
                                 "are numbers", v->name);
        if (v->min >= v->max)
            return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "fit: variable "
                                 "'%s' has min %g >= max %g", v->name, v->min,
                                 v->max);
        if (v->init < v->min || v->init > v->max)
            return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "fit: variable "
                                 "'%s' starts at %g, outside its bounds %g .. "
                                 "%g", v->name, v->init, v->min, v->max);
    }
    return MDX_OK;
}

/* Make p: the data on the model grid, the windows, FFT plans, noise. */
static mdx_status prepare(fit_problem *p, const double *k, const double *chi,
                          size_t n, mdx_error *err)
{
    size_t nk = (size_t)(1.01 + k[n - 1] / KSTEP);
    p->nk = nk < MDX_NK ? nk : MDX_NK;
    p->data = malloc(p->nk * sizeof *p->data);
    p->model = calloc(p->nk, sizeof *p->model);
    p->kwin = malloc(FIT_NFFT * sizeof *p->kwin);
    p->rwin = malloc(FIT_NFFT * sizeof *p->rwin);
    double *grid = malloc(FIT_NFFT * sizeof *grid);
    p->buf = fftw_alloc_complex(FIT_NFFT);
    if (!p->data || !p->model || !p->kwin || !p->rwin || !grid || !p->buf) {
        free(grid);
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    }
    const mdx_fit_transform *t = &p->t;
    for (size_t i = 0; i < FIT_NFFT; i++)
        grid[i] = KSTEP * (double)i;
    mdx_ftwindow(grid, FIT_NFFT, t->kmin, t->kmax, t->dk,
                 isnan(t->dk2) ? t->dk : t->dk2, t->window, p->kwin);
    for (size_t i = 0; i < FIT_NFFT; i++)
        grid[i] = RSTEP * (double)i;
    mdx_ftwindow(grid, FIT_NFFT, t->rmin, t->rmax, t->dr,
                 isnan(t->dr2) ? t->dr : t->dr2, t->rwindow, p->rwin);
    free(grid);
    for (size_t i = 0; i < p->nk; i++)
        p->data[i] = mdx_interp(KSTEP * (double)i, k, chi, n);
    p->forward = fftw_plan_dft_1d(FIT_NFFT, p->buf, p->buf, FFTW_FORWARD,
                                  FFTW_ESTIMATE);
    p->backward = fftw_plan_dft_1d(FIT_NFFT, p->buf, p->buf, FFTW_BACKWARD,
                                   FFTW_ESTIMATE);
    if (!p->forward || !p->backward)
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    p->m = t->nkweights * points_per_kweight(p);
    return estimate_noise(p, err);
}

static void release(fit_problem *p)
{
    free(p->data);
    free(p->model);
    free(p->kwin);
    free(p->rwin);
    if (p->forward)
        fftw_destroy_plan(p->forward);
    if (p->backward)
        fftw_destroy_plan(p->backward);
    fftw_free(p->buf);
}

/* feffit's R-factor, sum(resid^2) / sum(data^2) of the noise-weighted
 * residual, from the raw one: each k-weight's part weighted by its noise
 * relative to the smallest, so that no noise however small overflows
 * (one k-weight: the noise cancels). r and dat: p->m raw values. */
static double rfactor(const fit_problem *p, const double *r,
                      const double *dat)
{
    size_t per = p->m / p->t.nkweights;
    double least = INFINITY, num = 0, den = 0;
    for (size_t w = 0; w < p->t.nkweights; w++)
        least = fmin(least, noise_of(p, w));
    for (size_t w = 0; w < p->t.nkweights; w++) {
        double s = least / noise_of(p, w);
        for (size_t i = w * per; i < (w + 1) * per; i++) {
            num += (r[i] * s) * (r[i] * s);
            den += (dat[i] * s) * (dat[i] * s);
        }
    }
    return num / den;
}

/* Refuse statistics that are not finite (a noise so small that chi-square
 * overflows): never a fit that "succeeded" with inf or NaN in it. */
static mdx_status check_finite(const fit_problem *p,
                               const mdx_fit_result *res, mdx_error *err)
{
    const double stats[] = {res->chi_square, res->chi2_reduced, res->rfactor,
                            res->aic, res->bic};
    int finite = 1;
    for (size_t i = 0; i < sizeof stats / sizeof *stats; i++)
        finite = finite && isfinite(stats[i]);
    for (size_t i = 0; res->errorbars && i < res->nvars; i++)
        finite = finite && isfinite(res->uncertainties[i]);
    if (finite)
        return MDX_OK;
    if (!isnan(p->t.epsilon_k))
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "fit: chi-square is "
                             "%g, R-factor %g: epsilon_k %g is too small for "
                             "these data", res->chi_square, res->rfactor,
                             p->t.epsilon_k);
    return mdx_error_set(err, MDX_ERR_RANGE, NULL, 0, "fit: the statistics "
                         "are not finite (chi-square %g, R-factor %g)",
                         res->chi_square, res->rfactor);
}

/* feffit's statistics from the residual at the best values, and the
 * uncertainties rescaled from lmfit's nfree to n_idp - nvarys. */
static mdx_status statistics(fit_problem *p, mdx_fit_result *res,
                             mdx_error *err)
{
    double *raw = malloc(2 * p->m * sizeof *raw), *dat = raw + p->m;
    if (!raw)
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    if (residual(p, res->values, 0, 1, raw) || residual(p, NULL, 1, 1, dat)) {
        free(raw);
        return mdx_error_copy(err, &p->err);
    }
    double chisqr = 0;
    size_t per = p->m / p->t.nkweights;
    for (size_t i = 0; i < p->m; i++) {
        double r = raw[i] / noise_of(p, i / per);
        chisqr += r * r;
    }
    res->rfactor = rfactor(p, raw, dat);
    free(raw);
    const mdx_fit_transform *t = &p->t;
    double nv = (double)res->nvars;
    res->ndata = p->m;
    res->n_idp = 1 + 2 * (t->rmax - t->rmin) * (t->kmax - t->kmin) / M_PI;
    res->chi_square = chisqr * res->n_idp / (double)p->m;
    res->chi2_reduced = res->chi_square / (res->n_idp - nv);
    double neg2 = res->n_idp * log(res->chi_square / res->n_idp);
    res->aic = neg2 + 2 * nv;
    res->bic = neg2 + log(res->n_idp) * nv;
    double scale = sqrt(((double)p->m - nv) / (res->n_idp - nv));
    for (size_t i = 0; i < res->nvars; i++)
        res->uncertainties[i] *= scale;
    memcpy(res->model_chi, p->model, p->nk * sizeof *p->model);
    memcpy(res->data_chi, p->data, p->nk * sizeof *p->data);
    memcpy(res->kwin, p->kwin, p->nk * sizeof *p->kwin);
    for (size_t w = 0; w < t->nkweights; w++) {
        res->epsilon_k[w] = p->eps_k[w];
        res->epsilon_r[w] = p->eps_r[w];
    }
    res->nfev = p->nfev;
    return check_finite(p, res, err);
}

mdx_status mdx_fit(const double *k, const double *chi, size_t n,
                   const mdx_fit_transform *t, const mdx_fit_var *vars,
                   size_t nvars, mdx_fit_model model, void *ctx,
                   mdx_fit_result *res, mdx_error *err)
{
    memset(res, 0, sizeof *res);
    if (n < 2)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "fit: the data have "
                             "%zu points of chi(k)", n);
    for (size_t i = 0; i < n; i++)
        if (!isfinite(k[i]) || !isfinite(chi[i]) || (i && k[i] <= k[i - 1]))
            return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "fit: the data's "
                                 "k must increase and k, chi be numbers (row "
                                 "%zu: k %g, chi %g)", i + 1, k[i], chi[i]);
    mdx_status rc = check_vars(vars, nvars, err);
    if (rc == MDX_OK)
        rc = check_transform(t, k[0], k[n - 1], (k[n - 1] - k[0]) /
                             (double)(n - 1), nvars, err);
    if (rc)
        return rc;
    fit_problem p = {.t = *t, .fn = model, .ctx = ctx};
    res->nvars = nvars;
    res->values = malloc(3 * nvars * sizeof *res->values);
    res->correl = malloc(nvars * nvars * sizeof *res->correl);
    rc = prepare(&p, k, chi, n, err);
    res->nk = p.nk;
    res->data_chi = malloc(3 * p.nk * sizeof *res->data_chi);
    if (rc == MDX_OK && (!res->values || !res->correl || !res->data_chi))
        rc = mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    if (rc == MDX_OK) {
        res->uncertainties = res->values + nvars;
        res->model_chi = res->data_chi + p.nk;
        res->kwin = res->model_chi + p.nk;
        if (p.m <= nvars)
            rc = mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "fit: %zu points "
                               "to fit %zu variables", p.m, nvars);
    }
    if (rc == MDX_OK)
        rc = mdx_fit_minimise(p.m, vars, nvars, model_residual, &p, res, err);
    if (rc == MDX_ERR_STOPPED)
        rc = mdx_error_copy(err, &p.err);
    if (rc == MDX_OK)
        rc = statistics(&p, res, err);
    release(&p);
    if (rc)
        mdx_fit_result_free(res);
    return rc;
}

void mdx_fit_result_free(mdx_fit_result *res)
{
    free(res->values);
    free(res->correl);
    free(res->data_chi);
    memset(res, 0, sizeof *res);
}
