/* What of a feff.inp makes FEFF's potentials: the absorber and the
 * potential list, which group folders that may share them, and every
 * card but those of the later modules, which such folders must have
 * alike; and the same feff.inp made to run the path modules only (its
 * CONTROL card's potentials and phases turned off). FEFF knows a card by
 * the first four letters of its name; '*' starts a comment line. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "feff_private.h"
#include "mdexafs/feff.h"

/* Cards that only the path finder, genfmt and ff2chi read, or that say
 * nothing of the physics: they may differ between folders whose
 * potentials are shared. ATOMS (the geometry) and POTENTIALS (compared
 * apart) too. */
static const char *const later_cards[] = {
    "TITL", "ATOM", "POTE", "CONT", "PRIN", "END", "RPAT", "RMAX", "NLEG", "PCRI",
    "CRIT", "SS", "NSTA", "IORD", "DEBY", "SIG2", "S02", "CORR", NULL};

/* The next line of text at *p into line (NUL-terminated, its end and a
 * '\r' cut), *p moved past it: 1, 0 at the end, -1 for a line longer
 * than size allows. */
static int next_line(const char **p, char *line, size_t size)
{
    if (!**p)
        return 0;
    size_t n = strcspn(*p, "\n");
    if (n >= size)
        return -1;
    memcpy(line, *p, n);
    line[n] = '\0';
    if (n && line[n - 1] == '\r')
        line[n - 1] = '\0';
    *p += n + ((*p)[n] == '\n');
    return 1;
}

/* The card a line starts ("CONT" for "control ..."): its first word's
 * first four letters, upper case, into name; 0 when the line starts no
 * card (a list's line, a comment, a blank). */
static int card_name(const char *line, char name[5])
{
    line += strspn(line, " \t");
    if (!isalpha((unsigned char)line[0]))
        return 0;
    size_t i = 0;
    for (; i < 4 && line[i] && !isspace((unsigned char)line[i]); i++)
        name[i] = (char)toupper((unsigned char)line[i]);
    name[i] = '\0';
    return 1;
}

static int is_later(const char *name)
{
    for (int i = 0; later_cards[i]; i++)
        if (!strcmp(name, later_cards[i]))
            return 1;
    return 0;
}

/* The words of line after its first `skip` and before a comment ('*' or
 * '!' ends a card's line for FEFF), each number written as %.10g, one
 * space apart, appended to buf (n used of size): the length it needs
 * (size or more: cut short). */
static size_t add_words(char *buf, size_t n, size_t size, const char *line, int skip)
{
    char word[128];
    int used, i = 0;
    for (const char *p = line; sscanf(p, "%127s%n", word, &used) == 1; p += used, i++) {
        if (word[0] == '*' || word[0] == '!')
            break;
        if (i < skip)
            continue;
        char *end;
        double v = strtod(word, &end);
        if (n < size)
            n += (size_t)(*end ? snprintf(buf + n, size - n, " %s", word)
                               : snprintf(buf + n, size - n, " %.10g", v));
    }
    return n;
}

/* Append s and a newline to the growing text *t (*n used, *cap held):
 * 0 when out of memory. */
static int append(char **t, size_t *n, size_t *cap, const char *s)
{
    size_t len = strlen(s);
    if (*n + len + 2 > *cap) {
        size_t want = (*n + len + 2) * 2;
        char *more = realloc(*t, want);
        if (!more)
            return 0;
        *t = more, *cap = want;
    }
    memcpy(*t + *n, s, len);
    *n += len;
    (*t)[(*n)++] = '\n';
    (*t)[*n] = '\0';
    return 1;
}

static int by_line(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort the lines of text (each ending in '\n') in place: 0 when out of
 * memory. */
static int sort_lines(char *text, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += text[i] == '\n';
    char **lines = malloc((n ? n : 1) * sizeof *lines);
    char *copy = malloc(len + 1);
    if (!lines || !copy) {
        free(lines);
        free(copy);
        return 0;
    }
    memcpy(copy, text, len + 1);
    size_t i = 0;
    for (char *p = copy; i < n; p = strchr(p, '\n') + 1)
        lines[i++] = p;
    for (i = 0; i < n; i++)
        *strchr(lines[i], '\n') = '\0';
    qsort(lines, n, sizeof *lines, by_line);
    size_t at = 0;
    for (i = 0; i < n; i++)
        at += (size_t)sprintf(text + at, "%s\n", lines[i]);
    free(lines);
    free(copy);
    return 1;
}

void mdx_feffinp_pots_free(mdx_feffinp_pots *p)
{
    free(p->cards);
    memset(p, 0, sizeof *p);
}

/* A card whose words, numbers written out, outgrow what is compared. */
static mdx_status too_long(mdx_feffinp_pots *p, const char *name, long line, mdx_error *err)
{
    mdx_feffinp_pots_free(p);
    return mdx_error_set(err, MDX_ERR_FORMAT, name, line, "a card too long to compare");
}

mdx_status mdx_feffinp_pots_read(const char *text, const char *name, mdx_feffinp_pots *p,
                                 mdx_error *err)
{
    memset(p, 0, sizeof *p);
    size_t len = 0, cap = 0, klen = 0, llen = 0, npot = 0;
    char line[1024], card[5] = "", entry[1200];
    long lineno = 0, absorber = -1;
    int ok = append(&p->cards, &len, &cap, "");   /* never NULL */
    len = 0;
    for (const char *at = text; ok;) {
        int got = next_line(&at, line, sizeof line);
        if (got == 0)
            break;
        lineno++;
        if (got < 0) {
            mdx_feffinp_pots_free(p);
            return mdx_error_set(err, MDX_ERR_FORMAT, name, lineno, "a line longer than "
                                 "%zu characters", sizeof line - 1);
        }
        const char *s = line + strspn(line, " \t");
        if (!*s || *s == '*' || *s == '#' || *s == '!')
            continue;
        if (card_name(s, card)) {
            if (!strcmp(card, "END"))
                break;
            if (is_later(card))
                continue;
            size_t n = (size_t)snprintf(entry, sizeof entry, "%s", card);
            if (add_words(entry, n, sizeof entry, s, 1) >= sizeof entry)
                return too_long(p, name, lineno, err);
            ok = append(&p->cards, &len, &cap, entry);
        } else if (!strcmp(card, "POTE")) {   /* ipot Z [label l_scmt l_fms stoichiometry] */
            long ipot, z;
            char label[64] = "";
            int used = 0;
            if (sscanf(s, "%ld %ld%n", &ipot, &z, &used) != 2 || z < 1 || z > 118) {
                mdx_feffinp_pots_free(p);
                return mdx_error_set(err, MDX_ERR_FORMAT, name, lineno, "a POTENTIALS line "
                                     "that is not \"ipot Z [label ...]\"");
            }
            sscanf(s + used, "%63s", label);
            if (ipot == 0)
                absorber = z;
            npot++;
            if (klen < sizeof p->key)
                klen += (size_t)snprintf(p->key + klen, sizeof p->key - klen, "%s%ld %ld %s",
                                         klen ? ", " : "", ipot, z, label);
            if (llen < sizeof p->label)
                llen += (size_t)snprintf(p->label + llen, sizeof p->label - llen, "%s%ld %s",
                                         llen ? ", " : "", ipot, label[0] ? label
                                         : mdx_element_symbol((int)z));
            /* l_scmt and l_fms make the potentials too; the stoichiometry
             * counts the cluster's atoms, as the geometry does */
            size_t n = (size_t)snprintf(entry, sizeof entry, "POTE %ld", ipot);
            char words[5][64];
            int nw = sscanf(s, "%63s %63s %63s %63s %63s", words[0], words[1], words[2],
                            words[3], words[4]);
            for (int w = 3; w < nw && n < sizeof entry; w++)
                n += (size_t)snprintf(entry + n, sizeof entry - n, " %s", words[w]);
            ok = append(&p->cards, &len, &cap, entry);
        } else if (!is_later(card) && card[0]) {   /* a list of another card */
            if (add_words(entry, 0, sizeof entry, s, 0) >= sizeof entry)
                return too_long(p, name, lineno, err);
            ok = append(&p->cards, &len, &cap, entry);
        }
    }
    if (!ok || !sort_lines(p->cards, len)) {
        mdx_feffinp_pots_free(p);
        return mdx_error_set(err, MDX_ERR_NOMEM, name, 0, "out of memory");
    }
    if (npot == 0 || absorber < 0) {
        mdx_feffinp_pots_free(p);
        return mdx_error_set(err, MDX_ERR_FORMAT, name, 0, npot ? "its POTENTIALS list has "
                             "no potential 0 (the absorber)" : "no POTENTIALS card: its "
                             "potentials cannot be told apart from other folders' (run it "
                             "without --potentials=once)");
    }
    if (klen >= sizeof p->key || llen >= sizeof p->label) {
        mdx_feffinp_pots_free(p);
        return mdx_error_set(err, MDX_ERR_FORMAT, name, 0, "a POTENTIALS list too long");
    }
    p->absorber = (int)absorber;
    return MDX_OK;
}

/* The first line of a (sorted lines) that b lacks, into buf ("" when
 * none). */
static void first_missing(const char *a, const char *b, char *buf, size_t size)
{
    buf[0] = '\0';
    for (const char *p = a; *p; p += strcspn(p, "\n") + 1) {
        size_t n = strcspn(p, "\n");
        int found = 0;
        for (const char *q = b; *q && !found; q += strcspn(q, "\n") + 1)
            found = strcspn(q, "\n") == n && !strncmp(p, q, n);
        if (!found) {
            snprintf(buf, size, "%.*s", (int)(n > 200 ? 200 : n), p);
            return;
        }
    }
}

int mdx_feffinp_pots_differ(const mdx_feffinp_pots *a, const mdx_feffinp_pots *b,
                            char *mine, char *theirs, size_t size)
{
    if (!strcmp(a->cards, b->cards))
        return 0;
    first_missing(a->cards, b->cards, mine, size);
    first_missing(b->cards, a->cards, theirs, size);
    return 1;
}

mdx_status mdx_feffinp_paths_only(const char *text, const char *name, char **out,
                                  mdx_error *err)
{
    char card[5], entry[256];
    int flags[6] = {1, 1, 1, 1, 1, 1}, seen = 0;
    const char *end = text + strlen(text);   /* of what FEFF reads: up to END */
    for (const char *p = text; *p; p += strcspn(p, "\n"), p += *p == '\n')
        if (card_name(p, card) && !strcmp(card, "END")) {
            end = p;
            break;
        }
    for (const char *p = text; p < end; p += strcspn(p, "\n"), p += *p == '\n')
        if (card_name(p, card) && !strcmp(card, "CONT")) {   /* FEFF takes the last */
            const char *s = p + strspn(p, " \t");
            s += strcspn(s, " \t\n");
            for (int i = 0, used; i < 6 && sscanf(s, "%d%n", &flags[i], &used) == 1; i++)
                s += used;
            seen = 1;
        }
    int n = snprintf(entry, sizeof entry, "CONTROL   0 0 %d %d %d %d\n", flags[2], flags[3],
                     flags[4], flags[5]);
    size_t len = 0, cap = strlen(text) + (size_t)n * 2 + 2;
    if (!(*out = malloc(cap)))
        return mdx_error_set(err, MDX_ERR_NOMEM, name, 0, "out of memory");
    if (!seen)   /* none: the card goes first */
        len = (size_t)sprintf(*out, "%s", entry);
    for (const char *p = text; *p;) {   /* each line as it is, but CONTROL's */
        size_t line = strcspn(p, "\n");
        line += p[line] == '\n';
        if (p < end && card_name(p, card) && !strcmp(card, "CONT")) {
            if (seen == 1)   /* the first in the place of all */
                memcpy(*out + len, entry, (size_t)n), len += (size_t)n, seen = 2;
        } else
            memcpy(*out + len, p, line), len += line;
        p += line;
    }
    (*out)[len] = '\0';
    return MDX_OK;
}
