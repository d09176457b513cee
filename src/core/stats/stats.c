/* Statistics of an ensemble: weighted moments, histograms, a path's leg
 * lengths and angles, and the distance between two chi(k). */
#include <math.h>
#include <string.h>

#include "mdexafs/chi.h"
#include "mdexafs/stats.h"

mdx_status mdx_moments_of(const double *x, const double *w, size_t n,
                          mdx_moments *m, mdx_error *err)
{
    memset(m, 0, sizeof *m);
    double sw = 0, swx = 0;
    for (size_t i = 0; i < n; i++) {
        double wi = w ? w[i] : 1;
        if (!isfinite(x[i]) || !isfinite(wi) || wi < 0)
            return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "moments: value "
                                 "%zu (%g, weight %g) is not a finite number "
                                 "with a weight >= 0", i + 1, x[i], wi);
        sw += wi;
        swx += wi * x[i];
    }
    if (n == 0 || !(sw > 0))
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "moments: no values "
                             "(or no weight) to take them of");
    m->n = n;
    m->weight = sw;
    m->mean = swx / sw;
    m->min = m->max = x[0];
    double s2 = 0, s3 = 0;
    for (size_t i = 0; i < n; i++) {
        double wi = w ? w[i] : 1, d = x[i] - m->mean;
        s2 += wi * d * d;
        s3 += wi * d * d * d;
        m->min = fmin(m->min, x[i]);
        m->max = fmax(m->max, x[i]);
    }
    m->variance = s2 / sw;
    m->c3 = s3 / sw;
    return MDX_OK;
}

/* Edge i of nbins equal bins over lo .. hi, as numpy.linspace makes it. */
static double bin_edge(size_t i, size_t nbins, double lo, double hi,
                       double step)
{
    return i == nbins ? hi : (double)i * step + lo;
}

mdx_status mdx_histogram(const double *x, const double *w, size_t n,
                         double lo, double hi, size_t nbins, double *counts,
                         double *outside, mdx_error *err)
{
    if (nbins < 1 || !isfinite(lo) || !isfinite(hi) || !(lo < hi))
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "histogram: need at "
                             "least one bin and lo < hi (%zu bins, %g .. %g)",
                             nbins, lo, hi);
    memset(counts, 0, nbins * sizeof *counts);
    *outside = 0;
    double norm = (double)nbins / (hi - lo), step = (hi - lo) / (double)nbins;
    for (size_t i = 0; i < n; i++) {
        double wi = w ? w[i] : 1;
        if (!(x[i] >= lo && x[i] <= hi)) {
            *outside += wi;
            continue;
        }
        /* numpy.histogram's rule: the index from the scaled value, then
         * put right against the edges themselves (which the scaling can
         * miss by an ulp), so that a value on an inner edge goes into the
         * bin above it and hi into the last */
        size_t b = (size_t)((x[i] - lo) * norm);
        if (b == nbins)
            b--;
        if (x[i] < bin_edge(b, nbins, lo, hi, step))
            b--;
        else if (b != nbins - 1 && x[i] >= bin_edge(b + 1, nbins, lo, hi, step))
            b++;
        counts[b] += wi;
    }
    return MDX_OK;
}

static double distance(const mdx_leg *a, const mdx_leg *b)
{
    double dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
    return sqrt(dx * dx + dy * dy + dz * dz);
}

void mdx_path_legs(const mdx_path *p, double *len)
{
    for (int l = 0; l < p->nleg; l++)
        len[l] = distance(&p->legs[l], &p->legs[(l + 1) % p->nleg]);
}

void mdx_path_angles(const mdx_path *p, double *deg)
{
    for (int s = 1; s < p->nleg; s++) {
        const mdx_leg *a = &p->legs[s - 1], *b = &p->legs[s],
                      *c = &p->legs[(s + 1) % p->nleg];
        double u[3] = {a->x - b->x, a->y - b->y, a->z - b->z};
        double v[3] = {c->x - b->x, c->y - b->y, c->z - b->z};
        double dot = u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
        double cross[3] = {u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2],
                           u[0] * v[1] - u[1] * v[0]};
        double norm = sqrt(cross[0] * cross[0] + cross[1] * cross[1] +
                           cross[2] * cross[2]);
        deg[s - 1] = atan2(norm, dot) * 180 / M_PI;
    }
}

mdx_status mdx_distance_check(double kmin, double kmax, double kweight,
                              mdx_error *err)
{
    if (!(kmin >= 0 && kmin < kmax && kmax <= MDX_KSTEP * (MDX_NK - 1)))
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "kmin %g, kmax %g: "
                             "need 0 <= kmin < kmax <= %g", kmin, kmax,
                             MDX_KSTEP * (MDX_NK - 1));
    if (!isfinite(kweight))
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "kweight must be a "
                             "finite number");
    if (kweight < 0 && kmin == 0)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "kweight %g with "
                             "kmin 0: k^%g is infinite at k = 0, so a "
                             "negative k-weight needs kmin > 0", kweight,
                             kweight);
    return MDX_OK;
}

mdx_status mdx_chi_distance(const double *k, const double *chi,
                            const double *ref, size_t n, double kmin,
                            double kmax, double kweight, double *out,
                            mdx_error *err)
{
    mdx_status rc = mdx_distance_check(kmin, kmax, kweight, err);
    if (rc)
        return rc;
    double num = 0, den = 0;
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        if (k[i] < kmin || k[i] > kmax)
            continue;
        double w = pow(k[i], kweight);
        double d = w * (chi[i] - ref[i]), r = w * ref[i];
        num += d * d;
        den += r * r;
        used++;
    }
    if (!used || !(den > 0))
        return mdx_error_set(err, MDX_ERR_RANGE, NULL, 0, "the reference is "
                             "zero over k %g .. %g, or the range holds no "
                             "point", kmin, kmax);
    *out = num / den;
    return MDX_OK;
}
