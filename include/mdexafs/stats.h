/* mdexafs statistics of an ensemble: moments and histograms of path
 * geometry (the MD sigma^2 and C3 a cumulant fit is compared with), and
 * the distance between two chi(k) curves (how far a folder is from the
 * ensemble mean, how far a running average is from the final one); and
 * the same of what a query selects. */
#ifndef MDEXAFS_STATS_H
#define MDEXAFS_STATS_H

#include <stddef.h>
#include "mdexafs/error.h"
#include "mdexafs/feff.h"
#include "mdexafs/query.h"
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

/* ---- statistics of what a query selects */

/* The moments of reff of each path type, each path weighted by its
 * degeneracy: n types, sorted by name. */
typedef struct mdx_type_stats {
    size_t n;
    char **types;
    mdx_moments *moments;
} mdx_type_stats;

/* Run q path by path into *out (free it with mdx_type_stats_free). */
MDX_API mdx_status mdx_query_stats(mdx_query *q, mdx_type_stats *out,
                                   mdx_error *err);
MDX_API void mdx_type_stats_free(mdx_type_stats *s);

/* What a path histogram counts: reff, or from each path's FEFF data its
 * leg lengths or the angles at its scatterers. */
enum mdx_histogram_of { MDX_HIST_REFF, MDX_HIST_LEGS, MDX_HIST_ANGLES };

/* "reff", "legs", "angles"; and back (MDX_ERR_ARG naming the known). */
MDX_API const char *mdx_histogram_of_name(enum mdx_histogram_of of);
MDX_API mdx_status mdx_histogram_of_parse(const char *name,
                                          enum mdx_histogram_of *of,
                                          mdx_error *err);

/* The histogram of the selected paths' values, each weighted by its
 * path's degeneracy, and their moments. */
typedef struct mdx_path_histogram {
    enum mdx_histogram_of of;
    size_t nbins;
    double lo, hi;        /* the range binned */
    double *x;            /* the bins' centres */
    double *counts;       /* the weight in each bin */
    double *density;      /* counts / (weight * bin width) */
    double outside;       /* the weight of values beyond lo .. hi */
    mdx_moments moments;  /* of all the values, in range or not */
} mdx_path_histogram;

/* The most bins a histogram may have. */
#define MDX_HISTOGRAM_BINS_MAX 100000

/* Run q path by path and bin its values in nbins (1 ..
 * MDX_HISTOGRAM_BINS_MAX) equal bins over lo .. hi (both NaN: the
 * values' own range) into *out (free it with mdx_path_histogram_free).
 * MDX_ERR_ARG for bins out of range, lo >= hi, or a selection of no
 * path. */
MDX_API mdx_status mdx_query_histogram(mdx_query *q, enum mdx_histogram_of of,
                                       size_t nbins, double lo, double hi,
                                       mdx_path_histogram *out, mdx_error *err);
MDX_API void mdx_path_histogram_free(mdx_path_histogram *h);

/* Each folder's distance from the ensemble mean: the folders q admits,
 * farthest first. */
typedef struct mdx_spread_row {
    long frame, atom;
    char *dir;
    size_t npaths;
    double distance;  /* mdx_chi_distance of its sum from the mean */
    int flagged;      /* distance > threshold */
} mdx_spread_row;

typedef struct mdx_spread {
    size_t n;
    mdx_spread_row *rows;
    double threshold;
} mdx_spread;

/* Sum q per folder, average the sums, and take each folder's distance
 * from the average over kmin .. kmax with k-weight kweight (checked as
 * mdx_distance_check does) into *out (free it with mdx_spread_free); a
 * folder is flagged beyond threshold (NaN: 4 times the median distance;
 * else >= 0). MDX_ERR_ARG when q admits no folder. */
MDX_API mdx_status mdx_query_spread(mdx_query *q, double kmin, double kmax,
                                    double kweight, double threshold,
                                    mdx_spread *out, mdx_error *err);
MDX_API void mdx_spread_free(mdx_spread *s);

MDX_END_DECLS

#endif
