/* mdexafs Fourier transforms: chi(k) to chi(R) as xraylarch's xftf. */
#ifndef MDEXAFS_XFT_H
#define MDEXAFS_XFT_H

#include <stddef.h>
#include "mdexafs/error.h"
#include "mdexafs/api.h"

MDX_BEGIN_DECLS

/* xraylarch's window kinds (ftwindow). */
enum mdx_window {
    MDX_WIN_HANNING,   /* "hanning": cosine-squared taper */
    MDX_WIN_FHANNING,  /* "fhanning": taper as a fraction of the range */
    MDX_WIN_GAUSSIAN,  /* "gaussian" */
    MDX_WIN_KAISER,    /* "kaiser": Kaiser-Bessel, larch's default */
    MDX_WIN_PARZEN,    /* "parzen": linear taper */
    MDX_WIN_WELCH,     /* "welch": quadratic taper */
    MDX_WIN_SINE,      /* "sine" */
    MDX_WIN_BESSEL     /* "bessel": ifeffit 1.0's Kaiser-Bessel */
};

/* The options of xftf, with its names. */
typedef struct mdx_xft_options {
    double kmin, kmax;     /* window range, 1/Å (0, 20) */
    double dk, dk2;        /* taper widths (1; dk2 NaN: = dk) */
    double kweight;        /* chi is multiplied by k^kweight (0) */
    enum mdx_window window;/* (kaiser) */
    double rmax_out;       /* last R written, Å (10) */
    size_t nfft;           /* FFT length (2048) */
    double kstep;          /* k step of the FFT grid, 1/Å (0.05) */
} mdx_xft_options;

/* xraylarch's defaults for xftf. */
MDX_API mdx_xft_options mdx_xft_defaults(void);

/* The window named `name` (as larch: only the first three letters
 * count, any case); MDX_ERR_ARG for an unknown name. */
MDX_API mdx_status mdx_window_parse(const char *name, enum mdx_window *w,
                                    mdx_error *err);

/* The name of window w ("hanning"), NULL for a value not in the enum. */
MDX_API const char *mdx_window_name(enum mdx_window w);

/* larch's ftwindow on the uniform grid x[0..n): written to win. */
MDX_API void mdx_ftwindow(const double *x, size_t n, double xmin, double xmax,
                          double dx, double dx2, enum mdx_window kind, double *win);

/* chi(R): n points at r = 0, pi / (kstep nfft), ... */
typedef struct mdx_chir {
    size_t n;
    double *r, *re, *im, *mag;
} mdx_chir;

/* Transform chi on the increasing grid k[0..n) (interpolated linearly onto
 * the FFT grid, as larch) into *out, which the caller frees with
 * mdx_chir_free. */
MDX_API mdx_status mdx_xftf(const double *k, const double *chi, size_t n,
                            const mdx_xft_options *o, mdx_chir *out, mdx_error *err);

MDX_API void mdx_chir_free(mdx_chir *c);

MDX_END_DECLS

#endif
