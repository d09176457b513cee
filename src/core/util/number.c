/* Decimal to double: Clinger's exact fast path, strtod for the rest.
 *
 * A FEFF table holds ~400 numbers like "1.4900E+01" per path, and strtod
 * dominates a path's parse time. When the decimal mantissa m is at most
 * 2^53 it is exactly representable, and so is 10^e for |e| <= 22; one IEEE
 * multiplication or division of two exact values is correctly rounded, so
 * m * 10^e is the double strtod would return. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "number.h"

static const double pow10_exact[] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

double mdx_scale10(double m, int e)
{
    if (e >= -22 && e <= 22)
        return e < 0 ? m / pow10_exact[-e] : m * pow10_exact[e];
    return m * pow(10.0, e);
}

static int is_digit(char c) { return (unsigned char)(c - '0') < 10; }

char *mdx_format_shortest(double v, char *buf)
{
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, 32, "%.*g", digits, v);
        if (digits == 17 || strtod(buf, NULL) == v)
            break;
    }
    return buf;
}

int mdx_parse_double(const char *s, const char **end, double *out)
{
    int exp10;
    return mdx_parse_decimal(s, end, out, &exp10);
}

int mdx_parse_decimal(const char *s, const char **end, double *out,
                      int *exp10_out)
{
    const char *p = s, *digits;
    uint64_t m = 0;   /* all mantissa digits; wraps harmlessly past 19 */
    int ndigits, neg = 0;
    long exp10 = 0;

    if (*p == '+' || *p == '-')
        neg = (*p++ == '-');
    for (digits = p; is_digit(*p); p++)
        m = m * 10 + (uint64_t)(*p - '0');
    ndigits = (int)(p - digits);
    if (*p == '.') {
        for (digits = ++p; is_digit(*p); p++)
            m = m * 10 + (uint64_t)(*p - '0');
        ndigits += (int)(p - digits);
        exp10 = -(p - digits);
    }
    if (ndigits == 0)
        return 0;
    if (*p == 'e' || *p == 'E') {
        const char *q = p + 1;
        int eneg = 0;
        long e = 0;
        if (*q == '+' || *q == '-')
            eneg = (*q++ == '-');
        if (!is_digit(*q))
            return 0;
        for (; is_digit(*q); q++)
            if (e < 100000)
                e = e * 10 + (*q - '0');
        exp10 += eneg ? -e : e;
        p = q;
    }

    double v;
    if (ndigits <= 19 && m <= (UINT64_C(1) << 53) && exp10 >= -22 &&
        exp10 <= 22) {  /* finite by construction */
        v = mdx_scale10((double)m, exp10);
        if (neg)
            v = -v;
    } else {
        char *send;
        v = strtod(s, &send);
        if (send != p || !isfinite(v))
            return 0;
    }
    *out = v;
    *end = p;
    *exp10_out = exp10 < -100000 ? -100000 : exp10 > 100000 ? 100000
                                                            : (int)exp10;
    return 1;
}
