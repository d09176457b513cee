/* Fitting as xraylarch's feffit (larch/xafs/feffit.py): one residual of
 * every data set's part (fit_space.c), its models given the same values,
 * and the statistics scaled to the number of independent points summed
 * over the data sets. The minimiser is in fit_lm.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fit_private.h"

/* One data set being fitted. */
typedef struct fit_set {
    mdx_fit_space space;
    mdx_fit_model fn;
    void *ctx;
    double *model;             /* its last model evaluated */
    double *diff;              /* data - model */
} fit_set;

/* One fit: its data sets and what the residual function reports. */
typedef struct fit_problem {
    fit_set *sets;
    size_t nsets;
    size_t m;                  /* residual length, all data sets */
    size_t nfev;
    mdx_error err;             /* why the model failed */
} fit_problem;

/* Say which data set an error is about, when there are several:
 * "fit: data set 2: ...". */
static mdx_status name_set(const fit_problem *p, size_t i, mdx_error *err)
{
    if (p->nsets < 2)
        return err->code;
    char msg[sizeof err->msg];
    const char *rest = strncmp(err->msg, "fit: ", 5) ? err->msg : err->msg + 5;
    snprintf(msg, sizeof msg, "%s", rest);
    return mdx_error_set(err, err->code, NULL, 0, "fit: data set %zu: %s",
                         i + 1, msg);
}

/* Why a residual is not finite: the model's chi(k), or a noise so small
 * that the data overflow it. */
static void not_finite(fit_problem *p, const fit_set *s, size_t i)
{
    int model_finite = 1;
    for (size_t j = 0; j < s->space.nk; j++)
        model_finite = model_finite && isfinite(s->model[j]);
    if (model_finite)
        mdx_error_set(&p->err, MDX_ERR_ARG, NULL, 0, "fit: the residual is "
                      "not finite: the noise (epsilon_k %g) is too small for "
                      "these data", s->space.eps_k[0]);
    else
        mdx_error_set(&p->err, MDX_ERR_ARG, NULL, 0, "the model's chi(k) is "
                      "not finite with these variables: check the path "
                      "parameters they make");
    name_set(p, i, &p->err);
}

/* The residual of the models at `values` (or of the data alone,
 * data_only, for the R-factor's denominator) into r[0..p->m), set by
 * set, each k-weight's part divided by its noise, or not (raw: for the
 * R-factor, which must not depend on the noise). 0, or -1 when a model
 * failed or the residual is not finite (p->err). */
static int residual(fit_problem *p, const double *values, int data_only,
                    int raw, double *r)
{
    if (!data_only)
        p->nfev++;
    for (size_t i = 0; i < p->nsets; i++) {
        fit_set *s = &p->sets[i];
        size_t nk = s->space.nk;
        if (!data_only && s->fn(s->ctx, values, nk, s->model, &p->err))
            return -1;
        for (size_t j = 0; j < nk; j++)
            s->diff[j] = s->space.data[j] - (data_only ? 0 : s->model[j]);
        if (mdx_fit_space_apply(&s->space, s->diff, raw, r, &p->err))
            return -1;
        for (size_t j = 0; j < s->space.m; j++)
            if (!isfinite(r[j])) {
                not_finite(p, s, i);
                return -1;
            }
        r += s->space.m;
    }
    return 0;
}

/* The residual the minimiser sees. */
static int model_residual(void *ctx, const double *values, double *r)
{
    return residual(ctx, values, 0, 0, r);
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

/* Make every data set's space and buffers; enough independent points and
 * residual points for the variables. */
static mdx_status prepare(fit_problem *p, const mdx_fit_dataset *sets,
                          size_t nvars, mdx_error *err)
{
    double n_idp = 0;
    for (size_t i = 0; i < p->nsets; i++) {
        fit_set *s = &p->sets[i];
        s->fn = sets[i].model;
        s->ctx = sets[i].ctx;
        if (mdx_fit_space_make(&s->space, sets[i].k, sets[i].chi, sets[i].n,
                               &sets[i].transform, err))
            return name_set(p, i, err);
        s->model = calloc(s->space.nk, sizeof *s->model);
        s->diff = malloc(s->space.nk * sizeof *s->diff);
        if (!s->model || !s->diff)
            return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0,
                                 "out of memory");
        n_idp += mdx_fit_n_idp(&s->space.t);
        p->m += s->space.m;
    }
    if (n_idp <= (double)nvars)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "fit: %zu variables "
                             "but only %.2f independent points: widen the k "
                             "or R ranges or vary fewer", nvars, n_idp);
    if (p->m <= nvars)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "fit: %zu points to "
                             "fit %zu variables", p->m, nvars);
    return MDX_OK;
}

static void release(fit_problem *p)
{
    for (size_t i = 0; p->sets && i < p->nsets; i++) {
        mdx_fit_space_free(&p->sets[i].space);
        free(p->sets[i].model);
        free(p->sets[i].diff);
    }
    free(p->sets);
}

/* feffit's R-factor, sum(resid^2) / sum(data^2) of the noise-weighted
 * residual over every data set, from the raw one: each part weighted by
 * its noise relative to the smallest, so that no noise however small
 * overflows (one k-weight of one data set: the noise cancels). r and
 * dat: p->m raw values. */
static double rfactor(const fit_problem *p, const double *r,
                      const double *dat)
{
    double least = INFINITY, num = 0, den = 0;
    for (size_t i = 0; i < p->nsets; i++)
        for (size_t w = 0; w < p->sets[i].space.t.nkweights; w++)
            least = fmin(least, mdx_fit_space_noise(&p->sets[i].space, w));
    for (size_t i = 0, at = 0; i < p->nsets; i++) {
        const mdx_fit_space *s = &p->sets[i].space;
        size_t per = s->m / s->t.nkweights;
        for (size_t j = 0; j < s->m; j++, at++) {
            double scale = least / mdx_fit_space_noise(s, j / per);
            num += (r[at] * scale) * (r[at] * scale);
            den += (dat[at] * scale) * (dat[at] * scale);
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
    for (size_t i = 0; i < p->nsets; i++)
        if (!isnan(p->sets[i].space.t.epsilon_k)) {
            mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "fit: chi-square is %g, "
                          "R-factor %g: epsilon_k %g is too small for these "
                          "data", res->chi_square, res->rfactor,
                          p->sets[i].space.t.epsilon_k);
            return name_set(p, i, err);
        }
    return mdx_error_set(err, MDX_ERR_RANGE, NULL, 0, "fit: the statistics "
                         "are not finite (chi-square %g, R-factor %g)",
                         res->chi_square, res->rfactor);
}

/* Each data set's part of the result: its data, model and window on the
 * model grid, its noise and independent points. */
static mdx_status keep_sets(const fit_problem *p, mdx_fit_result *res,
                            mdx_error *err)
{
    res->sets = calloc(p->nsets, sizeof *res->sets);
    if (!res->sets)
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    res->nsets = p->nsets;
    for (size_t i = 0; i < p->nsets; i++) {
        const fit_set *s = &p->sets[i];
        mdx_fit_set_result *out = &res->sets[i];
        size_t nk = s->space.nk;
        out->ndata = s->space.m;
        out->n_idp = mdx_fit_n_idp(&s->space.t);
        out->nk = nk;
        out->data_chi = malloc(3 * nk * sizeof *out->data_chi);
        if (!out->data_chi)
            return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0,
                                 "out of memory");
        out->model_chi = out->data_chi + nk;
        out->kwin = out->model_chi + nk;
        memcpy(out->data_chi, s->space.data, nk * sizeof *out->data_chi);
        memcpy(out->model_chi, s->model, nk * sizeof *out->model_chi);
        memcpy(out->kwin, s->space.kwin, nk * sizeof *out->kwin);
        for (size_t w = 0; w < s->space.t.nkweights; w++) {
            out->epsilon_k[w] = s->space.eps_k[w];
            out->epsilon_r[w] = s->space.eps_r[w];
        }
    }
    return MDX_OK;
}

/* feffit's statistics from the residual at the best values, and the
 * uncertainties rescaled from lmfit's nfree to n_idp - nvarys. */
static mdx_status statistics(fit_problem *p, mdx_fit_result *res,
                             mdx_error *err)
{
    double *raw = malloc(2 * p->m * sizeof *raw), *dat = raw + p->m;
    if (!raw)
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    if (residual(p, NULL, 1, 1, dat) || residual(p, res->values, 0, 1, raw)) {
        free(raw);
        return mdx_error_copy(err, &p->err);
    }
    double chisqr = 0;
    res->n_idp = 0;
    for (size_t i = 0, at = 0; i < p->nsets; i++) {
        const mdx_fit_space *s = &p->sets[i].space;
        size_t per = s->m / s->t.nkweights;
        for (size_t j = 0; j < s->m; j++, at++) {
            double r = raw[at] / mdx_fit_space_noise(s, j / per);
            chisqr += r * r;
        }
        res->n_idp += mdx_fit_n_idp(&s->t);
    }
    res->rfactor = rfactor(p, raw, dat);
    free(raw);
    double nv = (double)res->nvars;
    res->ndata = p->m;
    res->chi_square = chisqr * res->n_idp / (double)p->m;
    res->chi2_reduced = res->chi_square / (res->n_idp - nv);
    double neg2 = res->n_idp * log(res->chi_square / res->n_idp);
    res->aic = neg2 + 2 * nv;
    res->bic = neg2 + log(res->n_idp) * nv;
    double scale = sqrt(((double)p->m - nv) / (res->n_idp - nv));
    for (size_t i = 0; i < res->nvars; i++)
        res->uncertainties[i] *= scale;
    res->nfev = p->nfev;
    mdx_status rc = keep_sets(p, res, err);
    return rc ? rc : check_finite(p, res, err);
}

mdx_status mdx_fit_datasets(const mdx_fit_dataset *sets, size_t nsets,
                            const mdx_fit_var *vars, size_t nvars,
                            mdx_fit_result *res, mdx_error *err)
{
    memset(res, 0, sizeof *res);
    if (nsets == 0)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "fit: no data sets");
    mdx_status rc = check_vars(vars, nvars, err);
    if (rc)
        return rc;
    fit_problem p = {.nsets = nsets};
    p.sets = calloc(nsets, sizeof *p.sets);
    res->nvars = nvars;
    res->values = malloc(2 * nvars * sizeof *res->values);
    res->correl = malloc(nvars * nvars * sizeof *res->correl);
    if (!p.sets || !res->values || !res->correl)
        rc = mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    else
        res->uncertainties = res->values + nvars;
    if (rc == MDX_OK)
        rc = prepare(&p, sets, nvars, err);
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

mdx_status mdx_fit(const double *k, const double *chi, size_t n,
                   const mdx_fit_transform *t, const mdx_fit_var *vars,
                   size_t nvars, mdx_fit_model model, void *ctx,
                   mdx_fit_result *res, mdx_error *err)
{
    mdx_fit_dataset set = {.k = k, .chi = chi, .n = n, .transform = *t,
                           .model = model, .ctx = ctx};
    return mdx_fit_datasets(&set, 1, vars, nvars, res, err);
}

void mdx_fit_result_free(mdx_fit_result *res)
{
    free(res->values);
    free(res->correl);
    for (size_t i = 0; res->sets && i < res->nsets; i++)
        free(res->sets[i].data_chi);
    free(res->sets);
    memset(res, 0, sizeof *res);
}
