/* The forward XAFS Fourier transform, written to give xraylarch's xftf
 * numbers: the same grid, interpolation, windows, zero padding and
 * scaling (kstep / sqrt(pi)), with FFTW doing the transform. */
#include <ctype.h>
#include <fftw3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mdexafs/chi.h"
#include "util/spline.h"

mdx_xft_options mdx_xft_defaults(void)
{
    return (mdx_xft_options){.kmin = 0, .kmax = 20, .dk = 1, .dk2 = NAN,
                             .kweight = 0, .window = MDX_WIN_KAISER,
                             .rmax_out = 10, .nfft = 2048, .kstep = 0.05};
}

/* The windows' names, in the order of enum mdx_window. */
static const char *const window_names[] = {
    [MDX_WIN_HANNING] = "hanning", [MDX_WIN_FHANNING] = "fhanning",
    [MDX_WIN_GAUSSIAN] = "gaussian", [MDX_WIN_KAISER] = "kaiser",
    [MDX_WIN_PARZEN] = "parzen",   [MDX_WIN_WELCH] = "welch",
    [MDX_WIN_SINE] = "sine",       [MDX_WIN_BESSEL] = "bessel",
};
enum { NWINDOWS = sizeof window_names / sizeof window_names[0] };

const char *mdx_window_name(enum mdx_window w)
{
    return (unsigned)w < NWINDOWS ? window_names[w] : NULL;
}

mdx_status mdx_window_parse(const char *name, enum mdx_window *w,
                            mdx_error *err)
{
    char p[4] = {0};
    for (int i = 0; i < 3 && name[i]; i++)
        p[i] = (char)tolower((unsigned char)name[i]);
    for (int i = 0; i < NWINDOWS; i++)
        if (strncmp(p, window_names[i], 3) == 0 && p[2]) {
            *w = (enum mdx_window)i;
            return MDX_OK;
        }
    char known[128] = "";
    for (int i = 0, n = 0; i < NWINDOWS; i++)
        n += snprintf(known + n, sizeof known - (size_t)n, "%s%s",
                      i ? " " : "", window_names[i]);
    return mdx_error_set(err, MDX_ERR_ARG, NULL, 0,
                         "unknown window '%s' (known: %s)", name, known);
}

/* The modified Bessel function I0, by its power series: exact to rounding
 * for the arguments windows use (|x| below a few tens). */
static double bessel_i0(double x)
{
    double q = x * x / 4, term = 1, sum = 1;
    for (int j = 1; j < 500 && term > 1e-17 * sum; j++) {
        term *= q / ((double)j * j);
        sum += term;
    }
    return sum;
}

static size_t index_of(double v, double xeps, double xstep)
{
    double i = trunc((v + xeps) / xstep);  /* Python's int() */
    return i < 0 ? 0 : (size_t)i;
}

void mdx_ftwindow(const double *x, size_t n, double xmin, double xmax,
                  double dx, double dx2, enum mdx_window kind, double *win)
{
    double dx1 = dx;
    if (isnan(dx2))
        dx2 = dx1;
    double xstep = (x[n - 1] - x[0]) / (double)(n - 1);
    double xeps = 1e-4 * xstep;
    double x1 = fmax(x[0], xmin - dx1 / 2.0);
    double x2 = xmin + dx1 / 2.0 + xeps;
    double x3 = xmax - dx2 / 2.0 - xeps;
    double x4 = fmin(x[n - 1], xmax + dx2 / 2.0);
    if (kind == MDX_WIN_FHANNING) {
        if (dx1 < 0)
            dx1 = 0;
        if (dx2 > 1)
            dx2 = 1;
        x2 = x1 + xeps + dx1 * (xmax - xmin) / 2.0;
        x3 = x4 - xeps - dx2 * (xmax - xmin) / 2.0;
    } else if (kind == MDX_WIN_GAUSSIAN) {
        dx1 = fmax(dx1, xeps);
    }
    size_t i1 = index_of(x1, xeps, xstep), i2 = index_of(x2, xeps, xstep);
    size_t i3 = index_of(x3, xeps, xstep), i4 = index_of(x4, xeps, xstep);
    i2 = i2 < n - 1 ? i2 : n - 1;  /* larch would raise IndexError */
    i3 = i3 < n - 1 ? i3 : n - 1;
    i4 = i4 < n - 1 ? i4 : n - 1;
    if (i2 == i1)
        i1 = i2 > 0 ? i2 - 1 : 0;
    if (i4 == i3)
        i3 = i4 > 0 && i4 - 1 > i2 ? i4 - 1 : i2;
    x1 = x[i1], x2 = x[i2], x3 = x[i3], x4 = x[i4];
    if (x1 == x2)
        x2 += xeps;
    if (x3 == x4)
        x4 += xeps;

    for (size_t i = 0; i < n; i++)
        win[i] = i >= i2 && i < i3 ? 1.0 : 0.0;
    const double pi = M_PI;
    switch (kind) {
    case MDX_WIN_HANNING:
    case MDX_WIN_FHANNING:
        for (size_t i = i1; i <= i2 && i < n; i++) {
            double s = sin((pi / 2) * (x[i] - x1) / (x2 - x1));
            win[i] = s * s;
        }
        for (size_t i = i3; i <= i4; i++) {
            double c = cos((pi / 2) * (x[i] - x3) / (x4 - x3));
            win[i] = c * c;
        }
        break;
    case MDX_WIN_PARZEN:
        for (size_t i = i1; i <= i2 && i < n; i++)
            win[i] = (x[i] - x1) / (x2 - x1);
        for (size_t i = i3; i <= i4; i++)
            win[i] = 1 - (x[i] - x3) / (x4 - x3);
        break;
    case MDX_WIN_WELCH:
        for (size_t i = i1; i <= i2 && i < n; i++) {
            double u = (x[i] - x2) / (x2 - x1);
            win[i] = 1 - u * u;
        }
        for (size_t i = i3; i <= i4; i++) {
            double u = (x[i] - x3) / (x4 - x3);
            win[i] = 1 - u * u;
        }
        break;
    case MDX_WIN_KAISER:
    case MDX_WIN_BESSEL: {
        double cen = (x4 + x1) / 2, wid = (x4 - x1) / 2;
        double scale = fmax(1e-10, bessel_i0(dx) - 1);
        for (size_t i = 0; i < n; i++) {
            double u = x[i] - cen;
            double arg = 1 - u * u / (wid * wid);
            if (arg < 0)
                arg = 0;
            if (kind == MDX_WIN_KAISER)
                win[i] = (bessel_i0(dx * sqrt(arg)) - 1) / scale;
            else
                win[i] = x[i] <= x1 || x[i] >= x4
                             ? 0 : bessel_i0(dx * sqrt(arg)) / bessel_i0(dx);
        }
        break;
    }
    case MDX_WIN_SINE:
        for (size_t i = i1; i <= i4; i++)
            win[i] = sin(pi * (x4 - x[i]) / (x4 - x1));
        break;
    case MDX_WIN_GAUSSIAN: {
        double cen = (x4 + x1) / 2;
        for (size_t i = 0; i < n; i++) {
            double u = x[i] - cen;
            win[i] = exp(-((u * u) / (2 * dx1 * dx1)));
        }
        break;
    }
    }
}

mdx_status mdx_xftf(const double *k, const double *chi, size_t n,
                    const mdx_xft_options *o, mdx_chir *out, mdx_error *err)
{
    memset(out, 0, sizeof *out);
    if (n < 2 || o->kstep <= 0 || o->nfft < 2 || o->kmax <= o->kmin)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0,
                             "xftf: need two or more points, kstep > 0, "
                             "nfft >= 2 and kmin < kmax");
    double dk2 = isnan(o->dk2) ? o->dk : o->dk2;
    const double given[] = {o->kmin, o->kmax, o->dk, dk2, o->kweight,
                            o->kstep, o->rmax_out};
    for (size_t i = 0; i < sizeof given / sizeof given[0]; i++)
        if (!isfinite(given[i]))
            return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "xftf: kmin, kmax, "
                                 "dk, dk2, kweight, kstep and rmax_out must "
                                 "be finite numbers");
    if (o->rmax_out <= 0)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0,
                             "xftf: rmax_out %g must be positive", o->rmax_out);
    if (o->dk < 0 || dk2 < 0)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0,
                             "xftf: dk %g and dk2 %g must not be negative",
                             o->dk, dk2);
    if (k[0] < 0)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0,
                             "xftf: chi(k) starts at k = %g: k must be >= 0",
                             k[0]);
    if (o->kmin >= k[n - 1])
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0,
                             "xftf: kmin %g is at or beyond the end of the "
                             "data (k up to %g)", o->kmin, k[n - 1]);
    double kend = fmax(k[n - 1], o->kmax + dk2);
    if (kend / o->kstep > 1e7 || k[n - 1] / o->kstep > 1e7)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0,
                             "xftf: kmax + dk2 = %g is far beyond the data "
                             "(k up to %g)", o->kmax + dk2, k[n - 1]);
    size_t npts = (size_t)(1.01 + k[n - 1] / o->kstep);
    size_t ngrid = (size_t)(1.01 + kend / o->kstep);
    if (npts > o->nfft)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0,
                             "xftf: %zu points of chi(k) do not fit in "
                             "nfft = %zu", npts, o->nfft);
    double *grid = malloc(ngrid * sizeof *grid);
    double *win = malloc(ngrid * sizeof *win);
    fftw_complex *buf = fftw_alloc_complex(o->nfft);
    if (!grid || !win || !buf) {
        free(grid);
        free(win);
        fftw_free(buf);
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    }
    for (size_t i = 0; i < ngrid; i++)
        grid[i] = o->kstep * (double)i;
    mdx_ftwindow(grid, ngrid, o->kmin, o->kmax, o->dk, dk2, o->window, win);
    fftw_plan plan;
#pragma omp critical  /* FFTW's planner is not thread-safe */
    plan = fftw_plan_dft_1d((int)o->nfft, buf, buf, FFTW_FORWARD,
                            FFTW_ESTIMATE);
    memset(buf, 0, o->nfft * sizeof *buf);
    for (size_t i = 0; i < npts; i++)
        buf[i][0] = mdx_interp(grid[i], k, chi, n) * pow(grid[i], o->kweight) *
                    win[i];
    fftw_execute(plan);
#pragma omp critical
    fftw_destroy_plan(plan);

    double rstep = M_PI / (o->kstep * (double)o->nfft);
    double nr = fmin((double)(o->nfft / 2), 1.01 + o->rmax_out / rstep);
    out->n = nr < 1 ? 1 : (size_t)nr;
    out->r = malloc(out->n * sizeof *out->r);
    out->re = malloc(out->n * sizeof *out->re);
    out->im = malloc(out->n * sizeof *out->im);
    out->mag = malloc(out->n * sizeof *out->mag);
    mdx_status rc = MDX_OK;
    if (!out->r || !out->re || !out->im || !out->mag) {
        mdx_chir_free(out);
        rc = mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    } else {
        double scale = o->kstep / sqrt(M_PI);
        for (size_t i = 0; i < out->n; i++) {
            out->r[i] = rstep * (double)i;
            out->re[i] = scale * buf[i][0];
            out->im[i] = scale * buf[i][1];
            out->mag[i] = sqrt(out->re[i] * out->re[i] +
                               out->im[i] * out->im[i]);
            if (!isfinite(out->mag[i]) && rc == MDX_OK)
                rc = mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "xftf: chi(R) "
                                   "is not finite at R = %g with these "
                                   "options", out->r[i]);
        }
        if (rc)
            mdx_chir_free(out);
    }
    free(grid);
    free(win);
    fftw_free(buf);
    return rc;
}

void mdx_chir_free(mdx_chir *c)
{
    free(c->r);
    free(c->re);
    free(c->im);
    free(c->mag);
    memset(c, 0, sizeof *c);
}
