/* XYZ trajectories: plain (element or type, x, y, z), CP2K's (a comment
 * line of its own) and extended XYZ as ASE writes it (Lattice="...",
 * Properties=species:S:1:pos:R:3..., pbc="T T T" on the comment line). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "md_private.h"
#include "mdexafs/feff.h"
#include "util/number.h"

/* Where the species and the positions are among an atom line's words. */
typedef struct columns {
    int species, pos, nwords;
} columns;

/* The value of key `key` on an extended XYZ comment line (quoted or not),
 * copied into val; 0 when the line has no such key. */
static int comment_value(const char *line, const char *key, char *val, size_t size)
{
    size_t klen = strlen(key);
    const char *p = line;
    while (*p) {
        while (isspace((unsigned char)*p))
            p++;
        const char *k = p;
        while (*p && *p != '=' && !isspace((unsigned char)*p))
            p++;
        size_t kl = (size_t)(p - k);
        if (*p != '=') {
            continue;
        }
        p++;
        const char *v = p;
        char close = 0;
        if (*p == '"' || *p == '\'' || *p == '{') {
            close = *p == '{' ? '}' : *p;
            v = ++p;
            while (*p && *p != close)
                p++;
        } else {
            while (*p && !isspace((unsigned char)*p))
                p++;
        }
        size_t vl = (size_t)(p - v);
        if (close && *p)
            p++;
        if (kl == klen && strncasecmp(k, key, klen) == 0) {
            if (vl >= size)
                vl = size - 1;
            memcpy(val, v, vl);
            val[vl] = '\0';
            return 1;
        }
    }
    return 0;
}

/* Read the extended XYZ keys of a comment line: the cell and where the
 * species and positions are. Returns MDX_OK with *has_cell 0 for a plain
 * comment. */
static mdx_status read_comment(mdx_trajectory *t, const char *line, long lineno,
                               mdx_cell *cell, int *has_cell, columns *cols,
                               mdx_error *err)
{
    char val[1024];
    *cols = (columns){0, 1, 4};
    *has_cell = 0;
    if (comment_value(line, "Lattice", val, sizeof val)) {
        const char *p = val;
        for (int i = 0; i < 9; i++) {
            size_t len;
            const char *w = mdx_word(&p, &len);
            const char *end;
            double v;
            if (!w || !mdx_parse_double(w, &end, &v) || end != w + len)
                return mdx_traj_bad(t, err, lineno, "Lattice=\"%s\": not nine numbers", val);
            cell->h[i / 3][i % 3] = v;
        }
        cell->pbc[0] = cell->pbc[1] = cell->pbc[2] = 1;
        *has_cell = 1;
    }
    if (comment_value(line, "pbc", val, sizeof val)) {
        const char *p = val;
        for (int i = 0; i < 3; i++) {
            size_t len;
            const char *w = mdx_word(&p, &len);
            if (!w || len != 1 || !strchr("TFtf", *w))
                return mdx_traj_bad(t, err, lineno, "pbc=\"%s\": not three of T or F", val);
            cell->pbc[i] = *w == 'T' || *w == 't';
        }
    }
    if (comment_value(line, "Properties", val, sizeof val)) {
        int col = 0, species = -1, pos = -1;
        char *save = NULL;
        for (char *name = strtok_r(val, ":", &save); name; name = strtok_r(NULL, ":", &save)) {
            char *type = strtok_r(NULL, ":", &save);
            char *count = strtok_r(NULL, ":", &save);
            int n = count ? atoi(count) : 0;
            if (!type || n < 1 || n > 1000)
                return mdx_traj_bad(t, err, lineno,
                                    "Properties: \"%s\" is not name:type:count", name);
            if (strcmp(name, "species") == 0 && n == 1)
                species = col;
            else if (strcmp(name, "pos") == 0 && n == 3)
                pos = col;
            col += n;
        }
        if (species < 0 || pos < 0)
            return mdx_traj_bad(t, err, lineno, "Properties has no %s",
                                species < 0 ? "species:S:1" : "pos:R:3");
        *cols = (columns){species, pos, col};
    }
    return MDX_OK;
}

/* One atom line into atom i of the frame. */
static mdx_status read_atom(mdx_trajectory *t, const char *line, size_t i,
                            const columns *cols, mdx_error *err)
{
    static const char axis[] = "xyz";
    mdx_frame *f = &t->frame;
    const char *p = line;
    int found = 0;
    for (int col = 0; found < 4; col++) {
        size_t len;
        const char *w = mdx_word(&p, &len);
        if (!w)
            return mdx_traj_bad(t, err, t->in.line, "atom %zu: %d columns, %d expected", i + 1,
                                col, cols->nwords);
        if (col == cols->species) {
            mdx_status st = mdx_traj_type(t, w, len, t->in.line, &f->z[i], err);
            if (st != MDX_OK)
                return st;
            found++;
        } else if (col >= cols->pos && col < cols->pos + 3) {
            const char *end;
            if (!mdx_parse_double(w, &end, &f->xyz[3 * i + col - cols->pos]) || end != w + len)
                return mdx_traj_bad(t, err, t->in.line, "atom %zu: %c \"%.*s\" is not a number",
                                    i + 1, axis[col - cols->pos], (int)(len > 32 ? 32 : len), w);
            found++;
        }
    }
    f->id[i] = (long)i;
    return MDX_OK;
}

/* Is text[0, len) one whole number and nothing else (a frame's count)? */
static int lone_number(const char *text, size_t len)
{
    unsigned long long v;
    size_t from, to;
    return mdx_whole_number(text, len, 0, &v, &from, &to);
}

/* Atoms are known by their place in an XYZ frame: every frame must have
 * as many, each the same element as in the first frame read. */
static mdx_status check_count(mdx_trajectory *t, size_t n, long line, mdx_error *err)
{
    if (t->first_natoms < 0)
        t->first_natoms = (long)n;
    else if ((size_t)t->first_natoms != n)
        return mdx_traj_bad(t, err, line, "frame %ld has %zu atoms, frame 0 %ld: in XYZ an atom"
                            " is known by its place, the same in every frame", t->nframes, n,
                            t->first_natoms);
    return MDX_OK;
}

static mdx_status check_elements(mdx_trajectory *t, long first_line, mdx_error *err)
{
    const mdx_frame *f = &t->frame;
    if (!t->first_z) {
        if (!(t->first_z = malloc((f->natoms ? f->natoms : 1) * sizeof *t->first_z)))
            return mdx_error_set(err, MDX_ERR_NOMEM, t->path, first_line, "out of memory");
        memcpy(t->first_z, f->z, f->natoms * sizeof *t->first_z);
        t->first_z_frame = t->nframes;
        return MDX_OK;
    }
    for (size_t i = 0; i < f->natoms; i++)
        if (f->z[i] != t->first_z[i])
            return mdx_traj_bad(t, err, first_line + (long)i, "atom %zu is %s here but %s in"
                                " frame %ld: in XYZ an atom is known by its place, the same"
                                " in every frame", i, mdx_element_symbol(f->z[i]),
                                mdx_element_symbol(t->first_z[i]), t->first_z_frame);
    return MDX_OK;
}

/* After a frame: the next line (not blank) must start the next frame. */
static mdx_status check_end(mdx_trajectory *t, size_t n, mdx_error *err)
{
    mdx_status st;
    size_t len;
    const char *next = mdx_lines_peek_line(&t->in, &len, err, &st);
    if (st != MDX_OK || !next || lone_number(next, len))
        return st;
    return mdx_traj_bad(t, err, t->in.line + 1, "frame %ld (line %ld) has more lines than its"
                        " %zu atoms: \"%.*s\" does not start a frame", t->nframes,
                        t->frame.line, n, (int)(len > 40 ? 40 : len), next);
}

mdx_status mdx_xyz_next(mdx_trajectory *t, int parse, int *got, mdx_error *err)
{
    mdx_frame *f = &t->frame;
    mdx_status st;
    char *line;
    do {   /* blank lines between frames are let pass */
        line = mdx_lines_next(&t->in, err, &st);
    } while (line && line[strspn(line, " \t")] == '\0');
    *got = 0;
    if (!line)
        return st;
    f->line = t->in.line;
    size_t n = 0;
    if ((st = mdx_traj_natoms(t, line, strlen(line), f->line, &n, err)) != MDX_OK ||
        (st = check_count(t, n, f->line, err)) != MDX_OK)
        return st;
    if (!parse) {
        long want = (long)n + 1;
        long done = mdx_lines_skip(&t->in, want, err, &st);
        if (st == MDX_OK && done < want)
            st = mdx_traj_bad(t, err, t->in.line, "frame %ld: the file ends after %ld of its"
                              " %zu atoms", t->nframes, done > 0 ? done - 1 : 0, n);
        if (st == MDX_OK)
            st = check_end(t, n, err);
        *got = st == MDX_OK;
        return st;
    }
    if ((st = mdx_traj_room(t, n, &f->id, &f->z, &f->xyz, &t->cap, err)) != MDX_OK)
        return st;
    if (!(line = mdx_lines_next(&t->in, err, &st)))
        return st != MDX_OK ? st : mdx_traj_bad(t, err, t->in.line, "frame %ld: the file ends"
                                                " before its comment line", t->nframes);
    mdx_cell cell = {{{0}}, {0}};
    int has_cell;
    columns cols;
    if ((st = read_comment(t, line, t->in.line, &cell, &has_cell, &cols, err)) != MDX_OK)
        return st;
    if ((st = mdx_traj_cell(t, has_cell ? &cell : NULL, t->in.line, err)) != MDX_OK)
        return st;
    long first = t->in.line + 1;
    for (size_t i = 0; i < n; i++) {
        if (!(line = mdx_lines_next(&t->in, err, &st)))
            return st != MDX_OK ? st : mdx_traj_bad(t, err, t->in.line, "frame %ld: the file"
                                                    " ends after %zu of its %zu atoms",
                                                    t->nframes, i, n);
        if (lone_number(line, strlen(line)))
            return mdx_traj_bad(t, err, t->in.line, "frame %ld (line %ld) says %zu atoms, but"
                                " line %ld, \"%.20s\", starts the next frame after %zu",
                                t->nframes, f->line, n, t->in.line, line, i);
        if ((st = read_atom(t, line, i, &cols, err)) != MDX_OK)
            return st;
    }
    f->natoms = n;
    if ((st = check_elements(t, first, err)) != MDX_OK || (st = check_end(t, n, err)) != MDX_OK)
        return st;
    *got = 1;
    return MDX_OK;
}
