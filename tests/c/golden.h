/* xraylarch goldens (tests/data/goldens): reading them for comparisons. */
#ifndef MDX_GOLDEN_H
#define MDX_GOLDEN_H

#include "mdexafs/chi.h"

#define MAX_COLS 512

/* One golden file: parameters, path file names, and the columns. */
typedef struct golden {
    mdx_chi_params par;
    int ncols;                 /* path columns, k excluded */
    char *names[MAX_COLS];
    double k[MDX_NK];
    double *chi;               /* ncols * MDX_NK, column-major */
} golden;

/* Load tests/data/<rel>; fails the test if it is malformed. */
void load_golden(const char *rel, golden *g);
void free_golden(golden *g);

/* Column of path file `name`, or NULL. */
const double *golden_column(const golden *g, const char *name);

#endif
