/* mdexafs column files: reading back the chi(k) files existing tools
 * write (xraylarch's and Athena's .chik and .chi, plain "k chi" columns,
 * XDI), with their column labels. */
#ifndef MDEXAFS_COLUMNS_H
#define MDEXAFS_COLUMNS_H

#include <stddef.h>
#include "mdexafs/error.h"
#include "mdexafs/api.h"

MDX_BEGIN_DECLS

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
