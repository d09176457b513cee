/* The Cauchy wavelet's rows (cauchy.c), which the chi layer's map
 * (mdx_cauchy_wavelet) and the fit's wavelet space share. */
#ifndef MDX_CAUCHY_H
#define MDX_CAUCHY_H

#include <stddef.h>

#include "mdexafs/error.h"

/* The Cauchy wavelet transform of x[0..nx) (k-weighted chi(k) on a grid
 * kstep apart, from k = 0) at the scales of r[0..nr) (a = nr / 2r), as
 * larch computes it with nfft: x zero-padded to nfft/2 (or cut there),
 * its FFT of 2 nfft points, each row the inverse FFT of the first nfft
 * frequencies times the wavelet, first nout points. Row i of re and im
 * (nout apart) is r[i]'s. MDX_ERR_NOMEM, or MDX_OK. */
mdx_status mdx_cauchy_rows(const double *x, size_t nx, double kstep,
                           size_t nfft, const double *r, size_t nr,
                           size_t nout, double *re, double *im,
                           mdx_error *err);

#endif
