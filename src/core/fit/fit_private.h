/* The minimiser fit.c (feffit's data, transforms, residual and
 * statistics) calls: fit_lm.c, MINPACK's Levenberg-Marquardt with lmfit's
 * bounds, which knows nothing of EXAFS. */
#ifndef MDX_FIT_PRIVATE_H
#define MDX_FIT_PRIVATE_H

#include "mdexafs/fit.h"

/* The residual at the variables' external `values` into r[0..m): 0, or
 * -1 to stop the fit (the function's owner keeps why). */
typedef int (*mdx_fit_residual_fn)(void *ctx, const double *values,
                                   double *r);

/* Minimise the sum of squares of fn's m residuals as lmfit's leastsq
 * does, from vars' starts: the best values, their covariance (lmfit's,
 * scaled by reduced chi-square) as uncertainties and correlations, and
 * MINPACK's status and lmfit's message, into res (whose values,
 * uncertainties and correl arrays the caller made). MDX_ERR_STOPPED when
 * fn stopped it. */
mdx_status mdx_fit_minimise(size_t m, const mdx_fit_var *vars, size_t nvars,
                            mdx_fit_residual_fn fn, void *ctx,
                            mdx_fit_result *res, mdx_error *err);

#endif
