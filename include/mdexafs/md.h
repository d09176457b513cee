/* mdexafs molecular dynamics: read a trajectory a frame at a time, cut
 * the cluster of periodic images around an absorbing atom, and write the
 * feff.inp that FEFF runs on. */
#ifndef MDEXAFS_MD_H
#define MDEXAFS_MD_H

#include <stddef.h>
#include "mdexafs/error.h"
#include "mdexafs/api.h"

MDX_BEGIN_DECLS

/* FEFF warns of two atoms closer than 1.75 bohr (0.926 Å) and runs on with
 * potentials that mean nothing: a cluster refuses them by default. */
#define MDX_MIN_DISTANCE 0.9260

/* A simulation cell: the lattice vectors a, b, c as the rows of h (Å),
 * periodic or not along each. Triclinic cells are welcome. */
typedef struct mdx_cell {
    double h[3][3];
    int pbc[3];      /* 1: periodic along a (b, c) */
} mdx_cell;

/* MDX_OK when the cell's vectors are finite, at most 1e9 Å long, and span
 * a volume (their determinant is not near 0 against their lengths); else
 * MDX_ERR_ARG
 * naming what is wrong, with `what` (the file and line, or "cell") in
 * front of the message. */
MDX_API mdx_status mdx_cell_check(const mdx_cell *cell, const char *what,
                                  mdx_error *err);

/* One frame: its atoms in a fixed order (by id), positions in Å. A
 * trajectory owns the frames it reads; a caller with its own positions
 * (Python, say) fills one itself. */
typedef struct mdx_frame {
    const char *file;  /* where it was read, or NULL */
    long line;         /* its first line in that file, or 0 */
    long index;        /* its number in the trajectory, from 0 */
    long timestep;     /* LAMMPS's TIMESTEP, or -1 */
    size_t natoms;
    long *id;          /* each atom's id: LAMMPS's, else its place from 0 */
    int *z;            /* each atom's atomic number */
    double *xyz;       /* x, y, z of each atom */
    mdx_cell cell;
} mdx_frame;

/* How to read a trajectory. */
typedef struct mdx_traj_options {
    /* "xyz" (plain, CP2K or extended XYZ), "lammps" (a LAMMPS text dump),
     * or NULL to tell from the file's first line. */
    const char *format;
    /* What the file's atom types mean: labels as written in the file
     * ("1", "U1", "Ow") and their atomic numbers. A label not listed must
     * be an element symbol ("U", "O"); a numeric type must be listed. */
    size_t ntypes;
    const char *const *type_label;
    const int *type_z;
    /* The cell when the file gives none (plain XYZ); when the file gives
     * one (extended XYZ, LAMMPS) it must agree within 1e-4 Å. NULL: the
     * file's cell, and an error for a file without one. */
    const mdx_cell *cell;
} mdx_traj_options;

typedef struct mdx_trajectory mdx_trajectory;

/* Open `path` to read frames in order. */
MDX_API mdx_status mdx_trajectory_open(const char *path, const mdx_traj_options *opt,
                                       mdx_trajectory **out, mdx_error *err);

/* Read the next frame into the trajectory's frame: with `parse` 0 only
 * step over it (its atoms are not read: mdx_trajectory_frame then holds
 * only its index, line and timestep). *got is 0 at the end of the file.
 * A malformed frame is an error naming the file and line. */
MDX_API mdx_status mdx_trajectory_next(mdx_trajectory *t, int parse, int *got,
                                       mdx_error *err);

/* The frame last read; valid until the next call on t. */
MDX_API const mdx_frame *mdx_trajectory_frame(const mdx_trajectory *t);

/* Bytes read so far (for a progress bar, a rate). */
MDX_API long long mdx_trajectory_offset(const mdx_trajectory *t);

MDX_API void mdx_trajectory_close(mdx_trajectory *t);

/* A frame's atoms put in bins for finding neighbours fast: built once per
 * frame, used for every absorber. It keeps a pointer to the frame, which
 * must outlive it unchanged. */
typedef struct mdx_grid mdx_grid;

/* Bin the atoms of f for neighbour searches of about `cutoff` Å (any
 * radius works; this one is fast). Checks the cell and the positions. */
MDX_API mdx_status mdx_grid_new(const mdx_frame *f, double cutoff, mdx_grid **out,
                                mdx_error *err);
MDX_API void mdx_grid_free(mdx_grid *g);

/* One atom of a cluster: which atom of the frame, which periodic image
 * (whole cells along a, b, c), where it lies from the absorber, and how
 * far. */
typedef struct mdx_cluster_atom {
    size_t atom;
    int image[3];
    double xyz[3];
    double r;
} mdx_cluster_atom;

/* The absorber (first, at the origin) and every image of every atom within
 * the cutoff of it, nearest first (ties by atom, then image). */
typedef struct mdx_cluster {
    size_t n, cap;
    mdx_cluster_atom *atoms;
} mdx_cluster;

/* Fill c (zeroed, or one filled before: it is reused) with the cluster of
 * radius `cutoff` around atom `absorber` (an index into the frame). Two
 * atoms of it closer than `min_distance` are an error naming the frame,
 * the atoms' ids and their distance. */
MDX_API mdx_status mdx_cluster_build(const mdx_grid *g, size_t absorber, double cutoff,
                                     double min_distance, mdx_cluster *c,
                                     mdx_error *err);
MDX_API void mdx_cluster_free(mdx_cluster *c);

/* What goes into a feff.inp besides the atoms. */
typedef struct mdx_feff_input_spec {
    /* The user's cards (TITLE, EDGE, S02, CONTROL, ..., perhaps a
     * POTENTIALS card with its lines), written as they are; no ATOMS or
     * END card. */
    const char *header;
    /* Without a POTENTIALS card in the header, the elements of potentials
     * 1, 2, ... in this order (at most 11), the same in every folder (each
     * must be in every cluster: FEFF refuses a potential without an atom). npot 0:
     * the elements of the absorber's neighbours in alphabetical order of
     * symbol, as the reference workflow numbers them. */
    size_t npot;
    const int *pot_z;
} mdx_feff_input_spec;

/* The text of feff.inp for cluster c of frame f, in a malloc'd *text of
 * *len bytes: the header, a blank line, the POTENTIALS card (unless the
 * header has one: ipot 0 the absorber, then one line per element with
 * the number of its atoms in the cluster), a blank line, ATOMS (x y z ipot
 * element, %.6f, separated by tabs) and END. With the header's own
 * POTENTIALS, each atom takes the one potential of its atomic number
 * (ipot 0 for the absorber); none or several is an error, and so is a
 * cluster of the absorber alone. Free the text
 * with mdx_feff_input_free. */
MDX_API mdx_status mdx_feff_input(const mdx_feff_input_spec *spec, const mdx_frame *f,
                                  const mdx_cluster *c, char **text, size_t *len,
                                  mdx_error *err);
MDX_API void mdx_feff_input_free(char *text);

/* Check a spec before any cluster: its header's cards (no ATOMS or END, a
 * POTENTIALS card's lines), its potentials (elements, none twice, at most
 * 11, not as well as the header's). mdx_feff_input checks the same. */
MDX_API mdx_status mdx_feff_input_check(const mdx_feff_input_spec *spec, mdx_error *err);

MDX_END_DECLS

#endif
