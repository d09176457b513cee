/* mdexafs averages: the mean of folder sums, with its standard error
 * (output.h writes them). */
#ifndef MDEXAFS_AVERAGE_H
#define MDEXAFS_AVERAGE_H

#include <stddef.h>
#include "mdexafs/error.h"
#include "mdexafs/api.h"

MDX_BEGIN_DECLS

/* A running mean over folders of chi on a common k grid. */
typedef struct mdx_average {
    size_t n;          /* points: the shortest of the folders added */
    double *k;
    double *sum;       /* plain sum, for the mean (as the reference) */
    double *mean, *m2; /* Welford's running mean and squared deviations */
    size_t nfolders, npaths;
    size_t nwith;              /* folders with at least one path */
} mdx_average;

/* Start an average on the grid k[0..n). */
MDX_API mdx_status mdx_average_init(mdx_average *a, size_t n, const double *k,
                                    mdx_error *err);

/* Add one folder's chi (n points: fewer truncates the average, as the
 * reference does for chi.dat files of different lengths), which summed
 * npaths paths. */
MDX_API void mdx_average_add(mdx_average *a, const double *chi, size_t n,
                             size_t npaths);

/* Add one folder's chi on its own grid k[0..n) (increasing, as the
 * average's): the average keeps only the k values that every folder added
 * has (FEFF's chi.dat files start at k = 0 or at k = 0.05). Returns 1 when
 * this grid differs from the average's so far, 0 when it is the same. */
MDX_API int mdx_average_add_aligned(mdx_average *a, const double *k,
                                    const double *chi, size_t n, size_t npaths);

/* The mean (sum / folders) and, if sem is not NULL, the standard error of
 * the mean across folders (sample standard deviation / sqrt(folders); 0
 * with fewer than two folders). Both hold a->n values. */
/* (With no folder added the mean is NaN, which no output writes.) */
MDX_API void mdx_average_result(const mdx_average *a, double *mean, double *sem);

MDX_API void mdx_average_free(mdx_average *a);

MDX_END_DECLS

#endif
