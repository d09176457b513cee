/* Reading FEFF path files (feffNNNN.dat) by their structure.
 *
 * A path file is a header (a title line that ends in the FEFF version,
 * then the potentials), a line of dashes, the line "nleg, deg, reff,
 * rnrmav(bohr), edge", a column-title line, one line per atom of the path,
 * the table's title line ("k real[2*phc] ... real[p]@#") and seven numbers
 * per k row. We read it as xraylarch's feffdat.py does: by these pieces,
 * not by line numbers or a version string, so that every FEFF from 6.01a to
 * 10 and larch's own feff8l is read; lines may start with '#'.
 *
 * FEFF leaves unset Fortran strings as NUL bytes: in the header text and in
 * an atom's label (polarization runs of 8.5L, Demeter's FEFF 6 on Windows).
 * There a NUL reads as a blank; in any number, the nleg line, a title line
 * or the table it is binary data, and the file is refused. Anything else
 * that is not a path file is refused with the file and line. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "feff_private.h"
#include "mdexafs/feff.h"
#include "util/file.h"
#include "util/number.h"


/* A cursor over NUL-terminated text, one line at a time. */
typedef struct reader {
    const char *name;
    mdx_error *err;
    const char *next;  /* start of the next line */
    const char *end;
    const char *ln;    /* current line, not NUL-terminated */
    size_t len;        /* its length without "\n" or "\r\n" */
    long line;         /* its 1-based number */
    int text;          /* NUL bytes are blanks on this line (header, atoms) */
    int binary;        /* stopped at a NUL byte where none may be */
} reader;

/* Move to the next line, without the '#' some tools put before header
 * lines (as feffdat.py strips it). Returns 0 at the end of the text, and
 * also, with r->binary set, at a line with a NUL byte unless r->text. */
static int next_line(reader *r)
{
    if (r->next >= r->end)
        return 0;
    const char *nl = memchr(r->next, '\n', (size_t)(r->end - r->next));
    const char *stop = nl ? nl : r->end;
    r->ln = r->next;
    r->len = (size_t)(stop - r->next);
    if (r->len && r->ln[r->len - 1] == '\r')
        r->len--;
    r->next = nl ? nl + 1 : r->end;
    r->line++;
    if (!r->text && memchr(r->ln, '\0', r->len)) {
        r->binary = 1;
        return 0;
    }
    if (r->len && r->ln[0] == '#') {
        r->ln++;
        r->len--;
    }
    return 1;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static const char *skip_blanks(const char *p)
{
    while (is_blank(*p))
        p++;
    return p;
}

static int at_line_end(const char *p)
{
    return *p == '\n' || *p == '\r' || *p == '\0';
}

/* Does the current line contain `word`? */
static int line_has(const reader *r, const char *word)
{
    size_t n = strlen(word);
    for (size_t i = 0; i + n <= r->len; i++)
        if (memcmp(r->ln + i, word, n) == 0)
            return 1;
    return 0;
}

/* Report a format error at the current line. */
static mdx_status bad(const reader *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static mdx_status bad(const reader *r, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return mdx_error_set(r->err, MDX_ERR_FORMAT, r->name, r->line, "%s", msg);
}

static mdx_status binary(const reader *r)
{
    return bad(r, "binary data (a NUL byte): not a FEFF path file");
}

/* Copy the whitespace-delimited word at p (at most `size`-1 bytes) into buf;
 * return the position after it. */
static const char *copy_word(const char *p, char *buf, size_t size)
{
    size_t n = 0;
    for (; *p && !isspace((unsigned char)*p); p++)
        if (n + 1 < size)
            buf[n++] = *p;
    buf[n] = '\0';
    return p;
}

/* Parse one number field at *p followed by a blank or the line's end;
 * *exp10 receives the power of ten of its last digit. */
static mdx_status decimal_field(const reader *r, const char **p, double *v,
                                int *exp10)
{
    const char *q = skip_blanks(*p), *e, *end = r->ln + r->len;
    int ok = mdx_parse_decimal(q, &e, v, exp10);
    if ((q < end && *q == '\0') || (ok && e < end && *e == '\0'))
        return binary(r);
    if (!ok || !(e >= end || is_blank(*e))) {
        char word[32];
        copy_word(q, word, sizeof word);
        if (!word[0])
            return bad(r, "line ends where a number was expected");
        return bad(r, "'%s' is not a finite number", word);
    }
    *p = e;
    return MDX_OK;
}

/* The text ended where `fmt` was expected, or stopped at binary data. */
static mdx_status ended(const reader *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static mdx_status ended(const reader *r, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    if (r->binary)
        return binary(r);
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return bad(r, "%s", msg);
}

static mdx_status number_field(const reader *r, const char **p, double *v)
{
    int exp10;
    return decimal_field(r, p, v, &exp10);
}

/* Parse one integer field, which must be a number with no fraction. */
static mdx_status int_field(const reader *r, const char **p, int lo, int hi,
                            const char *what, int *out)
{
    double v;
    mdx_status st = number_field(r, p, &v);
    if (st)
        return st;
    if (!(v >= lo && v <= hi) || v != floor(v))  /* range first: no UB cast */
        return bad(r, "%s %g is not a whole number in %d..%d", what, v, lo, hi);
    *out = (int)v;
    return MDX_OK;
}

/* Is [w, end) the word "feff" (any case) or "feff" and a digit? */
static int feff_word(const char *w, const char *end)
{
    return end - w >= 4 && strncasecmp(w, "feff", 4) == 0 &&
           (end - w == 4 || isdigit((unsigned char)w[4]));
}

/* Copy a header line into buf (at most size - 1 bytes), NUL bytes as
 * blanks, so that the searches below stay within it. */
static void header_text(const reader *r, char *buf, size_t size)
{
    size_t n = r->len < size ? r->len : size - 1;
    for (size_t i = 0; i < n; i++)
        buf[i] = r->ln[i] ? r->ln[i] : ' ';
    buf[n] = '\0';
}

/* The version text of the title line: its last "feff" word up to the
 * first word after it that starts with a digit, or such a word alone if it
 * has a digit. "Feff 6L.02  potph 4.12" gives "Feff 6L.02"; "Feff8L
 * (EXAFS)       0.1" and "Feff XX 6.10" are kept whole. Kept to
 * MDX_VERSION_MAX - 1 bytes: it is shown, never computed with. */
static void read_title(const char *line, mdx_path *path)
{
    const char *from = NULL, *to = NULL;
    const char *open = NULL;  /* a feff word still without its number */
    for (const char *w = skip_blanks(line), *stop; *w; w = skip_blanks(stop)) {
        for (stop = w; *stop && !is_blank(*stop); stop++)
            ;
        if (feff_word(w, stop)) {
            open = w;
            if (stop - w > 4) {
                from = w;
                to = stop;
            }
        } else if (open && isdigit((unsigned char)*w)) {
            from = open;
            to = stop;
            open = NULL;
        }
    }
    if (!from)
        return;
    size_t n = (size_t)(to - from);
    if (n >= sizeof path->version)
        n = sizeof path->version - 1;
    memcpy(path->version, from, n);
    path->version[n] = '\0';
}

/* Header lines after the title: the absorber and its edge, the path
 * index. */
static void read_header_line(const char *line, mdx_path *path)
{
    const char *p = skip_blanks(line);
    if (strncmp(p, "Abs", 3) == 0 && !path->abs_iz) {
        const char *z = strstr(p, "Z=");
        const char *shell = strstr(p, " shell");
        if (z)
            path->abs_iz = atoi(z + 2);
        if (shell) {  /* the word before " shell" is the edge: "L3", "LIII" */
            const char *w = shell;
            while (w > p && w[-1] != ' ')
                w--;
            size_t n = (size_t)(shell - w);
            if (n < sizeof path->edge_label) {
                memcpy(path->edge_label, w, n);
                path->edge_label[n] = '\0';
            }
        }
    }
    if (strncmp(p, "Path", 4) == 0 && isspace((unsigned char)p[4]))
        path->index = atoi(p + 4);
}

/* The line of dashes that ends the header: "----" in its columns 3 to 10
 * once blanks are stripped, as feffdat.py looks for it. */
static int dashes(const reader *r)
{
    const char *p = skip_blanks(r->ln);
    size_t n = r->len - (size_t)(p - r->ln);
    for (size_t i = 2; i + 4 <= n && i + 4 <= 10; i++)
        if (memcmp(p + i, "----", 4) == 0)
            return 1;
    return 0;
}

/* "   2   1.000   2.4332    2.5581   -0.95046 nleg, deg, reff, ..." */
static mdx_status read_nleg_line(const reader *r, mdx_path *path)
{
    const char *p = r->ln;
    mdx_status st;
    if (memchr(r->ln, '\0', r->len))  /* found among the header lines */
        return binary(r);
    if ((st = int_field(r, &p, 2, MDX_NLEG_MAX, "nleg", &path->nleg)) ||
        (st = number_field(r, &p, &path->deg)) ||
        (st = number_field(r, &p, &path->reff)) ||
        (st = number_field(r, &p, &path->rnrmav)) ||
        (st = number_field(r, &p, &path->edge)))
        return st;
    if (path->deg < 0 || path->reff < 0)
        return bad(r, "negative degeneracy or reff");
    return MDX_OK;
}

static int blank_or_nul(char c)
{
    return is_blank(c) || c == '\0';
}

/* The label after an atom's Z: FEFF's a6 field, NUL bytes where it was
 * never set, then "   absorbing atom" on the absorber's line. A blank
 * field gives the element symbol. */
static mdx_status read_label(const reader *r, const char *p, mdx_leg *leg)
{
    const char *end = r->ln + r->len;
    while (p < end && blank_or_nul(*p))
        p++;
    const char *w = p;
    while (p < end && !blank_or_nul(*p))
        p++;
    size_t n = (size_t)(p - w);
    if (n == 0 || (n == 9 && memcmp(w, "absorbing", 9) == 0)) {
        snprintf(leg->label, sizeof leg->label, "%s",
                 mdx_element_symbol(leg->iz));
        return MDX_OK;
    }
    if (n >= sizeof leg->label)
        return bad(r, "atom label '%.*s' is longer than %d characters",
                   (int)n, w, (int)sizeof leg->label - 1);
    for (size_t i = 0; i < n; i++)  /* it names path types: no hidden bytes */
        if ((unsigned char)w[i] < ' ' || w[i] == 0x7f)
            return bad(r, "atom label has a control character (byte 0x%02x)",
                       (unsigned char)w[i]);
    memcpy(leg->label, w, n);
    leg->label[n] = '\0';
    return MDX_OK;
}

/* "    -1.4319    1.5495   -1.2121  2   8 O     " (the label is optional) */
static mdx_status read_leg(const reader *r, mdx_leg *leg)
{
    const char *p = r->ln;
    mdx_status st;
    if ((st = number_field(r, &p, &leg->x)) ||
        (st = number_field(r, &p, &leg->y)) ||
        (st = number_field(r, &p, &leg->z)) ||
        (st = int_field(r, &p, 0, 99, "potential index", &leg->ipot)) ||
        (st = int_field(r, &p, 1, 118, "atomic number", &leg->iz)))
        return st;
    return read_label(r, p, leg);
}

/* Is the current line blank? */
static int blank(const reader *r)
{
    return at_line_end(skip_blanks(r->ln));
}

/* The table: seven numbers a row, k strictly increasing, to the end. */
static mdx_status read_table(reader *r, mdx_path *path)
{
    size_t cap = 1;  /* rows can't outnumber the lines left */
    for (const char *q = r->next;
         (q = memchr(q, '\n', (size_t)(r->end - q))) != NULL; q++)
        cap++;
    double *block = malloc(cap * MDX_NCOLUMNS * sizeof *block);
    if (!block)
        return mdx_error_set(r->err, MDX_ERR_NOMEM, r->name, r->line,
                             "out of memory for %zu table rows", cap);
    for (int c = 0; c < MDX_NCOLUMNS; c++) {
        path->col[c] = block + (size_t)c * cap;
        path->col_exp10[c] = 0;
    }

    size_t n = 0;
    while (next_line(r)) {
        if (blank(r))
            continue;
        const char *p = r->ln;
        for (int c = 0; c < MDX_NCOLUMNS; c++) {
            mdx_status st;
            int exp10;
            if (at_line_end(skip_blanks(p)))
                return bad(r, "table row has %d numbers, expected %d "
                           "(k, real[2*phc], mag, phase, red factor, "
                           "lambda, real[p])", c, MDX_NCOLUMNS);
            if ((st = decimal_field(r, &p, &path->col[c][n], &exp10)))
                return st;
            if (exp10 < path->col_exp10[c])
                path->col_exp10[c] = exp10;
        }
        if (!at_line_end(skip_blanks(p)))
            return bad(r, "table row has more than %d numbers", MDX_NCOLUMNS);
        if (!(path->col[MDX_COL_LAM][n] > 0 && path->col[MDX_COL_RED][n] > 0 &&
              path->col[MDX_COL_MAG][n] >= 0))
            return bad(r, "mag %g, red factor %g, lambda %g: a magnitude is "
                       ">= 0, a reduction factor and a mean free path > 0",
                       path->col[MDX_COL_MAG][n], path->col[MDX_COL_RED][n],
                       path->col[MDX_COL_LAM][n]);
        if (n > 0 && !(path->col[MDX_COL_K][n] > path->col[MDX_COL_K][n - 1]))
            return bad(r, "k = %g does not increase (previous row has %g)",
                       path->col[MDX_COL_K][n], path->col[MDX_COL_K][n - 1]);
        n++;
    }
    if (r->binary)
        return binary(r);
    if (n < MDX_MIN_ROWS)
        return bad(r, "table has %zu rows; at least %d are needed", n,
                   MDX_MIN_ROWS);
    path->nrows = n;
    return MDX_OK;
}

static mdx_status parse(reader *r, mdx_path *path)
{
    mdx_status st;
    if (r->end == r->next)
        return bad(r, "empty file");
    char text[512];
    r->text = 1;
    if (!next_line(r))
        return ended(r, "no title line");
    header_text(r, text, sizeof text);
    read_title(text, path);
    for (;;) {  /* the header ends at the dashes or the nleg line */
        r->text = 1;
        if (!next_line(r))
            return ended(r, "no 'nleg, deg, reff' line: not a FEFF path file");
        r->text = 0;
        if (line_has(r, "nleg, deg, reff"))
            break;
        if (dashes(r)) {
            if (!next_line(r))
                return ended(r, "file ends where the 'nleg, deg, reff, "
                                "rnrmav(bohr), edge' line was expected");
            break;
        }
        header_text(r, text, sizeof text);
        read_header_line(text, path);
    }
    if ((st = read_nleg_line(r, path)))
        return st;

    if (!next_line(r) || !line_has(r, "pot"))
        return ended(r, "expected the atom column titles 'x y z pot at#'");
    path->legs = calloc((size_t)path->nleg, sizeof *path->legs);
    if (!path->legs)
        return mdx_error_set(r->err, MDX_ERR_NOMEM, r->name, r->line,
                             "out of memory");
    r->text = 1;
    for (int i = 0; i < path->nleg; i++) {
        if (!next_line(r))
            return ended(r, "file ends after %d of nleg = %d atom lines", i,
                         path->nleg);
        if ((st = read_leg(r, &path->legs[i])))
            return st;
    }
    r->text = 0;
    if (!path->abs_iz)
        path->abs_iz = path->legs[0].iz;

    if (!next_line(r) || !(r->len && skip_blanks(r->ln)[0] == 'k' &&
                           line_has(r, "real[p]")))
        return ended(r, "expected the table titles 'k real[2*phc] ... "
                        "real[p]@#' after %d atom lines", path->nleg);
    return read_table(r, path);
}

mdx_status mdx_feff_parse(const char *text, size_t len, const char *name,
                          mdx_path *path, mdx_error *err)
{
    reader r = {name, err, text, text + len, text, 0, 0, 0, 0};
    memset(path, 0, sizeof *path);
    mdx_status st = parse(&r, path);
    if (st)
        mdx_path_free(path);
    return st;
}

mdx_status mdx_feff_parse_file(const char *filename, mdx_path *path,
                               mdx_error *err)
{
    char *text = NULL;
    size_t len = 0;
    memset(path, 0, sizeof *path);
    mdx_status st = mdx_read_file(filename, &text, &len, err);
    if (st)
        return st;
    st = mdx_feff_parse(text, len, filename, path, err);
    free(text);
    return st;
}

void mdx_path_free(mdx_path *path)
{
    if (!path)
        return;
    free(path->legs);
    free(path->col[0]);
    memset(path, 0, sizeof *path);
}

static int by_path_line(const void *a, const void *b)
{
    const mdx_path_number *x = a, *y = b;
    if (x->path != y->path)
        return (x->path > y->path) - (x->path < y->path);
    return (x->file > y->file) - (x->file < y->file);
}

mdx_status mdx_path_copies(mdx_path_number *files, size_t n, const char *dir,
                           mdx_error *err)
{
    if (n < 2)
        return MDX_OK;  /* (and files may be NULL) */
    qsort(files, n, sizeof *files, by_path_line);
    for (size_t i = 1; i < n; i++)
        if (files[i].path != 0 && files[i].path == files[i - 1].path)
            return mdx_error_set(err, MDX_ERR_FORMAT, dir, 0, "feff%04d.dat "
                                 "and feff%04d.dat both say \"Path %d\" "
                                 "inside: one is a copy", files[i - 1].file,
                                 files[i].file, files[i].path);
    return MDX_OK;
}

/* The legs' labels (or element symbols) joined by '-', snprintf-style. */
static size_t join_legs(const mdx_path *path, int symbols, char *buf,
                        size_t size)
{
    size_t n = 0;
    if (size)
        buf[0] = '\0';
    for (int i = 0; i < path->nleg; i++) {
        const char *name = symbols ? mdx_element_symbol(path->legs[i].iz)
                                   : path->legs[i].label;
        int w = snprintf(size > n ? buf + n : NULL, size > n ? size - n : 0,
                         "%s%s", i ? "-" : "", name);
        n += (size_t)w;
    }
    return n;
}

size_t mdx_path_type(const mdx_path *path, char *buf, size_t size)
{
    return join_legs(path, 0, buf, size);
}

size_t mdx_path_elements(const mdx_path *path, char *buf, size_t size)
{
    return join_legs(path, 1, buf, size);
}
