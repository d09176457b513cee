/* What the core knows of FEFF output that callers of the library need
 * not: whether a path file is numbered as FEFF numbered it, the
 * absorber's position in a feff.inp and the path files a files.dat
 * lists. */
#ifndef MDX_FEFF_PRIVATE_H
#define MDX_FEFF_PRIVATE_H

#include <stddef.h>
#include "mdexafs/error.h"

/* A path file of a folder: its number (feffNNNN.dat) and the N of the
 * "Path N" line FEFF wrote in it (0 when it has none). */
typedef struct mdx_path_number {
    int file;
    int path;
} mdx_path_number;

/* Is one of files[0..n), a folder's path files, a copy of another? FEFF
 * writes every path with its own "Path N" (FEFF 6 the path's index, as in
 * the file name; FEFF 8.5 its rank among the paths it kept, which may be
 * less), so two files with one N are one path twice: an error naming both
 * (err's file is dir). Two files alike but for that line are two paths:
 * FEFF's path finder keeps paths of the same legs apart at times, lists
 * both and sums both. Sorts files. */
mdx_status mdx_path_copies(mdx_path_number *files, size_t n, const char *dir,
                           mdx_error *err);

/* The absorber's position (Å) in a feff.inp: the first line of the ATOMS
 * list whose potential index is 0. `text` must be NUL-terminated. */
mdx_status mdx_feffinp_absorber(const char *text, const char *name,
                                double pos[3], mdx_error *err);

/* The next path file FEFF's files.dat lists after *p (a line whose first
 * word is a feff*.dat name) into name (size bytes): 1, or 0 at the end.
 * `text` must be NUL-terminated; start with *p = text. */
int mdx_filesdat_next(const char **p, char *name, size_t size);

#endif
