/* The models of mdexafs.fit: one per data set, the MD average fitted to
 * measured chi(k) as xraylarch's feffit does (mdx_fit_datasets). The
 * model's paths are read once and kept; each evaluation calls params(p,
 * v, d) for every path (protected), computes every path's chi(k) on all
 * threads and averages them with the selections' own denominators. The
 * options, result table and report are made in lua_fit_report.c. */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "util/grow.h"
#include "lua_fit.h"
#include "mdexafs/chi.h"

/* The paths of one selection, read once. */
static int add_meta(void *ctx, const mdx_path_meta *m)
{
    fit_model *f = ctx;
    fit_path *p = mdx_grow(f->paths, &f->paths_cap, f->npaths + 1, sizeof *p,
                           256);
    if (!p)
        return f->nomem = 1;
    f->paths = p;
    p += f->npaths;
    memset(p, 0, sizeof *p);
    p->meta = *m;
    snprintf(p->type, sizeof p->type, "%s", m->type);
    snprintf(p->elements, sizeof p->elements, "%s", m->elements);
    snprintf(p->absorber, sizeof p->absorber, "%s", m->absorber);
    p->dir = strdup(m->dir);
    if (!p->dir)
        return f->nomem = 1;
    p->meta.type = p->meta.elements = p->meta.absorber = p->meta.dir = NULL;
    p->group = f->ngroups;
    f->npaths++;
    return 0;
}

/* The folders an average of the selection divides by. */
typedef struct folder_count {
    mdx_lua_sink sink;  /* first: the sums' callback gets its address */
    size_t n;
} folder_count;

static int count_folder(void *ctx, const mdx_folder_chi *fc)
{
    folder_count *c = ctx;
    (void)fc;
    c->n++;
    return 0;
}

static void release_nothing(void *ctx) { (void)ctx; }

/* Read selection `ls` (at stack index idx) into f: its paths' FEFF data
 * and its denominator, the folders its average counts. */
static void read_selection(lua_State *L, int idx, fit_model *f)
{
    lua_selection *ls = mdx_lua_check_selection(L, idx);
    if (lua_getiuservalue(L, idx, 3) != LUA_TNIL)
        luaL_error(L, "fit: a model selection with its own params: give "
                      "every path parameter through the fit's params");
    lua_pop(L, 1);
    lua_pushvalue(L, idx);  /* the queries read the selection at index 1 */
    lua_insert(L, 1);
    size_t first = f->npaths;
    mdx_lua_run_paths(L, ls, add_meta, f, &f->nomem, release_nothing);
    folder_count count = {{count_folder, release_nothing, 0}, 0};
    mdx_lua_run_sums(L, ls, MDX_GROUP_NONE, &count.sink);
    lua_remove(L, 1);
    if (f->npaths == first) {
        char set[32] = "";
        if (f->several)
            snprintf(set, sizeof set, "data set %d: ", f->dataset);
        luaL_error(L, "fit: %smodel selection %d selects no path (%s)", set,
                   f->ngroups + 1, mdx_query_label(ls->query));
    }
    f->denominators[f->ngroups++] = (double)count.n;
    mdx_source *src = mdx_lua_check_source(L, -1);
    for (size_t i = first; i < f->npaths; i++) {
        fit_path *p = &f->paths[i];
        mdx_error err;
        if (mdx_source_get_path(src, p->meta.frame, p->meta.atom, p->meta.num,
                                &p->path, &err))
            mdx_lua_raise(L, &err);
        p->read = 1;
    }
}

/* The model's selections: one, or a list of them. */
static void read_model(lua_State *L, int idx, fit_model *f)
{
    idx = lua_absindex(L, idx);
    int list = lua_type(L, idx) == LUA_TTABLE;
    lua_Integer n = list ? luaL_len(L, idx) : 1;
    if (n < 1 || n > FIT_MAX_GROUPS)
        luaL_error(L, "fit: model must be a selection or a list of 1 to %d",
                   FIT_MAX_GROUPS);
    for (lua_Integer i = 1; i <= n; i++) {
        if (list)
            lua_geti(L, idx, i);
        else
            lua_pushvalue(L, idx);
        lua_getiuservalue(L, -1, 1);  /* its source, for get_path */
        read_selection(L, -2, f);
        lua_pop(L, 2);
    }
}

/* v's __index: a name that is not a variable is a mistake, never nil
 * (which a parameter would take as its default). Upvalue 1: the values,
 * 2: the known names. */
static int variable_of(lua_State *L)
{
    if (lua_getfield(L, lua_upvalueindex(1), luaL_checkstring(L, 2)) !=
        LUA_TNIL)
        return 1;
    return luaL_error(L, "fit: params read v.%s, which is not one of the "
                         "variables (%s)", lua_tostring(L, 2),
                      lua_tostring(L, lua_upvalueindex(2)));
}

static int variables_read_only(lua_State *L)
{
    return luaL_error(L, "fit: params must not change the variables "
                         "(v.%s = ...)", luaL_tolstring(L, 2, NULL));
}

/* Push v: a read-only table of the variables' values. */
static void push_variables(lua_State *L, const fit_model *f,
                           const double *values)
{
    luaL_Buffer names;
    lua_newtable(L);                          /* v, empty: a proxy */
    lua_createtable(L, 0, 2);                 /* its metatable */
    lua_createtable(L, 0, (int)f->nvars);     /* the values */
    for (size_t i = 0; i < f->nvars; i++) {
        lua_pushnumber(L, values[i]);
        lua_setfield(L, -2, f->vars[i].name);
    }
    luaL_buffinit(L, &names);
    for (size_t i = 0; i < f->nvars; i++) {
        if (i)
            luaL_addchar(&names, ' ');
        luaL_addstring(&names, f->vars[i].name);
    }
    luaL_pushresult(&names);
    lua_pushcclosure(L, variable_of, 2);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, variables_read_only);
    lua_setfield(L, -2, "__newindex");
    lua_setmetatable(L, -2);
}

/* Protected: call params(p, v, d) for every path into its par. Stack: 1
 * the fit_model (light userdata), 2 the values (light userdata). */
static int eval_params(lua_State *L)
{
    fit_model *f = lua_touserdata(L, 1);
    push_variables(L, f, lua_touserdata(L, 2));
    lua_replace(L, 2);
    lua_rawgeti(L, LUA_REGISTRYINDEX, f->params_ref);
    lua_rawgeti(L, LUA_REGISTRYINDEX, f->tables_ref);
    for (size_t i = 0; i < f->npaths; i++) {
        fit_path *p = &f->paths[i];
        f->current = i;
        lua_pushvalue(L, 3);
        lua_rawgeti(L, 4, (lua_Integer)i + 1);
        lua_pushvalue(L, 2);
        lua_pushinteger(L, f->dataset);
        lua_call(L, 3, 1);
        if (!lua_istable(L, -1))
            luaL_error(L, "fit: params returned %s, not a table",
                       luaL_typename(L, -1));
        mdx_lua_check_params(L, -1, 0);
        p->par = mdx_chi_defaults();
        mdx_lua_path_params(L, -1, &p->par);
        lua_pop(L, 1);
    }
    return 0;
}

mdx_status mdx_lua_fit_model(void *ctx, const double *values, size_t nk,
                             double *chi, mdx_error *err)
{
    fit_model *f = ctx;
    lua_State *L = f->L;
    int top = lua_gettop(L);
    lua_pushcfunction(L, eval_params);
    lua_pushlightuserdata(L, f);
    lua_pushlightuserdata(L, (void *)values);
    if (lua_pcall(L, 2, 0, 0) != LUA_OK) {
        const fit_path *p = &f->paths[f->current];
        mdx_status st = mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "%s (path "
                                      "%d, %s, of %s)", lua_tostring(L, -1),
                                      p->meta.num, p->type, p->dir);
        lua_settop(L, top);
        return st;
    }
    lua_settop(L, top);
    double k[MDX_NK];
    mdx_kgrid(k);
    int failed = 0;
    size_t bad = 0;
    mdx_error first;
#pragma omp parallel
    {
        mdx_chi_work work = {0};
        mdx_error e;
#pragma omp for schedule(dynamic, 16)
        for (size_t i = 0; i < f->npaths; i++) {
            double *out = f->chis + i * MDX_NK;
            mdx_status st = mdx_chi(&f->paths[i].path, &f->paths[i].par, nk,
                                    k, out, &work, &e);
            if (st == MDX_ERR_RANGE)
                memset(out, 0, nk * sizeof *out);  /* reff < 0.05 Å */
            else if (st)
#pragma omp critical
                if (!failed || i < bad) {
                    failed = 1;
                    bad = i;
                    first = e;
                }
        }
        mdx_chi_work_free(&work);
    }
    if (failed) {
        const fit_path *p = &f->paths[bad];
        return mdx_error_set(err, first.code, NULL, 0, "path %d (%s) of %s: "
                             "%s", p->meta.num, p->type, p->dir, first.msg);
    }
    memset(chi, 0, nk * sizeof *chi);
    double part[MDX_NK];
    for (int g = 0; g < f->ngroups; g++) {
        memset(part, 0, nk * sizeof *part);
        for (size_t i = 0; i < f->npaths; i++)
            if (f->paths[i].group == g)
                for (size_t j = 0; j < nk; j++)
                    part[j] += f->chis[i * MDX_NK + j];
        for (size_t j = 0; j < nk; j++)
            chi[j] += part[j] / f->denominators[g];
    }
    return MDX_OK;
}

static int fit_model_gc(lua_State *L)
{
    fit_model *f = luaL_checkudata(L, 1, FIT_MODEL_MT);
    for (size_t i = 0; i < f->npaths; i++) {
        if (f->paths[i].read)
            mdx_path_free(&f->paths[i].path);
        free(f->paths[i].dir);
    }
    free(f->paths);
    free(f->chis);
    if (f->L) {
        luaL_unref(L, LUA_REGISTRYINDEX, f->params_ref);
        luaL_unref(L, LUA_REGISTRYINDEX, f->tables_ref);
    }
    memset(f, 0, sizeof *f);
    return 0;
}

/* A fit_model userdata (freed by __gc however the fit ends) with the
 * model's paths read and their Lua tables made. */
fit_model *mdx_lua_fit_model_new(lua_State *L, int model, int params,
                                 int dataset, int several)
{
    model = lua_absindex(L, model);
    params = lua_absindex(L, params);
    fit_model *f = lua_newuserdatauv(L, sizeof *f, 0);
    memset(f, 0, sizeof *f);
    f->params_ref = f->tables_ref = LUA_NOREF;
    if (luaL_newmetatable(L, FIT_MODEL_MT)) {
        lua_pushcfunction(L, fit_model_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    if (lua_type(L, params) != LUA_TFUNCTION)
        luaL_error(L, "fit: params must be a function (p, v, d) returning "
                      "the path parameters of path p for the variables' "
                      "values v in data set d, not %s",
                   luaL_typename(L, params));
    f->L = L;
    f->dataset = dataset;
    f->several = several;
    lua_pushvalue(L, params);
    f->params_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    if (lua_isnil(L, model))
        luaL_error(L, "fit: model (a selection, or a list of them) is "
                      "required");
    read_model(L, model, f);
    if (f->nomem || !(f->chis = malloc(f->npaths * MDX_NK * sizeof *f->chis)))
        luaL_error(L, "out of memory");
    lua_createtable(L, (int)f->npaths, 0);
    for (size_t i = 0; i < f->npaths; i++) {
        fit_path *p = &f->paths[i];  /* in place now: point into it */
        p->meta.type = p->type;
        p->meta.elements = p->elements;
        p->meta.absorber = p->absorber;
        p->meta.dir = p->dir;
        mdx_lua_push_meta(L, &p->meta);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    f->tables_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return f;
}
