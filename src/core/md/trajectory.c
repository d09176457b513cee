/* Trajectories: open one, tell its format, read its frames in order, and
 * what the readers share (atom types, the cell, room for atoms). */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "mdexafs/feff.h"
#include "md_private.h"

#define CELL_TOLERANCE 1e-4   /* Å: the caller's cell against the file's */
#define MIN_ATOM_LINE 8       /* bytes: "H 0 0 0" and its newline */

mdx_status mdx_traj_bad(const mdx_trajectory *t, mdx_error *err, long line,
                        const char *fmt, ...)
{
    char msg[sizeof err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return mdx_error_set(err, MDX_ERR_FORMAT, t->path, line, "%s", msg);
}

static mdx_status keep_types(mdx_trajectory *t, const mdx_traj_options *opt,
                             mdx_error *err)
{
    if (opt->ntypes == 0)
        return MDX_OK;
    t->label = calloc(opt->ntypes, sizeof *t->label);
    t->z = calloc(opt->ntypes, sizeof *t->z);
    if (!t->label || !t->z)
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    t->ntypes = opt->ntypes;
    for (size_t i = 0; i < opt->ntypes; i++) {
        const char *label = opt->type_label[i];
        if (!label || !*label || strpbrk(label, " \t\r\n"))
            return mdx_error_set(err, MDX_ERR_ARG, NULL, 0,
                                 "type map: \"%s\" is not a type label (one word)",
                                 label ? label : "(null)");
        if (opt->type_z[i] < 1 || opt->type_z[i] > 118)
            return mdx_error_set(err, MDX_ERR_ARG, NULL, 0,
                                 "type map: type %s: %d is not an atomic number", label,
                                 opt->type_z[i]);
        for (size_t j = 0; j < i; j++)
            if (strcmp(t->label[j], label) == 0)
                return mdx_error_set(err, MDX_ERR_ARG, NULL, 0,
                                     "type map: type %s is given twice", label);
        t->label[i] = strdup(label);
        if (!t->label[i])
            return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
        t->z[i] = opt->type_z[i];
    }
    return MDX_OK;
}

/* The reader for the format named, or told by the first line. */
static mdx_status choose_reader(mdx_trajectory *t, const char *format, mdx_error *err)
{
    if (format && strcmp(format, "xyz") == 0) {
        t->next = mdx_xyz_next;
        return MDX_OK;
    }
    if (format && strcmp(format, "lammps") == 0) {
        t->next = mdx_lammps_next;
        return MDX_OK;
    }
    if (format)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0,
                             "trajectory format \"%s\": not xyz or lammps", format);
    mdx_status st;
    size_t n;
    const char *s = mdx_lines_peek(&t->in, &n, err, &st);
    if (st != MDX_OK)
        return st;
    size_t i = 0;
    while (i < n && isspace((unsigned char)s[i]))
        i++;
    if (n - i >= 5 && memcmp(s + i, "ITEM:", 5) == 0)
        t->next = mdx_lammps_next;
    else if (i < n && isdigit((unsigned char)s[i]))
        t->next = mdx_xyz_next;
    else
        return mdx_error_set(err, MDX_ERR_FORMAT, t->path, 1,
                             n == 0 ? "empty: no frame"
                                    : "neither XYZ (a number of atoms) nor a LAMMPS dump"
                                      " (ITEM: TIMESTEP) at the start");
    return MDX_OK;
}

mdx_status mdx_trajectory_open(const char *path, const mdx_traj_options *opt,
                               mdx_trajectory **out, mdx_error *err)
{
    static const mdx_traj_options none;
    if (!opt)
        opt = &none;
    *out = NULL;
    mdx_trajectory *t = calloc(1, sizeof *t);
    if (!t || !(t->path = strdup(path))) {
        free(t);
        return mdx_error_set(err, MDX_ERR_NOMEM, path, 0, "out of memory");
    }
    t->frame.file = t->path;
    t->frame.index = -1;
    t->first_natoms = -1;
    mdx_status st = keep_types(t, opt, err);
    if (st == MDX_OK && opt->cell) {
        st = mdx_cell_check(opt->cell, "cell", err);
        t->cell = *opt->cell;
        t->has_cell = 1;
    }
    if (st == MDX_OK)
        st = mdx_lines_open(&t->in, t->path, err);
    if (st == MDX_OK)
        st = choose_reader(t, opt->format, err);
    if (st != MDX_OK) {
        mdx_trajectory_close(t);
        return st;
    }
    *out = t;
    return MDX_OK;
}

mdx_status mdx_trajectory_next(mdx_trajectory *t, int parse, int *got, mdx_error *err)
{
    mdx_frame *f = &t->frame;
    f->natoms = 0;
    f->timestep = -1;
    mdx_status st = t->next(t, parse, got, err);
    if (st != MDX_OK)
        *got = 0;
    else if (*got)
        f->index = t->nframes++;
    return st;
}

const mdx_frame *mdx_trajectory_frame(const mdx_trajectory *t) { return &t->frame; }

long long mdx_trajectory_offset(const mdx_trajectory *t) { return t->in.offset; }

void mdx_trajectory_close(mdx_trajectory *t)
{
    if (!t)
        return;
    mdx_lines_close(&t->in);
    for (size_t i = 0; i < t->ntypes; i++)
        free(t->label[i]);
    free(t->label);
    free(t->z);
    free(t->frame.id);
    free(t->frame.z);
    free(t->frame.xyz);
    free(t->first_z);
    free(t->row_id);
    free(t->row_z);
    free(t->row_xyz);
    free(t->path);
    free(t);
}

mdx_status mdx_traj_natoms(mdx_trajectory *t, const char *text, size_t len, long line,
                           size_t *n, mdx_error *err)
{
    long long room = (t->in.size - t->in.offset + 1) / MIN_ATOM_LINE;
    unsigned long long v;
    size_t from, to;
    if (!mdx_whole_number(text, len, (unsigned long long)room, &v, &from, &to))
        return mdx_traj_bad(t, err, line, "frame %ld: \"%.*s\" is not a number of atoms",
                            t->nframes, (int)(len > 40 ? 40 : len), text);
    if (v > (unsigned long long)room)
        return mdx_traj_bad(t, err, line, "frame %ld: %.*s atoms, but the %lld bytes left in"
                            " the file hold at most %lld", t->nframes,
                            (int)(to - from > 40 ? 40 : to - from), text + from,
                            t->in.size - t->in.offset, room);
    *n = (size_t)v;
    return MDX_OK;
}

mdx_status mdx_traj_room(const mdx_trajectory *t, size_t n, long **id, int **z,
                         double **xyz, size_t *cap, mdx_error *err)
{
    if (n <= *cap)
        return MDX_OK;
    if (n > (size_t)-1 / (3 * sizeof(double)))
        return mdx_error_set(err, MDX_ERR_NOMEM, t->path, t->in.line,
                             "a frame of %zu atoms does not fit in memory", n);
    long *more_id = realloc(*id, n * sizeof *more_id);
    if (more_id)
        *id = more_id;
    int *more_z = more_id ? realloc(*z, n * sizeof *more_z) : NULL;
    if (more_z)
        *z = more_z;
    double *more_xyz = more_z ? realloc(*xyz, 3 * n * sizeof *more_xyz) : NULL;
    if (!more_xyz)
        return mdx_error_set(err, MDX_ERR_NOMEM, t->path, t->in.line,
                             "out of memory for a frame of %zu atoms", n);
    *xyz = more_xyz;
    *cap = n;
    return MDX_OK;
}

mdx_status mdx_traj_type(mdx_trajectory *t, const char *label, size_t len, long line,
                         int *z, mdx_error *err)
{
    for (size_t i = 0; i < t->ntypes; i++)
        if (strncmp(t->label[i], label, len) == 0 && t->label[i][len] == '\0') {
            *z = t->z[i];
            return MDX_OK;
        }
    char word[8];
    if (len < sizeof word) {
        memcpy(word, label, len);
        word[len] = '\0';
        if ((*z = mdx_element_z(word)) > 0)
            return MDX_OK;
    }
    int numeric = len > 0;
    for (size_t i = 0; i < len; i++)
        numeric &= isdigit((unsigned char)label[i]) != 0;
    return mdx_traj_bad(t, err, line, numeric ? "atom type %.*s is not in the type map"
                                              : "atom type \"%.*s\" is neither an element"
                                                " nor in the type map",
                        (int)(len > 32 ? 32 : len), label);
}

mdx_status mdx_traj_cell(mdx_trajectory *t, const mdx_cell *file_cell, long line,
                         mdx_error *err)
{
    mdx_frame *f = &t->frame;
    if (!file_cell && !t->has_cell)
        return mdx_traj_bad(t, err, line, "frame %ld: the file gives no cell: give one"
                            " (its lattice vectors and periodic axes)", t->nframes);
    if (file_cell && t->has_cell && !mdx_cell_same(file_cell, &t->cell, CELL_TOLERANCE))
        return mdx_traj_bad(t, err, line,
                            "frame %ld: the cell given differs from the file's by more"
                            " than %g Å (leave it out to use the file's)", t->nframes,
                            CELL_TOLERANCE);
    f->cell = t->has_cell ? t->cell : *file_cell;
    if (!t->has_cell) {
        mdx_status st = mdx_cell_check(&f->cell, "the file's cell", err);
        if (st != MDX_OK)
            return mdx_traj_bad(t, err, line, "frame %ld: %s", t->nframes, err ? err->msg : "");
    }
    return MDX_OK;
}
