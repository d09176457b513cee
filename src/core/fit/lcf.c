/* Linear-combination fitting as xraylarch's lincombo_fit
 * (larch/math/lincombo_fitting.py): the data's points in the fit range,
 * the components splined onto them, the residual sum f_i c_i - data
 * (here k-weighted, and each component at its own E0 shift if asked)
 * minimised by the fit layer's lmfit-like Levenberg-Marquardt with the
 * fractions bounded below by 0; with sum_to_one the last fraction is one
 * less the others, its uncertainty theirs propagated. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fit_private.h"
#include "mdexafs/chi.h"
#include "mdexafs/lcf.h"
#include "util/spline.h"

mdx_lcf_options mdx_lcf_defaults(void)
{
    return (mdx_lcf_options){.kmin = 3, .kmax = 12, .kweight = 2,
                             .sum_to_one = 1, .vary_e0 = 0};
}

/* The problem the residual reads. */
typedef struct lcf_problem {
    const mdx_lcf_options *o;
    size_t ncomps, n;
    const double *k, *d;       /* the data in range: k, k^w chi */
    mdx_spline s;              /* the components' splines */
    double *fit;               /* the mixture's chi at the last values */
} lcf_problem;

/* Fraction i at the variables' values v (the last one less the others
 * with sum_to_one), and component i's E0 shift. */
static double fraction_of(const lcf_problem *p, const double *v, size_t i)
{
    if (!p->o->sum_to_one || i + 1 < p->ncomps)
        return v[i];
    double f = 1;
    for (size_t j = 0; j + 1 < p->ncomps; j++)
        f -= v[j];
    return f;
}

static double e0_of(const lcf_problem *p, const double *v, size_t i)
{
    size_t nf = p->o->sum_to_one ? p->ncomps - 1 : p->ncomps;
    return p->o->vary_e0 ? v[nf + i] : 0;
}

/* The residual k^w (sum f_i c_i(sqrt(k^2 - e0_i ETOK)) - chi). */
static int residual(void *ctx, const double *v, double *r)
{
    lcf_problem *p = ctx;
    memset(p->fit, 0, p->n * sizeof *p->fit);
    for (size_t i = 0; i < p->ncomps; i++) {
        double f = fraction_of(p, v, i), e0 = e0_of(p, v, i);
        size_t piece = 0;
        for (size_t j = 0; j < p->n; j++) {
            double q2 = p->k[j] * p->k[j] - e0 * MDX_ETOK;
            double q = q2 > 0 ? sqrt(q2) : 0;
            piece = mdx_spline_piece(&p->s, q, piece);
            p->fit[j] += f * mdx_spline_at(&p->s, piece, i, q);
        }
    }
    for (size_t j = 0; j < p->n; j++)
        r[j] = pow(p->k[j], p->o->kweight) * p->fit[j] - p->d[j];
    return 0;
}

/* larch's index_of: the last point at or below x (0 below them all). */
static size_t index_of(const double *k, size_t n, double x)
{
    size_t i = 0;
    while (i + 1 < n && k[i + 1] <= x)
        i++;
    return i;
}

static mdx_status check_input(const double *k, const double *chi, size_t n,
                              const double *kc, size_t nc,
                              const double *const *comps, size_t ncomps,
                              const mdx_lcf_options *o, mdx_error *err)
{
    if (ncomps < 2 || ncomps > MDX_LCF_MAX)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "lcf: give 2 to %d "
                             "components, not %zu", MDX_LCF_MAX, ncomps);
    if (!(o->kmin >= 0 && o->kmin < o->kmax && isfinite(o->kmax) &&
          o->kweight >= 0 && o->kweight <= 10))
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "lcf: need 0 <= kmin "
                             "< kmax and a k-weight of 0 .. 10 (kmin %g, kmax "
                             "%g, kweight %g)", o->kmin, o->kmax, o->kweight);
    for (size_t i = 0; i < n; i++)
        if (!isfinite(chi[i]))
            return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "lcf: the data's "
                                 "chi is %g at k = %g", chi[i], k[i]);
    for (size_t i = 1; i < n; i++)
        if (!(k[i] > k[i - 1]))
            return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "lcf: the data's "
                                 "k must increase (row %zu: %g after %g)",
                                 i + 1, k[i], k[i - 1]);
    for (size_t i = 1; i < nc; i++)
        if (!(kc[i] > kc[i - 1]))
            return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "lcf: the "
                                 "components' k must increase");
    for (size_t i = 0; i < ncomps; i++)
        for (size_t j = 0; j < nc; j++)
            if (!isfinite(comps[i][j]))
                return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "lcf: "
                                     "component %zu's chi is %g at k = %g",
                                     i + 1, comps[i][j], kc[j]);
    if (n < 2 || nc < 4 || o->kmin < k[0] || o->kmax > k[n - 1])
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "lcf: the k range %g "
                             ".. %g is not within the data's k = %g .. %g",
                             o->kmin, o->kmax, n ? k[0] : NAN,
                             n ? k[n - 1] : NAN);
    double slack = o->vary_e0 ? sqrt(o->kmax * o->kmax + MDX_LCF_E0_MAX *
                                     MDX_ETOK) : o->kmax;
    double low = o->vary_e0 ? sqrt(fmax(o->kmin * o->kmin - MDX_LCF_E0_MAX *
                                        MDX_ETOK, 0)) : o->kmin;
    if (low < kc[0])
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "lcf: the components "
                             "start at k = %g, after %g (kmin%s)", kc[0], low,
                             o->vary_e0 ? " and the largest E0 shift" : "");
    if (slack > kc[nc - 1])
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "lcf: the components "
                             "end at k = %g, before %g (kmax%s)", kc[nc - 1],
                             slack, o->vary_e0 ? " and the largest E0 shift"
                                               : "");
    return MDX_OK;
}

/* The variables: the fractions (all but the last with sum_to_one), from
 * equal shares, at least 0; the E0 shifts, from 0. */
static size_t make_vars(const lcf_problem *p, mdx_fit_var *vars)
{
    size_t nf = p->o->sum_to_one ? p->ncomps - 1 : p->ncomps, nv = 0;
    for (size_t i = 0; i < nf; i++, nv++) {
        snprintf(vars[nv].name, sizeof vars[nv].name, "f%zu", i + 1);
        vars[nv].init = 1.0 / (double)p->ncomps;
        vars[nv].min = 0;
        vars[nv].max = INFINITY;
    }
    for (size_t i = 0; p->o->vary_e0 && i < p->ncomps; i++, nv++) {
        snprintf(vars[nv].name, sizeof vars[nv].name, "e0_%zu", i + 1);
        vars[nv].init = 0;
        vars[nv].min = -MDX_LCF_E0_MAX;
        vars[nv].max = MDX_LCF_E0_MAX;
    }
    return nv;
}

/* What the fit found, into res: each fraction and E0 shift with its
 * uncertainty (the last fraction's, with sum_to_one, from the others'
 * covariance: one less their sum), and the statistics. */
static mdx_status keep(lcf_problem *p, const mdx_fit_result *fr,
                       mdx_lcf_result *res, mdx_error *err)
{
    size_t nf = p->o->sum_to_one ? p->ncomps - 1 : p->ncomps;
    size_t nv = fr->nvars;
    for (size_t i = 0; i < p->ncomps; i++) {
        res->fraction[i] = fraction_of(p, fr->values, i);
        res->e0[i] = e0_of(p, fr->values, i);
        res->fraction_err[i] = i < nf ? fr->uncertainties[i] : NAN;
        res->e0_err[i] = p->o->vary_e0 ? fr->uncertainties[nf + i] : 0;
    }
    if (nf < p->ncomps) {
        double var = 0;
        for (size_t i = 0; i < nf; i++)
            for (size_t j = 0; j < nf; j++)
                var += (i == j ? 1 : fr->correl[i + j * nv]) *
                       fr->uncertainties[i] * fr->uncertainties[j];
        res->fraction_err[nf] = sqrt(var);
        if (res->fraction[nf] < -1e-9)
            return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "lcf: fractions "
                                 "summing to one need component %zu at %g, "
                                 "below 0: these components do not make the "
                                 "data; leave it out, or fit without "
                                 "sum_to_one", nf + 1, res->fraction[nf]);
    }
    double *r = malloc(p->n * sizeof *r), rr = 0, dd = 0;
    if (!r)
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    residual(p, fr->values, r);
    for (size_t j = 0; j < p->n; j++) {
        rr += r[j] * r[j];
        dd += p->d[j] * p->d[j];
    }
    free(r);
    res->chi_square = rr;
    res->chi2_reduced = rr / (double)(p->n - nv);
    res->rfactor = rr / dd;
    res->ndata = p->n;
    res->nvarys = nv;
    res->errorbars = fr->errorbars;
    res->status = fr->status;
    snprintf(res->message, sizeof res->message, "%s", fr->message);
    for (size_t i = 0; !fr->errorbars && i < nf; i++)
        if (res->fraction[i] <= 1e-6)  /* not "changes nothing": at 0 */
            snprintf(res->message, sizeof res->message, "Fit succeeded; no "
                     "uncertainties: component %zu's fraction is at its "
                     "bound 0 (%.3g): fit without it", i + 1,
                     res->fraction[i]);
    return MDX_OK;  /* res->fit is p->fit: the mixture at the values */
}

mdx_status mdx_lcf(const double *k, const double *chi, size_t n,
                   const double *kc, size_t nc, const double *const *comps,
                   size_t ncomps, const mdx_lcf_options *o,
                   mdx_lcf_result *res, mdx_error *err)
{
    memset(res, 0, sizeof *res);
    mdx_status rc = check_input(k, chi, n, kc, nc, comps, ncomps, o, err);
    if (rc)
        return rc;
    size_t lo = index_of(k, n, o->kmin), hi = index_of(k, n, o->kmax) + 1;
    lcf_problem p = {.o = o, .ncomps = ncomps, .n = hi - lo, .k = k + lo};
    mdx_fit_var vars[2 * MDX_LCF_MAX];
    size_t nv = make_vars(&p, vars);
    if (p.n <= nv)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "lcf: %zu points in "
                             "k %g .. %g for %zu variables", p.n, o->kmin,
                             o->kmax, nv);
    double *d = malloc(p.n * sizeof *d);
    double *coef = malloc(4 * ncomps * (nc - 1) * sizeof *coef);
    double *scratch = malloc(6 * nc * sizeof *scratch);
    res->k = malloc(2 * p.n * sizeof *res->k);
    mdx_fit_result fr = {.nvars = nv};
    fr.values = malloc(2 * nv * sizeof *fr.values);
    fr.correl = malloc(nv * nv * sizeof *fr.correl);
    if (!d || !coef || !scratch || !res->k || !fr.values || !fr.correl) {
        rc = mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    } else {
        res->fit = res->k + p.n;
        res->n = p.n;
        memcpy(res->k, p.k, p.n * sizeof *res->k);
        fr.uncertainties = fr.values + nv;
        for (size_t j = 0; j < p.n; j++)
            d[j] = pow(p.k[j], o->kweight) * chi[lo + j];
        p.d = d;
        p.fit = res->fit;
        mdx_spline_fit(&p.s, nc, ncomps, kc, comps, coef, scratch);
        rc = mdx_fit_minimise(p.n, vars, nv, residual, &p, &fr, err);
    }
    res->ncomps = ncomps;
    if (rc == MDX_OK)
        rc = keep(&p, &fr, res, err);
    free(d);
    free(coef);
    free(scratch);
    free(fr.values);
    free(fr.correl);
    if (rc)
        mdx_lcf_result_free(res);
    return rc;
}

void mdx_lcf_result_free(mdx_lcf_result *res)
{
    free(res->k);
    memset(res, 0, sizeof *res);
}
