/* Statistics of a selection: sel:stats() (the reff cumulants of each
 * path type), sel:histogram{...} (of reff, leg lengths or angles) and
 * sel:spread{...} (each folder's distance from the ensemble mean). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lua_private.h"
#include "mdexafs/chi.h"
#include "mdexafs/stats.h"

static void push_moments(lua_State *L, const mdx_moments *m)
{
    lua_createtable(L, 0, 7);
    mdx_lua_set_integer(L, "n", (lua_Integer)m->n);
    mdx_lua_set_number(L, "weight", m->weight);
    mdx_lua_set_number(L, "mean", m->mean);
    mdx_lua_set_number(L, "variance", m->variance);
    mdx_lua_set_number(L, "c3", m->c3);
    mdx_lua_set_number(L, "min", m->min);
    mdx_lua_set_number(L, "max", m->max);
}

static mdx_status run_stats(mdx_query *q, void *arg, mdx_error *err)
{
    return mdx_query_stats(q, arg, err);
}

/* sel:stats() -> {[type] = {n, weight, mean, variance, c3, min, max}}:
 * the moments of reff over the selected paths of each type, each path
 * weighted by its degeneracy. */
static int selection_stats(lua_State *L)
{
    mdx_type_stats s;
    mdx_lua_run(L, mdx_lua_check_selection(L, 1), run_stats, &s);
    lua_createtable(L, 0, (int)s.n);
    for (size_t i = 0; i < s.n; i++) {
        push_moments(L, &s.moments[i]);
        lua_setfield(L, -2, s.types[i]);
    }
    mdx_type_stats_free(&s);
    return 1;
}

/* A histogram's options, and where it goes. */
typedef struct histogram_run {
    enum mdx_histogram_of of;
    size_t nbins;
    double lo, hi;
    mdx_path_histogram h;
} histogram_run;

static mdx_status run_histogram(mdx_query *q, void *arg, mdx_error *err)
{
    histogram_run *r = arg;
    return mdx_query_histogram(q, r->of, r->nbins, r->lo, r->hi, &r->h, err);
}

/* sel:histogram{of = "reff" | "legs" | "angles", bins = 40,
 * range = {lo, hi}} -> {x, counts, density, n, weight, outside, mean,
 * variance, c3, min, max, lo, hi, of}: mdx_query_histogram. */
static int selection_histogram(lua_State *L)
{
    static const char *const keys[] = {"of", "bins", "range", NULL};
    lua_selection *ls = mdx_lua_check_selection(L, 1);
    if (!lua_isnoneornil(L, 2)) {
        luaL_checktype(L, 2, LUA_TTABLE);
        mdx_lua_check_keys(L, 2, keys, "histogram", "option");
    }
    lua_settop(L, 2);
    histogram_run r = {MDX_HIST_REFF, 40, NAN, NAN, {0}};
    if (!lua_isnil(L, 2)) {
        mdx_error err;
        const char *of = mdx_lua_opt_string(L, 2, "histogram", "of", "reff");
        if (mdx_histogram_of_parse(of, &r.of, &err))
            return mdx_lua_raise(L, &err);
        double bins = mdx_lua_opt_number(L, 2, "histogram", "bins", 40);
        if (!(bins >= 1 && bins <= MDX_HISTOGRAM_BINS_MAX) ||
            bins != floor(bins))
            return luaL_error(L, "histogram: bins must be a whole number 1 .. "
                                 "%d", MDX_HISTOGRAM_BINS_MAX);
        r.nbins = (size_t)bins;
    }
    if (!lua_isnil(L, 2) && lua_getfield(L, 2, "range") != LUA_TNIL) {
        if (!lua_istable(L, -1) || lua_geti(L, -1, 1) != LUA_TNUMBER ||
            lua_geti(L, -2, 2) != LUA_TNUMBER)
            return luaL_error(L, "histogram: range must be {lo, hi}");
        r.lo = lua_tonumber(L, -2);
        r.hi = lua_tonumber(L, -1);
    }
    lua_settop(L, 2);
    mdx_lua_run(L, ls, run_histogram, &r);
    const mdx_path_histogram *h = &r.h;
    push_moments(L, &h->moments);
    mdx_lua_push_array(L, h->x, h->nbins);
    lua_setfield(L, -2, "x");
    mdx_lua_push_array(L, h->counts, h->nbins);
    lua_setfield(L, -2, "counts");
    mdx_lua_push_array(L, h->density, h->nbins);
    lua_setfield(L, -2, "density");
    mdx_lua_set_number(L, "outside", h->outside);
    mdx_lua_set_number(L, "lo", h->lo);
    mdx_lua_set_number(L, "hi", h->hi);
    mdx_lua_set_string(L, "of", mdx_histogram_of_name(h->of));
    mdx_path_histogram_free(&r.h);
    return 1;
}

/* The k range and weight of a distance from the options table at idx
 * (nil: the defaults 3 .. 12, k^2), whose keys must be among `keys`. */
typedef struct distance_range {
    double kmin, kmax, kweight;
} distance_range;

static distance_range distance_options(lua_State *L, int idx,
                                       const char *const *keys,
                                       const char *what)
{
    lua_settop(L, idx);
    if (lua_isnil(L, idx)) {
        lua_newtable(L);
        lua_replace(L, idx);
    }
    luaL_checktype(L, idx, LUA_TTABLE);
    mdx_lua_check_keys(L, idx, keys, what, "option");
    distance_range d = {mdx_lua_opt_number(L, idx, what, "kmin", 3),
                        mdx_lua_opt_number(L, idx, what, "kmax", 12),
                        mdx_lua_opt_number(L, idx, what, "kweight", 2)};
    mdx_error err;
    if (mdx_distance_check(d.kmin, d.kmax, d.kweight, &err))
        luaL_error(L, "%s: %s", what, err.msg);
    return d;
}

/* A spread's options, and where it goes. */
typedef struct spread_run {
    distance_range d;
    double threshold;
    mdx_spread s;
} spread_run;

static mdx_status run_spread(mdx_query *q, void *arg, mdx_error *err)
{
    spread_run *r = arg;
    return mdx_query_spread(q, r->d.kmin, r->d.kmax, r->d.kweight,
                            r->threshold, &r->s, err);
}

/* sel:spread{kmin = 3, kmax = 12, kweight = 2, threshold = } -> a list,
 * farthest first, of {frame, atom, dir, npaths, distance, flagged}, and
 * its threshold: mdx_query_spread. */
static int selection_spread(lua_State *L)
{
    static const char *const keys[] = {"kmin", "kmax", "kweight", "threshold",
                                       NULL};
    lua_selection *ls = mdx_lua_check_selection(L, 1);
    spread_run r = {distance_options(L, 2, keys, "spread"), NAN, {0}};
    r.threshold = mdx_lua_opt_number(L, 2, "spread", "threshold", NAN);
    mdx_lua_run(L, ls, run_spread, &r);
    lua_createtable(L, (int)r.s.n, 0);
    for (size_t i = 0; i < r.s.n; i++) {
        const mdx_spread_row *row = &r.s.rows[i];
        lua_createtable(L, 0, 6);
        mdx_lua_set_integer(L, "frame", row->frame);
        mdx_lua_set_integer(L, "atom", row->atom);
        mdx_lua_set_string(L, "dir", row->dir);
        mdx_lua_set_integer(L, "npaths", (lua_Integer)row->npaths);
        mdx_lua_set_number(L, "distance", row->distance);
        lua_pushboolean(L, row->flagged);
        lua_setfield(L, -2, "flagged");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    mdx_lua_set_number(L, "threshold", r.s.threshold);
    mdx_spread_free(&r.s);
    return 1;
}

/* mdexafs.distance(r, ref [, {kmin = 3, kmax = 12, kweight = 2}]) ->
 * sum (k^w (r - ref))^2 / sum (k^w ref)^2 over kmin..kmax: how far a
 * chi(k) result is from another on the same k grid. */
int mdx_lua_distance(lua_State *L)
{
    static const char *const keys[] = {"kmin", "kmax", "kweight", NULL};
    const mdx_lua_result *a = mdx_lua_check_result(L, 1);
    const mdx_lua_result *b = mdx_lua_check_result(L, 2);
    distance_range r = distance_options(L, 3, keys, "distance");
    int same = a->n == b->n;
    for (size_t i = 0; same && i < a->n; i++)  /* %.6f files: 0.15 */
        same = fabs(a->k[i] - b->k[i]) <= 1e-6 * fmax(1, fabs(a->k[i]));
    if (!same)
        return luaL_error(L, "distance: the two results are on different k "
                             "grids");
    if (a->kweight != 0 || b->kweight != 0)
        return luaL_error(L, "distance: give unweighted chi(k): it weights "
                             "by kweight itself");
    double d;
    mdx_error err;
    if (mdx_chi_distance(a->k, a->chi, b->chi, a->n, r.kmin, r.kmax,
                         r.kweight, &d, &err))
        return luaL_error(L, "distance: %s", err.msg);
    lua_pushnumber(L, d);
    return 1;
}

/* mdexafs.check_distance{kmin = 3, kmax = 12, kweight = 2} -> true, or
 * the error mdx.distance and sel:spread would raise for these options:
 * for a recipe to check its arguments before it computes. */
int mdx_lua_check_distance(lua_State *L)
{
    static const char *const keys[] = {"kmin", "kmax", "kweight", NULL};
    distance_options(L, 1, keys, "distance");
    lua_pushboolean(L, 1);
    return 1;
}

void mdx_lua_open_stats(lua_State *L)
{
    static const luaL_Reg methods[] = {
        {"stats", selection_stats},
        {"histogram", selection_histogram},
        {"spread", selection_spread},
        {NULL, NULL},
    };
    mdx_lua_add_methods(L, MDX_SELECTION_MT, methods);
}
