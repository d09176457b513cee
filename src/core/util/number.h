/* mdexafs number parsing: exact and fast for the short decimals FEFF writes. */
#ifndef MDEXAFS_NUMBER_H
#define MDEXAFS_NUMBER_H

/* Parse one decimal floating-point number at `s`: optional sign, digits with
 * an optional '.', optional exponent (e or E, optional sign, digits).
 * On success stores the correctly rounded double (the same value strtod
 * gives), sets *end past the number and returns 1. Returns 0, leaving *out
 * untouched, when `s` does not start with such a number or its value is not
 * finite ("nan", "inf" and overflow are refused). Leading blanks are not
 * skipped. Short mantissas (at most 2^53, power of ten within 1e±22) take
 * an exact integer path; anything else goes through strtod. */
int mdx_parse_double(const char *s, const char **end, double *out);

/* As mdx_parse_double, and also store in *exp10 the power of ten of the
 * number's last written digit: -3 for "1.4900E+01", 0 for "7". */
int mdx_parse_decimal(const char *s, const char **end, double *out,
                      int *exp10);

/* m * 10^e: for |e| <= 22, where 10^|e| is exact, one correctly rounded
 * product or quotient (so m * 10^e of an exact m and e is exactly the
 * nearest double); beyond, through pow. */
double mdx_scale10(double m, int e);

/* Write v into buf (at least 32 bytes) with the fewest significant digits
 * (15 to 17) that read back as exactly v; returns buf. */
char *mdx_format_shortest(double v, char *buf);

#endif
