/* Interpolating cubic spline with not-a-knot end conditions.
 *
 * We solve for the second derivatives M[i] at the knots. Continuity of the
 * first derivative at interior knots gives, for i = 1..n-2,
 *   h[i-1] M[i-1] + 2 (h[i-1] + h[i]) M[i] + h[i] M[i+1] = 6 (d[i] - d[i-1])
 * with h[i] = x[i+1] - x[i] and d[i] the slope of segment i. Not-a-knot
 * (the third derivative is continuous at x[1] and x[n-2]) expresses M[0] and
 * M[n-1] through their neighbours; substituting them into the first and last
 * equations leaves a tridiagonal system for M[1..n-2]. */
#include "mdexafs/spline.h"

void mdx_spline_fit(mdx_spline *s, size_t n, const double *x, const double *y,
                    double *c, double *scratch)
{
    double *sub = scratch, *diag = scratch + n, *rhs = scratch + 2 * n;
    double *M = rhs;  /* solved in place */
    size_t i, last = n - 2;

    s->n = n;
    s->x = x;
    s->c = c;
    for (i = 1; i <= last; i++) {
        double h0 = x[i] - x[i - 1], h1 = x[i + 1] - x[i];
        sub[i] = h0;
        diag[i] = 2 * (h0 + h1);
        rhs[i] = 6 * ((y[i + 1] - y[i]) / h1 - (y[i] - y[i - 1]) / h0);
    }
    /* The super-diagonal of row i is h[i]; rows 1 and n-2 change. */
    double h0 = x[1] - x[0], h1 = x[2] - x[1];
    double hm = x[n - 2] - x[n - 3], hl = x[n - 1] - x[n - 2];
    double super1 = (h1 * h1 - h0 * h0) / h1;
    diag[1] = (h0 + h1) * (h0 + 2 * h1) / h1;
    sub[last] = (hm * hm - hl * hl) / hm;
    diag[last] = (hm + hl) * (2 * hm + hl) / hm;

    /* Thomas algorithm: forward elimination, then back substitution. */
    for (i = 2; i <= last; i++) {
        double up = (i - 1 == 1) ? super1 : x[i] - x[i - 1];
        double f = sub[i] / diag[i - 1];
        diag[i] -= f * up;
        rhs[i] -= f * rhs[i - 1];
    }
    M[last] = rhs[last] / diag[last];
    for (i = last - 1; i >= 1; i--) {
        double up = (i == 1) ? super1 : x[i + 1] - x[i];
        M[i] = (rhs[i] - up * M[i + 1]) / diag[i];
    }
    M[0] = ((h0 + h1) * M[1] - h0 * M[2]) / h1;
    M[n - 1] = ((hm + hl) * M[n - 2] - hl * M[n - 3]) / hm;

    for (i = 0; i + 1 < n; i++) {
        double h = x[i + 1] - x[i];
        double *ci = c + 4 * i;
        ci[0] = y[i];
        ci[1] = (y[i + 1] - y[i]) / h - h * (2 * M[i] + M[i + 1]) / 6;
        ci[2] = M[i] / 2;
        ci[3] = (M[i + 1] - M[i]) / (6 * h);
    }
}

size_t mdx_spline_piece(const mdx_spline *s, double xv, size_t hint)
{
    size_t i = hint, last = s->n - 2;
    while (i < last && xv >= s->x[i + 1])
        i++;
    while (i > 0 && xv < s->x[i])
        i--;
    return i;
}
