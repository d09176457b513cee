/* Running a selection's query from Lua: the selection's Lua callbacks
 * (where, folders, the parameter functions) called in protected mode, as
 * the query's hooks. sel's methods (lua_query.c) run through
 * mdx_lua_run_sums and mdx_lua_run_paths. */
#include <stdio.h>
#include <string.h>

#include "lua_private.h"

/* The selection's callbacks: `where`, `folders` and the parameters. */
typedef struct query {
    lua_State *L;
    int where;            /* stack index of `where`, 0 if none */
    int params;           /* stack index of the parameter table, 0 if none */
    int folders;          /* stack index of `folders`, 0 if none */
    char error[1024];     /* what a callback raised */
} query;

static int push_meta_protected(lua_State *L)
{
    mdx_lua_push_meta(L, lua_touserdata(L, 1));
    return 1;
}

static int push_folder_protected(lua_State *L)
{
    mdx_lua_push_folder(L, lua_touserdata(L, 1));
    return 1;
}

/* Call the predicate `what` at stack index fn on the table `push` makes
 * of arg, in protected mode (a Lua error must not unwind through the C
 * query, which holds memory and SQLite statements): 1 keep, 0 drop, -1 it
 * raised or returned something else than true or false (0 is true in Lua
 * and false in Python: no guessing) — the message goes to q->error. */
static int call_predicate(query *q, const char *what, int fn,
                          lua_CFunction push, const void *arg)
{
    lua_State *L = q->L;
    int top = lua_gettop(L), keep = -1;
    lua_pushvalue(L, fn);
    lua_pushcfunction(L, push);
    lua_pushlightuserdata(L, (void *)arg);
    if (lua_pcall(L, 1, 1, 0) != LUA_OK || lua_pcall(L, 1, 1, 0) != LUA_OK)
        snprintf(q->error, sizeof q->error, "%s", lua_tostring(L, -1));
    else if (lua_isboolean(L, -1))
        keep = lua_toboolean(L, -1);
    else
        snprintf(q->error, sizeof q->error, "select: the %s function returned "
                 "%s, not true or false", what, luaL_typename(L, -1));
    lua_settop(L, top);
    return keep;
}

static int call_folders(void *ctx, const mdx_folder_meta *f)
{
    query *q = ctx;
    return call_predicate(q, "folders", q->folders, push_folder_protected, f);
}

static int call_where(void *ctx, const mdx_path_meta *m)
{
    query *q = ctx;
    return call_predicate(q, "where", q->where, push_meta_protected, m);
}

typedef struct params_call {
    const mdx_path_meta *m;
    mdx_chi_params *par;
} params_call;

/* (call, table): runs in its own frame, so the table comes as argument. */
static int param_functions_protected(lua_State *L)
{
    params_call *c = lua_touserdata(L, 1);
    mdx_lua_param_functions(L, 2, c->m, c->par);
    return 0;
}

/* The params hook: the parameter table's functions for path m. */
static int call_params(void *ctx, const mdx_path_meta *m, mdx_chi_params *par)
{
    query *q = ctx;
    lua_State *L = q->L;
    params_call c = {m, par};
    lua_pushcfunction(L, param_functions_protected);
    lua_pushlightuserdata(L, &c);
    lua_pushvalue(L, q->params);
    if (lua_pcall(L, 2, 0, 0) == LUA_OK)
        return 0;
    snprintf(q->error, sizeof q->error, "%s", lua_tostring(L, -1));
    lua_pop(L, 1);
    return -1;
}

/* Does the parameter table at idx hold a function? */
static int has_function(lua_State *L, int idx)
{
    int found = 0;
    lua_pushnil(L);
    while (!found && lua_next(L, idx)) {
        found = lua_isfunction(L, -1);
        lua_pop(L, 1);
    }
    if (found)
        lua_pop(L, 1);  /* the key lua_next left */
    return found;
}

/* Set the query's hooks; leaves `where`, the parameter table and
 * `folders` (or nils) on the stack. */
static void begin_query(lua_State *L, lua_selection *ls, query *q)
{
    q->L = L;
    q->error[0] = '\0';
    lua_getiuservalue(L, 1, 2);
    q->where = lua_isfunction(L, -1) ? lua_gettop(L) : 0;
    lua_getiuservalue(L, 1, 3);
    q->params = lua_istable(L, -1) && has_function(L, lua_gettop(L))
                    ? lua_gettop(L) : 0;
    lua_getiuservalue(L, 1, 4);
    q->folders = lua_isfunction(L, -1) ? lua_gettop(L) : 0;
    mdx_query_hooks(ls->query, q->where ? call_where : NULL,
                    q->params ? call_params : NULL,
                    q->folders ? call_folders : NULL, q);
}

mdx_source *mdx_lua_selection_source(lua_State *L)
{
    lua_getiuservalue(L, 1, 1);
    mdx_source *src = mdx_lua_check_source(L, -1);
    lua_pop(L, 1);
    return src;
}

/* Say on stderr that the last query left failed folders out. */
static void say_left_out(mdx_source *src, mdx_query *q)
{
    size_t n = mdx_query_left_out(q);
    if (n)
        fprintf(stderr, "mdexafs: %s: left out %zu folder%s that failed to "
                "build (mdexafs info %s lists them)\n", mdx_source_path(src),
                n, n == 1 ? "" : "s", mdx_source_path(src));
}

void mdx_lua_push_average(lua_State *L, const mdx_average *avg, mdx_query *q)
{
    /* one folder has no spread to speak of: no sem, rather than zeros */
    size_t n = mdx_average_size(avg);
    mdx_lua_result *r = mdx_lua_new_result(L, n, mdx_average_nfolders(avg) >= 2,
                                           mdx_query_label(q));
    memcpy(r->k, mdx_average_k(avg), n * sizeof *r->k);
    mdx_average_result(avg, r->chi, r->sem);
    r->nfolders = mdx_average_nfolders(avg);
    r->nwith = mdx_average_nwith(avg);
    r->npaths = mdx_average_npaths(avg);
    r->mean = 1;
    snprintf(r->element, sizeof r->element, "%s", mdx_query_element(q));
    snprintf(r->edge, sizeof r->edge, "%s", mdx_query_edge(q));
}

void mdx_lua_run(lua_State *L, lua_selection *ls, mdx_lua_runner run, void *arg)
{
    query q;
    mdx_error err;
    mdx_source *src = mdx_lua_selection_source(L);  /* raises when closed */
    lua_getiuservalue(L, 1, 1);
    lua_source *owner = lua_touserdata(L, -1);  /* kept by the selection */
    lua_pop(L, 1);
    begin_query(L, ls, &q);
    owner->busy++;
    mdx_status rc = run(ls->query, arg, &err);
    owner->busy--;
    lua_pop(L, 3);  /* where, params, folders */
    if (rc && q.error[0]) {  /* a callback's own error, with its position */
        lua_pushstring(L, q.error);
        lua_error(L);
    }
    if (rc)
        mdx_lua_raise(L, &err);
    say_left_out(src, ls->query);
}

typedef struct sums_run {
    enum mdx_grouping grouping;
    mdx_lua_sink *sink;
} sums_run;

static mdx_status run_sums(mdx_query *q, void *arg, mdx_error *err)
{
    sums_run *r = arg;
    mdx_status rc = mdx_query_sum(q, r->grouping, r->sink->fn, r->sink, err);
    if (!rc && r->sink->nomem)
        rc = mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    if (rc)
        r->sink->release(r->sink);
    return rc;
}

void mdx_lua_run_sums(lua_State *L, lua_selection *ls,
                      enum mdx_grouping grouping, mdx_lua_sink *k)
{
    sums_run r = {grouping, k};
    mdx_lua_run(L, ls, run_sums, &r);
}

typedef struct paths_run {
    int (*fn)(void *ctx, const mdx_path_meta *m);
    void *ctx;
    const int *nomem;
    void (*release)(void *ctx);
} paths_run;

static mdx_status run_paths(mdx_query *q, void *arg, mdx_error *err)
{
    paths_run *r = arg;
    mdx_status rc = mdx_query_each_path(q, r->fn, r->ctx, err);
    if (!rc && *r->nomem)
        rc = mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    if (rc)
        r->release(r->ctx);
    return rc;
}

void mdx_lua_run_paths(lua_State *L, lua_selection *ls,
                       int (*fn)(void *ctx, const mdx_path_meta *m), void *ctx,
                       const int *nomem, void (*release)(void *ctx))
{
    paths_run r = {fn, ctx, nomem, release};
    mdx_lua_run(L, ls, run_paths, &r);
}
