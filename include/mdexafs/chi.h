/* mdexafs chi(k) of one scattering path, as xraylarch's path2chi. */
#ifndef MDEXAFS_CHI_H
#define MDEXAFS_CHI_H

#include <stddef.h>
#include "mdexafs/error.h"
#include "mdexafs/feff.h"
#include "mdexafs/api.h"

MDX_BEGIN_DECLS

#define MDX_NK 401       /* points of the standard k grid */
#define MDX_KSTEP 0.05   /* its step, 1/Å: k = 0, 0.05, ..., 20 */

/* 1 / 3.8099821161548597: converts eV to 1/Å², the value xraylarch 0.9.58
 * uses (CODATA 2018). */
#define MDX_ETOK (1.0 / 3.8099821161548597)

/* chi(k) a against chi(k) b (k then chi, as mdx_chidat_parse gives them),
 * both weighted by k^MDX_MATCH_KWEIGHT on b's points from kmin to kmax:
 * raw = max |a - b| / max |b|, and the R-factor sum (s a(k') - b(k))^2 /
 * sum b(k)^2 at the best E0 shift e0 (k' = sqrt(k^2 - e0 ETOK), a's
 * not-a-knot cubic spline, |e0| <= MDX_MATCH_E0_MAX eV) and amplitude s
 * (least squares): what is left of their difference once a fit's E0 and
 * S0^2 have absorbed what they can. */
#define MDX_MATCH_KWEIGHT 2
#define MDX_MATCH_E0_MAX 20.0
typedef struct mdx_chi_match {
    double raw, rfactor, e0, amplitude;
} mdx_chi_match;

/* mdx_chi_match of a (na points) against b (nb points); MDX_ERR_ARG when
 * b has fewer than 2 points in range, a does not reach over the range
 * shifted by the largest E0, or b is 0 throughout. */
MDX_API mdx_status mdx_chi_match_e0(const double *a, size_t na, const double *b, size_t nb,
                                    double kmin, double kmax, mdx_chi_match *m,
                                    mdx_error *err);

/* Paths shorter than this (reff, Å) have no chi(k), as in xraylarch. */
#define MDX_REFF_MIN 0.05

/* Path parameters, named as in EXAFS analysis (xraylarch's names in
 * brackets). */
typedef struct mdx_chi_params {
    double s02;     /* amplitude reduction factor [s02], default 1 */
    double e0;      /* energy shift, eV [e0] */
    double sigma2;  /* mean-square displacement, Å² [sigma2] */
    double deltar;  /* change of half path length, Å [deltar] */
    double c3;      /* third cumulant, Å³ [third] */
    double c4;      /* fourth cumulant, Å⁴ [fourth] */
    double ei;      /* imaginary energy shift, eV [ei] */
    double degen;   /* degeneracy; NaN means the file's value [degen] */
} mdx_chi_params;

/* xraylarch's defaults: S02 = 1, the file's degeneracy, all else 0. */
MDX_API mdx_chi_params mdx_chi_defaults(void);

/* The field of *par that path parameter `name` sets: s02 e0 sigma2
 * deltar c3 c4 ei degen, and xraylarch's names third (c3) and fourth
 * (c4); NULL for another name. */
MDX_API double *mdx_chi_param(mdx_chi_params *par, const char *name);

/* The parameter `name` stands for: "c3" for "third", name itself for
 * the others, NULL for an unknown name. */
MDX_API const char *mdx_chi_param_canonical(const char *name);

/* "s02 e0 sigma2 deltar c3 c4 ei degen; third = c3, fourth = c4": the
 * names, for messages. */
MDX_API const char *mdx_chi_param_names(void);

/* Set parameter `name` of *par to v: MDX_ERR_ARG, with the message a user
 * reads, for an unknown name, a value that is not finite or a negative
 * degeneracy. */
MDX_API mdx_status mdx_chi_param_set(mdx_chi_params *par, const char *name,
                                     double v, mdx_error *err);

/* Fill k[0..MDX_NK) with the standard grid, k[i] = MDX_KSTEP * i. */
MDX_API void mdx_kgrid(double k[MDX_NK]);

/* Scratch memory for mdx_chi; one per thread. Zero-initialise, then free
 * with mdx_chi_work_free. */
typedef struct mdx_chi_work {
    double *buf;
    size_t cap;
} mdx_chi_work;

MDX_API void mdx_chi_work_free(mdx_chi_work *w);

/* Does the path's table span the k grid (nk points k, increasing)? A
 * table cut short would have chi(k) extrapolated from its last rows:
 * MDX_ERR_FORMAT then. */
MDX_API mdx_status mdx_chi_covers(const mdx_path *path, size_t nk, const double *k,
                                  mdx_error *err);

/* chi(k) of `path` with parameters `par` at the nk (>= 3) points k, written
 * to chi. As xraylarch, chi[0] is extrapolated as 2 chi[1] - chi[2].
 * Returns MDX_ERR_RANGE for reff < MDX_REFF_MIN, MDX_ERR_FORMAT for a
 * table that does not span k (mdx_chi_covers), MDX_ERR_ARG when the
 * parameters make chi(k) infinite or NaN, MDX_ERR_NOMEM if the workspace
 * cannot grow. Thread-safe for distinct w. */
MDX_API mdx_status mdx_chi(const mdx_path *path, const mdx_chi_params *par,
                           size_t nk, const double *k, double *chi,
                           mdx_chi_work *w, mdx_error *err);

/* ---- Fourier transforms: chi(k) to chi(R) as xraylarch's xftf. */
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

/* ---- The Cauchy wavelet transform, as xraylarch's cauchy_wavelet. */
/* A map of chi(k) in k and R: nr rows of nk points, row i at r[i]. */
typedef struct mdx_wavelet {
    size_t nk, nr;
    double *k, *r;          /* the data's k; r[0] is 1e-19, as larch's */
    double *re, *im, *mag;  /* nr x nk: larch's wcauchy_re, _im, _mag */
} mdx_wavelet;

/* larch's cauchy_wavelet of chi at k[0..n) (an even grid from k = 0, its
 * step taken to 0.001 as larch takes it), k^kweight-weighted, at R from 0
 * to rmax_out (R points pi / (2048 kstep) apart, whatever nfft is), with
 * FFTs of 2 nfft points. Bad input (an uneven grid, nfft not a power of
 * two, more than nfft/2 points of chi, where larch would cut it, too few
 * or too many R points) is MDX_ERR_ARG naming it. Free *out
 * with mdx_wavelet_free. */
MDX_API mdx_status mdx_cauchy_wavelet(const double *k, const double *chi,
                                      size_t n, double kweight,
                                      double rmax_out, size_t nfft,
                                      mdx_wavelet *out, mdx_error *err);

MDX_API void mdx_wavelet_free(mdx_wavelet *w);

MDX_END_DECLS

#endif
