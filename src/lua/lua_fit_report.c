/* mdexafs.fit{...}: its options (data, vars, transform; the model and
 * params in lua_fit.c), the fit, and the result table with a report in
 * the shape of xraylarch's feffit_report. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua_fit.h"
#include "mdexafs/chi.h"

#define TRANSFORM "fit: transform"

/* The transform table at idx (larch's names and defaults). */
static mdx_fit_transform transform_options(lua_State *L, int idx)
{
    static const char *const keys[] = {"kmin", "kmax", "dk", "dk2", "window",
        "rmin", "rmax", "dr", "dr2", "rwindow", "kweight", "fitspace",
        "epsilon_k", NULL};
    const char *const spaces[] = {mdx_fitspace_name(MDX_FIT_K),
                                  mdx_fitspace_name(MDX_FIT_R),
                                  mdx_fitspace_name(MDX_FIT_Q), NULL};
    mdx_fit_transform t = mdx_fit_transform_defaults();
    if (lua_isnoneornil(L, idx))
        return t;
    luaL_checktype(L, idx, LUA_TTABLE);
    mdx_lua_check_keys(L, idx, keys, TRANSFORM, "option");
    double *const numbers[] = {&t.kmin, &t.kmax, &t.dk, &t.dk2, &t.rmin,
                               &t.rmax, &t.dr, &t.dr2, &t.epsilon_k};
    const char *const names[] = {"kmin", "kmax", "dk", "dk2", "rmin", "rmax",
                                 "dr", "dr2", "epsilon_k"};
    for (size_t i = 0; i < sizeof numbers / sizeof *numbers; i++) {
        /* NaN is the C default of some (dk2: = dk; epsilon_k: estimated):
         * given, it is a mistake, not a request for the default */
        if (lua_getfield(L, idx, names[i]) == LUA_TNUMBER &&
            isnan(lua_tonumber(L, -1)))
            luaL_error(L, "%s: %s is NaN: give a number, or leave it out for "
                          "the default", TRANSFORM, names[i]);
        lua_pop(L, 1);
        *numbers[i] = mdx_lua_opt_number(L, idx, TRANSFORM, names[i],
                                          *numbers[i]);
    }
    const char *win[] = {"window", "rwindow"};
    enum mdx_window *w[] = {&t.window, &t.rwindow};
    for (int i = 0; i < 2; i++) {
        const char *name = mdx_lua_opt_string(L, idx, TRANSFORM, win[i], NULL);
        mdx_error err;
        if (name && mdx_window_parse(name, w[i], &err))
            luaL_error(L, "%s: %s: %s", TRANSFORM, win[i], err.msg);
    }
    t.space = (enum mdx_fitspace)mdx_lua_opt_choice(L, idx, TRANSFORM,
                                                    "fitspace", spaces, 1);
    int type = lua_getfield(L, idx, "kweight");
    if (type == LUA_TNUMBER || type == LUA_TTABLE) {
        int list = type == LUA_TTABLE;
        lua_Integer n = list ? luaL_len(L, -1) : 1;
        if (n < 1 || n > MDX_FIT_KWEIGHTS)
            luaL_error(L, "%s: kweight: 1 to %d k-weights", TRANSFORM,
                       MDX_FIT_KWEIGHTS);
        t.nkweights = (size_t)n;
        for (lua_Integer i = 0; i < n; i++) {
            if (list)
                lua_geti(L, -1, i + 1);
            int ok;
            lua_Integer kw = lua_tointegerx(L, -1, &ok);
            if (!ok || kw < 0 || kw > 10)
                luaL_error(L, "%s: kweight must be whole numbers 0 .. 10",
                           TRANSFORM);
            t.kweights[i] = (int)kw;
            if (list)
                lua_pop(L, 1);
        }
    } else if (type != LUA_TNIL) {
        luaL_error(L, "%s: kweight must be a number or a list of them",
                   TRANSFORM);
    }
    lua_pop(L, 1);
    return t;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const mdx_fit_var *)a)->name,
                  ((const mdx_fit_var *)b)->name);
}

/* One variable: a start, or {start, min = , max = }. */
static void read_var(lua_State *L, mdx_fit_var *v)
{
    static const char *const keys[] = {"min", "max", NULL};
    v->min = -INFINITY;
    v->max = INFINITY;
    if (lua_type(L, -1) == LUA_TNUMBER) {
        v->init = lua_tonumber(L, -1);
        return;
    }
    if (!lua_istable(L, -1))
        luaL_error(L, "fit: variable '%s' must be a start value or {start, "
                      "min = , max = }", v->name);
    lua_pushnil(L);
    while (lua_next(L, -2)) {  /* only [1], min and max */
        lua_pop(L, 1);
        if (!(lua_type(L, -1) == LUA_TNUMBER && lua_tointeger(L, -1) == 1)) {
            int found = 0;
            for (int i = 0; keys[i]; i++)
                found |= lua_type(L, -1) == LUA_TSTRING &&
                         !strcmp(lua_tostring(L, -1), keys[i]);
            if (!found)
                luaL_error(L, "fit: variable '%s': unknown key '%s' (known: "
                              "[1] the start, min, max)", v->name,
                           luaL_tolstring(L, -1, NULL));
        }
    }
    if (lua_geti(L, -1, 1) != LUA_TNUMBER)
        luaL_error(L, "fit: variable '%s' needs its start value first: {0.5, "
                      "min = 0}", v->name);
    v->init = lua_tonumber(L, -1);
    lua_pop(L, 1);
    v->min = mdx_lua_opt_number(L, lua_gettop(L), "fit: variable", "min",
                                -INFINITY);
    v->max = mdx_lua_opt_number(L, lua_gettop(L), "fit: variable", "max",
                                INFINITY);
}

/* The vars table at idx, in name order, in a userdata left on the stack. */
static mdx_fit_var *read_vars(lua_State *L, int idx, size_t *n)
{
    if (!lua_istable(L, idx))
        luaL_error(L, "fit: vars must be a table of name = start or {start, "
                      "min = , max = }");
    size_t count = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        count++;
    }
    if (count == 0)
        luaL_error(L, "fit: no variables to vary (vars is empty)");
    mdx_fit_var *vars = lua_newuserdatauv(L, count * sizeof *vars, 0);
    size_t i = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        if (lua_type(L, -2) != LUA_TSTRING ||
            strlen(lua_tostring(L, -2)) >= MDX_FIT_NAME_MAX)
            luaL_error(L, "fit: variable names are strings of at most %d "
                          "characters", MDX_FIT_NAME_MAX - 1);
        snprintf(vars[i].name, MDX_FIT_NAME_MAX, "%s", lua_tostring(L, -2));
        read_var(L, &vars[i++]);
        lua_pop(L, 1);
    }
    qsort(vars, count, sizeof *vars, by_name);
    *n = count;
    return vars;
}

/* The data: a chi(k) result, not k-weighted. */
static const mdx_lua_result *read_data(lua_State *L, int opts)
{
    lua_getfield(L, opts, "data");
    const mdx_lua_result *r = mdx_lua_test_result(L, -1);
    if (!r)
        luaL_error(L, "fit: data must be chi(k), as mdx.read_chi(file) "
                      "gives it, not %s", luaL_typename(L, -1));
    if (r->kweight != 0) {
        char w[32];
        snprintf(w, sizeof w, "%g", r->kweight);
        luaL_error(L, "fit: the data are k^%s-weighted chi(k) (%s): give "
                      "chi(k) itself", w, r->label);
    }
    return r;
}

/* Push the report (mdx_fit_report: feffit_report's sections but Paths). */
static void push_report(lua_State *L, const mdx_fit_transform *t,
                        const mdx_fit_var *vars, const mdx_fit_result *r,
                        const fit_model *f, const char *data_label)
{
    size_t len = mdx_fit_report(r, t, vars, f->npaths, f->denominators[0],
                                data_label, NULL, 0);
    if (len == 0)
        luaL_error(L, "out of memory");
    luaL_Buffer b;
    char *text = luaL_buffinitsize(L, &b, len + 1);
    mdx_fit_report(r, t, vars, f->npaths, f->denominators[0], data_label,
                   text, len + 1);
    luaL_pushresultsize(&b, len);
}

static void set_by_name(lua_State *L, const char *key,
                        const mdx_fit_var *vars, const double *v, size_t n)
{
    lua_createtable(L, 0, (int)n);
    for (size_t i = 0; i < n; i++)
        if (!isnan(v[i])) {
            lua_pushnumber(L, v[i]);
            lua_setfield(L, -2, vars[i].name);
        }
    lua_setfield(L, -2, key);
}

/* A result userdata of chi on the model grid. */
static void push_chi(lua_State *L, const double *chi, size_t nk,
                     const char *label, double nfolders)
{
    mdx_lua_result *m = mdx_lua_new_result(L, nk, 0, label);
    for (size_t i = 0; i < nk; i++) {
        m->k[i] = MDX_KSTEP * (double)i;
        m->chi[i] = chi[i];
    }
    m->nfolders = m->nwith = (size_t)nfolders;
}

static int fit_tostring(lua_State *L)
{
    lua_getfield(L, 1, "report");
    return 1;
}

static void push_result(lua_State *L, const mdx_fit_transform *t,
                        const mdx_fit_var *vars, const mdx_fit_result *r,
                        const fit_model *f, const char *data_label)
{
    size_t n = r->nvars;
    lua_createtable(L, 0, 24);
    set_by_name(L, "values", vars, r->values, n);
    set_by_name(L, "stderr", vars, r->uncertainties, n);
    lua_createtable(L, 0, (int)n);
    for (size_t i = 0; i < n; i++) {
        lua_pushnumber(L, vars[i].init);
        lua_setfield(L, -2, vars[i].name);
    }
    lua_setfield(L, -2, "init");
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_pushstring(L, vars[i].name);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "names");
    lua_createtable(L, 0, (int)n);
    for (size_t i = 0; r->errorbars && i < n; i++) {
        lua_createtable(L, 0, (int)n);
        for (size_t j = 0; j < n; j++)
            if (j != i) {
                lua_pushnumber(L, r->correl[i + j * n]);
                lua_setfield(L, -2, vars[j].name);
            }
        lua_setfield(L, -2, vars[i].name);
    }
    lua_setfield(L, -2, "correl");
    mdx_lua_set_integer(L, "nvarys", (lua_Integer)n);
    mdx_lua_set_integer(L, "ndata", (lua_Integer)r->ndata);
    mdx_lua_set_integer(L, "nfev", (lua_Integer)r->nfev);
    const char *const names[] = {"n_idp", "chi_square", "chi2_reduced",
                                 "rfactor", "aic", "bic"};
    const double values[] = {r->n_idp, r->chi_square, r->chi2_reduced,
                             r->rfactor, r->aic, r->bic};
    for (size_t i = 0; i < sizeof values / sizeof *values; i++)
        mdx_lua_set_number(L, names[i], values[i]);
    if (t->nkweights == 1) {
        mdx_lua_set_number(L, "epsilon_k", r->epsilon_k[0]);
        mdx_lua_set_number(L, "epsilon_r", r->epsilon_r[0]);
    } else {
        mdx_lua_push_array(L, r->epsilon_k, t->nkweights);
        lua_setfield(L, -2, "epsilon_k");
        mdx_lua_push_array(L, r->epsilon_r, t->nkweights);
        lua_setfield(L, -2, "epsilon_r");
    }
    lua_pushboolean(L, r->errorbars);
    lua_setfield(L, -2, "errorbars");
    lua_pushboolean(L, r->status >= 1 && r->status <= 4);
    lua_setfield(L, -2, "success");
    mdx_lua_set_string(L, "message", r->message);
    push_chi(L, r->model_chi, r->nk, "fit model: the MD average at the best "
             "values", f->denominators[0]);
    lua_setfield(L, -2, "model");
    push_chi(L, r->data_chi, r->nk, data_label, 0);
    lua_setfield(L, -2, "data");
    mdx_lua_push_array(L, r->kwin, r->nk);
    lua_setfield(L, -2, "kwin");
    push_report(L, t, vars, r, f, data_label);
    lua_setfield(L, -2, "report");
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, fit_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_setmetatable(L, -2);
}

int mdx_lua_fit(lua_State *L)
{
    static const char *const keys[] = {"data", "model", "vars", "params",
                                       "transform", NULL};
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    mdx_lua_check_keys(L, 1, keys, "fit", "option");
    const mdx_lua_result *data = read_data(L, 1);            /* 2 */
    lua_getfield(L, 1, "transform");                        /* 3 */
    mdx_fit_transform t = transform_options(L, 3);
    lua_getfield(L, 1, "vars");                             /* 4 */
    size_t nvars;
    const mdx_fit_var *vars = read_vars(L, 4, &nvars);      /* 5 */
    fit_model *f = mdx_lua_fit_model_new(L, 1);             /* 6 */
    f->vars = vars;
    f->nvars = nvars;
    mdx_fit_result r;
    mdx_error err;
    if (mdx_fit(data->k, data->chi, data->n, &t, vars, nvars,
                mdx_lua_fit_model, f, &r, &err))
        return mdx_lua_raise(L, &err);
    char label[1200];
    snprintf(label, sizeof label, "%s", data->label);
    push_result(L, &t, vars, &r, f, label);
    mdx_fit_result_free(&r);
    return 1;
}
