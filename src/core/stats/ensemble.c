/* Statistics of what a query selects: the reff moments of each path type,
 * a histogram of reff, leg lengths or angles, and each folder's distance
 * from the ensemble mean (the spread). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mdexafs/stats.h"
#include "query/query_private.h"
#include "query/source_hold.h"

static mdx_status no_memory(mdx_error *err)
{
    return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
}

/* A selected path, as the statistics see it: its place in the query's
 * order breaks ties, so that equal types keep that order. */
typedef struct stat_path {
    const mdx_path_meta *m;
    size_t order;
} stat_path;

static int by_type(const void *a, const void *b)
{
    const stat_path *x = a, *y = b;
    int c = strcmp(x->m->type, y->m->type);
    return c ? c : (x->order > y->order) - (x->order < y->order);
}

void mdx_type_stats_free(mdx_type_stats *s)
{
    for (size_t i = 0; s->types && i < s->n; i++)
        free(s->types[i]);
    free(s->types);
    free(s->moments);
    memset(s, 0, sizeof *s);
}

/* The moments of each run of one type in the sorted paths p[0..n). */
static mdx_status type_moments(const stat_path *p, size_t n,
                               mdx_type_stats *out, mdx_error *err)
{
    double *x = malloc((n ? n : 1) * 2 * sizeof *x), *w = x ? x + n : NULL;
    out->types = calloc(n ? n : 1, sizeof *out->types);
    out->moments = calloc(n ? n : 1, sizeof *out->moments);
    mdx_status rc = x && out->types && out->moments ? MDX_OK : no_memory(err);
    for (size_t i = 0, j; !rc && i < n; i = j) {
        for (j = i; j < n && !strcmp(p[j].m->type, p[i].m->type); j++) {
            x[j - i] = p[j].m->reff;
            w[j - i] = p[j].m->deg;
        }
        mdx_error ignored;  /* a type of zero weight has no moments */
        if (mdx_moments_of(x, w, j - i, &out->moments[out->n], &ignored))
            continue;
        if (!(out->types[out->n++] = strdup(p[i].m->type)))
            rc = no_memory(err);
    }
    free(x);
    return rc;
}

mdx_status mdx_query_stats(mdx_query *q, mdx_type_stats *out, mdx_error *err)
{
    memset(out, 0, sizeof *out);
    mdx_path_list *list;
    mdx_status rc = mdx_query_paths(q, &list, err);
    if (rc)
        return rc;
    size_t n = mdx_path_list_size(list);
    stat_path *p = malloc((n ? n : 1) * sizeof *p);
    if (!p)
        rc = no_memory(err);
    for (size_t i = 0; !rc && i < n; i++)
        p[i] = (stat_path){mdx_path_list_get(list, i), i};
    if (!rc) {
        qsort(p, n, sizeof *p, by_type);
        rc = type_moments(p, n, out, err);
    }
    free(p);
    mdx_path_list_free(list);
    if (rc)
        mdx_type_stats_free(out);
    return rc;
}

static const char *const histogram_names[] = {"reff", "legs", "angles"};

const char *mdx_histogram_of_name(enum mdx_histogram_of of)
{
    return (unsigned)of < 3 ? histogram_names[of] : "?";
}

mdx_status mdx_histogram_of_parse(const char *name, enum mdx_histogram_of *of,
                                  mdx_error *err)
{
    for (int i = 0; i < 3; i++)
        if (strcmp(name, histogram_names[i]) == 0) {
            *of = (enum mdx_histogram_of)i;
            return MDX_OK;
        }
    return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "histogram: of must be "
                         "one of: reff legs angles, not '%s'", name);
}

void mdx_path_histogram_free(mdx_path_histogram *h)
{
    free(h->x);
    free(h->counts);
    free(h->density);
    memset(h, 0, sizeof *h);
}

/* The values of a histogram, one or more per selected path, with their
 * weights (the path's degeneracy): reff, or, read from each path's FEFF
 * data, its leg lengths or angles. */
static mdx_status histogram_values(mdx_query *q, const mdx_path_list *list,
                                   enum mdx_histogram_of of, double *x,
                                   double *w, size_t *count, mdx_error *err)
{
    size_t n = 0;
    for (size_t i = 0; i < mdx_path_list_size(list); i++) {
        const mdx_path_meta *m = mdx_path_list_get(list, i);
        if (of == MDX_HIST_REFF) {
            x[n] = m->reff;
            w[n++] = m->deg;
            continue;
        }
        mdx_path path;
        mdx_status rc = mdx_source_get_path(q->src, m->frame, m->atom, m->num,
                                            &path, err);
        if (rc)
            return rc;
        size_t k = (size_t)path.nleg - (of == MDX_HIST_ANGLES);
        if (of == MDX_HIST_LEGS)
            mdx_path_legs(&path, x + n);
        else
            mdx_path_angles(&path, x + n);
        for (size_t j = 0; j < k; j++)
            w[n + j] = m->deg;
        n += k;
        mdx_path_free(&path);
    }
    *count = n;
    return MDX_OK;
}

/* Bin n values into a histogram of the range lo .. hi (NaN: their own). */
static mdx_status bin_values(const double *x, const double *w, size_t n,
                             double lo, double hi, mdx_path_histogram *h,
                             mdx_error *err)
{
    size_t nb = h->nbins;
    h->x = malloc(nb * sizeof *h->x);
    h->counts = malloc(nb * sizeof *h->counts);
    h->density = malloc(nb * sizeof *h->density);
    if (!h->x || !h->counts || !h->density)
        return no_memory(err);
    mdx_status rc = mdx_moments_of(x, w, n, &h->moments, err);
    if (rc)
        return rc;
    if (isnan(lo)) {
        lo = h->moments.min;
        hi = h->moments.max > lo ? h->moments.max : lo + 1e-9;
    }
    rc = mdx_histogram(x, w, n, lo, hi, nb, h->counts, &h->outside, err);
    if (rc)
        return rc;
    double width = (hi - lo) / (double)nb;
    for (size_t i = 0; i < nb; i++) {
        h->x[i] = lo + width * ((double)i + 0.5);
        h->density[i] = h->counts[i] / (h->moments.weight * width);
    }
    h->lo = lo;
    h->hi = hi;
    return MDX_OK;
}

mdx_status mdx_query_histogram(mdx_query *q, enum mdx_histogram_of of,
                               size_t nbins, double lo, double hi,
                               mdx_path_histogram *out, mdx_error *err)
{
    memset(out, 0, sizeof *out);
    out->of = of;
    out->nbins = nbins;
    if ((unsigned)of > MDX_HIST_ANGLES)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "histogram: of must "
                             "be one of: reff legs angles");
    if (nbins < 1 || nbins > MDX_HISTOGRAM_BINS_MAX)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "histogram: bins must "
                             "be a whole number 1 .. %d",
                             MDX_HISTOGRAM_BINS_MAX);
    if (isnan(lo) != isnan(hi) ||
        (!isnan(lo) && !(isfinite(lo) && isfinite(hi) && lo < hi)))
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "histogram: need at "
                             "least one bin and lo < hi (%zu bins, %g .. %g)",
                             nbins, lo, hi);
    mdx_path_list *list;
    mdx_source_hold(q->src);  /* its paths are read after the query ends */
    mdx_status rc = mdx_query_paths(q, &list, err);
    if (rc)
        return mdx_source_release(q->src, rc);
    size_t cap = mdx_path_list_size(list) *
                 (of == MDX_HIST_REFF ? 1 : MDX_NLEG_MAX), n = 0;
    double *x = malloc((cap ? cap : 1) * 2 * sizeof *x);
    if (!x)
        rc = no_memory(err);
    else if (cap == 0)
        rc = mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "histogram: the "
                           "selection selects no path (%s)",
                           mdx_query_label(q));
    if (!rc)
        rc = histogram_values(q, list, of, x, x + cap, &n, err);
    if (!rc)
        rc = bin_values(x, x + cap, n, lo, hi, out, err);
    free(x);
    mdx_path_list_free(list);
    if (rc)
        mdx_path_histogram_free(out);
    return mdx_source_release(q->src, rc);
}
