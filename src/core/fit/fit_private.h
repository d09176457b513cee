/* What the fit layer's files share: one data set's transform and noise
 * (fit_space.c), which fit.c and reweight.c apply, and the minimiser
 * fit.c calls (fit_lm.c, MINPACK's Levenberg-Marquardt with lmfit's
 * bounds, which knows nothing of EXAFS). */
#ifndef MDX_FIT_PRIVATE_H
#define MDX_FIT_PRIVATE_H

#include <fftw3.h>

#include "mdexafs/fit.h"

#define MDX_FIT_NFFT 2048

/* One data set as feffit prepares it. */
typedef struct mdx_fit_space {
    mdx_fit_transform t;
    size_t nk;                 /* model grid points: k = i * MDX_KSTEP */
    double *data;              /* the data on it */
    double *kwin, *rwin;       /* feffit's windows on the FFT grids */
    double eps_k[MDX_FIT_KWEIGHTS], eps_r[MDX_FIT_KWEIGHTS];
    size_t m;                  /* residual points */
    fftw_complex *buf;
    fftw_plan forward, backward;
    double *wr, *wre, *wim;    /* the wavelet space's R rows and map */
    double *wx;                /* its weighted chi(k) */
} mdx_fit_space;

/* Make s for the data chi at k[0..n) with transform t: the data on the
 * model grid, the windows, the noise (estimated, or t's epsilon_k). Bad
 * data or transform is MDX_ERR_ARG naming it. Free s with
 * mdx_fit_space_free, also after an error. */
mdx_status mdx_fit_space_make(mdx_fit_space *s, const double *k,
                              const double *chi, size_t n,
                              const mdx_fit_transform *t, mdx_error *err);

void mdx_fit_space_free(mdx_fit_space *s);

/* s's part of the residual for chi (nk points on the model grid; data
 * minus model, or the data alone) into r[0..s->m): feffit's transform,
 * each k-weight's part divided by its noise unless raw. Linear in chi.
 * MDX_ERR_NOMEM (the wavelet's buffers), or MDX_OK. */
mdx_status mdx_fit_space_apply(mdx_fit_space *s, const double *chi, int raw,
                               double *r, mdx_error *err);

/* The noise k-weight w's part of the residual is divided by. */
double mdx_fit_space_noise(const mdx_fit_space *s, size_t w);

/* feffit's number of independent points of transform t. */
double mdx_fit_n_idp(const mdx_fit_transform *t);

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
