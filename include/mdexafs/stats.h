/* mdexafs statistics of an ensemble: moments and histograms of path
 * geometry (the MD sigma^2 and C3 a cumulant fit is compared with), and
 * the distance between two chi(k) curves (how far a folder is from the
 * ensemble mean, how far a running average is from the final one). */
#ifndef MDEXAFS_STATS_H
#define MDEXAFS_STATS_H

#include <stddef.h>
#include "mdexafs/error.h"
#include "mdexafs/feff.h"
#include "mdexafs/api.h"

MDX_BEGIN_DECLS

/* Weighted moments of n values. */
typedef struct mdx_moments {
    size_t n;
    double weight;      /* sum of the weights */
    double mean;
    double variance;    /* sum w (x - mean)^2 / weight: the MD sigma^2 */
    double c3;          /* sum w (x - mean)^3 / weight: the third cumulant */
    double min, max;
} mdx_moments;

/* The moments of x[0..n) with weights w (NULL: 1 each; each >= 0, their
 * sum > 0), summed in two passes. MDX_ERR_ARG when there are no values or
 * no weight, or a value or weight that is not finite. */
MDX_API mdx_status mdx_moments_of(const double *x, const double *w, size_t n,
                                  mdx_moments *m, mdx_error *err);

/* The weights of x[0..n) (w as above) in nbins equal bins over [lo, hi)
 * (the last bin includes hi) into counts; *outside gets the weight of the
 * values beyond [lo, hi]. */
MDX_API mdx_status mdx_histogram(const double *x, const double *w, size_t n,
                                 double lo, double hi, size_t nbins,
                                 double *counts, double *outside,
                                 mdx_error *err);

/* The path's leg lengths in Å, absorber to first scatterer, ..., last
 * scatterer back to the absorber: p->nleg of them into len. */
MDX_API void mdx_path_legs(const mdx_path *p, double *len);

/* The angle at each scatterer between the legs that meet there, in
 * degrees (180: straight on, as in a focusing U-O-U chain): p->nleg - 1
 * of them into deg. */
MDX_API void mdx_path_angles(const mdx_path *p, double *deg);

/* Is kmin .. kmax with k-weight w a range a distance can be taken over?
 * It must be 0 <= kmin < kmax <= 20 (the k grid) with w finite, and a
 * negative w needs kmin > 0: k^w is infinite at k = 0. MDX_ERR_ARG
 * naming what is wrong (the message starts with the option's name). */
MDX_API mdx_status mdx_distance_check(double kmin, double kmax, double kweight,
                                      mdx_error *err);

/* The R-factor-like distance of chi from ref over kmin <= k <= kmax into
 * *out: sum (k^w (chi - ref))^2 / sum (k^w ref)^2. MDX_ERR_ARG for a
 * range mdx_distance_check refuses; MDX_ERR_RANGE when ref is zero there
 * or the range holds no k. */
MDX_API mdx_status mdx_chi_distance(const double *k, const double *chi,
                                    const double *ref, size_t n, double kmin,
                                    double kmax, double kweight, double *out,
                                    mdx_error *err);

MDX_END_DECLS

#endif
