/* The spread of an ensemble: each folder's sum of selected paths against
 * the mean of all of them, farthest first, with the outliers flagged. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mdexafs/stats.h"
#include "util/grow.h"

/* The folder sums of a query, kept. */
typedef struct kept_sums {
    struct kept_folder {
        long frame, atom;
        char *dir;
        double chi[MDX_NK];
        size_t npaths;
    } *f;
    size_t n, cap;
    int nomem;
} kept_sums;

static void release_sums(kept_sums *k)
{
    for (size_t i = 0; i < k->n; i++)
        free(k->f[i].dir);
    free(k->f);
}

static int keep_sum(void *ctx, const mdx_folder_chi *fc)
{
    kept_sums *k = ctx;
    struct kept_folder *f = mdx_grow(k->f, &k->cap, k->n + 1, sizeof *f, 64);
    if (!f)
        return k->nomem = -1;
    k->f = f;
    f += k->n;
    if (!(f->dir = strdup(fc->dir)))
        return k->nomem = -1;
    k->n++;
    f->frame = fc->frame;
    f->atom = fc->atom;
    f->npaths = fc->npaths;
    memcpy(f->chi, fc->chi, sizeof f->chi);
    return 0;
}

/* Status st, its message in err (which may be NULL) after "spread: ". */
static mdx_status in_spread(mdx_status st, mdx_error *err)
{
    if (!err)
        return st;
    mdx_error e = *err;
    mdx_error_set(err, st, e.file, e.line, "spread: %s", e.msg);
    return mdx_error_advise(err, e.remedy);
}

static int farthest_first(const void *a, const void *b)
{
    double x = ((const mdx_spread_row *)a)->distance,
           y = ((const mdx_spread_row *)b)->distance;
    return (x < y) - (x > y);
}

void mdx_spread_free(mdx_spread *s)
{
    for (size_t i = 0; s->rows && i < s->n; i++)
        free(s->rows[i].dir);
    free(s->rows);
    memset(s, 0, sizeof *s);
}

/* The rows of the kept folders, by distance from their mean. */
static mdx_status spread_rows(kept_sums *k, double kmin, double kmax,
                              double kweight, mdx_spread *out, mdx_error *err)
{
    double mean[MDX_NK] = {0}, grid[MDX_NK];
    mdx_kgrid(grid);
    for (size_t i = 0; i < k->n; i++)
        for (int j = 0; j < MDX_NK; j++)
            mean[j] += k->f[i].chi[j];
    for (int j = 0; j < MDX_NK; j++)
        mean[j] /= (double)k->n;
    if (!(out->rows = calloc(k->n, sizeof *out->rows)))
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; i < k->n; i++) {
        mdx_spread_row *r = &out->rows[out->n++];
        struct kept_folder *f = &k->f[i];
        *r = (mdx_spread_row){f->frame, f->atom, f->dir, f->npaths, 0, 0};
        f->dir = NULL;  /* the row owns it now */
        mdx_status st = mdx_chi_distance(grid, f->chi, mean, MDX_NK, kmin,
                                         kmax, kweight, &r->distance, err);
        if (st)
            return in_spread(st, err);
    }
    qsort(out->rows, out->n, sizeof *out->rows, farthest_first);
    return MDX_OK;
}

mdx_status mdx_query_spread(mdx_query *q, double kmin, double kmax,
                            double kweight, double threshold,
                            mdx_spread *out, mdx_error *err)
{
    memset(out, 0, sizeof *out);
    mdx_status rc = mdx_distance_check(kmin, kmax, kweight, err);
    if (rc)
        return in_spread(rc, err);
    if (threshold < 0)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "spread: threshold %f: "
                             "a distance is never negative", threshold);
    kept_sums k = {0};
    rc = mdx_query_sum(q, MDX_GROUP_NONE, keep_sum, &k, err);
    if (rc == MDX_ERR_STOPPED && k.nomem)
        rc = mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    else if (!rc && k.n == 0)
        rc = mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "spread: the selection "
                           "admits no folder");
    if (!rc)
        rc = spread_rows(&k, kmin, kmax, kweight, out, err);
    release_sums(&k);
    if (rc) {
        mdx_spread_free(out);
        return rc;
    }
    size_t n = out->n;
    if (isnan(threshold))
        threshold = 4 * (n % 2 ? out->rows[n / 2].distance
                               : 0.5 * (out->rows[n / 2 - 1].distance +
                                        out->rows[n / 2].distance));
    out->threshold = threshold;
    for (size_t i = 0; i < n; i++)
        out->rows[i].flagged = out->rows[i].distance > threshold;
    return MDX_OK;
}
