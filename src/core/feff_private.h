/* What the core knows of FEFF output that callers of the library need
 * not: path digests (to find a path file copied under another number),
 * the absorber's position in a feff.inp and the path files a files.dat
 * lists. */
#ifndef MDX_FEFF_PRIVATE_H
#define MDX_FEFF_PRIVATE_H

#include <stddef.h>
#include <stdint.h>
#include "mdexafs/feff.h"

/* A digest of what makes a path itself: its legs (positions, potentials)
 * and its table. Two path files of a folder with the same digest are
 * one path twice (a copy), which a sum must not count twice. */
uint64_t mdx_path_digest(const mdx_path *path);

/* A path identity: the digest of path num of a folder. */
typedef struct mdx_path_id {
    uint64_t digest;
    int num;
} mdx_path_id;

/* Find two of ids[0..n) with the same digest: 1 and their numbers in
 * *first, *second (first < second), or 0. Sorts ids. */
int mdx_path_twins(mdx_path_id *ids, size_t n, int *first, int *second);

/* The absorber's position (Å) in a feff.inp: the first line of the ATOMS
 * list whose potential index is 0. `text` must be NUL-terminated. */
mdx_status mdx_feffinp_absorber(const char *text, const char *name,
                                double pos[3], mdx_error *err);

/* The next path file FEFF's files.dat lists after *p (a line whose first
 * word is a feff*.dat name) into name (size bytes): 1, or 0 at the end.
 * `text` must be NUL-terminated; start with *p = text. */
int mdx_filesdat_next(const char **p, char *name, size_t size);

#endif
