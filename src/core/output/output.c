/* chi(k) and chi(R) files: the plain columns of the reference workflow,
 * and xraylarch's column files (write_ascii), with an XDI header when
 * asked. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/file.h"
#include "mdexafs/feff.h"
#include "mdexafs/output.h"
#include "mdexafs/version.h"
#include "util/number.h"

/* One value of a plain file, followed by `sep`. */
static void put_value(FILE *fp, double v, int full, char sep)
{
    char buf[32];
    if (full)
        fprintf(fp, "%s%c", mdx_format_shortest(v, buf), sep);
    else
        fprintf(fp, "%.6f%c", v, sep);
}

mdx_status mdx_write_chi(const char *file, const char *header,
                         const char *labels, int full, size_t n,
                         const double *k, const double *chi,
                         const double *sem, mdx_error *err)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(k[i]) || !isfinite(chi[i]) || (sem && !isfinite(sem[i])))
            return mdx_error_set(err, MDX_ERR_RANGE, file, 0, "not written: "
                                 "row %zu (k = %g) holds a value that is not "
                                 "finite", i + 1, k[i]);
    mdx_outfile out;
    mdx_status rc = mdx_outfile_open(&out, file, err);
    if (rc)
        return rc;
    fprintf(out.fp, "# %s\n# %s\n", header, labels);
    for (size_t i = 0; i < n; i++) {
        put_value(out.fp, k[i], full, ' ');
        put_value(out.fp, chi[i], full, sem ? ' ' : '\n');
        if (sem)
            put_value(out.fp, sem[i], full, '\n');
    }
    return mdx_outfile_commit(&out, err);
}

/* A column of a column file: its label, unit (NULL: none) and values. */
typedef struct column {
    const char *label, *unit;
    const double *values;
} column;

enum { MAXCOLS = 8, MAXLINES = 24, LINE = 1400 };

/* The header lines: XDI's fields, or the one line saying what the file
 * holds. */
static size_t header_lines(char lines[][LINE], const mdx_output *o,
                           const char *element, const char *edge,
                           const char *what, const column *cols, size_t ncols)
{
    size_t nh = 0;
    if (!o->xdi) {
        snprintf(lines[nh++], LINE, "%s", what);
        return nh;
    }
    snprintf(lines[nh++], LINE, "XDI/1.0 mdexafs/%s", mdx_version());
    if (element[0])
        snprintf(lines[nh++], LINE, "Element.symbol: %s", element);
    if (edge[0])
        snprintf(lines[nh++], LINE, "Element.edge: %s", edge);
    for (size_t j = 0; j < ncols; j++)
        snprintf(lines[nh++], LINE, "Column.%zu: %s%s%s", j + 1,
                 cols[j].label, cols[j].unit ? " " : "",
                 cols[j].unit ? cols[j].unit : "");
    snprintf(lines[nh++], LINE, "MDexafs.averaged: %s", what);
    snprintf(lines[nh++], LINE, "///");
    if (o->comment[0])
        snprintf(lines[nh++], LINE, "%s", o->comment);
    return nh;
}

/* Can s stand in one header line? */
static int one_line(const char *s)
{
    return strlen(s) <= LINE - 64 && !strpbrk(s, "\r\n");
}

int mdx_xdi_edge_known(const char *edge)
{
    static const char *const shells = "K1L3M5N7";  /* shell, last index */
    for (const char *s = shells; *s; s += 2)
        if (edge[0] == s[0])
            return s[0] == 'K' ? edge[1] == '\0'
                               : edge[1] >= '1' && edge[1] <= s[1] &&
                                     edge[2] == '\0';
    return 0;
}

/* Write cols in xraylarch's column form: '#' header lines, a "#---" rule,
 * a line of labels, rows at % .10e (or the fewest exact digits). The XDI
 * element and edge are o's, else the data's. */
static mdx_status write_columns(const char *file, const mdx_output *o,
                                const char *element, const char *edge,
                                const char *what, const column *cols,
                                size_t ncols, size_t n, mdx_error *err)
{
    if (o->element[0])
        element = o->element;
    if (o->edge[0])
        edge = o->edge;
    if (o->xdi && element[0] && !mdx_element_z(element))
        return mdx_error_set(err, MDX_ERR_ARG, file, 0, "not written: XDI "
                             "element '%s' is not an element symbol", element);
    if (o->xdi && edge[0] && !mdx_xdi_edge_known(edge))
        return mdx_error_set(err, MDX_ERR_ARG, file, 0, "not written: XDI "
                             "edge '%s' is not one XDI knows (K, L1-L3, "
                             "M1-M5, N1-N7)", edge);
    if (!one_line(what) || !one_line(o->comment))
        return mdx_error_set(err, MDX_ERR_ARG, file, 0, "not written: a "
                             "header text is not one line of at most %d "
                             "characters", LINE - 64);
    for (size_t j = 0; j < ncols; j++)
        for (size_t i = 0; i < n; i++)
            if (!isfinite(cols[j].values[i]))
                return mdx_error_set(err, MDX_ERR_RANGE, file, 0, "not written: "
                                     "%s in row %zu is not finite",
                                     cols[j].label, i + 1);
    char lines[MAXLINES][LINE];
    size_t nh = header_lines(lines, o, element, edge, what, cols, ncols);
    mdx_outfile out;
    mdx_status rc = mdx_outfile_open(&out, file, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < nh; i++)
        fprintf(out.fp, "# %s\n", lines[i]);
    fputs("#---------------------------------\n#", out.fp);
    for (size_t j = 0; j < ncols; j++)
        fprintf(out.fp, "  %s", cols[j].label);
    fputc('\n', out.fp);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < ncols; j++) {
            char buf[32];
            if (o->full)
                fprintf(out.fp, " %s", mdx_format_shortest(cols[j].values[i], buf));
            else
                fprintf(out.fp, " % .10e", cols[j].values[i]);
        }
        fputc('\n', out.fp);
    }
    return mdx_outfile_commit(&out, err);
}

void mdx_chi_label(double kweight, char *buf, size_t size)
{
    if (kweight == 0)
        snprintf(buf, size, "chi");
    else if (kweight == 1)
        snprintf(buf, size, "kchi");
    else
        snprintf(buf, size, "k%gchi", kweight);
}

/* A string the caller may leave NULL. */
static const char *text(const char *s)
{
    return s ? s : "";
}

/* The plain form: "k chi" columns after a line saying what they are. */
static mdx_status write_plain(const char *file, const mdx_output *o,
                              const mdx_chik *c, const char *chi_label,
                              mdx_error *err)
{
    char header[LINE], labels[64];
    if (!one_line(text(c->what)))
        return mdx_error_set(err, MDX_ERR_ARG, file, 0, "not written: a "
                             "header text is not one line of at most %d "
                             "characters", LINE - 64);
    if (c->kweight == 0)
        snprintf(header, sizeof header, "k(A^-1)  chi(k)%s - %s",
                 o->sem ? "  sem" : "", text(c->what));
    else
        snprintf(header, sizeof header, "k(A^-1)  k^%g chi(k)%s - %s",
                 c->kweight, o->sem ? "  sem" : "", text(c->what));
    snprintf(labels, sizeof labels, "k %s%s", chi_label, o->sem ? " sem" : "");
    return mdx_write_chi(file, header, labels, o->full, c->n, c->k, c->chi,
                         o->sem ? c->sem : NULL, err);
}

mdx_status mdx_write_chik(const char *file, const mdx_output *o,
                          const mdx_chik *c, mdx_error *err)
{
    if (o->sem && !c->sem)
        return mdx_error_set(err, MDX_ERR_ARG, file, 0, "not written: this "
                             "curve has no standard error (only averages "
                             "over two folders or more have one)");
    if (o->athena && c->kweight != 0)
        return mdx_error_set(err, MDX_ERR_ARG, file, 0, "not written: "
                             "Athena's columns are k^n chi(k) of an "
                             "unweighted chi(k); this one is k^%g chi(k)",
                             c->kweight);
    char chi_label[32];
    mdx_chi_label(c->kweight, chi_label, sizeof chi_label);
    if (!o->athena && !o->xdi)
        return write_plain(file, o, c, chi_label, err);

    static const char *const names[] = {"kchi", "k2chi", "k3chi"};
    static const char *const units[] = {"inverse Angstrom",
                                        "inverse Angstrom^2",
                                        "inverse Angstrom^3"};
    column cols[MAXCOLS] = {{"k", "inverse Angstrom", c->k},
                            {chi_label, NULL, c->chi}};
    size_t ncols = 2;
    double *kw = NULL;
    if (o->athena) {
        kw = malloc((3 * c->n + 1) * sizeof *kw);
        if (!kw)
            return mdx_error_set(err, MDX_ERR_NOMEM, file, 0, "out of memory");
        for (int w = 1; w <= 3; w++) {
            double *v = kw + (size_t)(w - 1) * c->n;
            for (size_t i = 0; i < c->n; i++)
                v[i] = pow(c->k[i], w) * c->chi[i];
            cols[ncols++] = (column){names[w - 1], units[w - 1], v};
        }
    }
    if (o->sem)
        cols[ncols++] = (column){"sem", NULL, c->sem};
    mdx_status rc = write_columns(file, o, text(c->element), text(c->edge),
                                  text(c->what), cols, ncols, c->n, err);
    free(kw);
    return rc;
}

mdx_status mdx_write_chir(const char *file, const mdx_output *o,
                          const mdx_chir *c, double kweight, const char *what,
                          const char *element, const char *edge,
                          mdx_error *err)
{
    char unit[64];
    snprintf(unit, sizeof unit, "inverse Angstrom^%g", kweight + 1);
    column cols[] = {{"r", "Angstrom", c->r},
                     {"chir_re", unit, c->re},
                     {"chir_im", unit, c->im},
                     {"chir_mag", unit, c->mag}};
    return write_columns(file, o, text(element), text(edge), text(what), cols,
                         4, c->n, err);
}

void mdx_chik_describe(char *buf, size_t size, const char *label,
                       size_t nfolders, size_t nwith, size_t npaths,
                       int mean, int chidat)
{
    if (!label)
        label = "";
    if (chidat)
        snprintf(buf, size, "%s: mean over %zu folders' chi.dat", label,
                 nfolders);
    else if (nfolders > 1 || mean)
        snprintf(buf, size, "%s: mean over %zu folder%s (%zu with selected "
                 "paths) of the sum of their selected paths (%zu path%s)",
                 label, nfolders, nfolders == 1 ? "" : "s", nwith, npaths,
                 npaths == 1 ? "" : "s");
    else
        snprintf(buf, size, "%s (%zu paths)", label, npaths);
}
