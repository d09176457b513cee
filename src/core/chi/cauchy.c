/* The continuous Cauchy wavelet transform of EXAFS (Munoz, Argoul and
 * Farges, Am. Mineral. 88, 694 (2003)) as xraylarch computes it
 * (larch/xafs/cauchy_wavelet.py, and feffit's TransformGroup.cwt): one
 * forward FFT of the k-weighted chi(k), then per R one inverse FFT of it
 * times the wavelet's filter, rows on all threads. */
#include <fftw3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cauchy.h"
#include "mdexafs/chi.h"

mdx_status mdx_cauchy_rows(const double *x, size_t nx, double kstep,
                           size_t nfft, size_t n, const double *r,
                           size_t nrows, size_t nout, double *re, double *im,
                           mdx_error *err)
{
    const size_t n2 = 2 * nfft, half = nfft / 2;
    fftw_complex *tff = fftw_alloc_complex(n2);
    if (!tff)
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    memset(tff, 0, n2 * sizeof *tff);
    for (size_t i = 0; i < nx && i < half; i++)
        tff[i][0] = x[i];
    fftw_plan forward, backward;
#pragma omp critical
    {
        forward = fftw_plan_dft_1d((int)n2, tff, tff, FFTW_FORWARD,
                                   FFTW_ESTIMATE);
        backward = fftw_plan_dft_1d((int)n2, tff, tff, FFTW_BACKWARD,
                                    FFTW_ESTIMATE);
    }
    if (!forward || !backward) {
        fftw_free(tff);
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    }
    fftw_execute(forward);
    double cauchy_sum = log(2 * M_PI);
    for (size_t j = 1; j <= n; j++)
        cauchy_sum -= log((double)j);
    int nomem = 0;
#pragma omp parallel
    {
        fftw_complex *row = fftw_alloc_complex(n2);
        if (!row)
#pragma omp atomic write
            nomem = 1;
#pragma omp for schedule(static)
        for (size_t i = 0; i < nrows; i++) {
            if (!row)
                continue;
            double a = (double)n / (2 * r[i]);
            memset(row, 0, n2 * sizeof *row);
            for (size_t j = 0; j < nfft; j++) {
                double omega = 2 * M_PI * (1.0 / kstep) * (double)j /
                               (double)n2;
                double aom = a * omega;
                if (aom == 0)
                    aom = 1e-19;
                double filt = exp(cauchy_sum + (double)n * log(aom) - aom);
                row[j][0] = filt * tff[j][0];
                row[j][1] = filt * tff[j][1];
            }
            fftw_execute_dft(backward, row, row);
            for (size_t j = 0; j < nout; j++) {
                re[i * nout + j] = row[j][0] / (double)n2;
                im[i * nout + j] = row[j][1] / (double)n2;
            }
        }
        fftw_free(row);
    }
#pragma omp critical
    {
        fftw_destroy_plan(forward);
        fftw_destroy_plan(backward);
    }
    fftw_free(tff);
    if (nomem)
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    return MDX_OK;
}

void mdx_wavelet_free(mdx_wavelet *w)
{
    free(w->k);
    memset(w, 0, sizeof *w);
}

mdx_status mdx_cauchy_wavelet(const double *k, const double *chi, size_t n,
                              double kweight, double rmax_out, size_t nfft,
                              mdx_wavelet *out, mdx_error *err)
{
    memset(out, 0, sizeof *out);
    if (n < 2)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "wavelet: %zu points "
                             "of chi(k): at least 2", n);
    if (!(isfinite(kweight) && kweight >= 0 && kweight <= 10))
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "wavelet: kweight %g "
                             "is not within 0 .. 10", kweight);
    if (nfft < 16 || nfft > 65536 || (nfft & (nfft - 1)))
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "wavelet: nfft %zu is "
                             "not a power of two from 16 to 65536", nfft);
    /* larch takes the step from the first two points, to 0.001 */
    double kstep = nearbyint(1000 * (k[1] - k[0])) / 1000;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(chi[i]))
            return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "wavelet: chi is "
                                 "%g at k = %g (row %zu)", chi[i], k[i],
                                 i + 1);
    for (size_t i = 1; i < n; i++) {
        double step = k[i] - k[i - 1];
        if (!(kstep > 0) || !(fabs(step - kstep) <= 1e-6 * kstep) ||
            !(fabs(k[0]) <= 1e-6 * kstep))
            return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "wavelet: chi(k) "
                                 "must be on an even grid from k = 0, as "
                                 "larch assumes (k %g, %g at rows %zu, %zu)",
                                 k[i - 1], k[i], i, i + 1);
    }
    if (!(rmax_out > 0 && rmax_out <= 1000))
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "wavelet: rmax_out "
                             "%g Å is not within 0 .. 1000", rmax_out);
    double rstep = (M_PI / 2048) / kstep;  /* 2048 whatever nfft is */
    double nr_real = nearbyint((rmax_out - 1e-7) / rstep);
    if (!(isfinite(rmax_out) && nr_real >= 2 && nr_real <= 100000))
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "wavelet: rmax_out "
                             "%g Å gives %g R points (2 .. 100000)", rmax_out,
                             nr_real);
    if (n > nfft / 2) {  /* larch would cut chi(k) there, the map not */
        size_t enough = nfft;
        while (enough / 2 < n)
            enough *= 2;
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "wavelet: %zu points "
                             "of chi(k) are more than nfft/2 = %zu, where "
                             "larch cuts it (at k = %g): give nfft %zu or "
                             "more", n, nfft / 2, k[nfft / 2 - 1], enough);
    }
    size_t nr = (size_t)nr_real;
    out->nk = n;
    out->nr = nr;
    out->k = malloc((n + nr + 3 * n * nr) * sizeof *out->k);
    double *x = malloc(n * sizeof *x);
    if (!out->k || !x) {
        free(x);
        mdx_wavelet_free(out);
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    }
    out->r = out->k + n;
    out->re = out->r + nr;
    out->im = out->re + n * nr;
    out->mag = out->im + n * nr;
    memcpy(out->k, k, n * sizeof *k);
    for (size_t i = 0; i < n; i++)
        x[i] = kweight != 0 ? chi[i] * pow(k[i], kweight) : chi[i];
    for (size_t i = 0; i < nr; i++)  /* numpy's linspace(0, rmax_out, nr) */
        out->r[i] = i == nr - 1 ? rmax_out
                                : (double)i * (rmax_out / (double)(nr - 1));
    out->r[0] = 1e-19;
    mdx_status rc = mdx_cauchy_rows(x, n, kstep, nfft, nr, out->r, nr, n,
                                    out->re, out->im, err);
    free(x);
    if (rc) {
        mdx_wavelet_free(out);
        return rc;
    }
    for (size_t i = 0; i < n * nr; i++)
        out->mag[i] = hypot(out->re[i], out->im[i]);
    return MDX_OK;
}
