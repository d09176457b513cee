/* mdexafs.fit{...}: its options (vars, params, and data, model and
 * transform, or a list of datasets of them; each data set's model in
 * lua_fit.c), the fit, and the result table with a report in the shape
 * of xraylarch's feffit_report. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua_fit.h"
#include "mdexafs/chi.h"

#define TRANSFORM "fit: transform"

mdx_fit_transform mdx_lua_fit_transform(lua_State *L, int idx)
{
    static const char *const keys[] = {"kmin", "kmax", "dk", "dk2", "window",
        "rmin", "rmax", "dr", "dr2", "rwindow", "kweight", "fitspace",
        "epsilon_k", NULL};
    const char *const spaces[] = {mdx_fitspace_name(MDX_FIT_K),
                                  mdx_fitspace_name(MDX_FIT_R),
                                  mdx_fitspace_name(MDX_FIT_Q),
                                  mdx_fitspace_name(MDX_FIT_W), NULL};
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

/* The data at idx: a chi(k) result, not k-weighted. what: "fit" or
 * "fit: data set 2", for errors. */
static const mdx_lua_result *read_data(lua_State *L, int idx, const char *what)
{
    const mdx_lua_result *r = mdx_lua_test_result(L, idx);
    if (!r)
        luaL_error(L, "%s: data must be chi(k), as mdx.read_chi(file) gives "
                      "it, not %s", what, luaL_typename(L, idx));
    if (r->kweight != 0) {
        char w[32];
        snprintf(w, sizeof w, "%g", r->kweight);
        luaL_error(L, "%s: the data are k^%s-weighted chi(k) (%s): give "
                      "chi(k) itself", what, w, r->label);
    }
    return r;
}

/* The data sets of a fit, read from its options. */
typedef struct fit_sets {
    size_t n;
    mdx_fit_dataset sets[FIT_MAX_DATASETS];
    const mdx_lua_result *data[FIT_MAX_DATASETS];
    fit_model *models[FIT_MAX_DATASETS];
} fit_sets;

/* Push the report (mdx_fit_report: feffit_report's sections but Paths). */
static void push_report(lua_State *L, const fit_sets *fs,
                        const mdx_fit_var *vars, const mdx_fit_result *r)
{
    mdx_fit_transform t[FIT_MAX_DATASETS];
    size_t npaths[FIT_MAX_DATASETS];
    double nfolders[FIT_MAX_DATASETS];
    const char *labels[FIT_MAX_DATASETS];
    for (size_t i = 0; i < fs->n; i++) {
        t[i] = fs->sets[i].transform;
        npaths[i] = fs->models[i]->npaths;
        nfolders[i] = fs->models[i]->denominators[0];
        labels[i] = fs->data[i]->label;
    }
    size_t len = mdx_fit_report(r, t, vars, npaths, nfolders, labels, NULL,
                                0);
    if (len == 0)
        luaL_error(L, "out of memory");
    luaL_Buffer b;
    char *text = luaL_buffinitsize(L, &b, len + 1);
    mdx_fit_report(r, t, vars, npaths, nfolders, labels, text, len + 1);
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

/* Set data set i's fields in the table on top: data, model (results on
 * the model grid), kwin, epsilon_k, epsilon_r (numbers, or lists for
 * several k-weights), n_idp, ndata. */
static void set_dataset(lua_State *L, const fit_sets *fs, size_t i,
                        const mdx_fit_result *r)
{
    const mdx_fit_set_result *d = &r->sets[i];
    size_t nkw = fs->sets[i].transform.nkweights;
    if (nkw == 1) {
        mdx_lua_set_number(L, "epsilon_k", d->epsilon_k[0]);
        mdx_lua_set_number(L, "epsilon_r", d->epsilon_r[0]);
    } else {
        mdx_lua_push_array(L, d->epsilon_k, nkw);
        lua_setfield(L, -2, "epsilon_k");
        mdx_lua_push_array(L, d->epsilon_r, nkw);
        lua_setfield(L, -2, "epsilon_r");
    }
    push_chi(L, d->model_chi, d->nk, "fit model: the MD average at the best "
             "values", fs->models[i]->denominators[0]);
    lua_setfield(L, -2, "model");
    push_chi(L, d->data_chi, d->nk, fs->data[i]->label, 0);
    lua_setfield(L, -2, "data");
    mdx_lua_push_array(L, d->kwin, d->nk);
    lua_setfield(L, -2, "kwin");
}

static void push_result(lua_State *L, const fit_sets *fs, int one,
                        const mdx_fit_var *vars, const mdx_fit_result *r)
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
    lua_pushboolean(L, r->errorbars);
    lua_setfield(L, -2, "errorbars");
    lua_pushboolean(L, r->status >= 1 && r->status <= 4);
    lua_setfield(L, -2, "success");
    mdx_lua_set_string(L, "message", r->message);
    if (one)
        set_dataset(L, fs, 0, r);  /* the one-data-set form's fields */
    lua_createtable(L, (int)fs->n, 0);
    for (size_t i = 0; i < fs->n; i++) {
        lua_createtable(L, 0, 8);
        set_dataset(L, fs, i, r);
        mdx_lua_set_number(L, "n_idp", r->sets[i].n_idp);
        mdx_lua_set_integer(L, "ndata", (lua_Integer)r->sets[i].ndata);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "datasets");
    push_report(L, fs, vars, r);
    lua_setfield(L, -2, "report");
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, fit_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_setmetatable(L, -2);
}

/* Data set i from the table at idx ({data =, model =, transform =}; the
 * fit's options themselves in the one-data-set form), its model made
 * with params at index params. Leaves the data and the model on the
 * stack (kept alive for the fit). */
static void read_dataset(lua_State *L, int idx, int params, fit_sets *fs,
                         int several)
{
    size_t i = fs->n;
    char what[32];
    snprintf(what, sizeof what, several ? "fit: data set %zu" : "fit",
             i + 1);
    lua_getfield(L, idx, "data");
    fs->data[i] = read_data(L, -1, what);
    lua_getfield(L, idx, "transform");
    fs->sets[i].transform = mdx_lua_fit_transform(L, lua_gettop(L));
    lua_pop(L, 1);
    if (lua_getfield(L, idx, "model") == LUA_TNIL)
        luaL_error(L, "%s: model (a selection, or a list of them) is "
                      "required", what);
    fit_model *f = mdx_lua_fit_model_new(L, -1, params, (int)i + 1, several);
    lua_remove(L, -2);  /* the model table: f has its paths */
    fs->models[i] = f;
    fs->sets[i] = (mdx_fit_dataset){
        .k = fs->data[i]->k, .chi = fs->data[i]->chi, .n = fs->data[i]->n,
        .transform = fs->sets[i].transform, .model = mdx_lua_fit_model,
        .ctx = f};
    fs->n++;
}

/* The data sets option at idx: a list of {data =, model =, transform =}. */
static void read_datasets(lua_State *L, int idx, int params, fit_sets *fs)
{
    static const char *const keys[] = {"data", "model", "transform", NULL};
    if (!lua_istable(L, idx))
        luaL_error(L, "fit: datasets must be a list of {data =, model =, "
                      "transform =}, not %s", luaL_typename(L, idx));
    lua_Integer n = luaL_len(L, idx);
    if (n < 1 || n > FIT_MAX_DATASETS)
        luaL_error(L, "fit: datasets: give 1 to %d data sets, not %d",
                   FIT_MAX_DATASETS, (int)n);
    luaL_checkstack(L, 2 * (int)n + LUA_MINSTACK, "fit: datasets");
    for (lua_Integer i = 1; i <= n; i++) {
        char what[32];
        snprintf(what, sizeof what, "fit: data set %d", (int)i);
        if (lua_geti(L, idx, i) != LUA_TTABLE)
            luaL_error(L, "%s must be a table {data =, model =, transform "
                          "=}, not %s", what, luaL_typename(L, -1));
        mdx_lua_check_keys(L, lua_gettop(L), keys, what, "key");
        read_dataset(L, lua_gettop(L), params, fs, 1);
        lua_remove(L, -3);  /* the data set's table; its data, model kept */
    }
}

int mdx_lua_fit(lua_State *L)
{
    static const char *const keys[] = {"data", "model", "vars", "params",
                                       "transform", "datasets", NULL};
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    mdx_lua_check_keys(L, 1, keys, "fit", "option");
    lua_getfield(L, 1, "vars");                             /* 2 */
    size_t nvars;
    const mdx_fit_var *vars = read_vars(L, 2, &nvars);      /* 3 */
    lua_getfield(L, 1, "params");                           /* 4 */
    fit_sets *fs = lua_newuserdatauv(L, sizeof *fs, 0);     /* 5 */
    fs->n = 0;
    int one = lua_getfield(L, 1, "datasets") == LUA_TNIL;   /* 6 */
    if (one) {
        read_dataset(L, 1, 4, fs, 0);
    } else {
        static const char *const own[] = {"data", "model", "transform"};
        for (int i = 0; i < 3; i++)
            if (lua_getfield(L, 1, own[i]) != LUA_TNIL)
                luaL_error(L, "fit: give %s in each of the datasets, not "
                              "beside them", own[i]);
        lua_settop(L, 6);
        read_datasets(L, 6, 4, fs);
    }
    for (size_t i = 0; i < fs->n; i++) {
        fs->models[i]->vars = vars;
        fs->models[i]->nvars = nvars;
    }
    mdx_fit_result r;
    mdx_error err;
    if (mdx_fit_datasets(fs->sets, fs->n, vars, nvars, &r, &err))
        return mdx_lua_raise(L, &err);
    push_result(L, fs, one, vars, &r);
    mdx_fit_result_free(&r);
    return 1;
}
