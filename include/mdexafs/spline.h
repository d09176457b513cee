/* mdexafs interpolating cubic spline with not-a-knot end conditions. */
#ifndef MDEXAFS_SPLINE_H
#define MDEXAFS_SPLINE_H

#include <stddef.h>

/* A cubic spline through n points (x[i], y[i]). Piece i covers
 * [x[i], x[i+1]] and is c[4i] + t*(c[4i+1] + t*(c[4i+2] + t*c[4i+3]))
 * with t = x - x[i]; outside [x[0], x[n-1]] the end pieces extrapolate.
 * This is the spline scipy's UnivariateSpline(s=0) and CubicSpline with
 * bc_type='not-a-knot' give. */
typedef struct mdx_spline {
    size_t n;          /* number of points, at least 4 */
    const double *x;   /* strictly increasing abscissae, borrowed */
    double *c;         /* 4*(n-1) coefficients, borrowed */
} mdx_spline;

/* Fit the spline through (x, y). `c` must hold 4*(n-1) doubles and
 * `scratch` 3*n doubles; both stay the caller's, x is borrowed by *s.
 * Requires n >= 4 and x strictly increasing (the parser guarantees both). */
void mdx_spline_fit(mdx_spline *s, size_t n, const double *x, const double *y,
                    double *c, double *scratch);

/* The piece that holds xv, searching outward from `hint` (any valid piece
 * index; pass the last result when xv moves monotonically). */
size_t mdx_spline_piece(const mdx_spline *s, double xv, size_t hint);

/* The spline's value at xv on piece i (from mdx_spline_piece). */
static inline double mdx_spline_at(const mdx_spline *s, size_t i, double xv)
{
    const double *c = s->c + 4 * i;
    double t = xv - s->x[i];
    return c[0] + t * (c[1] + t * (c[2] + t * c[3]));
}

#endif
