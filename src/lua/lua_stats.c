/* Statistics of a selection: sel:stats() (the reff cumulants of each
 * path type), sel:histogram{...} (of reff, leg lengths or angles) and
 * sel:spread{...} (each folder's distance from the ensemble mean). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/grow.h"
#include "lua_private.h"
#include "mdexafs/chi.h"
#include "mdexafs/stats.h"

/* The selected paths' (frame, atom, num, type, reff, degeneracy). */
typedef struct gathered {
    struct gathered_path {
        long frame, atom;
        int num;
        char type[MDX_TYPE_MAX];
        double reff, deg;
    } *p;
    size_t n, cap;
    int nomem;
} gathered;

static int gather(void *ctx, const mdx_path_meta *m)
{
    gathered *g = ctx;
    struct gathered_path *p = mdx_grow(g->p, &g->cap, g->n + 1, sizeof *p,
                                       1024);
    if (!p)
        return g->nomem = 1;
    g->p = p;
    p += g->n++;
    p->frame = m->frame;
    p->atom = m->atom;
    p->num = m->num;
    p->reff = m->reff;
    p->deg = m->deg;
    snprintf(p->type, sizeof p->type, "%s", m->type);
    return 0;
}

static void release_gathered(void *ctx)
{
    gathered *g = ctx;
    free(g->p);
    memset(g, 0, sizeof *g);
}

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

static int by_type(const void *a, const void *b)
{
    return strcmp(((const struct gathered_path *)a)->type,
                  ((const struct gathered_path *)b)->type);
}

/* sel:stats() -> {[type] = {n, weight, mean, variance, c3, min, max}}:
 * the moments of reff over the selected paths of each type, each path
 * weighted by its degeneracy. */
static int selection_stats(lua_State *L)
{
    gathered g = {0};
    mdx_lua_run_paths(L, mdx_lua_check_selection(L, 1), gather, &g, &g.nomem,
                      release_gathered);
    qsort(g.p, g.n, sizeof *g.p, by_type);
    double *x = malloc((g.n ? g.n : 1) * 2 * sizeof *x), *w = x + g.n;
    if (!x) {
        release_gathered(&g);
        return luaL_error(L, "out of memory");
    }
    lua_newtable(L);
    for (size_t i = 0, j; i < g.n; i = j) {
        for (j = i; j < g.n && !strcmp(g.p[j].type, g.p[i].type); j++) {
            x[j - i] = g.p[j].reff;
            w[j - i] = g.p[j].deg;
        }
        mdx_moments m;
        mdx_error err;
        if (mdx_moments_of(x, w, j - i, &m, &err) == MDX_OK) {
            push_moments(L, &m);
            lua_setfield(L, -2, g.p[i].type);
        }
    }
    free(x);
    release_gathered(&g);
    return 1;
}

/* The values a histogram is of, one or more per gathered path, with
 * their weights (the path's degeneracy): reff, or, from each path's FEFF
 * data, its leg lengths or angles. */
static size_t histogram_values(lua_State *L, mdx_source *src,
                               const gathered *g, int of, double **xs,
                               double **ws)
{
    size_t cap = g->n * (of ? MDX_NLEG_MAX : 1), n = 0;
    double *x = malloc((cap ? cap : 1) * sizeof *x);
    double *w = malloc((cap ? cap : 1) * sizeof *w);
    if (!x || !w) {
        free(x);
        free(w);
        luaL_error(L, "out of memory");
    }
    for (size_t i = 0; i < g->n; i++) {
        const struct gathered_path *p = &g->p[i];
        if (of == 0) {
            x[n] = p->reff;
            w[n++] = p->deg;
            continue;
        }
        mdx_path path;
        mdx_error err;
        if (mdx_source_get_path(src, p->frame, p->atom, p->num, &path, &err)) {
            free(x);
            free(w);
            mdx_lua_raise(L, &err);
        }
        size_t k = of == 1 ? (size_t)path.nleg : (size_t)path.nleg - 1;
        if (of == 1)
            mdx_path_legs(&path, x + n);
        else
            mdx_path_angles(&path, x + n);
        for (size_t j = 0; j < k; j++)
            w[n + j] = p->deg;
        n += k;
        mdx_path_free(&path);
    }
    *xs = x;
    *ws = w;
    return n;
}

/* sel:histogram{of = "reff" | "legs" | "angles", bins = 40,
 * range = {lo, hi}} -> {x, counts, density, n, weight, outside, mean,
 * variance, c3, min, max, of}: the weights (degeneracies) of the values
 * in equal bins (default range: the values' own), x the bins' centres,
 * density the counts over weight and bin width; the moments of all
 * values. */
static int selection_histogram(lua_State *L)
{
    static const char *const keys[] = {"of", "bins", "range", NULL};
    static const char *const ofs[] = {"reff", "legs", "angles", NULL};
    lua_selection *ls = mdx_lua_check_selection(L, 1);
    if (!lua_isnoneornil(L, 2)) {
        luaL_checktype(L, 2, LUA_TTABLE);
        mdx_lua_check_keys(L, 2, keys, "histogram", "option");
    }
    lua_settop(L, 2);
    int of = lua_isnil(L, 2) ? 0 : mdx_lua_opt_choice(L, 2, "histogram", "of",
                                                      ofs, 0);
    double bins = lua_isnil(L, 2) ? 40 : mdx_lua_opt_number(L, 2, "histogram",
                                                            "bins", 40);
    if (!(bins >= 1 && bins <= 100000) || bins != floor(bins))
        return luaL_error(L, "histogram: bins must be a whole number 1 .. "
                             "100000");
    double lo = NAN, hi = NAN;
    if (!lua_isnil(L, 2) && lua_getfield(L, 2, "range") != LUA_TNIL) {
        if (!lua_istable(L, -1) || lua_geti(L, -1, 1) != LUA_TNUMBER ||
            lua_geti(L, -2, 2) != LUA_TNUMBER)
            return luaL_error(L, "histogram: range must be {lo, hi}");
        lo = lua_tonumber(L, -2);
        hi = lua_tonumber(L, -1);
        lua_pop(L, 2);
    }
    lua_settop(L, 2);
    gathered g = {0};
    mdx_lua_run_paths(L, ls, gather, &g, &g.nomem, release_gathered);
    if (g.n == 0) {
        release_gathered(&g);
        return luaL_error(L, "histogram: the selection selects no path (%s)",
                          mdx_query_label(ls->query));
    }
    lua_getiuservalue(L, 1, 1);
    double *x, *w;
    size_t n = histogram_values(L, mdx_lua_check_source(L, -1), &g, of, &x,
                                &w);
    release_gathered(&g);
    mdx_moments m;
    mdx_error err;
    size_t nb = (size_t)bins;
    double *counts = malloc(nb * sizeof *counts), outside;
    mdx_status st = counts ? mdx_moments_of(x, w, n, &m, &err) : MDX_ERR_NOMEM;
    if (st == MDX_OK && isnan(lo)) {
        lo = m.min;
        hi = m.max > m.min ? m.max : m.min + 1e-9;
    }
    if (st == MDX_OK)
        st = mdx_histogram(x, w, n, lo, hi, nb, counts, &outside, &err);
    free(x);
    free(w);
    if (st) {
        free(counts);
        if (st == MDX_ERR_NOMEM)
            return luaL_error(L, "out of memory");
        err.file[0] = '\0';  /* the message names the call */
        return mdx_lua_raise(L, &err);
    }
    push_moments(L, &m);
    double width = (hi - lo) / (double)nb;
    lua_createtable(L, (int)nb, 0);
    for (size_t i = 0; i < nb; i++) {
        lua_pushnumber(L, lo + width * ((double)i + 0.5));
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "x");
    mdx_lua_push_array(L, counts, nb);
    lua_setfield(L, -2, "counts");
    for (size_t i = 0; i < nb; i++)
        counts[i] /= m.weight * width;
    mdx_lua_push_array(L, counts, nb);
    lua_setfield(L, -2, "density");
    free(counts);
    mdx_lua_set_number(L, "outside", outside);
    mdx_lua_set_number(L, "lo", lo);
    mdx_lua_set_number(L, "hi", hi);
    mdx_lua_set_string(L, "of", ofs[of]);
    return 1;
}

/* The folder sums of a query, kept. */
typedef struct kept_sums {
    mdx_lua_sink sink;  /* first: the callback gets its address */
    struct kept_folder {
        long frame, atom;
        char *dir;
        double chi[MDX_NK];
        size_t npaths;
    } *f;
    size_t n, cap;
} kept_sums;

static void release_sums(void *ctx)
{
    kept_sums *k = ctx;
    for (size_t i = 0; i < k->n; i++)
        free(k->f[i].dir);
    free(k->f);
    k->f = NULL;
    k->n = 0;
}

static int keep_sum(void *ctx, const mdx_folder_chi *fc)
{
    kept_sums *k = ctx;
    struct kept_folder *f = mdx_grow(k->f, &k->cap, k->n + 1, sizeof *f, 64);
    if (!f)
        return k->sink.nomem = 1;
    k->f = f;
    f += k->n;
    if (!(f->dir = strdup(fc->dir)))
        return k->sink.nomem = 1;
    k->n++;
    f->frame = fc->frame;
    f->atom = fc->atom;
    f->npaths = fc->npaths;
    memcpy(f->chi, fc->chi, sizeof f->chi);
    return 0;
}

typedef struct spread_row {
    size_t folder;
    double distance;
} spread_row;

static int farthest_first(const void *a, const void *b)
{
    double x = ((const spread_row *)a)->distance,
           y = ((const spread_row *)b)->distance;
    return (x < y) - (x > y);
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

/* sel:spread{kmin = 3, kmax = 12, kweight = 2, threshold = } -> a list,
 * farthest first, of {frame, atom, dir, npaths, distance, flagged}: each
 * folder's sum against the ensemble mean (the selection's average), as
 * sum (k^w (chi - mean))^2 / sum (k^w mean)^2 over kmin..kmax; flagged
 * beyond threshold (default: 4 times the median distance). */
static int selection_spread(lua_State *L)
{
    static const char *const keys[] = {"kmin", "kmax", "kweight", "threshold",
                                       NULL};
    lua_selection *ls = mdx_lua_check_selection(L, 1);
    distance_range d = distance_options(L, 2, keys, "spread");
    double threshold = mdx_lua_opt_number(L, 2, "spread", "threshold", NAN);
    if (threshold < 0)
        return luaL_error(L, "spread: threshold %f: a distance is never "
                             "negative", threshold);
    kept_sums k = {{keep_sum, release_sums, 0}, NULL, 0, 0};
    mdx_lua_run_sums(L, ls, MDX_GROUP_NONE, &k.sink);
    if (k.n == 0)
        return luaL_error(L, "spread: the selection admits no folder");
    double mean[MDX_NK] = {0}, grid[MDX_NK];
    mdx_kgrid(grid);
    for (size_t i = 0; i < k.n; i++)
        for (int j = 0; j < MDX_NK; j++)
            mean[j] += k.f[i].chi[j];
    for (int j = 0; j < MDX_NK; j++)
        mean[j] /= (double)k.n;
    spread_row *rows = malloc(k.n * sizeof *rows);
    if (!rows) {
        release_sums(&k);
        return luaL_error(L, "out of memory");
    }
    mdx_error err;
    for (size_t i = 0; i < k.n; i++) {
        rows[i].folder = i;
        if (mdx_chi_distance(grid, k.f[i].chi, mean, MDX_NK, d.kmin, d.kmax,
                             d.kweight, &rows[i].distance, &err)) {
            free(rows);
            release_sums(&k);
            return luaL_error(L, "spread: %s", err.msg);
        }
    }
    qsort(rows, k.n, sizeof *rows, farthest_first);
    if (isnan(threshold))
        threshold = 4 * (k.n % 2 ? rows[k.n / 2].distance
                         : 0.5 * (rows[k.n / 2 - 1].distance +
                                  rows[k.n / 2].distance));
    lua_createtable(L, (int)k.n, 0);
    for (size_t i = 0; i < k.n; i++) {
        const struct kept_folder *f = &k.f[rows[i].folder];
        lua_createtable(L, 0, 6);
        mdx_lua_set_integer(L, "frame", f->frame);
        mdx_lua_set_integer(L, "atom", f->atom);
        mdx_lua_set_string(L, "dir", f->dir);
        mdx_lua_set_integer(L, "npaths", (lua_Integer)f->npaths);
        mdx_lua_set_number(L, "distance", rows[i].distance);
        lua_pushboolean(L, rows[i].distance > threshold);
        lua_setfield(L, -2, "flagged");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    mdx_lua_set_number(L, "threshold", threshold);
    free(rows);
    release_sums(&k);
    return 1;
}

/* mdexafs.distance(r, ref [, {kmin = 3, kmax = 12, kweight = 2}]) ->
 * sum (k^w (r - ref))^2 / sum (k^w ref)^2 over kmin..kmax: how far a
 * chi(k) result is from another on the same k grid. */
int mdx_lua_distance(lua_State *L)
{
    static const char *const keys[] = {"kmin", "kmax", "kweight", NULL};
    const mdx_lua_result *a = luaL_checkudata(L, 1, MDX_RESULT_MT);
    const mdx_lua_result *b = luaL_checkudata(L, 2, MDX_RESULT_MT);
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
