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
#include "mdexafs/spline.h"

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
        emin = fmin(emin, fabs(q[i]));
    }
    for (size_t i = 0; i < nk; i++) {
        double e = q[i];
        if (emin < SMALL_ENERGY && fabs(e) < 1.5 * SMALL_ENERGY)
            e = SMALL_ENERGY;
        q[i] = copysign(sqrt(fabs(e)), e);
    }
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

    /* Workspace: pha, amp columns; 4 splines; spline scratch; q. */
    double *buf = reserve(w, 2 * n + 4 * 4 * (n - 1) + 3 * n + nk);
    if (!buf)
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    double *pha = buf, *amp = pha + n, *coef = amp + n;
    double *scratch = coef + 16 * (n - 1), *q = scratch + 3 * n;

    /* Combine the columns first, then interpolate (as larch does). */
    const double *const *col = (const double *const *)path->col;
    for (size_t i = 0; i < n; i++) {
        pha[i] = col[MDX_COL_REAL_PHC][i] + col[MDX_COL_PHASE][i];
        amp[i] = col[MDX_COL_MAG][i] * col[MDX_COL_RED][i];
    }
    mdx_spline s_pha, s_amp, s_rep, s_lam;
    const double *kt = col[MDX_COL_K];
    mdx_spline_fit(&s_pha, n, kt, pha, coef, scratch);
    mdx_spline_fit(&s_amp, n, kt, amp, coef + 4 * (n - 1), scratch);
    mdx_spline_fit(&s_rep, n, kt, col[MDX_COL_REP], coef + 8 * (n - 1), scratch);
    mdx_spline_fit(&s_lam, n, kt, col[MDX_COL_LAM], coef + 12 * (n - 1), scratch);

    shifted_q(nk, k, par->e0, q);

    const double degen = isnan(par->degen) ? path->deg : par->degen;
    const double scale = degen * par->s02 / ((reff + par->deltar) *
                                             (reff + par->deltar));
    const double eit = par->ei * MDX_ETOK;
    const double c4_3 = par->c4 / 3, c3_23 = 2 * par->c3 / 3;
    const double dr = par->deltar - 2 * par->sigma2 / reff;
    size_t piece = 0;
    for (size_t i = 0; i < nk; i++) {
        const double qi = q[i];
        piece = mdx_spline_piece(&s_pha, qi, piece);
        const double vpha = mdx_spline_at(&s_pha, piece, qi);
        const double vamp = mdx_spline_at(&s_amp, piece, qi);
        const double vrep = mdx_spline_at(&s_rep, piece, qi);
        const double ilam = 1 / mdx_spline_at(&s_lam, piece, qi);

        /* pp = a + ib, p = pr + i pi */
        const double a = vrep * vrep - ilam * ilam;
        const double b = 2 * vrep * ilam + eit;
        double pr, pi;
        complex_sqrt(a, b, &pr, &pi);
        /* pp (sigma2 - pp c4/3) = u + iv */
        const double u = par->sigma2 * a - c4_3 * (a * a - b * b);
        const double v = par->sigma2 * b - c4_3 * (2 * a * b);
        /* p (dr - pp 2c3/3) = s + it */
        const double gr = dr - c3_23 * a, gi = -c3_23 * b;
        const double s = pr * gr - pi * gi, t = pr * gi + pi * gr;

        const double X = -2 * reff * pi - 2 * u - 2 * t;
        const double Y = -2 * v + 2 * qi * reff + vpha + 2 * s;
        chi[i] = exp(X) * sin(Y) * scale * vamp / qi;
    }
    chi[0] = 2 * chi[1] - chi[2];
    return MDX_OK;
}
