/* Interpolating cubic splines with not-a-knot end conditions.
 *
 * We solve for the second derivatives M[i] at the knots. Continuity of the
 * first derivative at interior knots gives, for i = 1..n-2,
 *   h[i-1] M[i-1] + 2 (h[i-1] + h[i]) M[i] + h[i] M[i+1] = 6 (d[i] - d[i-1])
 * with h[i] = x[i+1] - x[i] and d[i] the slope of segment i. Not-a-knot
 * (the third derivative is continuous at x[1] and x[n-2]) expresses M[0] and
 * M[n-1] through their neighbours; substituting them into the first and last
 * equations leaves a tridiagonal system for M[1..n-2]. Its matrix depends
 * on x alone, so we eliminate once and solve for every y. */
#include "spline.h"

void mdx_spline_fit(mdx_spline *s, size_t n, size_t m, const double *x,
                    const double *const *y, double *c, double *scratch)
{
    /* 1/steps, super-diagonal, elimination factors, 1/pivots, slopes and
     * the solution M */
    double *ih = scratch, *up = ih + n, *factor = up + n, *ipivot = factor + n;
    double *d = ipivot + n, *M = d + n;
    const size_t last = n - 2;
    size_t i, j;

    s->n = n;
    s->m = m;
    s->x = x;
    s->c = c;
    for (i = 0; i + 1 < n; i++)
        ih[i] = 1 / (x[i + 1] - x[i]);
    const double h0 = x[1] - x[0], h1 = x[2] - x[1];
    const double hm = x[n - 2] - x[n - 3], hl = x[n - 1] - x[n - 2];

    /* Row i: sub-diagonal h[i-1], diagonal 2(h[i-1] + h[i]), super-diagonal
     * h[i]; the end conditions change rows 1 and `last`. */
    for (i = 1; i <= last; i++) {
        double hprev = x[i] - x[i - 1], h = x[i + 1] - x[i];
        double sub = i == last ? (hm * hm - hl * hl) / hm : hprev;
        double diag = i == 1    ? (h0 + h1) * (h0 + 2 * h1) / h1
                    : i == last ? (hm + hl) * (2 * hm + hl) / hm
                                : 2 * (hprev + h);
        up[i] = i == 1 ? (h1 * h1 - h0 * h0) / h1 : h;
        factor[i] = i == 1 ? 0 : sub * ipivot[i - 1];
        ipivot[i] = 1 / (diag - factor[i] * (i == 1 ? 0 : up[i - 1]));
    }

    for (j = 0; j < m; j++) {
        const double *yj = y[j];
        for (i = 0; i + 1 < n; i++)
            d[i] = (yj[i + 1] - yj[i]) * ih[i];
        M[1] = 6 * (d[1] - d[0]);
        for (i = 2; i <= last; i++)
            M[i] = 6 * (d[i] - d[i - 1]) - factor[i] * M[i - 1];
        M[last] *= ipivot[last];
        for (i = last - 1; i >= 1; i--)
            M[i] = (M[i] - up[i] * M[i + 1]) * ipivot[i];
        M[0] = ((h0 + h1) * M[1] - h0 * M[2]) / h1;
        M[n - 1] = ((hm + hl) * M[n - 2] - hl * M[n - 3]) / hm;

        for (i = 0; i + 1 < n; i++) {
            double *ci = c + 4 * (m * i + j);
            double h = x[i + 1] - x[i];
            ci[0] = yj[i];
            ci[1] = d[i] - h * (2 * M[i] + M[i + 1]) * (1.0 / 6);
            ci[2] = M[i] * 0.5;
            ci[3] = (M[i + 1] - M[i]) * ih[i] * (1.0 / 6);
        }
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

double mdx_interp(double x, const double *k, const double *y, size_t n)
{
    if (x <= k[0])
        return y[0];
    if (x >= k[n - 1])
        return y[n - 1];
    size_t lo = 0, hi = n - 1;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        *(k[mid] <= x ? &lo : &hi) = mid;
    }
    return (y[hi] - y[lo]) / (k[hi] - k[lo]) * (x - k[lo]) + y[lo];
}
