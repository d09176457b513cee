/* The report of a fit, in the shape of xraylarch's feffit_report (its
 * sections but Paths), written once for every face. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mdexafs/fit.h"

/* "0.0123456" or "unknown": never a NaN printed as a number. */
static void put_number_or_unknown(FILE *f, double v)
{
    if (isnan(v))
        fputs("unknown", f);
    else
        fprintf(f, "%.7g", v);
}

static void put_list(FILE *f, const char *fmt, const double *v, size_t n)
{
    for (size_t w = 0; w < n; w++) {
        fputs(w ? ", " : "", f);
        fprintf(f, fmt, v[w]);
    }
}

const char *mdx_fitspace_name(enum mdx_fitspace s)
{
    static const char *const names[] = {"k", "r", "q", "w"};
    return (unsigned)s < 4 ? names[s] : NULL;
}

/* Data set i's lines of [[Data]] (larch's, with the folders
 * averaged in place of the path files' names). */
static void put_dataset(FILE *f, const mdx_fit_set_result *d,
                        const mdx_fit_transform *t, size_t npaths,
                        double nfolders, const char *label)
{
    fprintf(f, "   data               = %s\n", label ? label : "");
    fprintf(f, "   fit space          = '%s'\n   r-range            = %.3f, "
            "%.3f\n   k-range            = %.3f, %.3f\n",
            mdx_fitspace_name(t->space), t->rmin, t->rmax, t->kmin, t->kmax);
    fprintf(f, "   k window, dk       = '%s', %.3f\n"
            "   paths used in fit  = %zu, averaged over %g folders\n"
            "   k-weight           = ", mdx_window_name(t->window), t->dk,
            npaths, nfolders);
    for (size_t w = 0; w < t->nkweights; w++)
        fprintf(f, "%s%d", w ? ", " : "", t->kweights[w]);
    fputs("\n   epsilon_k          = ", f);
    put_list(f, "%.7g", d->epsilon_k, t->nkweights);
    fputs("\n   epsilon_r          = ", f);
    put_list(f, "%.7g", d->epsilon_r, t->nkweights);
    fprintf(f, "\n   n_independent      = %.3f\n", d->n_idp);
}

static void put_report(FILE *f, const mdx_fit_result *r,
                       const mdx_fit_transform *t, const mdx_fit_var *vars,
                       const size_t *npaths, const double *nfolders,
                       const char *const *labels)
{
    fprintf(f, "=================== FEFFIT RESULTS ====================\n"
            "[[Statistics]]\n   nvarys, npts       =  %d, %d\n",
            (int)r->nvars, (int)r->ndata);
    fprintf(f, "   n_independent      =  %.3f\n   chi_square         = %.7g\n"
            "   reduced chi_square = %.7g\n   r-factor           = %.7g\n"
            "   Akaike info crit   = %.7g\n   Bayesian info crit = %.7g\n"
            " \n", r->n_idp, r->chi_square, r->chi2_reduced, r->rfactor,
            r->aic, r->bic);
    if (r->nsets == 1)
        fputs("[[Data]]\n", f);
    else
        fprintf(f, "[[Datasets (%zu)]]\n", r->nsets);
    for (size_t i = 0; i < r->nsets; i++) {
        if (r->nsets > 1)
            fprintf(f, " dataset %zu:\n", i + 1);
        put_dataset(f, &r->sets[i], &t[i], npaths[i], nfolders[i],
                    labels[i]);
    }
    fputs(" \n[[Variables]]\n", f);
    for (size_t i = 0; i < r->nvars; i++) {
        fprintf(f, "   %-14s = %.7g +/- ", vars[i].name, r->values[i]);
        put_number_or_unknown(f, r->uncertainties[i]);
        fprintf(f, "   (init= %.7g)\n", vars[i].init);
    }
    fputs(" \n[[Correlations]]    (unreported correlations are <  0.100)\n",
          f);
    if (!r->errorbars)
        fputs("   none: the uncertainties could not be estimated\n", f);
    for (size_t i = 0; r->errorbars && i < r->nvars; i++)
        for (size_t j = i + 1; j < r->nvars; j++) {
            double v = r->correl[i + j * r->nvars];
            char pair[2 * MDX_FIT_NAME_MAX + 4];
            if (fabs(v) < 0.1)
                continue;
            snprintf(pair, sizeof pair, "%s, %s", vars[i].name, vars[j].name);
            fprintf(f, "   %-20s = % .3f\n", pair, v);
        }
    fprintf(f, "[[Fit]]\n   %s (%zu evaluations)\n"
            "=======================================================",
            r->message, r->nfev);
}

size_t mdx_fit_report(const mdx_fit_result *r, const mdx_fit_transform *t,
                      const mdx_fit_var *vars, const size_t *npaths,
                      const double *nfolders, const char *const *labels,
                      char *buf, size_t size)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return 0;
    put_report(f, r, t, vars, npaths, nfolders, labels);
    if (fclose(f) != 0) {
        free(text);
        return 0;
    }
    if (size)
        snprintf(buf, size, "%s", text);
    free(text);
    return len;
}
