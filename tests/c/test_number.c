/* mdx_parse_double must give exactly what strtod gives, or refuse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/number.h"

static double parse_ok(const char *s)
{
    const char *end;
    double v = -12345;
    if (!mdx_parse_double(s, &end, &v))
        fail_msg("refused '%s'", s);
    assert_ptr_equal(end, s + strlen(s));
    return v;
}

static void assert_same_as_strtod(const char *s)
{
    double want = strtod(s, NULL), got = parse_ok(s);
    if (memcmp(&want, &got, sizeof want) != 0)
        fail_msg("'%s': got %.17g, strtod gives %.17g", s, got, want);
}

static void test_feff_style_numbers(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "0.000", "1.4900E+01", "-1.3170E+01", "7.594E-01", "4.8260E-05",
        "0.1037E+01", "-0.0000", "2.4332", "-8.95811", "20.000", "1e22",
        "1e-22", "123456789012345", "0.000000000000000000001", ".5", "5.",
        "+3.25", "1E0", "9.999999999999999E+22",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_same_as_strtod(cases[i]);
    assert_true(signbit(parse_ok("-0.0000")));
}

/* Long mantissas and large exponents leave the fast path. */
static void test_slow_path_numbers(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "1.2345678901234567890123", "0.1000000000000000055511151231257827",
        "1e23", "1e-300", "4.9406564584124654e-324", "1.7976931348623157e308",
        "12345678901234567", "9007199254740993",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_same_as_strtod(cases[i]);
}

/* A million random short decimals, the kind FEFF writes and more. */
static void test_random_decimals_match_strtod(void **state)
{
    (void)state;
    uint64_t x = 0x9e3779b97f4a7c15u;
    char buf[64];
    for (int i = 0; i < 1000000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        int digits = 1 + (int)(x % 17), point = (int)((x >> 8) % (digits + 1));
        int exp = (int)((x >> 16) % 61) - 30;
        char *p = buf;
        uint64_t y = x >> 24;
        if (x & 1)
            *p++ = '-';
        for (int d = 0; d < digits; d++) {
            if (d == point)
                *p++ = '.';
            *p++ = (char)('0' + (y % 10));
            y = y / 10 ? y / 10 : x;
        }
        if (x & 2)
            sprintf(p, "E%+03d", exp);
        else
            *p = '\0';
        assert_same_as_strtod(buf);
    }
}

static void test_refuses_non_numbers(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "", "abc", "-", ".", "+.", "nan", "NaN", "inf", "-Infinity", "1e",
        "1e+", "1e999", "-1e400", "0x1p3",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *end;
        double v = 42;
        int ok = mdx_parse_double(cases[i], &end, &v);
        /* "0x1p3" parses as the number 0 followed by junk: the caller
         * sees that the token does not end there. */
        if (ok && *end == '\0')
            fail_msg("accepted '%s'", cases[i]);
        if (!ok)
            assert_true(v == 42);
    }
}

static void test_stops_at_token_end(void **state)
{
    (void)state;
    const char *s = "  1.5E+00 2.25\n", *end;
    double v;
    assert_false(mdx_parse_double(s, &end, &v));  /* blanks not skipped */
    assert_true(mdx_parse_double(s + 2, &end, &v));
    assert_true(v == 1.5);
    assert_ptr_equal(end, s + 9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_feff_style_numbers),
        cmocka_unit_test(test_slow_path_numbers),
        cmocka_unit_test(test_random_decimals_match_strtod),
        cmocka_unit_test(test_refuses_non_numbers),
        cmocka_unit_test(test_stops_at_token_end),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
