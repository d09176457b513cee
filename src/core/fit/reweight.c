/* Reweighting an ensemble toward measured chi(k) with maximum-entropy
 * regularisation (Hummer and Köfinger's BioEn, J. Chem. Phys. 143, 243150
 * (2015)). The residual is linear in the weights: each folder's column
 * of A is feffit's transform of its chi(k) (fit_space.c), scaled so that
 * |A w - b|^2 is feffit's chi-square. The problem
 *     min over the simplex of |A w - b|^2 / 2 + theta sum w ln(N w)
 * is solved through its dual, smooth and strongly convex in as many
 * variables as residual points whatever the number of folders:
 *     min over l of |l|^2 / 2 + l.b + theta ln(sum exp(-(A^T l)_i / theta) / N)
 * whose minimum gives w_i ~ exp(-(A^T l)_i / theta) and l = A w - b.
 * Newton's method finds it, each step's length from the gradient alone
 * (which keeps its precision where the dual's value, a sum of terms as
 * large as chi-square, has no digits left to compare). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fit_private.h"
#include "mdexafs/reweight.h"

#define MDX_REWEIGHT_STEPS 200     /* Newton's steps at most */
#define MDX_REWEIGHT_POINTS 2500   /* residual points at most: the Hessian
                                      is points^2 doubles per thread */
#define MDX_REWEIGHT_SEARCH 40     /* gradients per line search at most */

/* The problem: A's columns (m each, one per folder), b, and the weights
 * of the last point whose gradient was taken. */
typedef struct reweight_problem {
    size_t m, nfolders;
    const double *a, *b;
    double theta;
    double *w;         /* nfolders */
    double *aw;        /* m: A w */
} reweight_problem;

/* The weights at l: the softmax of -(A^T l) / theta, shifted by its
 * largest exponent (equal weights when theta is infinite). */
static void weights_of(reweight_problem *p, const double *l)
{
    const size_t m = p->m, nf = p->nfolders;
    double top = -INFINITY, sum = 0;
    if (isinf(p->theta)) {
        for (size_t i = 0; i < nf; i++)
            p->w[i] = 1.0 / (double)nf;
        return;
    }
#pragma omp parallel for reduction(max : top) schedule(static)
    for (size_t i = 0; i < nf; i++) {
        const double *col = p->a + i * m;
        double g = 0;
        for (size_t j = 0; j < m; j++)
            g += col[j] * l[j];
        p->w[i] = -g / p->theta;
        top = fmax(top, p->w[i]);
    }
#pragma omp parallel for reduction(+ : sum) schedule(static)
    for (size_t i = 0; i < nf; i++) {
        p->w[i] = exp(p->w[i] - top);
        sum += p->w[i];
    }
    for (size_t i = 0; i < nf; i++)
        p->w[i] /= sum;
}

/* A w into p->aw, folder by folder, in a fixed order. */
static void times_weights(reweight_problem *p)
{
    const size_t m = p->m, nf = p->nfolders;
    memset(p->aw, 0, m * sizeof *p->aw);
    for (size_t i = 0; i < nf; i++) {
        const double *col = p->a + i * m;
        for (size_t j = 0; j < m; j++)
            p->aw[j] += p->w[i] * col[j];
    }
}

/* The dual's gradient at l, l + b - A w, into grad (p->w and p->aw left
 * at l); returns its norm. */
static double gradient(reweight_problem *p, const double *l, double *grad)
{
    weights_of(p, l);
    times_weights(p);
    double norm = 0;
    for (size_t j = 0; j < p->m; j++) {
        grad[j] = l[j] + p->b[j] - p->aw[j];
        norm += grad[j] * grad[j];
    }
    return sqrt(norm);
}

static double dot(const double *x, const double *y, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += x[i] * y[i];
    return s;
}

static double chi_square(const double *aw, const double *b, size_t m)
{
    double s = 0;
    for (size_t j = 0; j < m; j++)
        s += (aw[j] - b[j]) * (aw[j] - b[j]);
    return s;
}

/* The dual's Hessian at the weights p->w into h's lower triangle (m x
 * m): I + (A diag(w) A^T - (A w)(A w)^T) / theta, summed over folders
 * on all threads (each its own, then added). */
static mdx_status hessian(const reweight_problem *p, double *h,
                          mdx_error *err)
{
    const size_t m = p->m, nf = p->nfolders;
    int nomem = 0;
    memset(h, 0, m * m * sizeof *h);
#pragma omp parallel
    {
        double *part = calloc(m * m, sizeof *part);
        if (!part)
#pragma omp atomic write
            nomem = 1;
#pragma omp for schedule(static)
        for (size_t i = 0; i < nf; i++) {
            const double *col = p->a + i * m;
            for (size_t j = 0; part && p->w[i] > 0 && j < m; j++) {
                double wj = p->w[i] * col[j], *row = part + j * m;
                for (size_t k = 0; k <= j; k++)
                    row[k] += wj * col[k];
            }
        }
#pragma omp critical
        for (size_t j = 0; part && j < m * m; j++)
            h[j] += part[j];
        free(part);
    }
    if (nomem)
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    for (size_t j = 0; j < m; j++)
        for (size_t k = 0; k <= j; k++)
            h[j * m + k] = (j == k) + (h[j * m + k] - p->aw[j] * p->aw[k]) /
                                      p->theta;
    return MDX_OK;
}

/* Solve h x = g in place (g becomes x) by Cholesky's factorisation of h's
 * lower triangle (overwritten): h is I plus a positive semidefinite
 * matrix, so the factorisation exists. */
static void cholesky_solve(double *h, double *g, size_t m)
{
    for (size_t j = 0; j < m; j++) {
        double d = h[j * m + j];
        for (size_t k = 0; k < j; k++)
            d -= h[j * m + k] * h[j * m + k];
        d = sqrt(fmax(d, 1e-300));
        h[j * m + j] = d;
        for (size_t i = j + 1; i < m; i++) {
            double v = h[i * m + j];
            for (size_t k = 0; k < j; k++)
                v -= h[i * m + k] * h[j * m + k];
            h[i * m + j] = v / d;
        }
    }
    for (size_t i = 0; i < m; i++) {  /* L y = g */
        for (size_t k = 0; k < i; k++)
            g[i] -= h[i * m + k] * g[k];
        g[i] /= h[i * m + i];
    }
    for (size_t i = m; i-- > 0;) {    /* L^T x = y */
        for (size_t k = i + 1; k < m; k++)
            g[i] -= h[k * m + i] * g[k];
        g[i] /= h[i * m + i];
    }
}

/* Scratch of Newton's method: the Hessian, the step, the gradient at l
 * and at the trial point. */
typedef struct newton_work {
    double *h, *step, *grad, *trial, *tgrad;
} newton_work;

/* The slope of the dual along step at l + t step (the trial point and
 * its gradient in w). */
static double slope_at(reweight_problem *p, const double *l, double t,
                       newton_work *w)
{
    for (size_t j = 0; j < p->m; j++)
        w->trial[j] = l[j] + t * w->step[j];
    gradient(p, w->trial, w->tgrad);
    return dot(w->tgrad, w->step, p->m);
}

/* The step's length: where the slope along it has fallen to a tenth of
 * its start (the dual is convex: the slope rises along the step), by
 * doubling from 1 while it is still steeply down, then false position
 * within the bracket. The trial point is left at the length found (the
 * last slope taken). */
static void line_search(reweight_problem *p, const double *l, double s0,
                        newton_work *w)
{
    double lo = 0, slo = s0, hi = 1, shi = slope_at(p, l, 1, w);
    for (int i = 0; i < MDX_REWEIGHT_SEARCH && shi < 0.1 * s0; i++) {
        lo = hi;
        slo = shi;
        hi *= 2;
        shi = slope_at(p, l, hi, w);
    }
    double t = hi, s = shi;
    for (int i = 0; i < MDX_REWEIGHT_SEARCH && fabs(s) > 0.1 * fabs(s0);
         i++) {
        t = lo + (hi - lo) * slo / (slo - shi);
        t = fmin(fmax(t, lo + 0.05 * (hi - lo)), hi - 0.05 * (hi - lo));
        s = slope_at(p, l, t, w);
        if (s < 0) {
            lo = t;
            slo = s;
        } else {
            hi = t;
            shi = s;
        }
    }
}

/* Solve at p->theta from l, leaving the solution in l and its weights in
 * p->w: Newton's steps until the gradient is at rounding. */
static mdx_status solve(reweight_problem *p, double *l, mdx_error *err)
{
    const size_t m = p->m;
    if (isinf(p->theta)) {  /* the limit: equal weights, exactly */
        weights_of(p, l);
        times_weights(p);
        return MDX_OK;
    }
    double *buf = malloc((m * m + 4 * m) * sizeof *buf);
    if (!buf)
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    newton_work w = {buf, buf + m * m, buf + m * m + m, buf + m * m + 2 * m,
                     buf + m * m + 3 * m};
    double gnorm = gradient(p, l, w.grad), scale = 1;
    mdx_status rc = MDX_OK;
    int stalled = 0;
    for (int it = 0; it < MDX_REWEIGHT_STEPS && stalled < 3; it++) {
        /* the gradient l + b - A w cancels terms as large as these */
        scale = fmax(fmax(1, sqrt(dot(l, l, m))),
                     fmax(sqrt(dot(p->b, p->b, m)), sqrt(dot(p->aw, p->aw, m))));
        if (gnorm <= 1e-12 * scale)
            break;
        rc = hessian(p, w.h, err);
        if (rc)
            break;
        for (size_t j = 0; j < m; j++)
            w.step[j] = -w.grad[j];
        cholesky_solve(w.h, w.step, m);
        double s0 = dot(w.grad, w.step, m);
        if (!(s0 < 0))
            break;  /* no way down left: rounding */
        line_search(p, l, s0, &w);
        double g = sqrt(dot(w.tgrad, w.tgrad, m));
        /* at rounding: within tolerance, and the gradient no longer falls
         * (far from the minimum it may rise while the dual falls) */
        stalled = g < gnorm || gnorm > 1e-8 * scale ? 0 : stalled + 1;
        memcpy(l, w.trial, m * sizeof *l);
        memcpy(w.grad, w.tgrad, m * sizeof *l);
        gnorm = g;
    }
    free(buf);
    if (rc == MDX_OK && !(gnorm <= 1e-8 * scale))
        rc = mdx_error_set(err, MDX_ERR_RANGE, NULL, 0, "reweight: the "
                           "weights at theta %g were not found (the "
                           "gradient stays at %g): try a larger theta",
                           p->theta, gnorm);
    return rc;
}

/* Each folder's column of A and the data's b, scaled to feffit's
 * chi-square; refuses folders that are all the same there. */
static mdx_status make_columns(mdx_fit_space *s, const double *folders,
                               size_t nfolders, size_t nk, double *a,
                               double *b, mdx_error *err)
{
    const size_t m = s->m;
    double scale = sqrt(mdx_fit_n_idp(&s->t) / (double)m), top = 0, spread = 0;
    for (size_t i = 0; i < nfolders; i++) {
        if (mdx_fit_space_apply(s, folders + i * nk, 0, a + i * m, err))
            return err->code;
        for (size_t j = 0; j < m; j++) {
            a[i * m + j] *= scale;
            top = fmax(top, fabs(a[i * m + j]));
            spread = fmax(spread, fabs(a[i * m + j] - a[j]));
            if (!isfinite(a[i * m + j]))
                return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "reweight: "
                                     "folder %zu's chi(k) is not finite in "
                                     "the fit's range", i + 1);
        }
    }
    if (!(spread > 1e-12 * top))
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "reweight: every "
                             "folder's chi(k) is the same in the fit's range: "
                             "the data cannot prefer any");
    if (mdx_fit_space_apply(s, s->data, 0, b, err))
        return err->code;
    for (size_t j = 0; j < m; j++)
        b[j] *= scale;
    return MDX_OK;
}

/* The entropy relative to equal weights and Kish's effective number. */
static void entropy_of(const double *w, size_t nf, double *entropy,
                       double *n_eff)
{
    double sum2 = 0, s = 0;
    for (size_t i = 0; i < nf; i++) {
        sum2 += w[i] * w[i];
        if (w[i] > 0)
            s -= w[i] * log((double)nf * w[i]);
    }
    *entropy = s;
    *n_eff = 1 / sum2;
}

/* The kept weights' average and its standard error. */
static void average_of(const double *folders, size_t nf, size_t nk,
                       mdx_reweight_result *res)
{
    const double *w = res->weights;
    double sum2 = 1 / res->n_eff;
    for (size_t j = 0; j < nk; j++) {
        double mean = 0, var = 0;
        for (size_t i = 0; i < nf; i++)
            mean += w[i] * folders[i * nk + j];
        for (size_t i = 0; i < nf; i++) {
            double d = folders[i * nk + j] - mean;
            var += w[i] * d * d;
        }
        res->average[j] = mean;
        /* reliability weights: var / (1 - sum w^2), times sum w^2 */
        res->sem[j] = 1 - sum2 > 1e-12 ? sqrt(var / (1 - sum2) * sum2) : NAN;
    }
}

static mdx_status check_input(size_t nfolders, const double *thetas,
                              size_t nthetas, mdx_error *err)
{
    if (nfolders < 2)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "reweight: %zu "
                             "folder%s: weights need two or more", nfolders,
                             nfolders == 1 ? "" : "s");
    if (nthetas == 0)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "reweight: no theta");
    for (size_t i = 0; i < nthetas; i++)
        if (!(thetas[i] > 0))
            return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "reweight: theta "
                                 "%g must be above 0 (the entropy's weight; "
                                 "inf: equal weights)", thetas[i]);
    return MDX_OK;
}

static int larger_first(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

/* Solve at every theta, largest first, each from l = 0 (equal weights:
 * the last theta's solution is a worse start, measured), and keep the
 * one mdx_reweight promises: its weights in res->weights. */
static mdx_status scan(reweight_problem *p, double *l,
                       mdx_reweight_result *res, mdx_error *err)
{
    const size_t nf = p->nfolders;
    for (size_t t = 0; t < res->nscan; t++) {
        p->theta = res->scan_theta[t];
        memset(l, 0, p->m * sizeof *l);
        mdx_status rc = solve(p, l, err);
        if (rc && res->noise_reached) {  /* keep what reached the noise */
            res->nscan = t;
            return MDX_OK;
        }
        if (rc)
            return rc;
        res->scan_chi2[t] = chi_square(p->aw, p->b, p->m);
        entropy_of(p->w, nf, &res->scan_entropy[t], &res->scan_n_eff[t]);
        if (!res->noise_reached) {  /* the first that fits, or the last */
            res->theta = p->theta;
            res->chi2_after = res->scan_chi2[t];
            res->entropy = res->scan_entropy[t];
            res->n_eff = res->scan_n_eff[t];
            res->noise_reached = res->scan_chi2[t] <= res->n_idp;
            memcpy(res->weights, p->w, nf * sizeof *p->w);
        }
    }
    return MDX_OK;
}

mdx_status mdx_reweight(const double *k, const double *chi, size_t n,
                        const mdx_fit_transform *t, const double *folders,
                        size_t nfolders, size_t nk, const double *thetas,
                        size_t nthetas, mdx_reweight_result *res,
                        mdx_error *err)
{
    memset(res, 0, sizeof *res);
    mdx_status rc = check_input(nfolders, thetas, nthetas, err);
    if (rc)
        return rc;
    mdx_fit_space s;
    rc = mdx_fit_space_make(&s, k, chi, n, t, err);
    if (rc && !strncmp(err->msg, "fit: ", 5)) {  /* the caller's name */
        char msg[sizeof err->msg];
        snprintf(msg, sizeof msg, "%s", err->msg + 5);
        mdx_error_set(err, rc, NULL, 0, "reweight: %s", msg);
    }
    if (rc == MDX_OK && s.m > MDX_REWEIGHT_POINTS)
        rc = mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "reweight: %zu residual "
                           "points (fit space '%s') are more than the %d its "
                           "Newton steps can hold: use fit space k, r or q, "
                           "or a narrower range", s.m,
                           mdx_fitspace_name(t->space), MDX_REWEIGHT_POINTS);
    if (rc == MDX_OK && nk < s.nk)
        rc = mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "reweight: the "
                           "folders' chi(k) end at k = %g, before the data's "
                           "%g", MDX_KSTEP * (double)(nk - 1),
                           MDX_KSTEP * (double)(s.nk - 1));
    const size_t m = s.m;
    double *a = NULL, *b = NULL, *l = NULL;
    reweight_problem p = {.m = m, .nfolders = nfolders};
    if (rc == MDX_OK) {
        a = malloc(m * nfolders * sizeof *a);
        b = malloc(3 * m * sizeof *b);
        p.w = malloc(nfolders * sizeof *p.w);
        res->weights = malloc(nfolders * sizeof *res->weights);
        res->average = malloc(2 * nk * sizeof *res->average);
        res->scan_theta = malloc(4 * nthetas * sizeof *res->scan_theta);
        if (!a || !b || !p.w || !res->weights || !res->average ||
            !res->scan_theta)
            rc = mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    }
    if (rc == MDX_OK) {
        l = b + m;
        p.aw = l + m;
        p.a = a;
        p.b = b;
        res->sem = res->average + nk;
        res->scan_chi2 = res->scan_theta + nthetas;
        res->scan_entropy = res->scan_chi2 + nthetas;
        res->scan_n_eff = res->scan_entropy + nthetas;
        res->nfolders = nfolders;
        res->nk = nk;
        res->ndata = m;
        res->n_idp = mdx_fit_n_idp(t);
        res->nscan = nthetas;
        memcpy(res->scan_theta, thetas, nthetas * sizeof *thetas);
        qsort(res->scan_theta, nthetas, sizeof *thetas, larger_first);
        rc = make_columns(&s, folders, nfolders, nk, a, b, err);
    }
    if (rc == MDX_OK) {
        p.theta = INFINITY;  /* chi-square of the equal weights */
        solve(&p, l, err);
        res->chi2_before = chi_square(p.aw, b, m);
        rc = scan(&p, l, res, err);
    }
    if (rc == MDX_OK)
        average_of(folders, nfolders, nk, res);
    mdx_fit_space_free(&s);
    free(a);
    free(b);
    free(p.w);
    if (rc)
        mdx_reweight_result_free(res);
    return rc;
}

void mdx_reweight_result_free(mdx_reweight_result *res)
{
    free(res->weights);
    free(res->average);
    free(res->scan_theta);
    memset(res, 0, sizeof *res);
}
