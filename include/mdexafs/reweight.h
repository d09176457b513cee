/* mdexafs reweighting: which folders of an MD ensemble measured chi(k)
 * prefers. Folder weights w >= 0, sum w = 1, minimise chi^2 / 2 - theta
 * S(w), chi^2 feffit's of the weighted average against the data (the
 * residual of mdx_fit's transform, scaled to the independent points) and
 * S the relative entropy to equal weights (maximum-entropy ensemble
 * refinement, as done for NMR and SAXS data). */
#ifndef MDEXAFS_REWEIGHT_H
#define MDEXAFS_REWEIGHT_H

#include <stddef.h>
#include "mdexafs/error.h"
#include "mdexafs/fit.h"
#include "mdexafs/api.h"

MDX_BEGIN_DECLS

/* What a reweighting found, at the theta it kept. */
typedef struct mdx_reweight_result {
    size_t nfolders;
    double *weights;          /* per folder, in the order given */
    double theta;             /* the one kept */
    double chi2_before;       /* feffit's chi-square of the equal weights */
    double chi2_after;        /* and of the weights found */
    double n_idp;             /* independent points of the transform */
    size_t ndata;             /* residual points */
    double entropy;           /* S = -sum w ln(N w): 0 at equal weights */
    double n_eff;             /* Kish's effective folders, 1 / sum w^2 */
    size_t nk;                /* the folders' k grid: k = i * MDX_KSTEP */
    double *average;          /* the weighted average on it */
    double *sem;              /* its standard error (NaN with n_eff ~ 1) */
    size_t nscan;             /* thetas tried, largest first */
    double *scan_theta, *scan_chi2, *scan_entropy, *scan_n_eff;
    int noise_reached;        /* the theta kept brings chi-square to n_idp
                                 or below (several thetas given) */
} mdx_reweight_result;

/* Reweight nfolders folders, folder i's chi(k) at folders[i * nk + j]
 * for k = j * MDX_KSTEP, toward the data chi at k[0..n) with transform t
 * (its k or R range, k-weights, fit space and noise, as mdx_fit's). With
 * one theta, the weights at it (INFINITY: equal weights, exactly); with
 * several, each (largest first), keeping the largest whose chi-square is
 * n_idp or less (as much entropy as the noise allows), else the smallest.
 * Bad input (theta <= 0, fewer than two folders, folders that are all
 * the same in the fit's range, a k range outside the data, more than
 * 2,500 residual points: the wavelet space) is MDX_ERR_ARG naming it. Free res with mdx_reweight_result_free. */
MDX_API mdx_status mdx_reweight(const double *k, const double *chi, size_t n,
                                const mdx_fit_transform *t,
                                const double *folders, size_t nfolders,
                                size_t nk, const double *thetas,
                                size_t nthetas, mdx_reweight_result *res,
                                mdx_error *err);

MDX_API void mdx_reweight_result_free(mdx_reweight_result *res);

MDX_END_DECLS

#endif
