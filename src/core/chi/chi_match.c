/* Two chi(k) of one absorber compared as a fit would see them: the
 * worst raw difference of k^w chi over a k range, and the R-factor left
 * once one E0 shift and one amplitude (what a fit's E0 and S0^2 absorb)
 * are chosen best. Used to measure what sharing FEFF potentials between
 * snapshots costs (mdexafs feff --check). */
#include <math.h>
#include <stdlib.h>

#include "mdexafs/chi.h"
#include "util/spline.h"

/* The two spectra on b's points in range: d = k^w b(k), and a's
 * spline. */
typedef struct spectra {
    const double *k, *d;
    size_t n;
    mdx_spline s;
    double weight_sum;   /* sum d^2 */
} spectra;

/* m(k) = k^w a(sqrt(k^2 - e0 ETOK)) at point i; *piece the
 * spline's piece of the point before (q grows with k). */
static double model(const spectra *sp, size_t i, double e0, size_t *piece)
{
    double q2 = sp->k[i] * sp->k[i] - e0 * MDX_ETOK;
    double q = q2 > 0 ? sqrt(q2) : 0;
    *piece = mdx_spline_piece(&sp->s, q, *piece);
    return pow(sp->k[i], MDX_MATCH_KWEIGHT) * mdx_spline_at(&sp->s, *piece, 0, q);
}

/* The R-factor at e0 with the best amplitude (into *a). */
static double rfactor(const spectra *sp, double e0, double *a)
{
    double md = 0, mm = 0;
    size_t piece = 0;
    for (size_t i = 0; i < sp->n; i++) {
        double m = model(sp, i, e0, &piece);
        md += m * sp->d[i], mm += m * m;
    }
    *a = mm > 0 ? md / mm : 0;
    double r = 0;
    piece = 0;
    for (size_t i = 0; i < sp->n; i++) {
        double diff = *a * model(sp, i, e0, &piece) - sp->d[i];
        r += diff * diff;
    }
    return r / sp->weight_sum;
}

/* The e0 of least R-factor in [-MDX_MATCH_E0_MAX, MDX_MATCH_E0_MAX] eV:
 * the best of a 0.05 eV grid, then a golden-section search around it. */
static double best_e0(const spectra *sp)
{
    const double step = 0.05, golden = 0.6180339887498949;
    double best = 0, a, rbest = INFINITY;
    int steps = (int)(MDX_MATCH_E0_MAX / step + 0.5);
    for (int i = -steps; i <= steps; i++) {
        double r = rfactor(sp, i * step, &a);
        if (r < rbest)
            rbest = r, best = i * step;
    }
    double lo = fmax(best - step, -MDX_MATCH_E0_MAX), hi = fmin(best + step, MDX_MATCH_E0_MAX);
    double x1 = hi - golden * (hi - lo), x2 = lo + golden * (hi - lo);
    double r1 = rfactor(sp, x1, &a), r2 = rfactor(sp, x2, &a);
    while (hi - lo > 1e-9) {
        if (r1 < r2)
            hi = x2, x2 = x1, r2 = r1, x1 = hi - golden * (hi - lo), r1 = rfactor(sp, x1, &a);
        else
            lo = x1, x1 = x2, r1 = r2, x2 = lo + golden * (hi - lo), r2 = rfactor(sp, x2, &a);
    }
    return 0.5 * (lo + hi);
}

mdx_status mdx_chi_match_e0(const double *a, size_t na, const double *b, size_t nb,
                            double kmin, double kmax, mdx_chi_match *m, mdx_error *err)
{
    size_t first = 0, n = 0;   /* b's points in range */
    for (size_t i = 0; i < nb; i++)
        if (b[i] >= kmin - 1e-9 && b[i] <= kmax + 1e-9)
            first = n ? first : i, n++;
    double reach = sqrt(kmin * kmin - MDX_MATCH_E0_MAX * MDX_ETOK > 0
                        ? kmin * kmin - MDX_MATCH_E0_MAX * MDX_ETOK : 0);
    if (na < 4 || n < 2 || a[0] > reach ||
        a[na - 1] < sqrt(kmax * kmax + MDX_MATCH_E0_MAX * MDX_ETOK))
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "%s does not cover k %g to %g%s",
                             n < 2 ? "the reference" : "the compared", kmin, kmax,
                             n < 2 ? "" : " and the E0 shifts tried");
    double *coef = malloc(4 * na * sizeof *coef), *scratch = malloc(6 * na * sizeof *scratch);
    double *d = malloc(n * sizeof *d);
    mdx_status st = coef && scratch && d ? MDX_OK
                  : mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    if (st == MDX_OK) {
        spectra sp = {.k = b + first, .d = d, .n = n};
        const double *y = a + na;
        mdx_spline_fit(&sp.s, na, 1, a, &y, coef, scratch);
        double top = 0, worst = 0;
        size_t piece = 0;
        for (size_t i = 0; i < n; i++) {
            d[i] = pow(sp.k[i], MDX_MATCH_KWEIGHT) * b[nb + first + i];
            sp.weight_sum += d[i] * d[i];
            top = fmax(top, fabs(d[i]));
            worst = fmax(worst, fabs(model(&sp, i, 0, &piece) - d[i]));
        }
        if (top == 0)
            st = mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "the reference chi is 0 throughout");
        else {
            m->raw = worst / top;
            m->e0 = best_e0(&sp);
            m->rfactor = rfactor(&sp, m->e0, &m->amplitude);
        }
    }
    free(coef);
    free(scratch);
    free(d);
    return st;
}
