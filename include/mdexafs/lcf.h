/* mdexafs linear-combination fitting: measured chi(k) as a mixture of
 * components (MD ensembles, MD standards), as xraylarch's lincombo_fit
 * fits one: non-negative fractions, summing to one or not, and here an
 * E0 shift per component if asked, with lmfit's uncertainties. */
#ifndef MDEXAFS_LCF_H
#define MDEXAFS_LCF_H

#include <stddef.h>
#include "mdexafs/error.h"
#include "mdexafs/api.h"

MDX_BEGIN_DECLS

#define MDX_LCF_MAX 32  /* most components */

typedef struct mdx_lcf_options {
    double kmin, kmax;   /* the fit range, both ends in (3, 12) */
    double kweight;      /* k^kweight chi is fitted (2) */
    int sum_to_one;      /* the fractions add up to 1 (1) */
    int vary_e0;         /* an E0 shift per component, within +/-
                            MDX_LCF_E0_MAX eV (0) */
} mdx_lcf_options;

#define MDX_LCF_E0_MAX 20.0

MDX_API mdx_lcf_options mdx_lcf_defaults(void);

typedef struct mdx_lcf_result {
    size_t ncomps;
    double fraction[MDX_LCF_MAX], fraction_err[MDX_LCF_MAX];
    double e0[MDX_LCF_MAX], e0_err[MDX_LCF_MAX];  /* 0 and 0 unvaried */
    size_t ndata, nvarys;
    double chi_square;   /* sum of the squared residual (lmfit's chisqr) */
    double chi2_reduced; /* over ndata - nvarys */
    double rfactor;      /* sum residual^2 / sum (k^w chi)^2, as larch's */
    int errorbars;       /* the uncertainties could be estimated */
    int status;          /* MINPACK's info: 1..4 converged */
    char message[160];
    size_t n;            /* the data's points in the fit range */
    double *k, *fit;     /* there: k and the mixture's chi(k) */
} mdx_lcf_result;

/* Fit the data chi at k[0..n) (increasing) as the mixture of ncomps
 * components, component i's chi at kc[0..nc) in comps[i] (one grid for
 * them all; put on the data's k by the not-a-knot cubic spline, larch's
 * interpolation, at k' = sqrt(k^2 - e0 ETOK) with an E0 shift), over the
 * data's points from the last at or below kmin to the last at or below
 * kmax. Bad input (fewer than two components or more than MDX_LCF_MAX,
 * a k range outside the data or the components, too few points, a
 * mixture summing to one that needs a negative fraction) is MDX_ERR_ARG
 * naming it. Free res with mdx_lcf_result_free. */
MDX_API mdx_status mdx_lcf(const double *k, const double *chi, size_t n,
                           const double *kc, size_t nc,
                           const double *const *comps, size_t ncomps,
                           const mdx_lcf_options *o, mdx_lcf_result *res,
                           mdx_error *err);

MDX_API void mdx_lcf_result_free(mdx_lcf_result *res);

MDX_END_DECLS

#endif
