/* Names checked against the source: a path type (or element string) that
 * a query or its parameter table names, and that no selected path has,
 * is an error that says whether the source has it at all, suggests the
 * closest name it has, and lists them — never an empty or a partial
 * average. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/grow.h"
#include "query_private.h"

static int find(const mdx_nameset *s, const char *name, size_t *at)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(s->name[mid], name);
        if (c == 0) {
            *at = mid;
            return 1;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *at = lo;
    return 0;
}

int mdx_nameset_add(mdx_nameset *s, const char *name)
{
    size_t at;
    if (find(s, name, &at))
        return 1;
    char **grown = mdx_grow(s->name, &s->cap, s->n + 1, sizeof *s->name, 16);
    char *copy = grown ? strdup(name) : NULL;
    if (!copy)
        return 0;
    s->name = grown;
    memmove(s->name + at + 1, s->name + at, (s->n - at) * sizeof *s->name);
    s->name[at] = copy;
    s->n++;
    return 1;
}

int mdx_nameset_has(const mdx_nameset *s, const char *name)
{
    size_t at;
    return find(s, name, &at);
}

void mdx_nameset_clear(mdx_nameset *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->name[i]);
    s->n = 0;
}

void mdx_nameset_free(mdx_nameset *s)
{
    mdx_nameset_clear(s);
    free(s->name);
    memset(s, 0, sizeof *s);
}

/* Levenshtein distance of two short names. */
static size_t distance(const char *a, const char *b)
{
    size_t lb = strlen(b), row[MDX_TYPE_MAX];
    if (lb >= MDX_TYPE_MAX)
        return (size_t)-1;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; *a; a++, i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (*a != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

typedef struct gather {
    mdx_nameset *names;
    int elements;   /* gather elements strings, not types */
    int nomem;
} gather;

static int gather_name(void *ctx, const mdx_path_meta *m)
{
    gather *g = ctx;
    g->nomem = !mdx_nameset_add(g->names, g->elements ? m->elements : m->type);
    return g->nomem;
}

/* The error for `name`, which no selected path had; `what` starts the
 * message (select, elements, params). */
static mdx_status unknown_name(mdx_query *q, const char *what,
                               const char *name, mdx_error *err)
{
    mdx_selection scope;   /* the same folders, any path */
    mdx_selection_init(&scope);
    scope.frame_min = q->sel.frame_min;
    scope.frame_max = q->sel.frame_max;
    scope.natoms = q->sel.natoms;
    scope.atoms = q->sel.atoms;
    mdx_nameset known = {0};
    gather g = {&known, strcmp(what, "elements") == 0, 0};
    const char *kind = g.elements ? "elements" : "type";
    const char *path = mdx_source_path(q->src);
    mdx_status rc;
    if (mdx_source_each_path(q->src, &scope, gather_name, &g, NULL) || g.nomem)
        rc = mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "%s: no selected path "
                           "has %s '%s'", what, kind, name);
    else if (known.n == 0)
        rc = mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "%s: no path in %s within "
                           "the selection's frames and atoms (%s)", what, path,
                           mdx_query_label(q));
    else if (mdx_nameset_has(&known, name))
        rc = mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "%s: no '%s' path passes "
                           "the selection (%s)", what, name, mdx_query_label(q));
    else {
        char list[400] = "";
        size_t n = 0, best = (size_t)-1;
        const char *closest = NULL;
        for (size_t i = 0; i < known.n; i++) {
            size_t d = distance(name, known.name[i]);
            if (d < best) {
                best = d;
                closest = known.name[i];
            }
            if (i < 24 && n < sizeof list)
                n += (size_t)snprintf(list + n, sizeof list - n, " %s",
                                      known.name[i]);
        }
        if (known.n > 24 && n < sizeof list)
            snprintf(list + n, sizeof list - n, " ...");
        rc = mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "%s: no path %s '%s' in "
                           "%s; did you mean '%s'? known:%s", what, kind, name,
                           path, closest, list);
    }
    mdx_nameset_free(&known);
    return rc;
}

mdx_status mdx_query_check_names(mdx_query *q, mdx_error *err)
{
    for (size_t i = 0; i < q->sel.ntypes; i++)
        if (!mdx_nameset_has(&q->types_seen, q->sel.types[i].name))
            return unknown_name(q, "select", q->sel.types[i].name, err);
    for (size_t i = 0; i < q->sel.nelements; i++)
        if (!mdx_nameset_has(&q->elements_seen, q->sel.elements[i].name))
            return unknown_name(q, "elements", q->sel.elements[i].name, err);
    for (size_t i = 0; i < q->npar; i++) {
        const char *type = q->par[i].type;
        if (type && strcmp(type, "*") != 0 &&
            !mdx_nameset_has(&q->types_seen, type))
            return unknown_name(q, "params", type, err);
    }
    return MDX_OK;
}
