/* mdexafs.plot{...}: k-weighted chi(k) and |chi(R)| of one or more results,
 * overlaid, as a PNG, SVG or PDF.
 *
 *   mdx.plot { file = "avg.pdf", results = { a, b }, labels = { "a", "b" },
 *              kweight = 2, panels = "both" (or "k", "r"),
 *              xftf = { kmin = 2, kmax = 12, ... }, title = "...",
 *              sem = true, krange = { 0, 14 }, rrange = { 0, 6 },
 *              window = true, size = { 16, 10, "cm" }, dpi = 300,
 *              legend = "outside" }
 *
 * |chi(R)| is xftf of each result with the given options; its kweight
 * defaults to the plot's. sem shades each result's standard error in the
 * k panel; window draws the transform's k window there, scaled to the
 * curves, with its range in the legend. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua_private.h"
#include "mdexafs/plot.h"

#define MAX_RESULTS 16

typedef struct plot_data {
    mdx_curve k[MAX_RESULTS + 1], r[MAX_RESULTS];  /* k: and the window */
    double *win;                   /* the FT window, scaled, or NULL */
    char win_label[96];
    double *kw[MAX_RESULTS];
    double *band[MAX_RESULTS];     /* k^w (chi - sem), then k^w (chi + sem) */
    mdx_chir chir[MAX_RESULTS];
    size_t n;
} plot_data;

static void free_data(plot_data *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->kw[i]);
        free(d->band[i]);
        mdx_chir_free(&d->chir[i]);
    }
    free(d->win);
    d->win = NULL;
    d->n = 0;
}

/* __gc of the plot data: frees it when a Lua error cuts the plot short. */
static int plot_data_gc(lua_State *L)
{
    free_data(lua_touserdata(L, 1));
    return 0;
}

/* Fill d from the results and labels; returns 0 or an error message. */
static const char *collect(lua_State *L, plot_data *d, double kweight,
                           const mdx_xft_options *xo, int want_r, int sem)
{
    if (lua_getfield(L, 1, "results") != LUA_TTABLE)
        return "plot: results must be a list of chi(k) results";
    int results = lua_gettop(L);
    lua_getfield(L, 1, "labels");
    int labels = lua_gettop(L);
    size_t n = (size_t)luaL_len(L, results);
    if (n == 0 || n > MAX_RESULTS)
        return "plot: give 1 to 16 results";
    if (!lua_isnil(L, labels) &&
        (!lua_istable(L, labels) || (size_t)lua_rawlen(L, labels) != n))
        return "plot: labels must be a list of as many names as results";
    for (size_t i = 0; i < n; i++) {
        lua_rawgeti(L, results, (lua_Integer)i + 1);
        mdx_lua_result *r = mdx_lua_test_result(L, -1);
        lua_pop(L, 1);
        if (!r)
            return "plot: results must be chi(k) results";
        if (r->kweight != 0)
            return "plot: results must be unweighted chi(k): the plot "
                   "weights them itself (kweight)";
        const char *label = NULL;
        if (lua_istable(L, labels)) {
            lua_rawgeti(L, labels, (lua_Integer)i + 1);
            label = lua_tostring(L, -1);
            lua_pop(L, 1);  /* kept alive by the labels table */
        }
        d->kw[i] = malloc(r->n * sizeof *d->kw[i]);
        d->n = i + 1;
        if (!d->kw[i])
            return "out of memory";
        for (size_t j = 0; j < r->n; j++) {
            d->kw[i][j] = pow(r->k[j], kweight) * r->chi[j];
            if (!isfinite(d->kw[i][j])) {  /* a curve must not just stop */
                lua_pushfstring(L, "plot: result %d is not finite at k = %f "
                                   "(kweight %f)", (int)i + 1, r->k[j],
                                kweight);
                return lua_tostring(L, -1);
            }
        }
        d->k[i] = (mdx_curve){r->n, r->k, d->kw[i], label, NULL, NULL};
        if (sem && !r->sem) {
            lua_pushfstring(L, "plot: sem = true, but result %d has no "
                               "standard error (an average has one)",
                            (int)i + 1);
            return lua_tostring(L, -1);
        }
        if (sem) {
            double *b = d->band[i] = malloc(2 * r->n * sizeof *b);
            if (!b)
                return "out of memory";
            for (size_t j = 0; j < r->n; j++) {
                if (!(r->sem[j] >= 0) || !isfinite(r->sem[j])) {
                    lua_pushfstring(L, "plot: result %d's standard error is "
                                       "%f at k = %f: not a number >= 0",
                                    (int)i + 1, r->sem[j], r->k[j]);
                    return lua_tostring(L, -1);
                }
                double w = pow(r->k[j], kweight);
                b[j] = w * (r->chi[j] - r->sem[j]);
                b[r->n + j] = w * (r->chi[j] + r->sem[j]);
            }
            d->k[i].lo = b;
            d->k[i].hi = b + r->n;
        }
        if (want_r) {
            mdx_error err;
            if (mdx_xftf(r->k, r->chi, r->n, xo, &d->chir[i], &err)) {
                lua_pushstring(L, err.msg);
                return lua_tostring(L, -1);
            }
            d->r[i] = (mdx_curve){d->chir[i].n, d->chir[i].r, d->chir[i].mag,
                                  label, NULL, NULL};
        }
    }
    return NULL;
}

/* The axis range option `key` ({lo, hi}, lo < hi) into range, if given. */
static void axis_range(lua_State *L, const char *key, double range[2])
{
    if (lua_getfield(L, 1, key) == LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    if (!lua_istable(L, -1) || lua_geti(L, -1, 1) != LUA_TNUMBER ||
        lua_geti(L, -2, 2) != LUA_TNUMBER || !(lua_tonumber(L, -2) <
                                               lua_tonumber(L, -1)))
        luaL_error(L, "plot: %s must be {lo, hi} with lo < hi", key);
    range[0] = lua_tonumber(L, -2);
    range[1] = lua_tonumber(L, -1);
    lua_pop(L, 3);
}

int mdx_lua_plot(lua_State *L)
{
    static const char *const keys[] = {"file", "results", "labels", "panels",
                                       "title", "kweight", "xftf", "sem",
                                       "krange", "rrange", "size", "dpi",
                                       "legend", "window", NULL};
    enum { BOTH, K, R };
    static const char *const panel_names[] = {[BOTH] = "both", [K] = "k",
                                              [R] = "r", NULL};
    luaL_checktype(L, 1, LUA_TTABLE);
    mdx_lua_check_keys(L, 1, keys, "plot", "option");
    const char *file = mdx_lua_opt_string(L, 1, "plot", "file", NULL);
    if (!file)
        return luaL_error(L, "plot: file is missing");
    int panels = mdx_lua_opt_choice(L, 1, "plot", "panels", panel_names, BOTH);
    const char *title = mdx_lua_opt_string(L, 1, "plot", "title", "");
    int want_k = panels != R, want_r = panels != K;
    double kweight = mdx_lua_opt_number(L, 1, "plot", "kweight", 2);
    lua_getfield(L, 1, "xftf");
    int xidx = lua_gettop(L);
    mdx_xft_options xo = mdx_lua_xft_options(L, xidx);
    int own_kweight = 0;
    if (lua_istable(L, xidx)) {
        own_kweight = lua_getfield(L, xidx, "kweight") != LUA_TNIL ||
                      lua_getfield(L, xidx, "kw") != LUA_TNIL;
        lua_settop(L, xidx);
    }
    if (!own_kweight)
        xo.kweight = kweight;

    plot_data *d = lua_newuserdatauv(L, sizeof *d, 0);
    memset(d, 0, sizeof *d);
    if (luaL_newmetatable(L, "mdexafs.plotdata")) {
        lua_pushcfunction(L, plot_data_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    int sem = mdx_lua_opt_boolean(L, 1, "plot", "sem", 0);
    const char *problem = collect(L, d, kweight, &xo, want_r, sem);
    if (problem) {
        free_data(d);
        return luaL_error(L, "%s", problem);
    }
    double krange[2] = {0, d->k[0].x[d->k[0].n - 1]}, rrange[2] = {0, xo.rmax_out};
    size_t nk = d->n;
    if (mdx_lua_opt_boolean(L, 1, "plot", "window", 0)) {
        const mdx_curve *first = &d->k[0];
        double top = 0;
        for (size_t i = 0; i < d->n; i++)
            for (size_t j = 0; j < d->k[i].n; j++)
                top = fmax(top, fabs(d->k[i].y[j]));
        if (!(d->win = malloc(first->n * sizeof *d->win))) {
            free_data(d);
            return luaL_error(L, "out of memory");
        }
        mdx_ftwindow(first->x, first->n, xo.kmin, xo.kmax, xo.dk,
                     isnan(xo.dk2) ? xo.dk : xo.dk2, xo.window, d->win);
        for (size_t j = 0; j < first->n; j++)
            d->win[j] *= top;
        snprintf(d->win_label, sizeof d->win_label, "%s window %g-%g "
                 "Å#u-1#d", mdx_window_name(xo.window), xo.kmin, xo.kmax);
        d->k[nk++] = (mdx_curve){first->n, first->x, d->win, d->win_label,
                                 NULL, NULL};
    }
    axis_range(L, "krange", krange);
    axis_range(L, "rrange", rrange);
    char klabel[64], rlabel[64];
    snprintf(klabel, sizeof klabel, "k#u%g#d #gx(k) (Å#u-%g#d)",
             kweight, kweight);
    snprintf(rlabel, sizeof rlabel, "|#gx(R)| (Å#u-%g#d)", xo.kweight + 1);
    mdx_panel p[2];
    size_t np = 0;
    if (want_k)
        p[np++] = (mdx_panel){.xlabel = "k (Å#u-1#d)", .ylabel = klabel,
                              .title = title, .xmin = krange[0],
                              .xmax = krange[1], .ncurves = nk,
                              .curves = d->k};
    if (want_r)
        p[np++] = (mdx_panel){.xlabel = "R (Å)", .ylabel = rlabel,
                              .title = want_k ? "" : title,
                              .xmin = rrange[0], .xmax = rrange[1],
                              .ncurves = d->n, .curves = d->r};
    mdx_page page = mdx_lua_page_options(L, 1, "plot");
    mdx_error err;
    mdx_status rc = mdx_plot_page(file, p, np, &page, &err);
    free_data(d);
    if (rc)
        return rc == MDX_ERR_ARG ? mdx_lua_raise(L, &err)
                                 : mdx_lua_fail(L, &err);
    lua_pushboolean(L, 1);
    return 1;
}
