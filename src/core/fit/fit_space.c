/* One data set of a fit, as xraylarch's FeffitDataSet prepares it: the
 * data on the model's k grid, feffit's windows and transforms, the noise
 * estimate, and the linear map from chi(k) on that grid to its part of
 * the residual in k, R, q or wavelet space. fit.c fits several of them at once;
 * reweight.c weighs folders with the same map. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chi/cauchy.h"
#include "fit_private.h"
#include "util/spline.h"

#define KSTEP MDX_KSTEP
#define RSTEP (M_PI / (KSTEP * MDX_FIT_NFFT))
#define FIT_KMAX (KSTEP * (MDX_NK - 1))  /* the model grid's end */

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
    double i = fmin(MDX_FIT_NFFT / 2, 0.01 + x / step);
    return i < 0 ? 0 : (size_t)i;
}

double mdx_fit_n_idp(const mdx_fit_transform *t)
{
    return 1 + 2 * (t->rmax - t->rmin) * (t->kmax - t->kmin) / M_PI;
}

/* larch's fftf: chi * kwin * k^kw on the model grid, zero-padded, into
 * s->buf (nfft/2 useful points, scaled by kstep / sqrt(pi)). */
static void fftf(mdx_fit_space *s, const double *chi, int kw)
{
    memset(s->buf, 0, MDX_FIT_NFFT * sizeof *s->buf);
    for (size_t i = 0; i < s->nk; i++)
        s->buf[i][0] = chi[i] * s->kwin[i] * pow(KSTEP * (double)i, kw);
    fftw_execute(s->forward);
    const double scale = KSTEP / sqrt(M_PI);
    for (size_t i = 0; i < MDX_FIT_NFFT / 2; i++) {
        s->buf[i][0] *= scale;
        s->buf[i][1] *= scale;
    }
}

/* larch's fftr of s->buf's chi(R) (after fftf), windowed by rwin: the
 * back-transform, scaled by 4 sqrt(pi) / kstep as numpy's ifft (1/nfft). */
static void fftr(mdx_fit_space *s)
{
    for (size_t i = 0; i < MDX_FIT_NFFT; i++) {
        double w = i < MDX_FIT_NFFT / 2 ? s->rwin[i] : 0;
        s->buf[i][0] *= w;
        s->buf[i][1] *= w;
    }
    fftw_execute(s->backward);
    const double scale = 4 * sqrt(M_PI) / KSTEP / MDX_FIT_NFFT;
    for (size_t i = 0; i < MDX_FIT_NFFT / 2; i++) {
        s->buf[i][0] *= scale;
        s->buf[i][1] *= scale;
    }
}

/* The wavelet space (feffit's TransformGroup.cwt): larch's number of R
 * points, round(rmax / rstep), and the rows and columns of its map the
 * residual keeps, [rlo, rhi) x [klo, khi), clipped to the map. */
static size_t wavelet_nr(const mdx_fit_transform *t)
{
    return (size_t)nearbyint(t->rmax / RSTEP);
}

static void wavelet_slice(const mdx_fit_space *s, size_t *rlo, size_t *rhi,
                          size_t *klo, size_t *khi)
{
    size_t nr = wavelet_nr(&s->t);
    *rlo = grid_index(s->t.rmin, RSTEP);
    *rhi = grid_index(s->t.rmax, RSTEP);
    *rhi = *rhi < nr ? *rhi : nr;
    *klo = grid_index(s->t.kmin, KSTEP);
    *khi = grid_index(s->t.kmax, KSTEP);
    *khi = *khi < s->nk ? *khi : s->nk;
}

/* The wavelet space's part of k-weight kw, chi divided by eps, into r
 * (*n points written): each kept row's real parts, then its imaginary
 * parts (larch's realimag of the map). */
static mdx_status wavelet_part(mdx_fit_space *s, const double *chi, int kw,
                               double eps, double *r, size_t *n,
                               mdx_error *err)
{
    size_t rlo, rhi, klo, khi;
    wavelet_slice(s, &rlo, &rhi, &klo, &khi);
    for (size_t i = 0; i < s->nk; i++)  /* larch weighs only when kw != 0 */
        s->wx[i] = chi[i] / eps *
                   (kw ? s->kwin[i] * pow(KSTEP * (double)i, kw) : 1);
    mdx_status rc = mdx_cauchy_rows(s->wx, s->nk, KSTEP, MDX_FIT_NFFT,
                                    wavelet_nr(&s->t), s->wr + rlo,
                                    rhi - rlo, s->nk, s->wre, s->wim, err);
    for (size_t i = 0; rc == MDX_OK && i < rhi - rlo; i++) {
        for (size_t j = klo; j < khi; j++)
            r[(*n)++] = s->wre[i * s->nk + j];
        for (size_t j = klo; j < khi; j++)
            r[(*n)++] = s->wim[i * s->nk + j];
    }
    return rc;
}

/* How many residual points each k-weight gives. */
static size_t points_per_kweight(const mdx_fit_space *s)
{
    const mdx_fit_transform *t = &s->t;
    size_t qmin = grid_index(t->kmin, KSTEP), qmax = grid_index(t->kmax, KSTEP);
    if (t->space == MDX_FIT_R) {
        size_t lo = grid_index(t->rmin, RSTEP), hi = grid_index(t->rmax, RSTEP);
        return hi > lo ? 2 * (hi - lo) : 0;
    }
    if (t->space == MDX_FIT_W) {
        size_t rlo, rhi, klo, khi;
        wavelet_slice(s, &rlo, &rhi, &klo, &khi);
        return rhi > rlo && khi > klo ? 2 * (rhi - rlo) * (khi - klo) : 0;
    }
    if (t->space == MDX_FIT_K && qmax > s->nk)
        qmax = s->nk;  /* numpy's slice stops at the model grid's end */
    return qmax > qmin ? qmax - qmin : 0;
}

double mdx_fit_space_noise(const mdx_fit_space *s, size_t w)
{
    int in_k = s->t.space == MDX_FIT_K || s->t.space == MDX_FIT_W;
    return in_k ? s->eps_k[w] : s->eps_r[w];
}

mdx_status mdx_fit_space_apply(mdx_fit_space *s, const double *chi, int raw,
                               double *r, mdx_error *err)
{
    const mdx_fit_transform *t = &s->t;
    size_t n = 0;
    size_t qmin = grid_index(t->kmin, KSTEP), qmax = grid_index(t->kmax, KSTEP);
    size_t rmin = grid_index(t->rmin, RSTEP), rmax = grid_index(t->rmax, RSTEP);
    for (size_t w = 0; w < t->nkweights; w++) {
        int kw = t->kweights[w];
        double eps = raw ? 1 : mdx_fit_space_noise(s, w);
        if (t->space == MDX_FIT_K) {
            for (size_t i = qmin; i < qmax && i < s->nk; i++)
                r[n++] = chi[i] / eps * pow(KSTEP * (double)i, kw);
            continue;
        }
        if (t->space == MDX_FIT_W) {
            if (wavelet_part(s, chi, kw, eps, r, &n, err))
                return err->code;
            continue;
        }
        fftf(s, chi, kw);
        if (t->space == MDX_FIT_R) {
            for (size_t i = rmin; i < rmax; i++) {
                r[n++] = s->buf[i][0] / eps;
                r[n++] = s->buf[i][1] / eps;
            }
        } else {
            fftr(s);
            for (size_t i = qmin; i < qmax; i++)
                r[n++] = s->buf[i][0] / eps;
        }
    }
    return MDX_OK;
}

/* feffit's noise estimate (estimate_noise, rmin 15, rmax 30, every
 * k-weight): eps_r from chi(R) of the data at high R, eps_k from it by
 * Parseval; or, with epsilon_k given, eps_r from it (set_epsilon_k). An
 * estimate of 0 (data without noise) cannot weigh a residual: an error. */
static mdx_status estimate_noise(mdx_fit_space *s, mdx_error *err)
{
    const mdx_fit_transform *t = &s->t;
    double kwin_sum = 0;
    for (size_t i = 0; i < MDX_FIT_NFFT; i++)
        kwin_sum += s->kwin[i];
    double kwin_ave = kwin_sum * KSTEP / (t->kmax - t->kmin);
    size_t lo = (size_t)(0.01 + 15.0 / RSTEP);
    size_t hi = (size_t)fmin(MDX_FIT_NFFT / 2, 1.01 + 30.0 / RSTEP);
    for (size_t w = 0; w < t->nkweights; w++) {
        double kw = 2.0 * t->kweights[w] + 1;
        double span = KSTEP * (pow(t->kmax, kw) - pow(t->kmin, kw));
        if (!isnan(t->epsilon_k)) {
            s->eps_k[w] = t->epsilon_k;
            s->eps_r[w] = t->epsilon_k / (2 * sqrt(M_PI * kw / span));
            continue;
        }
        fftf(s, s->data, t->kweights[w]);
        double sum = 0;
        for (size_t i = lo; i < hi; i++)
            sum += s->buf[i][0] * s->buf[i][0] + s->buf[i][1] * s->buf[i][1];
        s->eps_r[w] = sqrt(sum / (double)(2 * (hi - lo))) / kwin_ave;
        s->eps_k[w] = sqrt(2 * M_PI * kw / span) * s->eps_r[w];
        if (!(s->eps_k[w] > 0 && isfinite(s->eps_k[w]) && s->eps_r[w] > 0))
            return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "fit: the data's "
                                 "noise estimated from |chi(R)| at 15-30 Å "
                                 "(k-weight %d) is %g: give epsilon_k",
                                 t->kweights[w], s->eps_k[w]);
    }
    return MDX_OK;
}

/* Is the transform one feffit can use on data from k = kstart to kend,
 * `step` apart on average? The k range must lie within the data, give or
 * take one step (or the model's, if larger). */
static mdx_status check_transform(const mdx_fit_transform *t, double kstart,
                                  double kend, double step, mdx_error *err)
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
    return MDX_OK;
}

/* The data: at least two finite points, k increasing. */
static mdx_status check_data(const double *k, const double *chi, size_t n,
                             mdx_error *err)
{
    if (n < 2)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "fit: the data have "
                             "%zu points of chi(k)", n);
    for (size_t i = 0; i < n; i++)
        if (!isfinite(k[i]) || !isfinite(chi[i]) || (i && k[i] <= k[i - 1]))
            return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "fit: the data's "
                                 "k must increase and k, chi be numbers (row "
                                 "%zu: k %g, chi %g)", i + 1, k[i], chi[i]);
    return MDX_OK;
}

mdx_status mdx_fit_space_make(mdx_fit_space *s, const double *k,
                              const double *chi, size_t n,
                              const mdx_fit_transform *t, mdx_error *err)
{
    memset(s, 0, sizeof *s);
    s->t = *t;
    mdx_status rc = check_data(k, chi, n, err);
    if (rc == MDX_OK)
        rc = check_transform(t, k[0], k[n - 1], (k[n - 1] - k[0]) /
                             (double)(n - 1), err);
    if (rc == MDX_OK && !(k[n - 1] > 0))
        rc = mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "fit: the data end at "
                           "k = %g", k[n - 1]);
    if (rc)
        return rc;
    size_t nk = (size_t)(1.01 + k[n - 1] / KSTEP);
    s->nk = nk < MDX_NK ? nk : MDX_NK;
    s->data = malloc(s->nk * sizeof *s->data);
    s->kwin = malloc(MDX_FIT_NFFT * sizeof *s->kwin);
    s->rwin = malloc(MDX_FIT_NFFT * sizeof *s->rwin);
    double *grid = malloc(MDX_FIT_NFFT * sizeof *grid);
    s->buf = fftw_alloc_complex(MDX_FIT_NFFT);
    if (!s->data || !s->kwin || !s->rwin || !grid || !s->buf) {
        free(grid);
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    }
    for (size_t i = 0; i < MDX_FIT_NFFT; i++)
        grid[i] = KSTEP * (double)i;
    mdx_ftwindow(grid, MDX_FIT_NFFT, t->kmin, t->kmax, t->dk,
                 isnan(t->dk2) ? t->dk : t->dk2, t->window, s->kwin);
    for (size_t i = 0; i < MDX_FIT_NFFT; i++)
        grid[i] = RSTEP * (double)i;
    mdx_ftwindow(grid, MDX_FIT_NFFT, t->rmin, t->rmax, t->dr,
                 isnan(t->dr2) ? t->dr : t->dr2, t->rwindow, s->rwin);
    free(grid);
    for (size_t i = 0; i < s->nk; i++)
        s->data[i] = mdx_interp(KSTEP * (double)i, k, chi, n);
#pragma omp critical  /* FFTW's planner is not thread-safe */
    {
        s->forward = fftw_plan_dft_1d(MDX_FIT_NFFT, s->buf, s->buf,
                                      FFTW_FORWARD, FFTW_ESTIMATE);
        s->backward = fftw_plan_dft_1d(MDX_FIT_NFFT, s->buf, s->buf,
                                       FFTW_BACKWARD, FFTW_ESTIMATE);
    }
    if (!s->forward || !s->backward)
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    s->m = t->nkweights * points_per_kweight(s);
    if (s->m == 0)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "fit: k %g .. %g, R "
                             "%g .. %g give no point to fit in fit space "
                             "'%s'", t->kmin, t->kmax, t->rmin, t->rmax,
                             mdx_fitspace_name(t->space));
    if (t->space == MDX_FIT_W) {
        size_t nr = wavelet_nr(t);
        s->wr = malloc(nr * sizeof *s->wr);
        s->wre = malloc(2 * nr * s->nk * sizeof *s->wre);
        s->wx = malloc(s->nk * sizeof *s->wx);
        if (!s->wr || !s->wre || !s->wx)
            return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0,
                                 "out of memory");
        s->wim = s->wre + nr * s->nk;
        for (size_t i = 0; i < nr; i++)
            s->wr[i] = i ? RSTEP * (double)i : 1e-19;  /* as larch's cwt */
    }
    return estimate_noise(s, err);
}

void mdx_fit_space_free(mdx_fit_space *s)
{
    free(s->wr);
    free(s->wre);
    free(s->wx);
    free(s->data);
    free(s->kwin);
    free(s->rwin);
#pragma omp critical
    {
        if (s->forward)
            fftw_destroy_plan(s->forward);
        if (s->backward)
            fftw_destroy_plan(s->backward);
    }
    fftw_free(s->buf);
    memset(s, 0, sizeof *s);
}
