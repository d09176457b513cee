/* Reweighting an ensemble toward measured chi(k) with maximum-entropy
 * regularisation (Hummer and Köfinger's BioEn, J. Chem. Phys. 143, 243150
 * (2015)). The residual is linear in the weights: each folder's column
 * of A is feffit's transform of its chi(k) (fit_space.c), scaled so that
 * |A w - b|^2 is feffit's chi-square. The problem
 *     min over the simplex of |A w - b|^2 / 2 + theta sum w ln(N w)
 * is solved through its dual, smooth and strongly convex in as many
 * variables as residual points whatever the number of folders:
 *     min over l of |l|^2 / 2 + l.b + theta ln(sum exp(-(A^T l)_i / theta) / N)
 * whose minimum gives w_i ~ exp(-(A^T l)_i / theta) and l = A w - b:
 * by libLBFGS, then Newton's steps on the gradient alone. */
#include <lbfgs.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fit_private.h"
#include "mdexafs/reweight.h"

/* The problem: A's columns (m each, one per folder), b, and the last
 * weights the dual gave. The dual is evaluated relative to a reference
 * point (ref, its weights wref): its value there is 0, so that the line
 * search sees differences, not a sum of terms as large as chi-square
 * that cancel, and can go on to the gradient's own precision. */
typedef struct reweight_problem {
    size_t m, nfolders;
    const double *a, *b;
    double theta;
    double *w;         /* nfolders: the weights of the last point */
    double *wref;      /* nfolders: the reference point's */
    double *ref;       /* m */
    double *aw;        /* m: A w */
} reweight_problem;

/* w at l from the reference's: w_i ~ wref_i exp(-(A^T (l - ref))_i /
 * theta), shifted by its largest exponent. Returns ln(sum wref_i exp(...)),
 * the log-sum-exp term's change from the reference. */
static double weights_of(reweight_problem *p, const double *l)
{
    const size_t m = p->m, nf = p->nfolders;
    double top = -INFINITY;
#pragma omp parallel for reduction(max : top) schedule(static)
    for (size_t i = 0; i < nf; i++) {
        const double *col = p->a + i * m;
        double g = 0;
        for (size_t j = 0; j < m; j++)
            g += col[j] * (l[j] - p->ref[j]);
        p->w[i] = p->wref[i] > 0 ? log(p->wref[i]) - g / p->theta : -INFINITY;
        top = fmax(top, p->w[i]);
    }
    double sum = 0;
#pragma omp parallel for reduction(+ : sum) schedule(static)
    for (size_t i = 0; i < nf; i++) {
        p->w[i] = exp(p->w[i] - top);
        sum += p->w[i];
    }
    for (size_t i = 0; i < nf; i++)
        p->w[i] /= sum;
    return top + log(sum);
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

/* The dual's value (less its value at the reference) and gradient at l,
 * for libLBFGS. */
static lbfgsfloatval_t dual(void *ctx, const lbfgsfloatval_t *l,
                            lbfgsfloatval_t *grad, const int n,
                            const lbfgsfloatval_t step)
{
    reweight_problem *p = ctx;
    (void)step;
    double f = p->theta * weights_of(p, l);
    times_weights(p);
    for (int j = 0; j < n; j++) {
        double d = l[j] - p->ref[j];
        f += 0.5 * d * (l[j] + p->ref[j]) + d * p->b[j];
        grad[j] = l[j] + p->b[j] - p->aw[j];
    }
    return f;
}

static double chi_square(const double *aw, const double *b, size_t m)
{
    double s = 0;
    for (size_t j = 0; j < m; j++)
        s += (aw[j] - b[j]) * (aw[j] - b[j]);
    return s;
}

/* Make l the reference point, its weights those of l (p->w). */
static void move_reference(reweight_problem *p, const double *l)
{
    memcpy(p->wref, p->w, p->nfolders * sizeof *p->w);
    memcpy(p->ref, l, p->m * sizeof *l);
}

/* The dual's Hessian at the weights p->w into h (m x m): I + (A diag(w)
 * A^T - (A w)(A w)^T) / theta, the lower triangle summed over folders on
 * all threads (each its own, then added). */
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
                double wj = p->w[i] * col[j];
                for (size_t k = 0; k <= j; k++)
                    part[j * m + k] += wj * col[k];
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
 * lower triangle (h is overwritten): h is I plus a positive semidefinite
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

/* The gradient's norm at l (p->w and p->aw left at l). */
static double gradient_norm(reweight_problem *p, const double *l,
                            double *grad)
{
    dual(p, l, grad, (int)p->m, 0);
    double g = 0;
    for (size_t j = 0; j < p->m; j++)
        g += grad[j] * grad[j];
    return sqrt(g);
}

#define MDX_REWEIGHT_NEWTON 8

/* Newton's steps from l, close to the minimum after libLBFGS: judged by
 * the gradient alone, which keeps its precision where the dual's value
 * no longer changes in its last digit. Each step halved until the
 * gradient shrinks; stops when it no longer does. *gnorm: the last. */
static mdx_status polish(reweight_problem *p, double *l, double *gnorm,
                         mdx_error *err)
{
    const size_t m = p->m;
    double *h = malloc((m * m + 3 * m) * sizeof *h);
    if (!h)
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    double *step = h + m * m, *grad = step + m, *trial = grad + m;
    mdx_status rc = MDX_OK;
    *gnorm = gradient_norm(p, l, grad);
    for (int it = 0; rc == MDX_OK && it < MDX_REWEIGHT_NEWTON && *gnorm > 0;
         it++) {
        rc = hessian(p, h, err);
        memcpy(step, grad, m * sizeof *grad);
        cholesky_solve(h, step, m);
        double g = INFINITY;
        for (double t = 1; rc == MDX_OK && t > 1e-4 && !(g < *gnorm);
             t /= 2) {
            for (size_t j = 0; j < m; j++)
                trial[j] = l[j] - t * step[j];
            g = gradient_norm(p, trial, h);  /* h: scratch now */
        }
        if (!(g < *gnorm))
            break;
        memcpy(l, trial, m * sizeof *l);
        *gnorm = g;
        memcpy(grad, h, m * sizeof *grad);
    }
    gradient_norm(p, l, h);  /* p->w and p->aw at l */
    free(h);
    return rc;
}

#define MDX_REWEIGHT_RESTARTS 4

/* Solve at p->theta from l (p->w its weights at this theta), leaving the
 * weights in p->w and the solution in l. libLBFGS runs from the
 * reference, which then moves to where it stopped, a few times; Newton's
 * steps finish where the dual's value has no digits left to compare. */
static mdx_status solve(reweight_problem *p, double *l, mdx_error *err)
{
    const size_t m = p->m;
    if (isinf(p->theta)) {  /* the limit: equal weights, exactly */
        for (size_t i = 0; i < p->nfolders; i++)
            p->w[i] = 1.0 / (double)p->nfolders;
        times_weights(p);
        return MDX_OK;
    }
    double *grad = malloc(m * sizeof *grad), gnorm = INFINITY, lnorm = 0;
    if (!grad)
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    lbfgs_parameter_t par;
    lbfgs_parameter_init(&par);
    par.epsilon = 1e-12;
    par.max_iterations = 20000;
    int rc = 0;
    for (int r = 0; r < MDX_REWEIGHT_RESTARTS && rc != LBFGSERR_OUTOFMEMORY &&
                    !(gnorm <= 1e-10 * fmax(1, lnorm)); r++) {
        move_reference(p, l);
        lbfgsfloatval_t fx;
        rc = lbfgs((int)m, l, &fx, dual, NULL, p, &par);
        dual(p, l, grad, (int)m, 0);
        gnorm = lnorm = 0;
        for (size_t j = 0; j < m; j++) {
            gnorm += grad[j] * grad[j];
            lnorm += l[j] * l[j];
        }
        gnorm = sqrt(gnorm);
        lnorm = sqrt(lnorm);
    }
    free(grad);
    if (rc == LBFGSERR_OUTOFMEMORY)
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    move_reference(p, l);
    mdx_status st = polish(p, l, &gnorm, err);
    if (st)
        return st;
    if (!(gnorm <= 1e-9 * fmax(1, lnorm)))
        return mdx_error_set(err, MDX_ERR_RANGE, NULL, 0, "reweight: the "
                             "weights at theta %g were not found (libLBFGS "
                             "%d, gradient %g): try a larger theta",
                             p->theta, rc, gnorm);
    return MDX_OK;
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

/* The weights at the same l for theta `to` from those for `from`: ln w
 * is -(A^T l) / theta up to a constant, so w_to ~ w_from^(from / to). */
static void rescale_weights(double *w, size_t nf, double from, double to)
{
    if (isinf(from) || isinf(to) || from == to)
        return;
    double top = -INFINITY, sum = 0;
    for (size_t i = 0; i < nf; i++)
        if (w[i] > 0)
            top = fmax(top, log(w[i]) * from / to);
    for (size_t i = 0; i < nf; i++) {
        w[i] = w[i] > 0 ? exp(log(w[i]) * from / to - top) : 0;
        sum += w[i];
    }
    for (size_t i = 0; i < nf; i++)
        w[i] /= sum;
}

/* Solve at every theta, largest first, each from the last solution (at
 * first l = 0, where the weights are equal whatever theta), and keep the
 * one mdx_reweight promises: its weights in res->weights. */
static mdx_status scan(reweight_problem *p, double *l,
                       mdx_reweight_result *res, mdx_error *err)
{
    const size_t nf = p->nfolders;
    memset(l, 0, p->m * sizeof *l);
    for (size_t i = 0; i < nf; i++)
        p->w[i] = 1.0 / (double)nf;
    double last = INFINITY;
    for (size_t t = 0; t < res->nscan; t++) {
        p->theta = res->scan_theta[t];
        rescale_weights(p->w, nf, last, p->theta);
        if (isinf(last) && !isinf(p->theta))
            memset(l, 0, p->m * sizeof *l);  /* equal weights again */
        last = p->theta;
        mdx_status rc = solve(p, l, err);
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
        b = malloc(4 * m * sizeof *b);
        p.w = malloc(2 * nfolders * sizeof *p.w);
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
        p.ref = p.aw + m;
        p.wref = p.w + nfolders;
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
