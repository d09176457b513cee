/* Writing chi(k) and chi(R) files that existing tools read: the reference
 * workflow's plain "k chi" columns, xraylarch's column files (the columns
 * Athena exports), and either with an XDI header. Every file is written
 * whole or not at all, and never holds a value that is not finite. */
#ifndef MDEXAFS_OUTPUT_H
#define MDEXAFS_OUTPUT_H

#include <stddef.h>
#include "mdexafs/error.h"
#include "mdexafs/chi.h"
#include "mdexafs/api.h"

MDX_BEGIN_DECLS

/* How to write. All zero: the plain columns at %.6f. */
typedef struct mdx_output {
    int sem;           /* add the standard error column */
    int athena;        /* xraylarch's columns: k chi kchi k2chi k3chi */
    int xdi;           /* an XDI header (implies xraylarch's column form) */
    int full;          /* the fewest digits that read back exactly */
    char element[8];   /* XDI Element.symbol; "" takes the curve's */
    char edge[8];      /* XDI Element.edge; "" takes the curve's */
    char comment[512]; /* an XDI comment line, or "" */
} mdx_output;

/* A chi(k) curve to write: k^kweight chi(k) on k[0..n), with its standard
 * error (NULL when none). */
typedef struct mdx_chik {
    size_t n;
    const double *k, *chi, *sem;
    double kweight;
    const char *what;              /* one line: what was averaged */
    const char *element, *edge;    /* of the absorber (NULL or "": unknown) */
} mdx_chik;

/* What a curve written by a recipe is, in one line for its header: the
 * query's label and how many folders and paths the mean took ("LABEL:
 * mean over 4 folders (4 with selected paths) of the sum of their
 * selected paths (120 paths)") when `mean` (or nfolders > 1), with chidat
 * a mean of FEFF's chi.dat, and for one folder's sum "LABEL (30 paths)". */
MDX_API void mdx_chik_describe(char *buf, size_t size, const char *label,
                               size_t nfolders, size_t nwith, size_t npaths,
                               int mean, int chidat);

/* Write the curve to `file` as o says. MDX_ERR_ARG for what o asks that
 * cannot be: sem of a curve without one, Athena's columns of a k-weighted
 * curve, an XDI element or edge that is not one; MDX_ERR_RANGE for values
 * that are not finite. */
MDX_API mdx_status mdx_write_chik(const char *file, const mdx_output *o,
                                  const mdx_chik *c, mdx_error *err);

/* Write chi(R) (of a k^kweight chi(k)) as the columns Athena exports:
 * r, Re, Im, |chi(R)|; o->sem and o->athena do not apply. */
MDX_API mdx_status mdx_write_chir(const char *file, const mdx_output *o,
                                  const mdx_chir *c, double kweight,
                                  const char *what, const char *element,
                                  const char *edge, mdx_error *err);

/* Is `edge` one XDI knows: K, L1-L3, M1-M5, N1-N7? */
MDX_API int mdx_xdi_edge_known(const char *edge);

/* The label of k^w chi(k) in column files: chi, kchi, k2chi, k2.5chi. */
MDX_API void mdx_chi_label(double kweight, char *buf, size_t size);

/* Write a two-column "k chi" file (three with sem) at %.6f (with full,
 * the fewest digits that read back exactly) after a '#' header line and
 * a '#' line of column labels ("k chi sem"): the plain form. */
MDX_API mdx_status mdx_write_chi(const char *file, const char *header,
                                 const char *labels, int full, size_t n,
                                 const double *k, const double *chi,
                                 const double *sem, mdx_error *err);

/* ---- column files: reading back the chi(k) files existing tools
 * write (xraylarch's and Athena's .chik and .chi, plain "k chi" columns,
 * XDI), with their column labels. */
#define MDX_COLUMNS_MAX 64     /* most columns a file may have */
#define MDX_COLUMN_LABEL_MAX 32

/* The numbers of a column file, row by row, and its labels: those of
 * XDI's "# Column.N: label" lines, else the words of the last '#' line
 * before the numbers when they are as many as the columns, else none
 * (labels[i][0] == '\0'). */
typedef struct mdx_columns {
    size_t nrows, ncols;
    double *v;                 /* v[row * ncols + col] */
    long *lines;               /* the file line of each row */
    char labels[MDX_COLUMNS_MAX][MDX_COLUMN_LABEL_MAX];
} mdx_columns;

/* Parse the NUL-terminated text of file `name`: lines starting with '#'
 * are comments, blank lines are skipped, every other line must hold the
 * same number of numbers. Errors name the file and line. */
MDX_API mdx_status mdx_columns_parse(const char *text, const char *name,
                                     mdx_columns *c, mdx_error *err);

/* Read file `file` whole (a regular file: not a folder, a device or a
 * pipe) and parse it as mdx_columns_parse does. */
MDX_API mdx_status mdx_columns_read(const char *file, mdx_columns *c,
                                    mdx_error *err);

/* The index of the column labelled `label` (any case), or -1. */
MDX_API int mdx_columns_find(const mdx_columns *c, const char *label);

/* Is `file` a column file: text whose lines (in its first 64 KB) are
 * comments and rows of numbers, as mdx_columns_parse reads them? 1, with
 * what it holds in buf ("2 columns: k chi", "3 columns"), else 0: for
 * saying so of a data file given where a database belongs. */
MDX_API int mdx_columns_sniff(const char *file, char *buf, size_t size);

/* Does a column's label name chi(k)? 1, with *kweight the w it holds
 * k^w chi(k) with: 0 for "chi", "chi(k)" and "chi_k" (chi as a function
 * of k); w for "kchi", "k2chi", "k^2chi", "k*chi", "k^2*chi" (and as
 * mdexafs writes other weights, "k2.5chi", "k-1chi"), "chik", "chik2",
 * "chik^2" (Athena's columns: chik is k chi), "chi*k", "chi*k^2",
 * "chi_k2"; any case. 0 for any other label. */
MDX_API int mdx_columns_chi(const char *label, double *kweight);

MDX_API void mdx_columns_free(mdx_columns *c);

MDX_END_DECLS

#endif
