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

/* What of a feff.inp makes its potentials (mdx_feffinp_pots_read). */
typedef struct mdx_feffinp_pots {
    int absorber;        /* Z of potential 0 */
    char key[512];       /* the potential list, "0 92 U, 1 8 O, ...": folders
                            alike in it may share potentials */
    char label[256];     /* the same for people: "0 U, 1 O, 2 U" */
    char *cards;         /* the cards that make the potentials, one per line,
                            numbers as %.10g, sorted: every card but those
                            of the later modules (RPATH, NLEG, CRITERIA,
                            DEBYE, S02, ...), TITLE, PRINT, CONTROL and
                            ATOMS, and each potential's l_scmt and l_fms */
} mdx_feffinp_pots;

/* Read the potentials' part of a feff.inp (`text`, NUL-terminated, from
 * file `name`); free with mdx_feffinp_pots_free. A feff.inp without a
 * POTENTIALS card or potential 0 is an error. */
mdx_status mdx_feffinp_pots_read(const char *text, const char *name, mdx_feffinp_pots *p,
                                 mdx_error *err);
void mdx_feffinp_pots_free(mdx_feffinp_pots *p);

/* Do a and b differ in the cards that make the potentials? 1 with a card
 * of a's that b lacks into mine and one of b's that a lacks into theirs
 * (either "" when there is none), else 0. */
int mdx_feffinp_pots_differ(const mdx_feffinp_pots *a, const mdx_feffinp_pots *b,
                            char *mine, char *theirs, size_t size);

/* feff.inp `text` made to run FEFF's path modules only, on potentials
 * and phases already there: its CONTROL card (the first; the others
 * dropped) with the potentials and phases turned off and its other
 * flags kept, or "CONTROL 0 0 1 1 1 1" first when it has none; every
 * other line as it was. *out is malloc'd. */
mdx_status mdx_feffinp_paths_only(const char *text, const char *name, char **out,
                                  mdx_error *err);

#endif
