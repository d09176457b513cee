/* What a query gives: the average over folders, each path type's share of
 * it, the selected paths' metadata, and the mean of FEFF's chi.dat. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/grow.h"
#include "query_private.h"
#include "source_hold.h"

static int add_folder(void *ctx, const mdx_folder_chi *f)
{
    mdx_average_add(ctx, f->chi, MDX_NK, f->npaths);
    return 0;
}

mdx_status mdx_query_average(mdx_query *q, mdx_average **out, mdx_error *err)
{
    double k[MDX_NK];
    mdx_kgrid(k);
    mdx_average *avg = NULL;
    mdx_status rc = mdx_average_new(MDX_NK, k, &avg, err);
    mdx_source_hold(q->src);  /* its message reads the source after the sum */
    if (!rc)
        rc = mdx_query_sum(q, MDX_GROUP_NONE, add_folder, avg, err);
    if (!rc && mdx_average_nwith(avg) == 0)
        rc = mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "average: no path in %s "
                           "matches %s", mdx_source_path(q->src),
                           mdx_query_label(q));
    if (rc) {
        mdx_average_free(avg);
        avg = NULL;
    }
    *out = avg;
    return mdx_source_release(q->src, rc);
}

/* Each path type's running sum over the folders: memory for the types,
 * not for every folder. */
struct type_share {
    char *type;
    size_t npaths;          /* paths of this type */
    size_t nwith;           /* folders with such paths */
    double chi[MDX_NK];
};

struct mdx_type_shares {
    struct type_share *t;
    size_t n, cap, nfolders;
    long frame, atom;  /* of the last folder counted */
    int nomem;
};

static int add_type(void *ctx, const mdx_folder_chi *f)
{
    mdx_type_shares *s = ctx;
    if (s->nfolders == 0 || f->frame != s->frame || f->atom != s->atom) {
        s->nfolders++;
        s->frame = f->frame;
        s->atom = f->atom;
    }
    if (f->npaths == 0)  /* a folder without selected paths: zero */
        return 0;
    size_t i = 0;
    while (i < s->n && strcmp(s->t[i].type, f->group) != 0)
        i++;
    if (i == s->n) {
        struct type_share *grown = mdx_grow(s->t, &s->cap, s->n + 1,
                                            sizeof *s->t, 16);
        if (!grown)
            return s->nomem = 1;
        s->t = grown;
        memset(&s->t[i], 0, sizeof s->t[i]);
        if (!(s->t[i].type = strdup(f->group)))
            return s->nomem = 1;
        s->n++;
    }
    for (int j = 0; j < MDX_NK; j++)
        s->t[i].chi[j] += f->chi[j];
    s->t[i].npaths += f->npaths;
    s->t[i].nwith++;
    return 0;
}

mdx_status mdx_query_by_type(mdx_query *q, mdx_type_shares **out,
                             mdx_error *err)
{
    *out = NULL;
    mdx_type_shares *s = calloc(1, sizeof *s);
    if (!s)
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    mdx_status rc = mdx_query_sum(q, MDX_GROUP_TYPE, add_type, s, err);
    if ((!rc || rc == MDX_ERR_STOPPED) && s->nomem)  /* its own stop */
        rc = mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    if (rc) {
        mdx_type_shares_free(s);
        return rc;
    }
    for (size_t i = 0; i < s->n; i++)
        for (int j = 0; j < MDX_NK; j++)
            s->t[i].chi[j] /= (double)s->nfolders;
    *out = s;
    return MDX_OK;
}

size_t mdx_type_shares_size(const mdx_type_shares *s) { return s->n; }
size_t mdx_type_shares_nfolders(const mdx_type_shares *s) { return s->nfolders; }

const char *mdx_type_share_type(const mdx_type_shares *s, size_t i)
{
    return s->t[i].type;
}

size_t mdx_type_share_npaths(const mdx_type_shares *s, size_t i)
{
    return s->t[i].npaths;
}

size_t mdx_type_share_nwith(const mdx_type_shares *s, size_t i)
{
    return s->t[i].nwith;
}

const double *mdx_type_share_chi(const mdx_type_shares *s, size_t i)
{
    return s->t[i].chi;
}

void mdx_type_shares_free(mdx_type_shares *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        free(s->t[i].type);
    free(s->t);
    free(s);
}

/* Selected paths' metadata, copied out of the source's buffers: the
 * strings into one growing text, as offsets (its address moves) until
 * the list is complete. */
struct mdx_path_list {
    struct listed_path {
        mdx_path_meta m;
        size_t type, elements, absorber, dir;   /* offsets into text */
    } *p;
    size_t n, cap;
    char *text;
    size_t used, text_cap;
    int nomem;
};

/* Copy s into l->text; its offset, or (size_t)-1 when out of memory. */
static size_t keep_text(mdx_path_list *l, const char *s)
{
    size_t len = strlen(s) + 1;
    char *grown = mdx_grow(l->text, &l->text_cap, l->used + len, 1, 4096);
    if (!grown)
        return (size_t)-1;
    l->text = grown;
    memcpy(l->text + l->used, s, len);
    l->used += len;
    return l->used - len;
}

static int list_path(void *ctx, const mdx_path_meta *m)
{
    mdx_path_list *l = ctx;
    struct listed_path *grown = mdx_grow(l->p, &l->cap, l->n + 1, sizeof *l->p, 256);
    if (!grown)
        return l->nomem = 1;
    l->p = grown;
    struct listed_path *p = &l->p[l->n];
    p->m = *m;
    /* a folder's paths come together: its dir is kept once */
    p->dir = l->n && !strcmp(l->text + l->p[l->n - 1].dir, m->dir)
                 ? l->p[l->n - 1].dir : keep_text(l, m->dir);
    p->type = keep_text(l, m->type);
    p->elements = keep_text(l, m->elements);
    p->absorber = keep_text(l, m->absorber);
    if (p->dir == (size_t)-1 || p->type == (size_t)-1 ||
        p->elements == (size_t)-1 || p->absorber == (size_t)-1)
        return l->nomem = 1;
    l->n++;
    return 0;
}

mdx_status mdx_query_paths(mdx_query *q, mdx_path_list **out, mdx_error *err)
{
    mdx_path_list *l = calloc(1, sizeof *l);
    *out = NULL;
    if (!l)
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    mdx_status rc = mdx_query_each_path(q, list_path, l, err);
    if ((!rc || rc == MDX_ERR_STOPPED) && l->nomem)  /* its own stop */
        rc = mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    if (rc) {
        mdx_path_list_free(l);
        return rc;
    }
    for (size_t i = 0; i < l->n; i++) {
        struct listed_path *p = &l->p[i];
        p->m.type = l->text + p->type;
        p->m.elements = l->text + p->elements;
        p->m.absorber = l->text + p->absorber;
        p->m.dir = l->text + p->dir;
    }
    *out = l;
    return MDX_OK;
}

size_t mdx_path_list_size(const mdx_path_list *l)
{
    return l->n;
}

const mdx_path_meta *mdx_path_list_get(const mdx_path_list *l, size_t i)
{
    return i < l->n ? &l->p[i].m : NULL;
}

void mdx_path_list_free(mdx_path_list *l)
{
    if (!l)
        return;
    free(l->p);
    free(l->text);
    free(l);
}
