/* The other FEFF files of a folder that mdexafs reads: feff.inp (for the
 * absorber's position), chi.dat (FEFF's own total chi) and files.dat (the
 * path files FEFF wrote). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "feff_private.h"
#include "util/grow.h"
#include "mdexafs/feff.h"
#include "util/number.h"

/* Advance *p to the next line; returns the current one's start or NULL. */
static const char *next_line(const char **p, long *line)
{
    const char *start = *p;
    if (!*start)
        return NULL;
    const char *nl = strchr(start, '\n');
    *p = nl ? nl + 1 : start + strlen(start);
    ++*line;
    return start;
}

static const char *skip_blanks(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\r')
        p++;
    return p;
}

/* Parse up to n blank-separated numbers at p; returns how many. */
static int numbers(const char *p, double *v, int n)
{
    int i;
    for (i = 0; i < n; i++) {
        const char *end;
        p = skip_blanks(p);
        if (!mdx_parse_double(p, &end, &v[i]) ||
            !(*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n' ||
              *end == '\0'))
            break;
        p = end;
    }
    return i;
}

/* Is c a separator of words in a feff.inp line? FEFF's bwords splits at
 * blanks, commas and '='. */
static int feffinp_separator(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == ',' || c == '=';
}

/* Parse up to n numbers of a feff.inp line at p, as FEFF's Fortran reads
 * them (a D exponent too: 1.0D+00); returns how many. */
static int feffinp_numbers(const char *p, double *v, int n)
{
    int i;
    for (i = 0; i < n; i++) {
        char word[64];
        size_t len = 0;
        while (feffinp_separator(*p))
            p++;
        while (*p && *p != '\n' && !feffinp_separator(*p) &&
               len < sizeof word - 1) {
            word[len++] = (*p == 'D' || *p == 'd') ? 'E' : *p;
            p++;
        }
        word[len] = '\0';
        const char *end;
        if (len == 0 || !mdx_parse_double(word, &end, &v[i]) || *end)
            break;
    }
    return i;
}

/* A comment or blank line of a feff.inp, as FEFF's iscomm sees one (its
 * versions take '*', '%', '#' or ';' first). */
static int feffinp_comment(const char *ln)
{
    return *ln == '\n' || *ln == '\0' || strchr("*%#;", *ln) != NULL;
}

mdx_status mdx_feffinp_absorber(const char *text, const char *name,
                                double pos[3], mdx_error *err)
{
    const char *p = text, *ln;
    long line = 0;
    int in_atoms = 0;
    while ((ln = next_line(&p, &line)) != NULL) {
        ln = skip_blanks(ln);
        if (!in_atoms) {  /* FEFF knows a card by its first four letters */
            in_atoms = strncasecmp(ln, "ATOM", 4) == 0;
            continue;
        }
        if (feffinp_comment(ln))
            continue;
        double v[4];
        if (feffinp_numbers(ln, v, 4) < 4)
            break;     /* the next card: no absorber in the list */
        if (v[3] == 0) {
            memcpy(pos, v, 3 * sizeof *v);
            return MDX_OK;
        }
    }
    return mdx_error_set(err, MDX_ERR_FORMAT, name, line,
                         in_atoms ? "no atom with potential 0 in ATOMS"
                                  : "no ATOMS list");
}

mdx_status mdx_chidat_parse(const char *text, const char *name, double **kchi,
                            size_t *n, mdx_error *err)
{
    size_t rows = 0, cap = 0;
    double *pairs = NULL;  /* k, chi, k, chi, ... */
    const char *p = text, *ln;
    long line = 0;
    while ((ln = next_line(&p, &line)) != NULL) {
        ln = skip_blanks(ln);
        if (*ln == '#' || *ln == '\n' || *ln == '\0')
            continue;
        double *grown = mdx_grow(pairs, &cap, 2 * rows + 2, sizeof *pairs, 1024);
        if (!grown) {
            free(pairs);
            return mdx_error_set(err, MDX_ERR_NOMEM, name, line, "out of memory");
        }
        pairs = grown;
        if (numbers(ln, pairs + 2 * rows, 2) < 2) {
            free(pairs);
            return mdx_error_set(err, MDX_ERR_FORMAT, name, line,
                                 "expected k and chi numbers");
        }
        if (rows > 0 && !(pairs[2 * rows] > pairs[2 * rows - 2])) {
            double k = pairs[2 * rows], before = pairs[2 * rows - 2];
            free(pairs);
            return mdx_error_set(err, MDX_ERR_FORMAT, name, line,
                                 "k = %g does not increase (the row before "
                                 "has %g)", k, before);
        }
        rows++;
    }
    double *out = rows ? malloc(2 * rows * sizeof *out) : NULL;
    for (size_t i = 0; out && i < rows; i++) {
        out[i] = pairs[2 * i];
        out[rows + i] = pairs[2 * i + 1];
    }
    free(pairs);
    if (rows == 0)
        return mdx_error_set(err, MDX_ERR_FORMAT, name, line, "no data rows");
    if (!out)
        return mdx_error_set(err, MDX_ERR_NOMEM, name, line, "out of memory");
    *kchi = out;
    *n = rows;
    return MDX_OK;
}

int mdx_filesdat_next(const char **p, char *name, size_t size)
{
    long line = 0;
    for (const char *s; (s = next_line(p, &line)) != NULL;) {
        s = skip_blanks(s);
        size_t n = strcspn(s, " \t\r\n");
        if (n >= 9 && n < size && !strncmp(s, "feff", 4) &&
            !strncmp(s + n - 4, ".dat", 4)) {
            memcpy(name, s, n);
            name[n] = '\0';
            return 1;
        }
    }
    return 0;
}
