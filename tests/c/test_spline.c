/* The not-a-knot spline: interpolates, and reproduces any cubic exactly
 * (the property that defines not-a-knot), inside and outside the knots. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>

#include <cmocka.h>

#include "testutil.h"

#include "util/spline.h"

static double cubic(double x) { return 1.5 - 2 * x + 0.75 * x * x - 0.125 * x * x * x; }

static double eval(const mdx_spline *s, double x)
{
    return mdx_spline_at(s, mdx_spline_piece(s, x, 0), 0, x);
}

static void fit(mdx_spline *s, size_t n, const double *x, double (*f)(double),
                double *y, double *c, double *scratch)
{
    const double *ys[] = {y};
    for (size_t i = 0; i < n; i++)
        y[i] = f(x[i]);
    mdx_spline_fit(s, n, 1, x, ys, c, scratch);
}

static void test_reproduces_cubic_on_uneven_knots(void **state)
{
    (void)state;
    double x[] = {0, 0.1, 0.3, 0.35, 0.9, 1.4, 2.0, 2.2, 3.1, 4.0};
    enum { N = sizeof x / sizeof x[0] };
    double y[N], c[4 * (N - 1)], scratch[6 * N];
    mdx_spline s;
    fit(&s, N, x, cubic, y, c, scratch);
    for (double t = -0.5; t <= 4.5; t += 0.013)
        assert_close(eval(&s, t), cubic(t), 1e-12);
}

static void test_four_points_give_the_one_cubic(void **state)
{
    (void)state;
    double x[] = {-1, 0.5, 1, 3};
    double y[4], c[12], scratch[24];
    mdx_spline s;
    fit(&s, 4, x, cubic, y, c, scratch);
    for (double t = -2; t <= 4; t += 0.1)
        assert_close(eval(&s, t), cubic(t), 1e-12);
}

static void test_interpolates_the_knots(void **state)
{
    (void)state;
    enum { N = 30 };
    double x[N], y[N], c[4 * (N - 1)], scratch[6 * N];
    mdx_spline s;
    for (int i = 0; i < N; i++)
        x[i] = i * 0.2 + 0.01 * (i % 3);
    fit(&s, N, x, sin, y, c, scratch);
    for (int i = 0; i < N; i++)
        assert_close(eval(&s, x[i]), y[i], 1e-14);
    /* and approximates a smooth function between them */
    for (double t = 0; t <= x[N - 1]; t += 0.05)
        assert_close(eval(&s, t), sin(t), 1e-4);
}

/* Splines fitted together equal splines fitted one by one. */
static void test_columns_fitted_together(void **state)
{
    (void)state;
    enum { N = 12 };
    double x[N], y0[N], y1[N], c2[8 * (N - 1)], c0[4 * (N - 1)],
        c1[4 * (N - 1)], scratch[6 * N];
    mdx_spline both, s0, s1;
    for (int i = 0; i < N; i++)
        x[i] = i + 0.3 * (i % 2);
    fit(&s0, N, x, sin, y0, c0, scratch);
    fit(&s1, N, x, cos, y1, c1, scratch);
    const double *ys[] = {y0, y1};
    mdx_spline_fit(&both, N, 2, x, ys, c2, scratch);
    for (double t = -1; t < N + 1; t += 0.07) {
        size_t i = mdx_spline_piece(&both, t, 0);
        assert_true(mdx_spline_at(&both, i, 0, t) == mdx_spline_at(&s0, i, 0, t));
        assert_true(mdx_spline_at(&both, i, 1, t) == mdx_spline_at(&s1, i, 0, t));
    }
}

static void test_piece_search_from_any_hint(void **state)
{
    (void)state;
    double x[] = {0, 1, 2, 3, 4, 5}, y[6], c[20], scratch[36];
    mdx_spline s;
    fit(&s, 6, x, cubic, y, c, scratch);
    assert_int_equal(mdx_spline_piece(&s, 2.5, 0), 2);
    assert_int_equal(mdx_spline_piece(&s, 2.5, 4), 2);
    assert_int_equal(mdx_spline_piece(&s, -1, 3), 0);
    assert_int_equal(mdx_spline_piece(&s, 9, 0), 4);
    assert_int_equal(mdx_spline_piece(&s, 5, 0), 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reproduces_cubic_on_uneven_knots),
        cmocka_unit_test(test_four_points_give_the_one_cubic),
        cmocka_unit_test(test_interpolates_the_knots),
        cmocka_unit_test(test_columns_fitted_together),
        cmocka_unit_test(test_piece_search_from_any_hint),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
