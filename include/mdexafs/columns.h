/* mdexafs column files in the form xraylarch writes (write_ascii) and
 * Athena reads: '#' header lines, a "#---" rule, a line of column labels,
 * then rows. */
#ifndef MDEXAFS_COLUMNS_H
#define MDEXAFS_COLUMNS_H

#include <stddef.h>
#include "mdexafs/error.h"

typedef struct mdx_columns {
    size_t nheader;
    const char *const *header;  /* lines written after "# " */
    size_t ncols, n;
    const char *const *labels;  /* ncols names, no blanks */
    const double *const *cols;  /* ncols arrays of n values */
    int full;                   /* values in the fewest digits that read
                                   back exactly, not %.10e */
} mdx_columns;

/* Write c to `file`, whole or not at all. */
mdx_status mdx_write_columns(const char *file, const mdx_columns *c,
                             mdx_error *err);

#endif
