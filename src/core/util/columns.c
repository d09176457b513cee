/* Reading column files: numbers row by row, and the labels of their
 * columns from XDI's Column.N lines or the last comment line. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "file.h"
#include "grow.h"
#include "mdexafs/output.h"
#include "number.h"

/* Is c between the words of a line: a blank or a comma? */
static int separator(char c)
{
    return c == ' ' || c == '\t' || c == ',';
}

/* The words of a comment line (after its '#'), between blanks or commas
 * ("# k chi", "# k, chi"), into labels when they are n: 1, else 0. */
static int label_line(const char *line, size_t len, size_t n,
                      char labels[][MDX_COLUMN_LABEL_MAX])
{
    char words[MDX_COLUMNS_MAX][MDX_COLUMN_LABEL_MAX];
    size_t count = 0, i = 1;  /* past '#' */
    while (i < len) {
        while (i < len && separator(line[i]))
            i++;
        size_t start = i;
        while (i < len && !separator(line[i]))
            i++;
        if (i == start)
            break;
        if (count == MDX_COLUMNS_MAX || i - start >= MDX_COLUMN_LABEL_MAX)
            return 0;
        memcpy(words[count], line + start, i - start);
        words[count++][i - start] = '\0';
    }
    if (count != n)
        return 0;
    memcpy(labels, words, n * sizeof words[0]);
    return 1;
}

/* XDI's "# Column.N: label": 1 and the label set, else 0. */
static int xdi_column(const char *line, size_t len,
                      char labels[][MDX_COLUMN_LABEL_MAX])
{
    char buf[256], label[MDX_COLUMN_LABEL_MAX];
    int col;
    if (len >= sizeof buf)
        return 0;
    memcpy(buf, line, len);
    buf[len] = '\0';
    if (sscanf(buf, "# Column.%d: %31s", &col, label) != 2 || col < 1 ||
        col > MDX_COLUMNS_MAX)
        return 0;
    snprintf(labels[col - 1], MDX_COLUMN_LABEL_MAX, "%s", label);
    return 1;
}

/* The numbers of one data line into row, and how many; *bad points at
 * the first word that is not a finite number, or at one past the
 * MDX_COLUMNS_MAX-th, else is NULL. */
static int numbers(const char *p, const char *end, double *row,
                   const char **bad)
{
    int n = 0;
    *bad = NULL;
    for (;;) {
        while (p < end && separator(*p))
            p++;
        if (p >= end)
            return n;
        const char *after;
        if (n == MDX_COLUMNS_MAX || !mdx_parse_double(p, &after, &row[n]) ||
            (after < end && !separator(*after))) {
            *bad = p;
            return n;
        }
        n++;
        p = after;
    }
}

/* Say what is wrong with the word at `bad`, after n good ones in a row: a
 * number that is not finite ("nan", "inf", "1e999"), no number, or one
 * column too many. */
static mdx_status bad_word(const char *bad, const char *end, int n,
                           const char *name, long lineno, mdx_error *err)
{
    if (n == MDX_COLUMNS_MAX)
        return mdx_error_set(err, MDX_ERR_FORMAT, name, lineno, "more than "
                             "%d columns", MDX_COLUMNS_MAX);
    char word[40];
    size_t len = 0;
    while (bad + len < end && !separator(bad[len]) && len + 1 < sizeof word)
        len++;
    memcpy(word, bad, len);
    word[len] = '\0';
    char *rest;
    double v = strtod(word, &rest);
    if (rest > word && !*rest && !isfinite(v))
        return mdx_error_set(err, MDX_ERR_FORMAT, name, lineno, "column %d "
                             "is '%s', not a finite number", n + 1, word);
    return mdx_error_set(err, MDX_ERR_FORMAT, name, lineno, "expected a row "
                         "of numbers: column %d is '%s'", n + 1, word);
}

mdx_status mdx_columns_parse(const char *text, const char *name,
                             mdx_columns *c, mdx_error *err)
{
    char comment_labels[MDX_COLUMNS_MAX][MDX_COLUMN_LABEL_MAX];
    const char *last_comment = NULL;
    size_t last_len = 0, cap = 0, lines_cap = 0;
    int xdi = 0;
    long lineno = 0;
    memset(c, 0, sizeof *c);
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n'), *end = nl ? nl : p + strlen(p);
        const char *line = p;
        size_t len = (size_t)(end - p);
        if (len && line[len - 1] == '\r')
            len--;
        p = nl ? nl + 1 : end;
        lineno++;
        size_t skip = strspn(line, " \t");
        if (skip >= len)
            continue;
        if (line[skip] == '#') {
            if (c->nrows == 0) {
                xdi |= xdi_column(line + skip, len - skip, c->labels);
                last_comment = line + skip;
                last_len = len - skip;
            }
            continue;
        }
        double row[MDX_COLUMNS_MAX];
        const char *bad;
        int n = numbers(line + skip, line + len, row, &bad);
        if (bad || (c->nrows && (size_t)n != c->ncols)) {
            mdx_status st =
                bad ? bad_word(bad, line + len, n, name, lineno, err)
                    : mdx_error_set(err, MDX_ERR_FORMAT, name, lineno, "%d "
                                    "numbers where the rows before have %zu",
                                    n, c->ncols);
            mdx_columns_free(c);
            return st;
        }
        c->ncols = (size_t)n;
        double *v = mdx_grow(c->v, &cap, (c->nrows + 1) * c->ncols,
                             sizeof *v, 1024);
        if (!v) {
            mdx_columns_free(c);
            return mdx_error_set(err, MDX_ERR_NOMEM, name, lineno,
                                 "out of memory");
        }
        c->v = v;
        long *lines = mdx_grow(c->lines, &lines_cap, c->nrows + 1,
                               sizeof *lines, 256);
        if (!lines) {
            mdx_columns_free(c);
            return mdx_error_set(err, MDX_ERR_NOMEM, name, lineno,
                                 "out of memory");
        }
        c->lines = lines;
        lines[c->nrows] = lineno;
        memcpy(v + c->nrows * c->ncols, row, c->ncols * sizeof *row);
        c->nrows++;
    }
    if (c->nrows == 0)
        return mdx_error_set(err, MDX_ERR_FORMAT, name, lineno,
                             "no rows of numbers");
    if (!xdi && last_comment &&
        label_line(last_comment, last_len, c->ncols, comment_labels))
        memcpy(c->labels, comment_labels, c->ncols * sizeof comment_labels[0]);
    return MDX_OK;
}

int mdx_columns_sniff(const char *file, char *buf, size_t size)
{
    enum { HEAD = 65536 };
    char *text = malloc(HEAD + 1);
    FILE *fp = text ? fopen(file, "rb") : NULL;
    size_t n = fp ? fread(text, 1, HEAD, fp) : 0;
    if (fp)
        fclose(fp);
    if (n == HEAD)  /* whole lines only */
        while (n > 0 && text[n - 1] != '\n')
            n--;
    mdx_columns c;
    int is = n > 0 && !memchr(text, '\0', n);
    if (is) {
        text[n] = '\0';
        is = mdx_columns_parse(text, file, &c, NULL) == MDX_OK;
    }
    free(text);
    if (!is)
        return 0;
    int len = snprintf(buf, size, "%zu column%s", c.ncols,
                       c.ncols == 1 ? "" : "s");
    for (size_t i = 0; i < c.ncols && c.labels[i][0] && len >= 0 &&
                       (size_t)len < size; i++)
        len += snprintf(buf + len, size - (size_t)len, "%s%s", i ? " " : ": ",
                        c.labels[i]);
    mdx_columns_free(&c);
    return 1;
}

int mdx_columns_find(const mdx_columns *c, const char *label)
{
    for (size_t i = 0; i < c->ncols; i++)
        if (!strcasecmp(c->labels[i], label))
            return (int)i;
    return -1;
}

/* The power written after a 'k' at p: an optional '^', then a number
 * ("2", "2.5", "-1"), or nothing, which is 1 when `bare` allows it. *end
 * goes past it; NAN when no power is there where one must be. */
static double power(const char *p, const char **end, int bare)
{
    int caret = *p == '^';
    const char *q = p + caret + (p[caret] == '-' || p[caret] == '+');
    size_t digits = strspn(q, "0123456789.");
    *end = p;
    if (digits == 0)
        return caret || q != p || !bare ? NAN : 1;
    char *rest;
    double w = strtod(p + caret, &rest);
    *end = rest;
    return rest == q + digits ? w : NAN;
}

int mdx_columns_chi(const char *label, double *kweight)
{
    char low[MDX_COLUMN_LABEL_MAX];
    size_t n = 0;
    for (; label[n] && n + 1 < sizeof low; n++)
        low[n] = (char)tolower((unsigned char)label[n]);
    low[n] = '\0';
    const char *p = low, *end = "";
    double w = NAN;
    if (*p == 'k') {                             /* k^w [*] chi [(k)] */
        w = power(p + 1, &end, 1);
        end += *end == '*';
        if (strncmp(end, "chi", 3))
            return 0;
        end += strcmp(end + 3, "(k)") ? 3 : 6;
    } else if (!strncmp(p, "chi", 3)) {
        p += 3;
        if (!*p || !strcmp(p, "(k)") || !strcmp(p, "_k"))
            w = 0;                               /* chi as a function of k */
        else if (*p == 'k')                      /* chik, chik2: Athena's */
            w = power(p + 1, &end, 1);
        else if (!strncmp(p, "*k", 2) || !strncmp(p, "(k)*k", 5))
            w = power(p + (*p == '*' ? 2 : 5), &end, 1);
        else if (!strncmp(p, "_k", 2))           /* chi_k2 */
            w = power(p + 2, &end, 0);
    }
    if (isnan(w) || *end)
        return 0;
    *kweight = w;
    return 1;
}

void mdx_columns_free(mdx_columns *c)
{
    free(c->v);
    free(c->lines);
    c->v = NULL;
    c->lines = NULL;
    c->nrows = c->ncols = 0;
}

mdx_status mdx_columns_read(const char *file, mdx_columns *c, mdx_error *err)
{
    char *text;
    size_t len;
    memset(c, 0, sizeof *c);
    mdx_status rc = mdx_read_file(file, &text, &len, err);
    if (rc)
        return rc;
    const char *nul = memchr(text, '\0', len);
    if (nul) {
        long line = 1;
        for (const char *p = text; p < nul; p++)
            line += *p == '\n';
        rc = mdx_error_set(err, MDX_ERR_FORMAT, file, line, "a NUL byte: not "
                           "a text file");
    } else {
        rc = mdx_columns_parse(text, file, c, err);
    }
    free(text);
    return rc;
}
