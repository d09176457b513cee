/* The queries of a selection: sel:average(), sel:sums(), sel:by_type(),
 * sel:paths(), sel:count(), each a sink of what lua_run.c runs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/grow.h"
#include "lua_private.h"
#include "mdexafs/query.h"
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

static mdx_status run_average(mdx_query *q, void *avg, mdx_error *err)
{
    return mdx_query_average(q, avg, err);
}

/* sel:average() -> result: the mean over the admitted folders of each
 * folder's sum of selected paths, with its standard error. Raises when
 * nothing matches. */
static int selection_average(lua_State *L)
{
    lua_selection *ls = mdx_lua_check_selection(L, 1);
    mdx_average *avg;
    mdx_lua_run(L, ls, run_average, &avg);
    mdx_lua_push_average(L, avg, ls->query);
    mdx_average_free(avg);
    return 1;
}

/* sel:sums() -> {result, ...}: each folder's sum, in (frame, atom) order,
 * each with .frame and .atom. */
static int selection_sums(lua_State *L)
{
    lua_selection *ls = mdx_lua_check_selection(L, 1);
    collected c = {{collect_folder, release_collected, 0}, NULL, 0, 0};
    double k[MDX_NK];
    mdx_kgrid(k);
    mdx_lua_run_sums(L, ls, MDX_GROUP_NONE, &c.base);
    char whole[1100];
    snprintf(whole, sizeof whole, "%s", mdx_query_label(ls->query));
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
        snprintf(r->element, sizeof r->element, "%s", mdx_query_element(ls->query));
        snprintf(r->edge, sizeof r->edge, "%s", mdx_query_edge(ls->query));
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    free(c.e);
    return 1;
}

static mdx_status run_by_type(mdx_query *q, void *shares, mdx_error *err)
{
    return mdx_query_by_type(q, shares, err);
}

/* sel:by_type() -> {[type] = result}: each path type's share of the
 * average. Every type is divided by the number of folders of the whole
 * selection, so that the shares add up to sel:average(). */
static int selection_by_type(lua_State *L)
{
    lua_selection *ls = mdx_lua_check_selection(L, 1);
    mdx_type_shares *s;
    double k[MDX_NK];
    mdx_kgrid(k);
    mdx_lua_run(L, ls, run_by_type, &s);
    char whole[1100];
    snprintf(whole, sizeof whole, "%s", mdx_query_label(ls->query));
    lua_newtable(L);
    for (size_t i = 0; i < mdx_type_shares_size(s); i++) {
        const char *type = mdx_type_share_type(s, i);
        char label[sizeof whole + MDX_TYPE_MAX + 64];
        snprintf(label, sizeof label, "%s; type %s (share of the average)",
                 whole, type);
        mdx_lua_result *r = mdx_lua_new_result(L, MDX_NK, 0, label);
        memcpy(r->k, k, sizeof k);
        memcpy(r->chi, mdx_type_share_chi(s, i), sizeof k);
        r->nfolders = mdx_type_shares_nfolders(s);
        r->nwith = mdx_type_share_nwith(s, i);
        r->npaths = mdx_type_share_npaths(s, i);
        snprintf(r->element, sizeof r->element, "%s", mdx_query_element(ls->query));
        snprintf(r->edge, sizeof r->edge, "%s", mdx_query_edge(ls->query));
        lua_setfield(L, -2, type);
    }
    mdx_type_shares_free(s);
    return 1;
}

static mdx_status run_list(mdx_query *q, void *list, mdx_error *err)
{
    return mdx_query_paths(q, list, err);
}

/* sel:paths() -> {{frame=, atom=, num=, nleg=, deg=, reff=, type=,
 * elements=, absorber=, dir=}, ...} */
static int selection_paths(lua_State *L)
{
    mdx_path_list *l;
    mdx_lua_run(L, mdx_lua_check_selection(L, 1), run_list, &l);
    size_t n = mdx_path_list_size(l);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        mdx_lua_push_meta(L, mdx_path_list_get(l, i));
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    mdx_path_list_free(l);
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
    lua_pushfstring(L, "mdexafs selection: %s", mdx_query_label(mdx_lua_check_selection(L, 1)->query));
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
