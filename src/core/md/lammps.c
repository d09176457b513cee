/* LAMMPS text dumps: ITEM: TIMESTEP, NUMBER OF ATOMS, BOX BOUNDS
 * (orthogonal, restricted triclinic "xy xz yz", general triclinic "abc
 * origin") and ATOMS with its columns in any order: id, type or element,
 * and wrapped (x), unwrapped (xu), scaled (xs) or scaled unwrapped (xsu)
 * coordinates. The atoms come out ordered by id. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "md_private.h"
#include "util/number.h"

/* What a frame's header said before its atoms. */
typedef struct header {
    size_t natoms;
    int has_natoms, has_box;
    mdx_cell cell;
    double origin[3];
} header;

/* Where each quantity is among the ATOMS columns, and how to read the
 * coordinates. */
typedef struct columns {
    int id, type, element, xyz[3];
    int scaled;
    int nwords;
} columns;

static mdx_status next_line(mdx_trajectory *t, char **line, const char *what,
                            mdx_error *err)
{
    mdx_status st;
    *line = mdx_lines_next(&t->in, err, &st);
    if (!*line && st == MDX_OK)
        st = mdx_traj_bad(t, err, t->in.line, "frame %ld: the file ends before %s",
                          t->nframes, what);
    return st;
}

/* The TIMESTEP's line: a whole number from 0. */
static mdx_status read_timestep(mdx_trajectory *t, long *v, mdx_error *err)
{
    char *line, *end;
    mdx_status st = next_line(t, &line, "its TIMESTEP", err);
    if (st != MDX_OK)
        return st;
    errno = 0;
    *v = strtol(line, &end, 10);
    if (end == line || end[strspn(end, " \t")] != '\0' || *v < 0 || errno == ERANGE)
        return mdx_traj_bad(t, err, t->in.line, "TIMESTEP: \"%.40s\" is not a step number",
                            line);
    return MDX_OK;
}

/* The NUMBER OF ATOMS's line. */
static mdx_status read_natoms(mdx_trajectory *t, size_t *n, mdx_error *err)
{
    char *line;
    mdx_status st = next_line(t, &line, "its NUMBER OF ATOMS", err);
    return st != MDX_OK ? st : mdx_traj_natoms(t, line, strlen(line), t->in.line, n, err);
}

/* Read n numbers from the next line. */
static mdx_status read_numbers(mdx_trajectory *t, int n, double *v, mdx_error *err)
{
    char *line;
    mdx_status st = next_line(t, &line, "its box", err);
    if (st != MDX_OK)
        return st;
    const char *p = line;
    for (int i = 0; i < n; i++) {
        size_t len;
        const char *w = mdx_word(&p, &len), *end;
        if (!w || !mdx_parse_double(w, &end, &v[i]) || end != w + len)
            return mdx_traj_bad(t, err, t->in.line, "box bounds: \"%.60s\" is not %d numbers",
                                line, n);
    }
    return MDX_OK;
}

/* ITEM: BOX BOUNDS [xy xz yz | abc origin] [pp pp pp]: the cell, its
 * origin and periodic axes. */
static mdx_status read_box(mdx_trajectory *t, const char *rest, header *h, mdx_error *err)
{
    int tilted = strstr(rest, "xy") != NULL, general = strstr(rest, "abc") != NULL;
    double v[3][4];
    mdx_status st = MDX_OK;
    for (int i = 0; i < 3 && st == MDX_OK; i++)
        st = read_numbers(t, general ? 4 : tilted ? 3 : 2, v[i], err);
    if (st != MDX_OK)
        return st;
    mdx_cell *c = &h->cell;
    memset(c, 0, sizeof *c);
    if (general) {
        for (int i = 0; i < 3; i++) {
            memcpy(c->h[i], v[i], sizeof c->h[i]);
            h->origin[i] = v[i][3];
        }
    } else {
        double xy = tilted ? v[0][2] : 0, xz = tilted ? v[1][2] : 0, yz = tilted ? v[2][2] : 0;
        /* the bounds hold the tilted box; its edges are inside them */
        double xlo = v[0][0] - fmin(fmin(0, xy), fmin(xz, xy + xz));
        double xhi = v[0][1] - fmax(fmax(0, xy), fmax(xz, xy + xz));
        double ylo = v[1][0] - fmin(0, yz), yhi = v[1][1] - fmax(0, yz);
        c->h[0][0] = xhi - xlo;
        c->h[1][0] = xy;
        c->h[1][1] = yhi - ylo;
        c->h[2][0] = xz;
        c->h[2][1] = yz;
        c->h[2][2] = v[2][1] - v[2][0];
        if (!(c->h[0][0] > 0 && c->h[1][1] > 0 && c->h[2][2] > 0))
            return mdx_traj_bad(t, err, t->in.line, "frame %ld: its box has a high bound not"
                                " above its low one", t->nframes);
        h->origin[0] = xlo;
        h->origin[1] = ylo;
        h->origin[2] = v[2][0];
    }
    /* the last three words are the boundary flags: pp periodic, f/s/m not */
    const char *p = rest;
    size_t len;
    const char *flags[8];
    int nflags = 0;
    for (const char *w; (w = mdx_word(&p, &len)) && nflags < 8;)
        if (len == 2 && strchr("pfsm", w[0]) && strchr("pfsm", w[1]))
            flags[nflags++] = w;
    if (nflags != 0 && nflags != 3)   /* none: a dump of before 2010, all periodic */
        return mdx_traj_bad(t, err, t->in.line - 3, "BOX BOUNDS: %d boundary flags, not three"
                            " (pp, ff, ...)", nflags);
    for (int i = 0; i < 3; i++)
        c->pbc[i] = nflags == 3 ? flags[i][0] == 'p' : 1;
    h->has_box = 1;
    return MDX_OK;
}

static int word_is(const char *w, size_t len, const char *name)
{
    return strlen(name) == len && strncmp(w, name, len) == 0;
}

/* ITEM: ATOMS's column names. */
static mdx_status read_columns(mdx_trajectory *t, const char *rest, columns *c,
                               mdx_error *err)
{
    static const char *const kinds[4][3] = {
        {"x", "y", "z"}, {"xu", "yu", "zu"}, {"xs", "ys", "zs"}, {"xsu", "ysu", "zsu"}};
    int at[4][3];
    memset(at, -1, sizeof at);
    *c = (columns){-1, -1, -1, {-1, -1, -1}, 0, 0};
    const char *p = rest;
    size_t len;
    for (const char *w; (w = mdx_word(&p, &len)); c->nwords++) {
        if (word_is(w, len, "id"))
            c->id = c->nwords;
        else if (word_is(w, len, "type"))
            c->type = c->nwords;
        else if (word_is(w, len, "element"))
            c->element = c->nwords;
        for (int k = 0; k < 4; k++)
            for (int a = 0; a < 3; a++)
                if (word_is(w, len, kinds[k][a]))
                    at[k][a] = c->nwords;
    }
    for (int k = 0; k < 4 && c->xyz[0] < 0; k++)
        if (at[k][0] >= 0 && at[k][1] >= 0 && at[k][2] >= 0) {
            memcpy(c->xyz, at[k], sizeof c->xyz);
            c->scaled = k >= 2;
        }
    const char *missing = c->id < 0 ? "id"
                          : c->type < 0 && c->element < 0 ? "type (or element)"
                          : c->xyz[0] < 0 ? "x y z (or xu yu zu, xs ys zs, xsu ysu zsu)" : NULL;
    if (missing)
        return mdx_traj_bad(t, err, t->in.line, "ITEM: ATOMS has no column %s", missing);
    if (c->element >= 0)
        c->type = c->element;
    return MDX_OK;
}

static int blank_or_end(char c) { return c == ' ' || c == '\t' || c == '\0'; }

/* The length of the word at w (up to a blank or the end of the line). */
static size_t word_len(const char *w)
{
    const char *p = w;
    while (!blank_or_end(*p))
        p++;
    return (size_t)(p - w);
}

/* A word of up to 18 digits read in place; any other word as strtol
 * reads it (a sign, more digits). *end is where the reading stopped: at
 * the word's start for an id beyond a long. */
static long read_id(const char *w, const char **end)
{
    long v = 0;
    const char *p = w;
    while ((unsigned char)(*p - '0') < 10 && p - w < 18)
        v = 10 * v + (*p++ - '0');
    if (p > w && blank_or_end(*p)) {
        *end = p;
        return v;
    }
    char *e;
    errno = 0;
    v = strtol(w, &e, 10);
    *end = errno == ERANGE ? w : e;
    return v;
}

/* The atomic numbers of the types "0" to "99" met so far in the frame
 * (0: not yet), so that a numeric type is looked up once. */
typedef int type_cache[100];

/* One atom line into row i. Each word ends at a blank or at the end of
 * the line; numbers are read where they stand, without finding the
 * word's end first. */
static mdx_status read_row(mdx_trajectory *t, const char *line, size_t i,
                           const columns *c, type_cache known, mdx_error *err)
{
    const char *p = line;
    int need = 5;
    for (int col = 0; need > 0; col++) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0')
            return mdx_traj_bad(t, err, t->in.line, "%d columns, %d expected", col, c->nwords);
        const char *w = p, *end = NULL;
        if (col == c->id) {
            t->row_id[i] = read_id(w, &end);
            if (!blank_or_end(*end)) {
                size_t len = word_len(w);
                return mdx_traj_bad(t, err, t->in.line, "id \"%.*s\" is not a whole number",
                                    (int)(len > 32 ? 32 : len), w);
            }
            need--;
        } else if (col == c->type) {
            size_t len = word_len(w);
            int key = len == 1 && (unsigned char)(w[0] - '0') < 10 ? w[0] - '0'
                      : len == 2 && w[0] >= '1' && w[0] <= '9' && (unsigned char)(w[1] - '0') < 10
                          ? 10 * (w[0] - '0') + (w[1] - '0')
                          : -1;
            if (key >= 0 && known[key] > 0)
                t->row_z[i] = known[key];
            else {
                mdx_status st = mdx_traj_type(t, w, len, t->in.line, &t->row_z[i], err);
                if (st != MDX_OK)
                    return st;
                if (key >= 0)
                    known[key] = t->row_z[i];
            }
            end = w + len;
            need--;
        } else {
            for (int a = 0; a < 3; a++)
                if (col == c->xyz[a]) {
                    if (!mdx_parse_double(w, &end, &t->row_xyz[3 * i + a]) || !blank_or_end(*end)) {
                        size_t len = word_len(w);
                        return mdx_traj_bad(t, err, t->in.line, "\"%.*s\" is not a number",
                                            (int)(len > 32 ? 32 : len), w);
                    }
                    need--;
                }
        }
        p = end ? end : w + word_len(w);
    }
    return MDX_OK;
}

typedef struct keyed {
    long id;
    size_t row;
} keyed;

static int by_id(const void *a, const void *b)
{
    long x = ((const keyed *)a)->id, y = ((const keyed *)b)->id;
    return (x > y) - (x < y);
}

/* Put row r of the file as atom at of the frame, its coordinates made
 * Cartesian. */
static void place(mdx_trajectory *t, const header *h, const columns *c, size_t r, size_t at)
{
    mdx_frame *f = &t->frame;
    const double *s = &t->row_xyz[3 * r];
    f->id[at] = t->row_id[r];
    f->z[at] = t->row_z[r];
    for (int a = 0; a < 3; a++)
        f->xyz[3 * at + a] = c->scaled ? h->origin[a] + s[0] * h->cell.h[0][a]
                                             + s[1] * h->cell.h[1][a] + s[2] * h->cell.h[2][a]
                                       : s[a];
}

/* The rows ordered by id: straight into place when the ids are 1..n (or
 * 0..n-1), sorted otherwise; an id given twice is an error. */
static mdx_status order_rows(mdx_trajectory *t, const header *h, const columns *c,
                             size_t n, long first_line, mdx_error *err)
{
    long lo = t->row_id[0], hi = lo;
    for (size_t r = 1; r < n; r++) {
        lo = t->row_id[r] < lo ? t->row_id[r] : lo;
        hi = t->row_id[r] > hi ? t->row_id[r] : hi;
    }
    if ((unsigned long)hi - (unsigned long)lo == n - 1) {   /* lo..hi: each once, or one twice */
        mdx_frame *f = &t->frame;
        for (size_t i = 0; i < n; i++)
            f->id[i] = lo - 1;
        for (size_t r = 0; r < n; r++) {
            size_t at = (size_t)(t->row_id[r] - lo);
            if (f->id[at] != lo - 1)
                return mdx_traj_bad(t, err, first_line + (long)r, "atom id %ld is given twice",
                                    t->row_id[r]);
            place(t, h, c, r, at);
        }
        return MDX_OK;
    }
    keyed *k = malloc(n * sizeof *k);
    if (!k)
        return mdx_error_set(err, MDX_ERR_NOMEM, t->path, first_line, "out of memory");
    for (size_t r = 0; r < n; r++)
        k[r] = (keyed){t->row_id[r], r};
    qsort(k, n, sizeof *k, by_id);
    mdx_status st = MDX_OK;
    for (size_t i = 0; i < n && st == MDX_OK; i++) {
        if (i > 0 && k[i].id == k[i - 1].id)
            st = mdx_traj_bad(t, err, first_line + (long)k[i].row, "atom id %ld is given twice",
                              k[i].id);
        else
            place(t, h, c, k[i].row, i);
    }
    free(k);
    return st;
}

/* After a frame's rows: the next line (not blank) must be an ITEM:. */
static mdx_status check_end(mdx_trajectory *t, size_t n, mdx_error *err)
{
    mdx_status st;
    size_t len;
    const char *next = mdx_lines_peek_line(&t->in, &len, err, &st);
    if (st != MDX_OK || !next)
        return st;
    size_t blank = strspn(next, " \t");   /* stops inside the line: it is not blank */
    if (blank + 5 <= len && memcmp(next + blank, "ITEM:", 5) == 0)
        return MDX_OK;
    return mdx_traj_bad(t, err, t->in.line + 1, "frame %ld has more rows than its NUMBER OF"
                        " ATOMS (%zu): \"%.*s\"", t->nframes, n, (int)(len > 40 ? 40 : len),
                        next);
}

/* ITEM: ATOMS and its lines. */
static mdx_status read_atoms(mdx_trajectory *t, const char *rest, const header *h,
                             int parse, long box_line, mdx_error *err)
{
    mdx_status st;
    if (!h->has_natoms || !h->has_box)
        return mdx_traj_bad(t, err, t->in.line, "frame %ld: ITEM: ATOMS before ITEM: %s",
                            t->nframes, h->has_natoms ? "BOX BOUNDS" : "NUMBER OF ATOMS");
    size_t n = h->natoms;
    if (!parse) {
        long done = mdx_lines_skip(&t->in, (long)n, err, &st);
        if (st == MDX_OK && done < (long)n)
            st = mdx_traj_bad(t, err, t->in.line, "frame %ld: the file ends after %ld of its"
                              " %zu atoms", t->nframes, done, n);
        return st == MDX_OK ? check_end(t, n, err) : st;
    }
    columns c;
    if ((st = read_columns(t, rest, &c, err)) != MDX_OK ||
        (st = mdx_traj_cell(t, &h->cell, box_line, err)) != MDX_OK ||
        (st = mdx_traj_room(t, n, &t->row_id, &t->row_z, &t->row_xyz, &t->row_cap, err))
            != MDX_OK ||
        (st = mdx_traj_room(t, n, &t->frame.id, &t->frame.z, &t->frame.xyz, &t->cap, err))
            != MDX_OK)
        return st;
    long first = t->in.line + 1;
    type_cache known = {0};
    for (size_t i = 0; i < n; i++) {
        char *line = mdx_lines_next(&t->in, err, &st);
        if (!line)
            return st != MDX_OK ? st : mdx_traj_bad(t, err, t->in.line, "frame %ld: the file"
                                                    " ends after %zu of its %zu atoms",
                                                    t->nframes, i, n);
        if (strncmp(line + strspn(line, " \t"), "ITEM:", 5) == 0)
            return mdx_traj_bad(t, err, t->in.line, "frame %ld: its NUMBER OF ATOMS is %zu,"
                                " but an ITEM: line comes after %zu rows", t->nframes, n, i);
        if ((st = read_row(t, line, i, &c, known, err)) != MDX_OK)
            return st;
    }
    if (n > 0 && (st = order_rows(t, h, &c, n, first, err)) != MDX_OK)
        return st;
    t->frame.natoms = n;
    return check_end(t, n, err);
}

static int item_is(const char **rest, const char *name)
{
    size_t len = strlen(name);
    if (strncmp(*rest, name, len) != 0 || ((*rest)[len] != '\0' && (*rest)[len] != ' '))
        return 0;
    *rest += len;
    return 1;
}

mdx_status mdx_lammps_next(mdx_trajectory *t, int parse, int *got, mdx_error *err)
{
    mdx_frame *f = &t->frame;
    header h = {0};
    long box_line = 0;
    mdx_status st;
    *got = 0;
    for (int items = 0;; items++) {
        char *line;
        do {
            line = mdx_lines_next(&t->in, err, &st);
        } while (line && line[strspn(line, " \t")] == '\0');
        if (!line) {
            if (st == MDX_OK && items > 0)
                st = mdx_traj_bad(t, err, t->in.line, "frame %ld: the file ends before its"
                                  " ITEM: ATOMS", t->nframes);
            return st;
        }
        const char *rest = line + strspn(line, " \t");
        if (strncmp(rest, "ITEM:", 5) != 0)
            return mdx_traj_bad(t, err, t->in.line, "\"%.40s\": an ITEM: line expected", line);
        rest += 5 + strspn(rest + 5, " \t");
        if (items == 0)
            f->line = t->in.line;
        if (item_is(&rest, "TIMESTEP"))
            st = read_timestep(t, &f->timestep, err);
        else if (item_is(&rest, "NUMBER OF ATOMS")) {
            st = read_natoms(t, &h.natoms, err);
            h.has_natoms = 1;
        } else if (item_is(&rest, "BOX BOUNDS")) {
            box_line = t->in.line;
            st = read_box(t, rest, &h, err);
        } else if (item_is(&rest, "TIME") || item_is(&rest, "UNITS")) {
            if (!mdx_lines_next(&t->in, err, &st) && st == MDX_OK)
                st = mdx_traj_bad(t, err, t->in.line, "frame %ld: the file ends early",
                                  t->nframes);
        } else if (item_is(&rest, "ATOMS")) {
            st = read_atoms(t, rest, &h, parse, box_line, err);
            *got = st == MDX_OK;
            return st;
        } else {
            return mdx_traj_bad(t, err, t->in.line, "ITEM: %.40s: not an item of a dump", rest);
        }
        if (st != MDX_OK)
            return st;
    }
}
