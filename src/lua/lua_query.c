/* The queries of a selection: sel:average(), sel:sums(), sel:by_type(),
 * sel:paths(), sel:count(), each a sink of what lua_run.c runs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "lua_private.h"
#include "mdexafs/average.h"
#include "mdexafs/chi.h"
#include "mdexafs/source.h"

/* Per-folder sums, for sums(). */
typedef struct collected {
    mdx_lua_sink base;
    struct folder_entry {
        long frame, atom;
        size_t npaths;
        double chi[MDX_NK];
    } *e;
    size_t n, cap;
} collected;

static int collect_folder(void *ctx, const mdx_folder_chi *f)
{
    collected *c = ctx;
    if (f->npaths == 0 && c->base.skip_empty)
        return 0;
    struct folder_entry *grown = mdx_grow(c->e, &c->cap, c->n + 1, sizeof *c->e, 64);
    if (!grown)
        return c->base.nomem = 1;
    c->e = grown;
    struct folder_entry *e = &c->e[c->n++];
    e->frame = f->frame;
    e->atom = f->atom;
    e->npaths = f->npaths;
    memcpy(e->chi, f->chi, sizeof e->chi);
    return 0;
}

static void release_collected(void *s)
{
    free(((collected *)s)->e);
}

/* The mean over the admitted folders, for average(). */
typedef struct averaging {
    mdx_lua_sink base;
    mdx_average avg;
} averaging;

static int add_folder(void *ctx, const mdx_folder_chi *f)
{
    averaging *a = ctx;
    if (f->npaths > 0 || !a->base.skip_empty)
        mdx_average_add(&a->avg, f->chi, MDX_NK, f->npaths);
    return 0;
}

static void release_average(void *s)
{
    mdx_average_free(&((averaging *)s)->avg);
}

/* sel:average() -> result: the mean over the admitted folders of each
 * folder's sum of selected paths, with its standard error. Raises when
 * nothing matches. */
static int selection_average(lua_State *L)
{
    lua_selection *ls = mdx_lua_check_selection(L, 1);
    mdx_source *src = mdx_lua_selection_source(L);
    averaging a = {{add_folder, release_average, 0, 0, "", ""}, {0}};
    mdx_error err;
    double k[MDX_NK];
    mdx_kgrid(k);
    if (mdx_average_init(&a.avg, MDX_NK, k, &err))
        return mdx_lua_raise(L, &err);
    mdx_lua_run_sums(L, ls, MDX_GROUP_NONE, &a.base);
    if (a.avg.nwith == 0) {
        mdx_average_free(&a.avg);
        return luaL_error(L, "average: no path in %s matches %s",
                          mdx_source_path(src), ls->label);
    }
    char label[1200];
    mdx_lua_result_label(src, ls->label, label, sizeof label);
    mdx_lua_push_average(L, &a.avg, label);
    mdx_average_free(&a.avg);
    mdx_lua_result *r = lua_touserdata(L, -1);
    memcpy(r->element, a.base.element, sizeof r->element);
    memcpy(r->edge, a.base.edge, sizeof r->edge);
    return 1;
}

/* sel:sums() -> {result, ...}: each folder's sum, in (frame, atom) order,
 * each with .frame and .atom. */
static int selection_sums(lua_State *L)
{
    lua_selection *ls = mdx_lua_check_selection(L, 1);
    collected c = {{collect_folder, release_collected, 0, 0, "", ""}, NULL, 0, 0};
    double k[MDX_NK];
    mdx_kgrid(k);
    mdx_lua_run_sums(L, ls, MDX_GROUP_NONE, &c.base);
    char whole[1100];
    mdx_lua_result_label(mdx_lua_selection_source(L), ls->label, whole, sizeof whole);
    lua_createtable(L, (int)c.n, 0);
    for (size_t i = 0; i < c.n; i++) {
        char label[1200];
        snprintf(label, sizeof label, "%s; frame %ld atom %ld", whole,
                 c.e[i].frame, c.e[i].atom);
        mdx_lua_result *r = mdx_lua_new_result(L, MDX_NK, 0, label);
        memcpy(r->k, k, sizeof k);
        memcpy(r->chi, c.e[i].chi, sizeof k);
        r->nfolders = 1;
        r->nwith = c.e[i].npaths > 0;
        r->npaths = c.e[i].npaths;
        r->frame = c.e[i].frame;
        r->atom = c.e[i].atom;
        memcpy(r->element, c.base.element, sizeof r->element);
        memcpy(r->edge, c.base.edge, sizeof r->edge);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    free(c.e);
    return 1;
}

/* Each path type's running sum over the folders, for by_type(): memory
 * for the types, not for every folder. */
typedef struct type_sums {
    mdx_lua_sink base;
    struct type_sum {
        char type[MDX_TYPE_MAX];
        size_t npaths, nwith;
        double chi[MDX_NK];
    } *t;
    size_t n, cap, nfolders;
    long frame, atom;  /* of the last folder counted */
} type_sums;

static int add_type(void *ctx, const mdx_folder_chi *f)
{
    type_sums *s = ctx;
    if (f->npaths == 0 && s->base.skip_empty)
        return 0;
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
        struct type_sum *grown = mdx_grow(s->t, &s->cap, s->n + 1,
                                          sizeof *s->t, 16);
        if (!grown)
            return s->base.nomem = 1;
        s->t = grown;
        memset(&s->t[i], 0, sizeof s->t[i]);
        snprintf(s->t[i].type, sizeof s->t[i].type, "%s", f->group);
        s->n++;
    }
    for (int j = 0; j < MDX_NK; j++)
        s->t[i].chi[j] += f->chi[j];
    s->t[i].npaths += f->npaths;
    s->t[i].nwith++;
    return 0;
}

static void release_type_sums(void *s)
{
    free(((type_sums *)s)->t);
}

/* sel:by_type() -> {[type] = result}: each path type's share of the
 * average. Every type is divided by the number of folders of the whole
 * selection, so that the shares add up to sel:average(). */
static int selection_by_type(lua_State *L)
{
    lua_selection *ls = mdx_lua_check_selection(L, 1);
    type_sums s = {{add_type, release_type_sums, 0, 0, "", ""}, NULL, 0, 0, 0,
                   0, 0};
    double k[MDX_NK];
    mdx_kgrid(k);
    mdx_lua_run_sums(L, ls, MDX_GROUP_TYPE, &s.base);
    char whole[1100];
    mdx_lua_result_label(mdx_lua_selection_source(L), ls->label, whole, sizeof whole);
    lua_newtable(L);
    for (size_t i = 0; i < s.n; i++) {
        char label[sizeof whole + MDX_TYPE_MAX + 64];
        snprintf(label, sizeof label, "%s; type %s (share of the average)",
                 whole, s.t[i].type);
        mdx_lua_result *r = mdx_lua_new_result(L, MDX_NK, 0, label);
        memcpy(r->k, k, sizeof k);
        for (int j = 0; j < MDX_NK; j++)
            r->chi[j] = s.t[i].chi[j] / (double)s.nfolders;
        r->nfolders = s.nfolders;
        r->nwith = s.t[i].nwith;
        r->npaths = s.t[i].npaths;
        memcpy(r->element, s.base.element, sizeof r->element);
        memcpy(r->edge, s.base.edge, sizeof r->edge);
        lua_setfield(L, -2, s.t[i].type);
    }
    free(s.t);
    return 1;
}

/* Selected paths' metadata, copied out of the source's buffers: the
 * strings into one growing text, as offsets (its address moves). */
typedef struct listed {
    struct listed_path {
        mdx_path_meta m;
        size_t type, elements, absorber, dir;   /* offsets into text */
    } *p;
    size_t n, cap;
    char *text;
    size_t used, text_cap;
    int nomem;
} listed;

/* Copy s into l->text; its offset, or (size_t)-1 when out of memory. */
static size_t keep_text(listed *l, const char *s)
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
    listed *l = ctx;
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

static void release_listed(void *ctx)
{
    listed *l = ctx;
    free(l->p);
    free(l->text);
}

/* sel:paths() -> {{frame=, atom=, num=, nleg=, deg=, reff=, type=,
 * elements=, absorber=, dir=}, ...} */
static int selection_paths(lua_State *L)
{
    listed l = {0};
    mdx_lua_run_paths(L, mdx_lua_check_selection(L, 1), list_path, &l,
                      &l.nomem, release_listed);
    lua_createtable(L, (int)l.n, 0);
    for (size_t i = 0; i < l.n; i++) {
        struct listed_path *p = &l.p[i];
        p->m.type = l.text + p->type;
        p->m.elements = l.text + p->elements;
        p->m.absorber = l.text + p->absorber;
        p->m.dir = l.text + p->dir;
        mdx_lua_push_meta(L, &p->m);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    release_listed(&l);
    return 1;
}

/* sel:count() -> paths, folders with them: counted as they come. */
typedef struct counted {
    size_t paths, folders;
    long frame, atom;
    int nomem;
} counted;

static int count_path(void *ctx, const mdx_path_meta *m)
{
    counted *c = ctx;
    if (c->paths++ == 0 || m->frame != c->frame || m->atom != c->atom) {
        c->folders++;
        c->frame = m->frame;
        c->atom = m->atom;
    }
    return 0;
}

static void release_nothing(void *ctx)
{
    (void)ctx;
}

static int selection_count(lua_State *L)
{
    counted c = {0};
    mdx_lua_run_paths(L, mdx_lua_check_selection(L, 1), count_path, &c,
                      &c.nomem, release_nothing);
    lua_pushinteger(L, (lua_Integer)c.paths);
    lua_pushinteger(L, (lua_Integer)c.folders);
    return 2;
}

static int selection_tostring(lua_State *L)
{
    lua_pushfstring(L, "mdexafs selection: %s", mdx_lua_check_selection(L, 1)->label);
    return 1;
}

void mdx_lua_open_selection(lua_State *L)
{
    static const luaL_Reg selection_methods[] = {
        {"average", selection_average},
        {"sums", selection_sums},
        {"by_type", selection_by_type},
        {"paths", selection_paths},
        {"count", selection_count},
        {NULL, NULL},
    };
    static const luaL_Reg meta[] = {
        {"__gc", mdx_lua_selection_gc},
        {"__tostring", selection_tostring},
        {NULL, NULL},
    };
    mdx_lua_new_class(L, MDX_SELECTION_MT, meta, selection_methods, NULL);

    mdx_lua_open_paths(L);
}
