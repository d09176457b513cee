/* What lua_fit.c (the model: its paths and their evaluation),
 * lua_fit_report.c (mdexafs.fit's options, result and report) and
 * lua_reweight.c (its transform) share. */
#ifndef MDX_LUA_FIT_H
#define MDX_LUA_FIT_H

#include "lua_private.h"
#include "mdexafs/fit.h"

#define FIT_MODEL_MT "mdexafs.fit_model"
#define FIT_MAX_GROUPS 16
#define FIT_MAX_DATASETS 16

/* One path of the model, read once, with its parameters of the last
 * evaluation. */
typedef struct fit_path {
    mdx_path path;
    int read;                      /* path holds what to free */
    mdx_path_meta meta;            /* its strings point into this struct
                                      once all paths are read (the array
                                      grows until then) */
    char type[MDX_TYPE_MAX], elements[MDX_TYPE_MAX], absorber[8];
    char *dir;
    int group;                     /* the selection it came from */
    mdx_chi_params par;
} fit_path;

/* The model: the paths of its selections and each selection's
 * denominator (the folders its average counts). A userdata: __gc frees
 * it. */
typedef struct fit_model {
    lua_State *L;
    fit_path *paths;
    size_t npaths, paths_cap;
    int nomem;
    int ngroups;
    double denominators[FIT_MAX_GROUPS];
    int params_ref, tables_ref;    /* params(p, v, d) and the paths' tables */
    int dataset;                   /* d: the data set it models, from 1 */
    int several;                   /* one of several: errors name it */
    const mdx_fit_var *vars;
    size_t nvars;
    double *chis;                  /* npaths x MDX_NK, the last chi(k) */
    size_t current;                /* the path params is called for */
} fit_model;

/* Push a fit_model of data set `dataset` (from 1; one of several or
 * not): the selections of the model at index `model` read, params(p, v,
 * d) the function at index `params`. Raises on bad options. */
fit_model *mdx_lua_fit_model_new(lua_State *L, int model, int params,
                                 int dataset, int several);

/* The transform table at idx (feffit's, larch's names and defaults; nil:
 * the defaults). Raises on bad options. */
mdx_fit_transform mdx_lua_fit_transform(lua_State *L, int idx);

/* mdx_fit's model callback for a fit_model. */
mdx_status mdx_lua_fit_model(void *ctx, const double *values, size_t nk,
                             double *chi, mdx_error *err);

#endif
