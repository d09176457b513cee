/* chi(k) of one path: xraylarch's FeffPathGroup._calc_chi, step by step.
 *
 * For the e0-shifted wavenumber q, with pha, amp, rep, lam splined from the
 * path's table, larch evaluates in complex numbers
 *   pp = (rep + i/lam)^2 + i ei ETOK,  p = sqrt(pp)
 *   cchi = exp(-2 reff Im p - 2 pp (sigma2 - pp c4/3)
 *              + i (2 q reff + pha + 2 p (deltar - 2 sigma2/reff - 2 pp c3/3)))
 *          * degen s02 amp / (q (reff + deltar)^2)
 * and returns chi = Im cchi. We write the exponent out in real arithmetic,
 * exp(X) (cos Y + i sin Y), and keep only exp(X) sin Y: the same numbers as
 * larch to rounding, about four times faster than complex cexp/csqrt. */
#include <math.h>
#include <stdlib.h>

#include "mdexafs/chi.h"
#include "util/spline.h"

/* larch's SMALL_ENERGY: |e| below it is replaced to keep q away from 0. */
#define SMALL_ENERGY 1e-6

mdx_chi_params mdx_chi_defaults(void)
{
    mdx_chi_params p = {1.0, 0, 0, 0, 0, 0, 0, NAN};
    return p;
}

void mdx_kgrid(double k[MDX_NK])
{
    for (int i = 0; i < MDX_NK; i++)
        k[i] = MDX_KSTEP * i;
}

void mdx_chi_work_free(mdx_chi_work *w)
{
    free(w->buf);
    w->buf = NULL;
    w->cap = 0;
}

static double *reserve(mdx_chi_work *w, size_t n)
{
    if (w->cap < n) {
        double *b = realloc(w->buf, n * sizeof *b);
        if (!b)
            return NULL;
        w->buf = b;
        w->cap = n;
    }
    return w->buf;
}

/* The principal square root (re, im) of a + ib, stable for either sign of a. */
static void complex_sqrt(double a, double b, double *re, double *im)
{
    double m = sqrt(a * a + b * b);
    if (a >= 0) {
        *re = sqrt(0.5 * (m + a));
        *im = *re > 0 ? b / (2 * *re) : 0;
    } else {
        *im = copysign(sqrt(0.5 * (m - a)), b);
        *re = b / (2 * *im);
    }
}

/* q = sign(e) sqrt|e| for e = k^2 - e0 ETOK, with larch's guard near e = 0. */
static void shifted_q(size_t nk, const double *k, double e0, double *q)
{
    double emin = INFINITY;
    for (size_t i = 0; i < nk; i++) {
        q[i] = k[i] * k[i] - e0 * MDX_ETOK;
        if (fabs(q[i]) < emin)
            emin = fabs(q[i]);
    }
    for (size_t i = 0; i < nk; i++) {
        double e = q[i];
        if (emin < SMALL_ENERGY && fabs(e) < 1.5 * SMALL_ENERGY)
            e = SMALL_ENERGY;
        q[i] = copysign(sqrt(fabs(e)), e);
    }
}

/* Spline pha = real[2*phc] + phase and amp = mag * red factor (combined
 * first, then interpolated, as larch does), rep and lam, and evaluate all
 * four at each q into v[0..4*nk). Uses 2n + 16(n-1) + 6n doubles of ws. */
static void splined_columns(const mdx_path *path, size_t nk, const double *q,
                            double *v, double *ws)
{
    const size_t n = path->nrows;
    double *const *col = path->col;
    double *pha = ws, *amp = pha + n, *coef = amp + n;
    double *scratch = coef + 16 * (n - 1);
    for (size_t i = 0; i < n; i++) {
        pha[i] = col[MDX_COL_REAL_PHC][i] + col[MDX_COL_PHASE][i];
        amp[i] = col[MDX_COL_MAG][i] * col[MDX_COL_RED][i];
    }
    const double *ys[] = {pha, amp, col[MDX_COL_REP], col[MDX_COL_LAM]};
    mdx_spline sp;
    mdx_spline_fit(&sp, n, 4, col[MDX_COL_K], ys, coef, scratch);

    size_t piece = 0;
    for (size_t i = 0; i < nk; i++) {
        piece = mdx_spline_piece(&sp, q[i], piece);
        for (size_t j = 0; j < 4; j++)
            v[j * nk + i] = mdx_spline_at(&sp, piece, j, q[i]);
    }
}

mdx_status mdx_chi_covers(const mdx_path *path, size_t nk, const double *k,
                          mdx_error *err)
{
    const double *tk = path->col[MDX_COL_K];
    /* "20.000" is the grid's 20, and FEFF's edge point, 0 in its path
     * files, is a few 1e-5 either side of 0 in feff.bin's single precision:
     * extrapolating over 1e-4 1/Å, 1/500 of a grid step, is no cut */
    const double slack = 1e-4;
    if (tk[0] > k[0] + slack || tk[path->nrows - 1] < k[nk - 1] - slack)
        return mdx_error_set(err, MDX_ERR_FORMAT, NULL, 0,
                             "the table covers k = %g .. %g 1/Å, not all of "
                             "the k grid %g .. %g: cut short?", tk[0],
                             tk[path->nrows - 1], k[0], k[nk - 1]);
    return MDX_OK;
}

mdx_status mdx_chi(const mdx_path *path, const mdx_chi_params *par,
                   size_t nk, const double *k, double *chi,
                   mdx_chi_work *w, mdx_error *err)
{
    const size_t n = path->nrows;
    const double reff = path->reff;
    if (reff < MDX_REFF_MIN)
        return mdx_error_set(err, MDX_ERR_RANGE, NULL, 0,
                             "reff = %g Å is below %g Å: no chi(k)", reff,
                             MDX_REFF_MIN);
    if (nk < 3 || n < MDX_MIN_ROWS)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0,
                             "need at least 3 k points and %d table rows",
                             MDX_MIN_ROWS);
    mdx_status st = mdx_chi_covers(path, nk, k, err);
    if (st)
        return st;
    double *q = reserve(w, 5 * nk + 24 * n);
    if (!q)
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    double *pha = q + nk, *amp = pha + nk, *rep = amp + nk, *lam = rep + nk;

    shifted_q(nk, k, par->e0, q);
    splined_columns(path, nk, q, pha, lam + nk);

    /* The exponent X + iY and the real prefactor, point by point with no
     * calls so that the divisions pipeline (overwriting rep, lam and amp
     * once read); then exp and sin. */
    const double degen = isnan(par->degen) ? path->deg : par->degen;
    const double scale = degen * par->s02 / ((reff + par->deltar) *
                                             (reff + par->deltar));
    const double eit = par->ei * MDX_ETOK;
    const double c4_3 = par->c4 / 3, c3_23 = 2 * par->c3 / 3;
    const double dr = par->deltar - 2 * par->sigma2 / reff;
    double *X = rep, *Y = lam, *factor = amp;
    for (size_t i = 0; i < nk; i++) {
        const double r = rep[i], ilam = 1 / lam[i];
        /* pp = a + ib = (rep + i/lam)^2 + i ei ETOK, p = pr + i pi */
        const double a = r * r - ilam * ilam;
        const double b = 2 * r * ilam + eit;
        double pr, pi;
        if (eit == 0 && r > 0) {  /* sqrt((r + is)^2) = r + is for r > 0 */
            pr = r;
            pi = ilam;
        } else {
            complex_sqrt(a, b, &pr, &pi);
        }
        /* pp (sigma2 - pp c4/3) = u + iv */
        const double u = par->sigma2 * a - c4_3 * (a * a - b * b);
        const double v = par->sigma2 * b - c4_3 * (2 * a * b);
        /* p (dr - pp 2c3/3) = s + it */
        const double gr = dr - c3_23 * a, gi = -c3_23 * b;
        const double s = pr * gr - pi * gi, t = pr * gi + pi * gr;

        X[i] = -2 * reff * pi - 2 * u - 2 * t;
        Y[i] = -2 * v + 2 * q[i] * reff + pha[i] + 2 * s;
        factor[i] = scale * amp[i] / q[i];
    }
    for (size_t i = 0; i < nk; i++)
        chi[i] = exp(X[i]) * sin(Y[i]) * factor[i];
    chi[0] = 2 * chi[1] - chi[2];
    for (size_t i = 0; i < nk; i++)
        if (!isfinite(chi[i]))
            return mdx_error_set(err, MDX_ERR_ARG, NULL, 0,
                                 "chi(k) is not finite at k = %g (s02 %g, e0 "
                                 "%g, sigma2 %g, deltar %g, c3 %g, c4 %g, ei "
                                 "%g)", k[i], par->s02, par->e0, par->sigma2,
                                 par->deltar, par->c3, par->c4, par->ei);
    return MDX_OK;
}
