/* Running a selection over its source from Lua: the selection's Lua
 * callbacks (where, folders, params) called in protected mode, the first
 * kept path noted for XDI headers, and the names the selection gives
 * checked against the paths it selected. sel's methods (lua_query.c) run
 * through mdx_lua_run_sums and mdx_lua_run_paths. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua_private.h"
#include "mdexafs/average.h"
#include "mdexafs/chi.h"
#include "mdexafs/source.h"

/* The first kept path of a query: where results' absorber and edge come
 * from. */
typedef struct first_path {
    long frame, atom;
    int num;
    char element[8];
    int found;
} first_path;

/* The selection's callbacks: `where` and the path parameters. */
typedef struct query {
    lua_State *L;
    lua_selection *ls;
    int where;            /* stack index of `where`, 0 if none */
    int params;           /* stack index of the parameter table, 0 if none */
    int folders;          /* stack index of `folders`, 0 if none */
    first_path first;
    char error[1024];     /* what a callback raised */
} query;

static int push_meta_protected(lua_State *L)
{
    mdx_lua_push_meta(L, lua_touserdata(L, 1));
    return 1;
}

/* Call the predicate at stack index fn on the table `push` makes of arg,
 * in protected mode (a Lua error must not unwind through the C query,
 * which holds memory and SQLite statements): 1 keep, 0 drop, -1 it
 * raised (the message goes to q->error). */
static int call_predicate(query *q, int fn, lua_CFunction push, const void *arg)
{
    lua_State *L = q->L;
    int top = lua_gettop(L), keep = -1;
    lua_pushvalue(L, fn);
    lua_pushcfunction(L, push);
    lua_pushlightuserdata(L, (void *)arg);
    if (lua_pcall(L, 1, 1, 0) == LUA_OK && lua_pcall(L, 1, 1, 0) == LUA_OK)
        keep = lua_toboolean(L, -1);
    else
        snprintf(q->error, sizeof q->error, "%s", lua_tostring(L, -1));
    lua_settop(L, top);
    return keep;
}

static int push_folder_protected(lua_State *L)
{
    mdx_lua_push_folder(L, lua_touserdata(L, 1));
    return 1;
}

/* The folder_keep callback: folders(f). */
static int call_folders(void *ctx, const mdx_folder_meta *f)
{
    query *q = ctx;
    return call_predicate(q, q->folders, push_folder_protected, f);
}

/* The keep callback: `where`, if any; note the first kept path and the
 * types and elements of all. */
static int call_keep(void *ctx, const mdx_path_meta *m)
{
    query *q = ctx;
    int keep = q->where ? call_predicate(q, q->where, push_meta_protected, m)
                        : 1;
    if (keep != 1)
        return keep;
    if (!q->first.found) {
        q->first = (first_path){m->frame, m->atom, m->num, "", 1};
        snprintf(q->first.element, sizeof q->first.element, "%s", m->absorber);
    } else if (strcmp(q->first.element, m->absorber) != 0) {
        snprintf(q->error, sizeof q->error, "select: the paths have absorbers "
                 "%s (frame %ld atom %ld) and %s (frame %ld atom %ld): an "
                 "average of two edges means nothing; choose one with "
                 "absorber =", q->first.element, q->first.frame,
                 q->first.atom, m->absorber, m->frame, m->atom);
        return -1;
    }
    if (!mdx_lua_seen_add(&q->ls->types_seen, m->type) ||
        (q->ls->sel.nelements &&
         !mdx_lua_seen_add(&q->ls->elements_seen, m->elements))) {
        snprintf(q->error, sizeof q->error, "out of memory");
        return -1;
    }
    return 1;
}

/* After a query: every path type and elements string the selection or
 * its parameter tables name must have been on a selected path. The first
 * that was not goes to what ("select", "elements", "params") and name;
 * returns 0 when all were. */
static int unmatched_name(lua_State *L, lua_selection *ls, char what[16],
                          char *name, size_t size)
{
    for (size_t i = 0; i < ls->sel.ntypes; i++)
        if (!mdx_lua_seen_has(&ls->types_seen, ls->types[i].name)) {
            snprintf(what, 16, "select");
            snprintf(name, size, "%s", ls->types[i].name);
            return 1;
        }
    for (size_t i = 0; i < ls->sel.nelements; i++)
        if (!mdx_lua_seen_has(&ls->elements_seen, ls->elements[i].name)) {
            snprintf(what, 16, "elements");
            snprintf(name, size, "%s", ls->elements[i].name);
            return 1;
        }
    int found = 0, params = lua_gettop(L) + 1;
    lua_getiuservalue(L, 1, 3);  /* params: {name = {[type] = value}} */
    if (lua_istable(L, params)) {
        lua_pushnil(L);
        while (!found && lua_next(L, params)) {
            int table = lua_gettop(L);
            for (lua_pushnil(L); lua_istable(L, table) && lua_next(L, table);
                 lua_pop(L, 1))
                if (lua_type(L, -2) == LUA_TSTRING &&
                    strcmp(lua_tostring(L, -2), "*") != 0 &&
                    !mdx_lua_seen_has(&ls->types_seen, lua_tostring(L, -2))) {
                    snprintf(what, 16, "params");
                    snprintf(name, size, "%s", lua_tostring(L, -2));
                    found = 1;
                    break;
                }
            lua_settop(L, table - 1);  /* keep the key for lua_next */
        }
    }
    lua_settop(L, params - 1);
    return found;
}

typedef struct params_call {
    const mdx_path_meta *m;
    mdx_chi_params *par;
} params_call;

/* (call, table): runs in its own frame, so the table comes as argument. */
static int path_params_protected(lua_State *L)
{
    params_call *c = lua_touserdata(L, 1);
    mdx_lua_path_params(L, 2, c->m, c->par);
    return 0;
}

/* The params callback: the parameter table's values for path m. */
static int call_params(void *ctx, const mdx_path_meta *m, mdx_chi_params *par)
{
    query *q = ctx;
    lua_State *L = q->L;
    params_call c = {m, par};
    lua_pushcfunction(L, path_params_protected);
    lua_pushlightuserdata(L, &c);
    lua_pushvalue(L, q->params);
    if (lua_pcall(L, 2, 0, 0) == LUA_OK)
        return 0;
    snprintf(q->error, sizeof q->error, "%s", lua_tostring(L, -1));
    lua_pop(L, 1);
    return -1;
}

/* Prepare the callbacks; leaves `where`, the parameter table and
 * `folders` (or nils) on the stack. */
static void begin_query(lua_State *L, lua_selection *ls, query *q)
{
    q->L = L;
    q->ls = ls;
    mdx_lua_seen_clear(&ls->types_seen);
    mdx_lua_seen_clear(&ls->elements_seen);
    q->first.found = 0;
    q->error[0] = '\0';
    lua_getiuservalue(L, 1, 2);
    q->where = lua_isfunction(L, -1) ? lua_gettop(L) : 0;
    lua_getiuservalue(L, 1, 3);
    q->params = lua_istable(L, -1) ? lua_gettop(L) : 0;
    lua_getiuservalue(L, 1, 4);
    q->folders = lua_isfunction(L, -1) ? lua_gettop(L) : 0;
    ls->sel.folder_keep = q->folders ? call_folders : NULL;
    ls->sel.folder_keep_ctx = q;
    ls->sel.keep = call_keep;
    ls->sel.keep_ctx = q;
    ls->sel.params = q->params ? call_params : NULL;
    ls->sel.params_ctx = q;
}

/* Raise the query's failure: a callback's own error, as it raised it
 * (with its own position), if one did. */
static int query_failed(lua_State *L, const query *q, const mdx_error *err)
{
    if (q->error[0]) {
        lua_pushstring(L, q->error);
        return lua_error(L);
    }
    return mdx_lua_raise(L, err);
}

mdx_source *mdx_lua_selection_source(lua_State *L)
{
    lua_getiuservalue(L, 1, 1);
    mdx_source *src = mdx_lua_check_source(L, -1);
    lua_pop(L, 1);
    return src;
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

/* The absorber and edge of the query's first kept path, for XDI headers
 * (left empty when they cannot be had). */
static void absorber_of(mdx_source *src, const query *q, char element[8],
                        char edge[8])
{
    const first_path *f = &q->first;
    mdx_path path;
    mdx_error err;
    element[0] = edge[0] = '\0';
    if (!f->found)
        return;
    snprintf(element, 8, "%s", f->element);
    if (mdx_source_get_path(src, f->frame, f->atom, f->num, &path, &err))
        return;
    xdi_edge(path.edge_label, edge);
    mdx_path_free(&path);
}

void mdx_lua_push_average(lua_State *L, const mdx_average *avg,
                          const char *label)
{
    mdx_lua_result *r = mdx_lua_new_result(L, avg->n, 1, label);
    memcpy(r->k, avg->k, avg->n * sizeof *r->k);
    mdx_average_result(avg, r->chi, r->sem);
    r->nfolders = avg->nfolders;
    r->nwith = avg->nwith;
    r->npaths = avg->npaths;
}


/* After a query: when it failed, ran out of memory or left a name of
 * the selection unmatched, release(owned) what it gathered and raise. */
static void end_query(lua_State *L, lua_selection *ls, mdx_source *src,
                      const query *q, mdx_status rc, const mdx_error *err,
                      int nomem, void (*release)(void *owned), void *owned)
{
    char what[16], name[MDX_TYPE_MAX];
    int unmatched = !rc && !nomem &&
                    unmatched_name(L, ls, what, name, sizeof name);
    if (rc || nomem || unmatched)
        release(owned);
    if (nomem)
        luaL_error(L, "out of memory");
    if (rc)
        query_failed(L, q, err);
    if (unmatched)
        mdx_lua_unknown_name(L, src, &ls->sel, what, name, ls->label);
}

void mdx_lua_run_sums(lua_State *L, lua_selection *ls,
                      enum mdx_grouping grouping, mdx_lua_sink *k)
{
    mdx_source *src = mdx_lua_selection_source(L);
    query q;
    mdx_error err;
    k->skip_empty = ls->skip_empty;
    begin_query(L, ls, &q);
    mdx_status rc = mdx_source_sum(src, &ls->sel, grouping, k->fn, k, &err);
    if (rc == MDX_OK && !k->nomem)
        absorber_of(src, &q, k->element, k->edge);
    lua_pop(L, 3);  /* where, params, folders */
    end_query(L, ls, src, &q, rc, &err, k->nomem, k->release, k);
}

void mdx_lua_run_paths(lua_State *L, lua_selection *ls,
                       int (*fn)(void *ctx, const mdx_path_meta *m), void *ctx,
                       const int *nomem, void (*release)(void *ctx))
{
    mdx_source *src = mdx_lua_selection_source(L);
    query q;
    mdx_error err;
    begin_query(L, ls, &q);
    mdx_status rc = mdx_source_each_path(src, &ls->sel, fn, ctx, &err);
    lua_pop(L, 3);  /* where, params, folders */
    end_query(L, ls, src, &q, rc, &err, *nomem, release, ctx);
}
