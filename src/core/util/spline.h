/* mdexafs interpolation: cubic splines with not-a-knot end conditions,
 * and numpy's linear interp. */
#ifndef MDEXAFS_SPLINE_H
#define MDEXAFS_SPLINE_H

#include <stddef.h>

/* m cubic splines through the points (x[i], y[j][i]), i < n, sharing the
 * abscissae. Piece i of spline j covers [x[i], x[i+1]] and is
 *   a + t*(b + t*(c + t*d)),  t = x - x[i],  {a,b,c,d} = c[4*(m*i + j) ...]
 * so that all splines' coefficients for one piece sit together. Outside
 * [x[0], x[n-1]] the end pieces extrapolate. This is the spline scipy's
 * UnivariateSpline(s=0) and CubicSpline(bc_type='not-a-knot') give. */
typedef struct mdx_spline {
    size_t n;          /* number of points, at least 4 */
    size_t m;          /* number of splines */
    const double *x;   /* strictly increasing abscissae, borrowed */
    double *c;         /* 4*m*(n-1) coefficients, borrowed */
} mdx_spline;

/* Fit the m splines through (x, y[j]). `c` must hold 4*m*(n-1) doubles and
 * `scratch` 6*n; both stay the caller's, x is borrowed by *s.
 * Requires n >= 4 and x strictly increasing (the FEFF parser guarantees
 * both for a path's table). */
void mdx_spline_fit(mdx_spline *s, size_t n, size_t m, const double *x,
                    const double *const *y, double *c, double *scratch);

/* The piece that holds xv, searching outward from `hint` (any valid piece
 * index; pass the last result when xv moves monotonically). */
size_t mdx_spline_piece(const mdx_spline *s, double xv, size_t hint);

/* The value of spline j at xv on piece i (from mdx_spline_piece). */
static inline double mdx_spline_at(const mdx_spline *s, size_t i, size_t j,
                                   double xv)
{
    const double *c = s->c + 4 * (s->m * i + j);
    double t = xv - s->x[i];
    return c[0] + t * (c[1] + t * (c[2] + t * c[3]));
}

/* numpy's interp at x of the points (k[i], y[i]), i < n, k increasing:
 * linear, clamped to the end values outside k. */
double mdx_interp(double x, const double *k, const double *y, size_t n);

#endif
