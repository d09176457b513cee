/* feff.inp for a cluster: the user's header, the POTENTIALS card (the
 * header's own, or one made from the cluster's elements) and the ATOMS
 * card, laid out as the reference workflow writes them. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mdexafs/feff.h"
#include "md_private.h"

#define MAX_POT 12   /* FEFF's unique potentials: 0 to nphx = 11 */

/* The potentials: the atomic number of each ipot (0 the absorber's). */
typedef struct potentials {
    int n;
    int z[MAX_POT];
    int from_header;
} potentials;

static int card_is(const char *word, size_t len, const char *card)
{
    return strlen(card) == len && strncasecmp(word, card, len) == 0;
}

/* Read the header's cards: ATOMS and END are refused; a POTENTIALS card
 * is read into p. */
static mdx_status read_header(const char *header, potentials *p, mdx_error *err)
{
    int in_potentials = 0;
    long lineno = 0;
    for (const char *line = header; *line;) {
        size_t n = strcspn(line, "\n");
        char text[256];   /* a card's first words are all that is read */
        snprintf(text, sizeof text, "%.*s", (int)(n < sizeof text ? n : sizeof text - 1), line);
        line += n + (line[n] == '\n');
        lineno++;
        const char *s = text;
        size_t len;
        const char *w = mdx_word(&s, &len);
        if (!w || *w == '*' || *w == '\r')
            continue;
        if (card_is(w, len, "ATOMS") || card_is(w, len, "END"))
            return mdx_error_set(err, MDX_ERR_ARG, "header", lineno,
                                 "%.*s card: the atoms and END are written from the"
                                 " trajectory", (int)len, w);
        if (card_is(w, len, "POTENTIALS")) {
            if (p->from_header)
                return mdx_error_set(err, MDX_ERR_ARG, "header", lineno,
                                     "a second POTENTIALS card");
            p->from_header = in_potentials = 1;
            continue;
        }
        if (!in_potentials)
            continue;
        if (!isdigit((unsigned char)*w)) {
            in_potentials = 0;   /* the next card */
            continue;
        }
        char *end;
        long ipot = strtol(w, &end, 10);
        long iz = strtol(end, &end, 10);
        int ended = *end == '\0' || isspace((unsigned char)*end);
        if (ipot < 0 || ipot >= MAX_POT || iz < 1 || iz > 118 || !ended)
            return mdx_error_set(err, MDX_ERR_ARG, "header", lineno,
                                 "POTENTIALS: not \"ipot Z label ...\" (ipot 0 to %d)",
                                 MAX_POT - 1);
        if (ipot != p->n)
            return mdx_error_set(err, MDX_ERR_ARG, "header", lineno,
                                 "POTENTIALS: ipot %ld where %d comes next", ipot, p->n);
        p->z[p->n++] = (int)iz;
    }
    if (p->from_header && p->n == 0)
        return mdx_error_set(err, MDX_ERR_ARG, "header", 0, "POTENTIALS card without lines");
    return MDX_OK;
}

static int by_symbol(const void *a, const void *b)
{
    return strcmp(mdx_element_symbol(*(const int *)a), mdx_element_symbol(*(const int *)b));
}

/* The potentials when the header has none: the caller's order, or the
 * neighbours' elements by symbol. */
static mdx_status make_potentials(const mdx_feff_input_spec *spec, const mdx_frame *f,
                                  const mdx_cluster *c, potentials *p, mdx_error *err)
{
    p->z[0] = f->z[c->atoms[0].atom];
    p->n = 1;
    if (spec->npot > 0) {
        for (size_t k = 0; k < spec->npot; k++)
            p->z[p->n++] = spec->pot_z[k];
        return MDX_OK;
    }
    for (size_t i = 1; i < c->n; i++) {
        int z = f->z[c->atoms[i].atom], seen = 0;
        for (int k = 1; k < p->n; k++)
            seen |= p->z[k] == z;
        if (!seen && p->n == MAX_POT)
            return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "the cluster of atom %ld has more"
                                 " than %d elements around it: FEFF has potentials 0 to %d",
                                 f->id[c->atoms[0].atom], MAX_POT - 1, MAX_POT - 1);
        if (!seen)
            p->z[p->n++] = z;
    }
    qsort(p->z + 1, (size_t)p->n - 1, sizeof p->z[0], by_symbol);
    return MDX_OK;
}

/* The ipot of each atom of the cluster, and how many atoms each has. */
static mdx_status assign(const potentials *p, const mdx_frame *f, const mdx_cluster *c,
                         int *ipot, int *count, mdx_error *err)
{
    const char *whose = p->from_header ? "the header's POTENTIALS" : "the potentials";
    int zabs = f->z[c->atoms[0].atom];
    if (p->z[0] != zabs)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "%s: ipot 0 is %s, the absorber %ld is %s",
                             whose, mdx_element_symbol(p->z[0]), f->id[c->atoms[0].atom],
                             mdx_element_symbol(zabs));
    memset(count, 0, MAX_POT * sizeof *count);
    ipot[0] = 0;
    count[0] = 1;
    for (size_t i = 1; i < c->n; i++) {
        int z = f->z[c->atoms[i].atom], found = -1;
        for (int k = 1; k < p->n; k++)
            if (p->z[k] == z) {
                if (found > 0)
                    return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "%s: ipot %d and %d are"
                                         " both %s: which one an atom takes is not known",
                                         whose, found, k, mdx_element_symbol(z));
                found = k;
            }
        if (found < 0)
            return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "%s: no potential for %s"
                                 " (atom %ld, %.3f Å from the absorber)", whose,
                                 mdx_element_symbol(z), f->id[c->atoms[i].atom], c->atoms[i].r);
        ipot[i] = found;
        count[found]++;
    }
    for (int k = 1; k < p->n; k++)
        if (count[k] == 0)
            return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "%s: ipot %d (%s) has no atom in"
                                 " the cluster of atom %ld (FEFF refuses it)", whose, k,
                                 mdx_element_symbol(p->z[k]), f->id[c->atoms[0].atom]);
    return MDX_OK;
}

/* The spec's header read into p, and its potentials checked. */
static mdx_status read_spec(const mdx_feff_input_spec *spec, potentials *p, mdx_error *err)
{
    mdx_status st = read_header(spec->header ? spec->header : "", p, err);
    if (st != MDX_OK)
        return st;
    if (p->from_header && spec->npot > 0)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "potentials given twice: in the"
                             " header's POTENTIALS card and as a list");
    if (spec->npot >= MAX_POT)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "%zu potentials: FEFF has 0 to %d",
                             spec->npot, MAX_POT - 1);
    for (size_t k = 0; k < spec->npot; k++) {
        if (spec->pot_z[k] < 1 || spec->pot_z[k] > 118)
            return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "potential %zu: %d is not an"
                                 " atomic number", k + 1, spec->pot_z[k]);
        for (size_t j = 0; j < k; j++)
            if (spec->pot_z[j] == spec->pot_z[k])
                return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "potentials %zu and %zu are"
                                     " both %s", j + 1, k + 1,
                                     mdx_element_symbol(spec->pot_z[k]));
    }
    return MDX_OK;
}

mdx_status mdx_feff_input_check(const mdx_feff_input_spec *spec, mdx_error *err)
{
    potentials p = {0, {0}, 0};
    return read_spec(spec, &p, err);
}

mdx_status mdx_feff_input(const mdx_feff_input_spec *spec, const mdx_frame *f,
                          const mdx_cluster *c, char **text, size_t *len, mdx_error *err)
{
    *text = NULL;
    *len = 0;
    if (c->n == 0)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "an empty cluster");
    if (c->n == 1)
        return mdx_error_set(err, MDX_ERR_RANGE, f->file, f->line, "frame %ld: no atom within"
                             " the cutoff of atom %ld: FEFF needs neighbours", f->index,
                             f->id[c->atoms[0].atom]);
    potentials p = {0, {0}, 0};
    mdx_status st = read_spec(spec, &p, err);
    if (st == MDX_OK && !p.from_header)
        st = make_potentials(spec, f, c, &p, err);
    int count[MAX_POT];
    int *ipot = malloc(c->n * sizeof *ipot);
    if (st == MDX_OK && !ipot)
        st = mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    if (st == MDX_OK)
        st = assign(&p, f, c, ipot, count, err);
    FILE *out = st == MDX_OK ? open_memstream(text, len) : NULL;
    if (st == MDX_OK && !out)
        st = mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    if (st != MDX_OK) {
        free(ipot);
        return st;
    }
    fprintf(out, "%s\n\n", spec->header ? spec->header : "");
    if (!p.from_header) {
        fputs("POTENTIALS\n*   ipot   z [ label   l_scmt  l_fms  stoichiometry ]\n", out);
        for (int k = 0; k < p.n; k++)
            fprintf(out, "    %d   %d    %s     -1      -1       %d\n", k, p.z[k],
                    mdx_element_symbol(p.z[k]), count[k]);
        fputs("\n", out);
    }
    fputs("ATOMS\n", out);
    for (size_t i = 0; i < c->n; i++) {
        const double *x = c->atoms[i].xyz;
        fprintf(out, "%.6f\t%.6f\t%.6f\t%d\t%s\n", x[0], x[1], x[2], ipot[i],
                mdx_element_symbol(f->z[c->atoms[i].atom]));
    }
    fputs("END\n", out);
    free(ipot);
    if (fclose(out) != 0) {
        free(*text);
        *text = NULL;
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    }
    return MDX_OK;
}

void mdx_feff_input_free(char *text) { free(text); }
