/* What the md layer's files share: cell arithmetic and the trajectory
 * readers' line source. */
#ifndef MDX_MD_PRIVATE_H
#define MDX_MD_PRIVATE_H

#include <stdio.h>

#include "mdexafs/md.h"

/* The inverse of the cell's matrix (rows a, b, c): fractional coordinates
 * are s = r inv. Returns the determinant (the signed volume). */
double mdx_cell_invert(const mdx_cell *cell, double inv[3][3]);

/* The distance between the planes of each pair of lattice vectors (the
 * cell's widths): a sphere of radius r spans r / width[k] along axis k. */
void mdx_cell_widths(const mdx_cell *cell, double width[3]);

/* 1 when the two cells' lattice vectors agree within tol Å in every
 * component (their periodic flags are not compared). */
int mdx_cell_same(const mdx_cell *a, const mdx_cell *b, double tol);

/* A file read line by line through a large buffer. */
typedef struct mdx_lines {
    FILE *fp;
    const char *name;
    char *buf;
    size_t cap, start, end;   /* unread bytes are buf[start, end) */
    long line;                /* the number of the line last returned */
    long long offset;         /* bytes of the file consumed */
    long long size;           /* the file's size when opened */
    int eof;
} mdx_lines;

mdx_status mdx_lines_open(mdx_lines *r, const char *path, mdx_error *err);
void mdx_lines_close(mdx_lines *r);

/* The next line without its newline (NUL-terminated in place, a '\r'
 * before it dropped), or NULL at the end of the file. The text is valid
 * until the next call. */
char *mdx_lines_next(mdx_lines *r, mdx_error *err, mdx_status *st);

/* The unread bytes (some, unless at the end of the file), not consumed. */
const char *mdx_lines_peek(mdx_lines *r, size_t *avail, mdx_error *err,
                           mdx_status *st);

/* The next line that is not blank, left unread (its text, *len bytes
 * without the newline, valid until the next call), or NULL at the end of
 * the file. Blank lines before it are consumed. */
const char *mdx_lines_peek_line(mdx_lines *r, size_t *len, mdx_error *err,
                                mdx_status *st);

/* Step over n lines; returns how many there were (fewer at the end). */
long mdx_lines_skip(mdx_lines *r, long n, mdx_error *err, mdx_status *st);

/* The next blank-separated word at or after *s: its start and *len, *s
 * moved past it; NULL when the line has no more. */
const char *mdx_word(const char **s, size_t *len);

/* Is text[0, len) one whole number, blanks around it? 1, its digits at
 * text[*from, *to) and its value in *v (beyond cap: some value above cap,
 * never an overflow); else 0. */
int mdx_whole_number(const char *text, size_t len, unsigned long long cap,
                     unsigned long long *v, size_t *from, size_t *to);

/* A trajectory: its file, its format's reader, what its types mean and
 * the frame last read. */
struct mdx_trajectory {
    mdx_lines in;
    char *path;
    mdx_status (*next)(mdx_trajectory *t, int parse, int *got, mdx_error *err);
    mdx_frame frame;
    size_t cap;                 /* atoms the frame's arrays hold */
    long nframes;               /* frames read so far */
    size_t ntypes;              /* the type map: label[i] means z[i] */
    char **label;
    int *z;
    int has_cell;               /* the caller's cell */
    mdx_cell cell;
    long first_natoms;          /* XYZ: frame 0's atoms (-1: none read) */
    int *first_z;               /* XYZ: the first frame parsed's elements */
    long first_z_frame;
    long *row_id;               /* a LAMMPS frame's rows in file order */
    int *row_z;
    double *row_xyz;
    size_t row_cap;
};

mdx_status mdx_xyz_next(mdx_trajectory *t, int parse, int *got, mdx_error *err);
mdx_status mdx_lammps_next(mdx_trajectory *t, int parse, int *got, mdx_error *err);

/* The number of atoms written as text[0, len) at `line`: a whole number
 * that the rest of the file can hold (an atom takes a line of at least 8
 * bytes), else an error naming the line. */
mdx_status mdx_traj_natoms(mdx_trajectory *t, const char *text, size_t len, long line,
                           size_t *n, mdx_error *err);

/* Room for n atoms in the arrays *id, *z and *xyz (3 an atom), which hold
 * *cap: the frame's, or a reader's own. */
mdx_status mdx_traj_room(const mdx_trajectory *t, size_t n, long **id, int **z,
                         double **xyz, size_t *cap, mdx_error *err);

/* The atomic number of the type written as label[0, len) at `line`: from
 * the type map, else as an element symbol; an error otherwise. */
mdx_status mdx_traj_type(mdx_trajectory *t, const char *label, size_t len, long line,
                         int *z, mdx_error *err);

/* Settle the frame's cell: the file's (file_cell, or NULL when the file
 * gives none, read at `line`) against the caller's. */
mdx_status mdx_traj_cell(mdx_trajectory *t, const mdx_cell *file_cell, long line,
                         mdx_error *err);

/* Report a malformed frame at `line`. */
mdx_status mdx_traj_bad(const mdx_trajectory *t, mdx_error *err, long line,
                        const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

#endif
