/* Writing chi(k) and chi(R) files that existing tools read: the reference
 * workflow's plain "k chi" columns, xraylarch's column files (the columns
 * Athena exports), and either with an XDI header. Every file is written
 * whole or not at all, and never holds a value that is not finite. */
#ifndef MDEXAFS_OUTPUT_H
#define MDEXAFS_OUTPUT_H

#include <stddef.h>
#include "mdexafs/error.h"
#include "mdexafs/xft.h"
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

MDX_END_DECLS

#endif
