/* The Cauchy wavelet's rows (cauchy.c), which the chi layer's map
 * (mdx_cauchy_wavelet) and the fit's wavelet space share. */
#ifndef MDX_CAUCHY_H
#define MDX_CAUCHY_H

#include <stddef.h>

#include "mdexafs/error.h"

/* The Cauchy wavelet transform of x[0..nx) (k-weighted chi(k) on a grid
 * kstep apart, from k = 0) of order n (larch's number of R points: a =
 * n / 2r) at r[0..nrows), as larch computes it with nfft: x zero-padded
 * to nfft/2 (or cut there), its FFT of 2 nfft points, each row the
 * inverse FFT of the first nfft frequencies times the wavelet, first nout
 * points. Row i of re and im (nout apart) is r[i]'s. MDX_ERR_NOMEM, or
 * MDX_OK. */
mdx_status mdx_cauchy_rows(const double *x, size_t nx, double kstep,
                           size_t nfft, size_t n, const double *r,
                           size_t nrows, size_t nout, double *re, double *im,
                           mdx_error *err);

#endif
