/* Queries: a selection's criteria owned and described, and its runs over
 * the source with the query's own checks on every kept path (one
 * absorbing element; the names each path had, for query_names.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query_private.h"
#include "source_hold.h"

static int by_name(const void *a, const void *b)
{
    return strcmp(((const mdx_type_rule *)a)->name,
                  ((const mdx_type_rule *)b)->name);
}

/* Copy n rules into *out, sorted; refuse a name given twice and negative
 * limits. `key` names them in messages ("types", "elements"). */
static mdx_status copy_rules(const mdx_type_rule *rules, size_t n,
                             const char *key, mdx_type_rule **out,
                             mdx_error *err)
{
    *out = NULL;
    if (n == 0)
        return MDX_OK;
    mdx_type_rule *copy = calloc(n, sizeof *copy);
    if (!copy)
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    *out = copy;
    for (size_t i = 0; i < n; i++) {
        copy[i].reff_max = rules[i].reff_max;
        if (!(copy[i].name = strdup(rules[i].name)))
            return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
        if (isnan(rules[i].reff_max))
            return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "select: '%s' "
                                 "limit of '%s' is NaN, not a distance", key,
                                 rules[i].name);
        if (rules[i].reff_max < 0)
            return mdx_error_set(err, MDX_ERR_ARG, NULL, 0,
                                 "select: '%s' limit of '%s' is %g: a reff "
                                 "limit is a distance >= 0", key,
                                 rules[i].name, rules[i].reff_max);
    }
    qsort(copy, n, sizeof *copy, by_name);
    for (size_t i = 1; i < n; i++)
        if (strcmp(copy[i].name, copy[i - 1].name) == 0)
            return mdx_error_set(err, MDX_ERR_ARG, NULL, 0,
                                 "select: '%s' names '%s' twice", key,
                                 copy[i].name);
    return MDX_OK;
}

/* The criteria's values, whatever face gave them: ranges not empty, reff
 * a number, the absorber an element. (Each face checks what its own
 * types can get wrong: a string where a number goes, a fraction of a
 * frame.) */
static mdx_status check_criteria(const mdx_selection *s, mdx_error *err)
{
    if (isnan(s->reff_min) || isnan(s->reff_max))
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "select: 'reff' is "
                             "NaN, not a number");
    if (s->reff_min > s->reff_max)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "select: 'reff' range "
                             "is empty (%.14g > %.14g)", s->reff_min,
                             s->reff_max);
    if (s->nleg_min > s->nleg_max)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "select: 'nleg' range "
                             "is empty (%d > %d)", s->nleg_min, s->nleg_max);
    if (s->frame_min > s->frame_max)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "select: 'frames' "
                             "range is empty (%ld > %ld)", s->frame_min,
                             s->frame_max);
    if (s->absorber && !mdx_element_z(s->absorber))
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "select: 'absorber' "
                             "must be an element symbol such as \"U\", not "
                             "'%s'", s->absorber);
    return MDX_OK;
}

static void free_rules(mdx_type_rule *rules, size_t n)
{
    for (size_t i = 0; rules && i < n; i++)
        free((char *)rules[i].name);
    free(rules);
}

mdx_status mdx_query_new(mdx_source *src, const mdx_selection *sel,
                         mdx_query **out, mdx_error *err)
{
    *out = NULL;
    mdx_status rc = check_criteria(sel, err);
    if (rc)
        return rc;
    mdx_query *q = calloc(1, sizeof *q);
    if (!q)
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    q->src = src;
    q->sel = *sel;
    q->sel.types = q->sel.elements = NULL;
    q->sel.atoms = NULL;
    q->sel.absorber = NULL;
    q->keep = sel->keep;
    q->keep_ctx = sel->keep_ctx;
    q->params = sel->params;
    q->params_ctx = sel->params_ctx;
    mdx_type_rule *types = NULL, *elements = NULL;
    rc = copy_rules(sel->types, sel->ntypes, "types", &types, err);
    q->sel.types = types;
    if (!rc)
        rc = copy_rules(sel->elements, sel->nelements, "elements", &elements, err);
    q->sel.elements = elements;
    if (!rc && sel->natoms) {
        long *atoms = malloc(sel->natoms * sizeof *atoms);
        if (atoms)
            memcpy(atoms, sel->atoms, sel->natoms * sizeof *atoms);
        q->sel.atoms = atoms;
        if (!atoms)
            rc = mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    }
    if (!rc && sel->absorber && !(q->sel.absorber = strdup(sel->absorber)))
        rc = mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    if (rc) {
        mdx_query_free(q);
        return rc;
    }
    *out = q;
    return MDX_OK;
}

void mdx_query_free(mdx_query *q)
{
    if (!q)
        return;
    free_rules((mdx_type_rule *)q->sel.types, q->sel.ntypes);
    free_rules((mdx_type_rule *)q->sel.elements, q->sel.nelements);
    free((long *)q->sel.atoms);
    free((char *)q->sel.absorber);
    mdx_query_free_params(q);
    mdx_nameset_free(&q->types_seen);
    mdx_nameset_free(&q->elements_seen);
    free(q);
}

void mdx_query_hooks(mdx_query *q,
                     int (*keep)(void *ctx, const mdx_path_meta *m),
                     int (*params)(void *ctx, const mdx_path_meta *m,
                                   mdx_chi_params *par),
                     int (*folder_keep)(void *ctx, const mdx_folder_meta *f),
                     void *ctx)
{
    q->keep = keep;
    q->keep_ctx = ctx;
    q->params = params;
    q->params_ctx = ctx;
    q->sel.folder_keep = folder_keep;
    q->sel.folder_keep_ctx = ctx;
}

void mdx_query_skip_empty(mdx_query *q, int skip)
{
    q->skip_empty = skip;
}

const char *mdx_query_element(const mdx_query *q)
{
    return q->element;
}

const char *mdx_query_edge(const mdx_query *q)
{
    return q->edge;
}

/* The selection's keep: the caller's, then the query's own checks. */
static int keep_path(void *ctx, const mdx_path_meta *m)
{
    mdx_query *q = ctx;
    int keep = q->keep ? q->keep(q->keep_ctx, m) : 1;
    if (keep != 1)
        return keep;
    if (!q->first.found) {
        q->first.frame = m->frame;
        q->first.atom = m->atom;
        q->first.num = m->num;
        q->first.found = 1;
        snprintf(q->first.element, sizeof q->first.element, "%s", m->absorber);
    } else if (strcmp(q->first.element, m->absorber) != 0) {
        snprintf(q->error, sizeof q->error, "select: the paths have absorbers "
                 "%s (frame %ld atom %ld) and %s (frame %ld atom %ld): an "
                 "average of two edges means nothing; choose one with "
                 "absorber =", q->first.element, q->first.frame,
                 q->first.atom, m->absorber, m->frame, m->atom);
        return -1;
    }
    if (!mdx_nameset_add(&q->types_seen, m->type) ||
        (q->sel.nelements && !mdx_nameset_add(&q->elements_seen, m->elements))) {
        snprintf(q->error, sizeof q->error, "out of memory");
        return -1;
    }
    return 1;
}

/* The selection's params: the table, then the caller's. */
static int set_params(void *ctx, const mdx_path_meta *m, mdx_chi_params *par)
{
    mdx_query *q = ctx;
    if (mdx_query_apply_params(q, m, par))
        return -1;
    if (q->params && q->params(q->params_ctx, m, par))
        return -1;
    return mdx_query_check_params(q, m, par);
}

/* The selection a run hands the source, and a fresh start. */
static mdx_selection begin_run(mdx_query *q)
{
    mdx_selection run = q->sel;
    run.keep = keep_path;
    run.keep_ctx = q;
    run.params = q->npar || q->params ? set_params : NULL;
    run.params_ctx = q;
    mdx_nameset_clear(&q->types_seen);
    mdx_nameset_clear(&q->elements_seen);
    q->first.found = 0;
    q->element[0] = q->edge[0] = '\0';
    q->error[0] = '\0';
    q->potentials[0] = '\0';
    q->chidat = 0;
    mdx_source_hold(q->src);  /* until end_run: it reads the source last */
    return run;
}

/* A run's status: the query's own stop, else the source's, else the
 * names check. */
static mdx_status end_run(mdx_query *q, mdx_status rc, mdx_error *err)
{
    if (rc && q->error[0])
        rc = mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "%s", q->error);
    else if (rc == MDX_OK)
        rc = mdx_query_check_names(q, err);
    return mdx_source_release(q->src, rc);
}

/* An edge as XDI names it: FEFF 6 writes "LIII" where XDI has "L3". */
static void xdi_edge(const char *feff, char edge[8])
{
    static const char *const roman[] = {"I", "II", "III", "IV", "V"};
    snprintf(edge, 8, "%s", feff);
    if (feff[0] != 'L' && feff[0] != 'M')
        return;
    for (int i = 0; i < 5; i++)
        if (strcmp(feff + 1, roman[i]) == 0)
            snprintf(edge, 8, "%c%d", feff[0], i + 1);
}

/* The absorber and edge of the run's first kept path, for XDI headers
 * (left empty when they cannot be had). */
static void note_absorber(mdx_query *q)
{
    mdx_path path;
    if (!q->first.found)
        return;
    snprintf(q->element, sizeof q->element, "%s", q->first.element);
    if (mdx_source_get_path(q->src, q->first.frame, q->first.atom,
                            q->first.num, &path, NULL))
        return;
    xdi_edge(path.edge_label, q->edge);
    mdx_path_free(&path);
}

/* The shared potentials of a sum's folders, counted, and the folders
 * they came from (", "-joined; "..." when more than refs holds). */
typedef struct shared_count {
    size_t folders, shared;
    char refs[256];
} shared_count;

static void count_shared(void *ctx, const char *ref)
{
    shared_count *c = ctx;
    c->folders++;
    if (!ref)
        return;
    c->shared++;
    size_t n = strlen(c->refs), len = strlen(ref);
    for (const char *p = c->refs; *p; p += strcspn(p, ","), p += strspn(p, ", "))
        if (strcspn(p, ",") == len && !strncmp(p, ref, len))
            return;
    if (n + len + 6 < sizeof c->refs)
        snprintf(c->refs + n, sizeof c->refs - n, "%s%s", n ? ", " : "", ref);
    else if (n < 4 || strcmp(c->refs + n - 3, "..."))
        snprintf(c->refs + n, sizeof c->refs - n, ", ...");
}

mdx_status mdx_query_note_potentials(mdx_query *q, const mdx_selection *run, mdx_error *err)
{
    shared_count c = {0};
    q->potentials[0] = '\0';
    mdx_status rc = mdx_source_potentials(q->src, run, count_shared, &c, err);
    if (rc == MDX_OK && c.shared)
        snprintf(q->potentials, sizeof q->potentials, "FEFF potentials shared: %zu of %zu "
                 "folders ran on those of %s (mdexafs feff --potentials=once)", c.shared,
                 c.folders, c.refs);
    return rc;
}

typedef struct sum_call {
    mdx_query *q;
    int (*fn)(void *ctx, const mdx_folder_chi *f);
    void *ctx;
} sum_call;

static int sum_folder(void *ctx, const mdx_folder_chi *f)
{
    sum_call *c = ctx;
    if (f->npaths == 0 && c->q->skip_empty)
        return 0;
    return c->fn(c->ctx, f);
}

mdx_status mdx_query_sum(mdx_query *q, enum mdx_grouping grouping,
                         int (*fn)(void *ctx, const mdx_folder_chi *f),
                         void *ctx, mdx_error *err)
{
    mdx_selection run = begin_run(q);
    sum_call c = {q, fn, ctx};
    mdx_status rc = mdx_source_sum(q->src, &run, grouping, sum_folder, &c, err);
    if (rc == MDX_OK)
        note_absorber(q);
    if (rc == MDX_OK)
        rc = mdx_query_note_potentials(q, &run, err);
    return end_run(q, rc, err);
}

mdx_status mdx_query_each_path(mdx_query *q,
                               int (*fn)(void *ctx, const mdx_path_meta *m),
                               void *ctx, mdx_error *err)
{
    mdx_selection run = begin_run(q);
    return end_run(q, mdx_source_each_path(q->src, &run, fn, ctx, err), err);
}
