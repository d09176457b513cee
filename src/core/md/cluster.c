/* Clusters: every periodic image of every atom within a cutoff of an
 * absorber, found through a grid of bins in fractional coordinates (a
 * cell list) so that one absorber costs the atoms of the bins around it,
 * whatever the size of the frame. A cutoff beyond half the cell reaches
 * into further images, the absorber's own among them. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "md_private.h"
#include "util/grow.h"

#define MAX_BINS_PER_AXIS 1024

struct mdx_grid {
    const mdx_frame *f;
    double width[3];   /* the cell's widths */
    long nb[3];        /* bins along a, b, c */
    size_t *first;     /* bin k holds atom[first[k] .. first[k+1]) */
    size_t *atom;
    double *s;         /* fractional coordinates, wrapped on periodic axes */
    int *wrap;         /* whole cells taken off each atom by the wrapping */
};

/* The bins along each axis: about two per cutoff, at most two per atom
 * overall. */
static void choose_bins(mdx_grid *g, double cutoff)
{
    size_t most = 2 * g->f->natoms + 1;
    for (int k = 0; k < 3; k++) {
        double n = cutoff > 0 ? floor(2 * g->width[k] / cutoff) : 1;
        g->nb[k] = n < 1 ? 1 : n > MAX_BINS_PER_AXIS ? MAX_BINS_PER_AXIS : (long)n;
    }
    while ((size_t)(g->nb[0] * g->nb[1] * g->nb[2]) > most) {
        int k = g->nb[0] >= g->nb[1] && g->nb[0] >= g->nb[2] ? 0 : g->nb[1] >= g->nb[2] ? 1 : 2;
        g->nb[k] = (g->nb[k] + 1) / 2;
    }
}

static long bin_along(const mdx_grid *g, int k, double s)
{
    double b = floor(s * (double)g->nb[k]);
    return b < 0 ? 0 : b >= (double)g->nb[k] ? g->nb[k] - 1 : (long)b;
}

static size_t bin_of(const mdx_grid *g, const double s[3])
{
    return ((size_t)bin_along(g, 0, s[0]) * (size_t)g->nb[1] + (size_t)bin_along(g, 1, s[1]))
               * (size_t)g->nb[2] + (size_t)bin_along(g, 2, s[2]);
}

/* Fractional coordinates of every atom, wrapped into [0, 1) on periodic
 * axes; its element and position checked. */
static mdx_status fractional(mdx_grid *g, mdx_error *err)
{
    const mdx_frame *f = g->f;
    double inv[3][3];
    mdx_cell_invert(&f->cell, inv);
    for (size_t i = 0; i < f->natoms; i++) {
        const double *r = &f->xyz[3 * i];
        if (f->z[i] < 1 || f->z[i] > 118)
            return mdx_error_set(err, MDX_ERR_ARG, f->file, f->line,
                                 "frame %ld: atom %ld: %d is not an atomic number", f->index,
                                 f->id[i], f->z[i]);
        if (!isfinite(r[0]) || !isfinite(r[1]) || !isfinite(r[2]))
            return mdx_error_set(err, MDX_ERR_ARG, f->file, f->line,
                                 "frame %ld: atom %ld: its position is not finite", f->index,
                                 f->id[i]);
        for (int k = 0; k < 3; k++) {
            double s = r[0] * inv[0][k] + r[1] * inv[1][k] + r[2] * inv[2][k];
            double w = f->cell.pbc[k] ? floor(s) : 0;
            if (fabs(w) > 1e6)
                return mdx_error_set(err, MDX_ERR_ARG, f->file, f->line,
                                     "frame %ld: atom %ld lies a million cells away",
                                     f->index, f->id[i]);
            s -= w;
            if (f->cell.pbc[k] && s >= 1.0) {   /* -1e-17 wraps to 1.0 */
                s -= 1.0;
                w += 1.0;
            }
            g->s[3 * i + k] = s;
            g->wrap[3 * i + k] = (int)w;
        }
    }
    return MDX_OK;
}

mdx_status mdx_grid_new(const mdx_frame *f, double cutoff, mdx_grid **out, mdx_error *err)
{
    *out = NULL;
    mdx_error cell_err;
    mdx_status st = mdx_cell_check(&f->cell, "cell", &cell_err);
    if (st != MDX_OK)
        return mdx_error_set(err, st, f->file, f->line, "frame %ld: %s", f->index,
                             cell_err.msg);
    if (!(cutoff > 0) || !isfinite(cutoff))
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "cutoff %g: not a positive radius",
                             cutoff);
    mdx_grid *g = calloc(1, sizeof *g);
    if (!g)
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    g->f = f;
    mdx_cell_widths(&f->cell, g->width);
    choose_bins(g, cutoff);
    size_t nbins = (size_t)(g->nb[0] * g->nb[1] * g->nb[2]), n = f->natoms;
    g->first = calloc(nbins + 1, sizeof *g->first);
    g->atom = malloc((n ? n : 1) * sizeof *g->atom);
    g->s = malloc((n ? n : 1) * 3 * sizeof *g->s);
    g->wrap = malloc((n ? n : 1) * 3 * sizeof *g->wrap);
    if (!g->first || !g->atom || !g->s || !g->wrap)
        st = mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory for %zu atoms", n);
    if (st == MDX_OK)
        st = fractional(g, err);
    if (st != MDX_OK) {
        mdx_grid_free(g);
        return st;
    }
    /* counting sort of the atoms by bin */
    for (size_t i = 0; i < n; i++)
        g->first[bin_of(g, &g->s[3 * i]) + 1]++;
    for (size_t b = 0; b < nbins; b++)
        g->first[b + 1] += g->first[b];
    size_t *fill = malloc((nbins ? nbins : 1) * sizeof *fill);
    if (!fill) {
        mdx_grid_free(g);
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    }
    memcpy(fill, g->first, nbins * sizeof *fill);
    for (size_t i = 0; i < n; i++)
        g->atom[fill[bin_of(g, &g->s[3 * i])]++] = i;
    free(fill);
    *out = g;
    return MDX_OK;
}

void mdx_grid_free(mdx_grid *g)
{
    if (!g)
        return;
    free(g->first);
    free(g->atom);
    free(g->s);
    free(g->wrap);
    free(g);
}

void mdx_cluster_free(mdx_cluster *c)
{
    if (!c)
        return;
    free(c->atoms);
    memset(c, 0, sizeof *c);
}

static int nearest_first(const void *pa, const void *pb)
{
    const mdx_cluster_atom *a = pa, *b = pb;
    if (a->r != b->r)
        return a->r < b->r ? -1 : 1;
    if (a->atom != b->atom)
        return a->atom < b->atom ? -1 : 1;
    for (int k = 0; k < 3; k++)
        if (a->image[k] != b->image[k])
            return a->image[k] < b->image[k] ? -1 : 1;
    return 0;
}

/* Add atom j in image m to the cluster around atom i when within rc. */
static mdx_status consider(const mdx_grid *g, size_t i, size_t j, const long m[3],
                           double rc, mdx_cluster *c, mdx_error *err)
{
    if (j == i && m[0] == 0 && m[1] == 0 && m[2] == 0)
        return MDX_OK;
    const mdx_frame *f = g->f;
    const double (*h)[3] = f->cell.h;
    double d[3], r2 = 0;
    for (int a = 0; a < 3; a++) {
        d[a] = f->xyz[3 * j + a] - f->xyz[3 * i + a] + (double)m[0] * h[0][a]
               + (double)m[1] * h[1][a] + (double)m[2] * h[2][a];
        r2 += d[a] * d[a];
    }
    if (!(r2 <= rc * rc))
        return MDX_OK;
    if (c->n == c->cap) {
        mdx_cluster_atom *more = mdx_grow(c->atoms, &c->cap, c->n + 1, sizeof *more, 64);
        if (!more)
            return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
        c->atoms = more;
    }
    mdx_cluster_atom *x = &c->atoms[c->n++];
    x->atom = j;
    for (int a = 0; a < 3; a++) {
        x->image[a] = (int)m[a];
        x->xyz[a] = d[a];
    }
    x->r = sqrt(r2);
    return MDX_OK;
}

/* Two atoms of the cluster closer than dmin: an error naming them. Sorted
 * by distance, only neighbours in that order within dmin of each other's
 * radius need comparing. */
static mdx_status check_apart(const mdx_grid *g, const mdx_cluster *c, double dmin,
                              mdx_error *err)
{
    const mdx_frame *f = g->f;
    for (size_t p = 0; p < c->n; p++)
        for (size_t q = p + 1; q < c->n && c->atoms[q].r - c->atoms[p].r < dmin; q++) {
            const double *u = c->atoms[p].xyz, *v = c->atoms[q].xyz;
            double d = sqrt((u[0] - v[0]) * (u[0] - v[0]) + (u[1] - v[1]) * (u[1] - v[1])
                            + (u[2] - v[2]) * (u[2] - v[2]));
            if (d < dmin) {
                const mdx_cluster_atom *a = &c->atoms[p], *b = &c->atoms[q];
                return mdx_error_set(err, MDX_ERR_RANGE, f->file, f->line,
                                     "frame %ld: atoms %ld (image %d %d %d) and %ld (image"
                                     " %d %d %d) are %.4f Å apart, closer than %.4f Å"
                                     " (FEFF: \"two atoms very close together\")",
                                     f->index, f->id[a->atom], a->image[0], a->image[1],
                                     a->image[2], f->id[b->atom], b->image[0], b->image[1],
                                     b->image[2], d, dmin);
            }
        }
    return MDX_OK;
}

static long floor_div(long a, long b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

mdx_status mdx_cluster_build(const mdx_grid *g, size_t absorber, double cutoff,
                             double min_distance, mdx_cluster *c, mdx_error *err)
{
    const mdx_frame *f = g->f;
    if (absorber >= f->natoms)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "frame %ld has %zu atoms: no atom %zu",
                             f->index, f->natoms, absorber);
    if (!(cutoff > 0) || !isfinite(cutoff))
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "cutoff %g: not a positive radius",
                             cutoff);
    if (!(min_distance >= 0) || !isfinite(min_distance))
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0,
                             "smallest distance %g: not a distance", min_distance);
    const double *si = &g->s[3 * absorber];
    const int *wi = &g->wrap[3 * absorber];
    long lo[3], hi[3];
    for (int k = 0; k < 3; k++) {
        /* a hair wider than the sphere: rounding never loses an atom on its edge */
        double ext = cutoff / g->width[k] * (1 + 1e-9) + 1e-12;
        if (f->cell.pbc[k] && ext > 1000)
            return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "cutoff %g Å spans %.0f cells"
                                 " along %c: not a cluster", cutoff, ext, "abc"[k]);
        lo[k] = (long)floor((si[k] - ext) * (double)g->nb[k]);
        hi[k] = (long)floor((si[k] + ext) * (double)g->nb[k]);
        if (!f->cell.pbc[k]) {
            lo[k] = lo[k] < 0 ? 0 : lo[k] >= g->nb[k] ? g->nb[k] - 1 : lo[k];
            hi[k] = hi[k] < 0 ? 0 : hi[k] >= g->nb[k] ? g->nb[k] - 1 : hi[k];
        }
    }
    c->n = 0;
    mdx_cluster_atom *first = mdx_grow(c->atoms, &c->cap, 1, sizeof *first, 64);
    if (!first)
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    c->atoms = first;
    c->atoms[c->n++] = (mdx_cluster_atom){absorber, {0, 0, 0}, {0, 0, 0}, 0};
    long b[3];
    for (b[0] = lo[0]; b[0] <= hi[0]; b[0]++)
        for (b[1] = lo[1]; b[1] <= hi[1]; b[1]++)
            for (b[2] = lo[2]; b[2] <= hi[2]; b[2]++) {
                long cell[3], bin[3];
                for (int k = 0; k < 3; k++) {
                    cell[k] = floor_div(b[k], g->nb[k]);
                    bin[k] = b[k] - cell[k] * g->nb[k];
                }
                size_t at = ((size_t)bin[0] * (size_t)g->nb[1] + (size_t)bin[1])
                                * (size_t)g->nb[2] + (size_t)bin[2];
                for (size_t x = g->first[at]; x < g->first[at + 1]; x++) {
                    size_t j = g->atom[x];
                    const int *wj = &g->wrap[3 * j];
                    long m[3] = {cell[0] - wj[0] + wi[0], cell[1] - wj[1] + wi[1],
                                 cell[2] - wj[2] + wi[2]};
                    mdx_status st = consider(g, absorber, j, m, cutoff, c, err);
                    if (st != MDX_OK)
                        return st;
                }
            }
    qsort(c->atoms + 1, c->n - 1, sizeof *c->atoms, nearest_first);
    return min_distance > 0 ? check_apart(g, c, min_distance, err) : MDX_OK;
}
