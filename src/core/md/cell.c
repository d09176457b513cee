/* Simulation cells: inverse, widths, comparison and the check that a cell
 * is one. */
#include <math.h>

#include "md_private.h"

double mdx_cell_invert(const mdx_cell *cell, double inv[3][3])
{
    const double (*h)[3] = cell->h;
    double det = h[0][0] * (h[1][1] * h[2][2] - h[1][2] * h[2][1])
               - h[0][1] * (h[1][0] * h[2][2] - h[1][2] * h[2][0])
               + h[0][2] * (h[1][0] * h[2][1] - h[1][1] * h[2][0]);
    inv[0][0] = (h[1][1] * h[2][2] - h[1][2] * h[2][1]) / det;
    inv[0][1] = (h[0][2] * h[2][1] - h[0][1] * h[2][2]) / det;
    inv[0][2] = (h[0][1] * h[1][2] - h[0][2] * h[1][1]) / det;
    inv[1][0] = (h[1][2] * h[2][0] - h[1][0] * h[2][2]) / det;
    inv[1][1] = (h[0][0] * h[2][2] - h[0][2] * h[2][0]) / det;
    inv[1][2] = (h[0][2] * h[1][0] - h[0][0] * h[1][2]) / det;
    inv[2][0] = (h[1][0] * h[2][1] - h[1][1] * h[2][0]) / det;
    inv[2][1] = (h[0][1] * h[2][0] - h[0][0] * h[2][1]) / det;
    inv[2][2] = (h[0][0] * h[1][1] - h[0][1] * h[1][0]) / det;
    return det;
}

/* |u x v| */
static double cross_norm(const double u[3], const double v[3])
{
    double c0 = u[1] * v[2] - u[2] * v[1];
    double c1 = u[2] * v[0] - u[0] * v[2];
    double c2 = u[0] * v[1] - u[1] * v[0];
    return sqrt(c0 * c0 + c1 * c1 + c2 * c2);
}

void mdx_cell_widths(const mdx_cell *cell, double width[3])
{
    double inv[3][3];
    double vol = fabs(mdx_cell_invert(cell, inv));
    const double (*h)[3] = cell->h;
    width[0] = vol / cross_norm(h[1], h[2]);
    width[1] = vol / cross_norm(h[2], h[0]);
    width[2] = vol / cross_norm(h[0], h[1]);
}

int mdx_cell_same(const mdx_cell *a, const mdx_cell *b, double tol)
{
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            if (!(fabs(a->h[i][j] - b->h[i][j]) <= tol))
                return 0;
    return 1;
}

mdx_status mdx_cell_check(const mdx_cell *cell, const char *what, mdx_error *err)
{
    static const char axis[] = "abc";
    double len[3];
    for (int i = 0; i < 3; i++) {
        const double *v = cell->h[i];
        if (!isfinite(v[0]) || !isfinite(v[1]) || !isfinite(v[2]))
            return mdx_error_set(err, MDX_ERR_ARG, NULL, 0,
                                 "%s: lattice vector %c is not finite", what, axis[i]);
        len[i] = sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        if (!isfinite(len[i]) || len[i] > 1e9)
            return mdx_error_set(err, MDX_ERR_ARG, NULL, 0,
                                 "%s: lattice vector %c is longer than 1e9 Å", what, axis[i]);
        if (!(len[i] > 0))
            return mdx_error_set(err, MDX_ERR_ARG, NULL, 0,
                                 "%s: lattice vector %c is zero", what, axis[i]);
    }
    double inv[3][3];
    double det = mdx_cell_invert(cell, inv);
    if (!(fabs(det) > 1e-9 * len[0] * len[1] * len[2]))
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0,
                             "%s: the lattice vectors lie in a plane (volume %g Å^3):"
                             " the cell does not invert", what, det);
    return MDX_OK;
}
