/* A query's path parameters: a table of values, each for every path, for
 * one path type or for the types given none ("*"), and the names of those
 * the caller's params hook sets per path. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/grow.h"
#include "query_private.h"

#define NSLOTS (sizeof(mdx_chi_params) / sizeof(double))

static size_t offset_of(const char *name)
{
    mdx_chi_params par;
    return (size_t)((char *)mdx_chi_param(&par, name) - (char *)&par);
}

/* Add an entry after checking it against those of the same parameter. */
static mdx_status add_entry(mdx_query *q, const char *name, const char *type,
                            double value, int function, mdx_error *err)
{
    mdx_chi_params scratch = mdx_chi_defaults();
    mdx_status rc = mdx_chi_param_set(&scratch, name, function ? 0 : value, err);
    if (rc)
        return rc;
    size_t offset = offset_of(name);
    for (size_t i = 0; i < q->npar; i++) {
        const query_param *e = &q->par[i];
        if (e->offset != offset)
            continue;
        if (strcmp(e->name, name) != 0)
            return mdx_error_set(err, MDX_ERR_ARG, NULL, 0,
                                 "path parameters '%s' and '%s' are the same: "
                                 "give one", mdx_chi_param_canonical(name),
                                 strcmp(e->name, mdx_chi_param_canonical(name))
                                     ? e->name : name);
        if (function || e->function)
            return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "path parameter "
                                 "'%s' is given both per path and as values",
                                 name);
        if (!e->type == !type && (!type || strcmp(e->type, type) == 0))
            return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "path parameter "
                                 "'%s' is given twice for %s%s%s", name,
                                 type ? "'" : "every path", type ? type : "",
                                 type ? "'" : "");
    }
    query_param *grown = mdx_grow(q->par, &q->par_cap, q->npar + 1,
                                  sizeof *q->par, 8);
    if (!grown)
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    q->par = grown;
    query_param *e = &q->par[q->npar];
    *e = (query_param){.offset = offset, .value = value, .function = function};
    snprintf(e->name, sizeof e->name, "%s", name);  /* known: it fits */
    if (type && !(e->type = strdup(type)))
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    q->npar++;
    return MDX_OK;
}

mdx_status mdx_query_param(mdx_query *q, const char *name, const char *type,
                           double value, mdx_error *err)
{
    return add_entry(q, name, type, value, 0, err);
}

mdx_status mdx_query_param_function(mdx_query *q, const char *name,
                                    mdx_error *err)
{
    return add_entry(q, name, NULL, 0, 1, err);
}

/* How well entry e fits path type `type`: 3 its own value, 2 "*", 1 every
 * path, 0 not at all (and function entries are not values). */
static int fit(const query_param *e, const char *type)
{
    if (e->function)
        return 0;
    if (!e->type)
        return 1;
    if (strcmp(e->type, "*") == 0)
        return 2;
    return strcmp(e->type, type) == 0 ? 3 : 0;
}

int mdx_query_apply_params(mdx_query *q, const mdx_path_meta *m,
                           mdx_chi_params *par)
{
    int best[NSLOTS] = {0};
    for (size_t i = 0; i < q->npar; i++) {
        const query_param *e = &q->par[i];
        int f = fit(e, m->type);
        size_t slot = e->offset / sizeof(double);
        if (f > best[slot]) {
            best[slot] = f;
            *(double *)((char *)par + e->offset) = e->value;
        }
    }
    return 0;
}

int mdx_query_check_params(mdx_query *q, const mdx_path_meta *m,
                           mdx_chi_params *par)
{
    for (size_t i = 0; i < q->npar; i++) {
        const query_param *e = &q->par[i];
        mdx_error err;
        if (e->function &&
            mdx_chi_param_set(par, e->name, *(double *)((char *)par + e->offset),
                              &err)) {
            snprintf(q->error, sizeof q->error, "%s (path %d, %s, of %s)",
                     err.msg, m->num, m->type, m->dir);
            return -1;
        }
    }
    return 0;
}

void mdx_query_describe_params(const mdx_query *q, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t slot = 0; slot < NSLOTS && n < size; slot++) {  /* s02 e0 ... */
        size_t offset = slot * sizeof(double);
        const query_param *every = NULL, *first = NULL;
        int by_type = 0;
        for (size_t i = 0; i < q->npar; i++)
            if (q->par[i].offset == offset) {
                first = first ? first : &q->par[i];
                by_type |= q->par[i].type != NULL;
                every = q->par[i].type ? every : &q->par[i];
            }
        if (!first)
            continue;
        n += (size_t)snprintf(buf + n, size - n, "%s%s=", n ? " " : "path parameters ",
                              first->name);
        if (n >= size)
            break;
        if (first->function)
            n += (size_t)snprintf(buf + n, size - n, "(function)");
        else if (by_type)
            n += (size_t)snprintf(buf + n, size - n, "(by type)");
        else
            n += (size_t)snprintf(buf + n, size - n, "%.10g", every->value);
    }
}

void mdx_query_free_params(mdx_query *q)
{
    for (size_t i = 0; i < q->npar; i++)
        free(q->par[i].type);
    free(q->par);
    q->par = NULL;
    q->npar = q->par_cap = 0;
}
