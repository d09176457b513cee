/* The mean of FEFF's own chi.dat over a query's folders, on the k values
 * all have. */
#include <stdio.h>
#include <string.h>

#include "query_private.h"

/* The average being made, and what went wrong. */
typedef struct chidat_avg {
    mdx_average *avg;  /* NULL until the first chi.dat */
    mdx_error err;
    char first[300], other[300];  /* two grids that differ, for the note */
} chidat_avg;

/* "frame_500/atom_0: k = 0.05 .. 20, 400 values" */
static void describe_grid(char *buf, size_t size, const mdx_folder_chidat *f)
{
    snprintf(buf, size, "%.200s: k = %g .. %g, %zu values", f->dir, f->k[0],
             f->k[f->n - 1], f->n);
}

/* Each chi.dat on its own k grid: the mean is over the k values all have,
 * not row by row (as the reference does, misaligning 0, 0.05, ... with
 * 0.05, 0.1, ...). */
static int add_chidat(void *ctx, const mdx_folder_chidat *f)
{
    chidat_avg *c = ctx;
    if (f->n == 0)
        return 0;
    if (!c->avg) {
        if (mdx_average_new(f->n, f->k, &c->avg, &c->err))
            return 1;
        describe_grid(c->first, sizeof c->first, f);
    }
    if (mdx_average_add_aligned(c->avg, f->k, f->chi, f->n, 0) && !c->other[0])
        describe_grid(c->other, sizeof c->other, f);
    return 0;
}

mdx_status mdx_query_chidat(mdx_query *q, mdx_average **out, char *note,
                            size_t size, mdx_error *err)
{
    chidat_avg c = {NULL, {0}, "", ""};
    *out = NULL;
    note[0] = '\0';
    q->chidat = 1;
    mdx_status rc = mdx_source_each_chidat(q->src, &q->sel, add_chidat, &c, err);
    if (rc == MDX_OK)
        rc = mdx_query_note_potentials(q, &q->sel, err);
    if (!rc && !c.avg)
        rc = c.err.msg[0] ? mdx_error_copy(err, &c.err)
                          : mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "chidat: "
                                          "no folder with a chi.dat in the "
                                          "selection");
    else if (!rc && mdx_average_size(c.avg) == 0)
        rc = mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "chidat: no k value is "
                           "common to all chi.dat files (%s; %s)", c.first,
                           c.other);
    if (rc) {
        mdx_average_free(c.avg);
        return rc;
    }
    size_t n = mdx_average_size(c.avg);
    const double *k = mdx_average_k(c.avg);
    if (c.other[0])
        snprintf(note, size, "chi.dat files are on different k grids (%s; %s): "
                 "the mean is over the %zu values all have, k = %g .. %g",
                 c.first, c.other, n, k[0], k[n - 1]);
    *out = c.avg;
    return MDX_OK;
}
