/* mdexafs fitting: a model chi(k) against measured chi(k), exactly as
 * xraylarch's feffit does it (larch/xafs/feffit.py with lmfit's leastsq):
 * the data put on the model's k grid, the residual in k, R, q or wavelet
 * space,
 * the noise estimated from the data's high-R part, MINPACK's
 * Levenberg-Marquardt with lmfit's bounds, and feffit's statistics. */
#ifndef MDEXAFS_FIT_H
#define MDEXAFS_FIT_H

#include <stddef.h>
#include "mdexafs/error.h"
#include "mdexafs/chi.h"
#include "mdexafs/api.h"

MDX_BEGIN_DECLS

enum mdx_fitspace { MDX_FIT_K, MDX_FIT_R, MDX_FIT_Q,
                    MDX_FIT_W  /* the Cauchy wavelet's k-R map */ };

/* feffit's name of a fit space: "k", "r", "q", "w" (NULL beyond the
 * enum). */
MDX_API const char *mdx_fitspace_name(enum mdx_fitspace s);

#define MDX_FIT_KWEIGHTS 8   /* most k-weights fitted at once */
#define MDX_FIT_NAME_MAX 32  /* longest variable name, with its NUL */

/* feffit's transform (larch's TransformGroup, kstep 0.05, nfft 2048). */
typedef struct mdx_fit_transform {
    double kmin, kmax;            /* k window and k-space fit range (0, 20) */
    double dk, dk2;               /* its tapers (4; dk2 NaN: = dk) */
    enum mdx_window window;       /* (kaiser) */
    double rmin, rmax;            /* R-space fit range, q's R window (0, 10) */
    double dr, dr2;               /* q's R window tapers (0; dr2 NaN: = dr) */
    enum mdx_window rwindow;      /* (hanning) */
    int kweights[MDX_FIT_KWEIGHTS];
    size_t nkweights;             /* (one: 2) */
    enum mdx_fitspace space;      /* (r) */
    double epsilon_k;             /* the data's noise in k; NaN (the
                                     default): estimated from |chi(R)| at
                                     15..30 Å, as feffit does */
} mdx_fit_transform;

MDX_API mdx_fit_transform mdx_fit_transform_defaults(void);

/* A fit variable: its start and bounds (-INFINITY, INFINITY: none). */
typedef struct mdx_fit_var {
    char name[MDX_FIT_NAME_MAX];
    double init, min, max;
} mdx_fit_var;

/* The model: chi at k = i * MDX_KSTEP for i < nk, with the variables at
 * `values` (in the order given to mdx_fit). An error stops the fit. */
typedef mdx_status (*mdx_fit_model)(void *ctx, const double *values,
                                    size_t nk, double *chi, mdx_error *err);

/* What a fit found for one of its data sets. */
typedef struct mdx_fit_set_result {
    size_t ndata;          /* its points of the residual */
    double n_idp;          /* its independent points */
    double epsilon_k[MDX_FIT_KWEIGHTS], epsilon_r[MDX_FIT_KWEIGHTS];
    size_t nk;             /* the model's k grid: k = i * MDX_KSTEP */
    double *data_chi;      /* the data on that grid */
    double *model_chi;     /* the model at the best values */
    double *kwin;          /* the k window there (for figures) */
} mdx_fit_set_result;

/* What a fit found, with feffit's statistics over all its data sets. */
typedef struct mdx_fit_result {
    size_t nvars;
    double *values;        /* best values */
    double *uncertainties; /* feffit's: scaled to n_idp; NaN without */
    double *correl;        /* nvars x nvars correlations; NaN without */
    int errorbars;         /* uncertainties could be estimated */
    size_t ndata;          /* points of the residual (lmfit's ndata) */
    size_t nfev;           /* evaluations of every data set's model */
    double n_idp, chi_square, chi2_reduced, rfactor, aic, bic;
    int status;            /* MINPACK's info: 1..4 converged */
    char message[160];     /* lmfit's words for it */
    size_t nsets;
    mdx_fit_set_result *sets;  /* each data set's, in the order given */
} mdx_fit_result;

/* One data set of a fit: measured chi at k[0..n) (increasing, any grid;
 * put on the model's grid by linear interpolation as feffit does), its
 * transform, and its model. */
typedef struct mdx_fit_dataset {
    const double *k, *chi;
    size_t n;
    mdx_fit_transform transform;
    mdx_fit_model model;
    void *ctx;
} mdx_fit_dataset;

/* Fit sets[0..nsets) at once, as feffit fits a list of data sets: one
 * residual, each data set's part weighted by its own noise, the models
 * given the same values of vars[0..nvars); n_idp is the sum of the data
 * sets'. Bad input (no variables, a k range outside its data, min > max,
 * a start outside its bounds, too few points) is MDX_ERR_ARG naming it,
 * and the data set when there are several. A fit that ends without
 * uncertainties (a variable that changes nothing) is not an error:
 * res->errorbars is 0 and the message says why. Free res with
 * mdx_fit_result_free. */
MDX_API mdx_status mdx_fit_datasets(const mdx_fit_dataset *sets,
                                    size_t nsets, const mdx_fit_var *vars,
                                    size_t nvars, mdx_fit_result *res,
                                    mdx_error *err);

/* mdx_fit_datasets of one data set: `model` fitted to chi at k[0..n). */
MDX_API mdx_status mdx_fit(const double *k, const double *chi, size_t n,
                           const mdx_fit_transform *t, const mdx_fit_var *vars,
                           size_t nvars, mdx_fit_model model, void *ctx,
                           mdx_fit_result *res, mdx_error *err);

MDX_API void mdx_fit_result_free(mdx_fit_result *res);

/* The report of fit r (of vars; data set i with transform t[i], npaths[i]
 * paths averaged over nfolders[i] folders, its data named labels[i], for
 * each of r->nsets) in the shape of xraylarch's feffit_report, its
 * sections but Paths, into buf (size bytes, cut there; NUL-terminated
 * when size > 0), as snprintf: returns the report's length, so that a
 * call with size 0 tells the size to give (0 when memory ran out). */
MDX_API size_t mdx_fit_report(const mdx_fit_result *r,
                              const mdx_fit_transform *t,
                              const mdx_fit_var *vars, const size_t *npaths,
                              const double *nfolders,
                              const char *const *labels, char *buf,
                              size_t size);

MDX_END_DECLS

#endif
