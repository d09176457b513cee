/* mdexafs.figure{...}: any curves in stacked panels (histograms, running
 * averages, fits and their residuals), and the page options mdx.plot
 * shares: size (cm or inches), dpi, where the legends go.
 *
 *   mdx.figure { file = "h.pdf", size = { 16, 10, "cm" (or "in") }, dpi = 300,
 *                legend = "inside" | "outside" | "none",
 *                panels = { { xlabel = "R (Å)", ylabel = "density",
 *                             title = "", xrange = { 2, 3 }, xstep = 0.5,
 *                             curves = { { x = {...}, y = {...},
 *                                          label = "U-O", lo = {...},
 *                                          hi = {...} } },
 *                             map = { x = {...}, y = {...}, z = { row y[1],
 *                                     ... }, label = "|W|" } } } }
 * A panel has curves, a map (an image with a colour bar: z's rows are
 * y's, each of #x numbers), or both. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lua_private.h"
#include "mdexafs/plot.h"

#define MAX_PANELS 8
#define MAX_CURVES 16

mdx_page mdx_lua_page_options(lua_State *L, int idx, const char *what)
{
    const char *const legends[] = {mdx_legend_name(MDX_LEGEND_INSIDE),
                                   mdx_legend_name(MDX_LEGEND_OUTSIDE),
                                   mdx_legend_name(MDX_LEGEND_NONE), NULL};
    mdx_page page = {0, 0, 0, MDX_LEGEND_INSIDE};
    page.legend = (enum mdx_legend)mdx_lua_opt_choice(L, idx, what, "legend",
                                                      legends, 0);
    page.dpi = mdx_lua_opt_number(L, idx, what, "dpi", 0);
    if (page.dpi < 0 || !isfinite(page.dpi))
        luaL_error(L, "%s: dpi must be a positive number", what);
    if (lua_getfield(L, idx, "size") != LUA_TNIL) {
        if (!lua_istable(L, -1) || lua_geti(L, -1, 1) != LUA_TNUMBER ||
            lua_geti(L, -2, 2) != LUA_TNUMBER)
            luaL_error(L, "%s: size must be {width, height, \"cm\" or \"in\"}",
                       what);
        double w = lua_tonumber(L, -2), h = lua_tonumber(L, -1);
        lua_pop(L, 2);
        lua_geti(L, -1, 3);
        const char *unit = lua_tostring(L, -1);
        double per_inch = !unit || !strcmp(unit, "cm") ? 2.54
                          : !strcmp(unit, "in") ? 1 : NAN;
        if (isnan(per_inch))
            luaL_error(L, "%s: size's unit must be \"cm\" or \"in\", not "
                          "'%s'", what, unit);
        page.width = w / per_inch;
        page.height = h / per_inch;
        lua_pop(L, 1);
        if (!(page.width > 0 && page.height > 0))
            luaL_error(L, "%s: size must be positive", what);
    }
    lua_pop(L, 1);
    return page;
}

/* The figure's arrays, freed by __gc however the call ends. */
typedef struct figure_data {
    mdx_panel panels[MAX_PANELS];
    mdx_curve curves[MAX_PANELS][MAX_CURVES];
    mdx_map maps[MAX_PANELS];
    double *arrays[MAX_PANELS * (MAX_CURVES * 4 + 3)];
    size_t narrays;
} figure_data;

static int figure_gc(lua_State *L)
{
    figure_data *d = lua_touserdata(L, 1);
    for (size_t i = 0; i < d->narrays; i++)
        free(d->arrays[i]);
    d->narrays = 0;
    return 0;
}

/* The list on top of the stack, n finite numbers, into out; key names
 * it in the error. */
static void read_numbers(lua_State *L, const char *where, const char *key,
                         size_t n, double *out)
{
    for (size_t i = 0; i < n; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i + 1);
        int ok;
        out[i] = lua_tonumberx(L, -1, &ok);
        if (!ok || !isfinite(out[i]))
            luaL_error(L, "figure: %s: %s[%d] is not a finite number", where,
                       key, (int)i + 1);
        lua_pop(L, 1);
    }
}

/* Field `key` (a list of n numbers, or of any length when *n is 0) of the
 * table at the top as a C array, or NULL when absent. */
static const double *numbers(lua_State *L, figure_data *d, const char *key,
                             size_t *n, const char *where)
{
    if (lua_getfield(L, -1, key) == LUA_TNIL) {
        lua_pop(L, 1);
        return NULL;
    }
    if (!lua_istable(L, -1))
        luaL_error(L, "figure: %s: %s must be a list of numbers", where, key);
    size_t len = (size_t)lua_rawlen(L, -1);
    if (*n && len != *n)
        luaL_error(L, "figure: %s: %s has %d numbers, x has %d", where, key,
                   (int)len, (int)*n);
    double *v = malloc((len ? len : 1) * sizeof *v);
    if (!v)
        luaL_error(L, "out of memory");
    d->arrays[d->narrays++] = v;
    read_numbers(L, where, key, len, v);
    lua_pop(L, 1);
    *n = len;
    return v;
}

/* Field label of the table on top: a string (kept alive by the options
 * table), or NULL; what names it in the error. */
static const char *label_of(lua_State *L, const char *where, const char *what)
{
    int type = lua_getfield(L, -1, "label");
    if (type != LUA_TNIL && type != LUA_TSTRING)
        luaL_error(L, "figure: %s: %s must be a string", where, what);
    const char *label = lua_tostring(L, -1);
    lua_pop(L, 1);
    return label;
}

static void read_curve(lua_State *L, figure_data *d, mdx_curve *c,
                       const char *where)
{
    static const char *const keys[] = {"x", "y", "label", "lo", "hi", NULL};
    if (!lua_istable(L, -1))
        luaL_error(L, "figure: %s must be a table {x =, y =, label =}", where);
    mdx_lua_check_keys(L, lua_gettop(L), keys, "figure: curve", "key");
    size_t n = 0;
    c->x = numbers(L, d, "x", &n, where);
    if (!c->x || n < 2)
        luaL_error(L, "figure: %s needs x, two numbers or more", where);
    c->y = numbers(L, d, "y", &n, where);
    if (!c->y)
        luaL_error(L, "figure: %s needs y", where);
    c->lo = numbers(L, d, "lo", &n, where);
    c->hi = numbers(L, d, "hi", &n, where);
    if (!c->lo != !c->hi)
        luaL_error(L, "figure: %s: a band needs both lo and hi", where);
    for (size_t i = 0; i < n; i++) {
        if (i && c->x[i] < c->x[i - 1])  /* equal: a vertical line */
            luaL_error(L, "figure: %s: x must not decrease (x[%d] = %f "
                          "after %f)", where, (int)i + 1, c->x[i],
                       c->x[i - 1]);
        if (c->lo && c->lo[i] > c->hi[i])
            luaL_error(L, "figure: %s: the band's lo is above its hi at x = "
                          "%f", where, c->x[i]);
    }
    c->n = n;
    c->label = label_of(L, where, "label");
}

/* The panel's map (the table on top): x, y, and z's rows, one per y of
 * #x numbers each, flattened. */
static void read_map(lua_State *L, figure_data *d, mdx_map *m,
                     const char *where)
{
    static const char *const keys[] = {"x", "y", "z", "label", NULL};
    if (!lua_istable(L, -1))
        luaL_error(L, "figure: %s: map must be a table {x =, y =, z =}",
                   where);
    mdx_lua_check_keys(L, lua_gettop(L), keys, "figure: map", "key");
    m->x = numbers(L, d, "x", &m->nx, where);
    m->y = numbers(L, d, "y", &m->ny, where);
    if (!m->x || !m->y || m->nx < 2 || m->ny < 2)
        luaL_error(L, "figure: %s: map needs x and y, two numbers or more "
                      "each", where);
    if (lua_getfield(L, -1, "z") != LUA_TTABLE || lua_rawlen(L, -1) != m->ny)
        luaL_error(L, "figure: %s: map's z must be a list of %d rows, one "
                      "per y", where, (int)m->ny);
    double *z = malloc(m->nx * m->ny * sizeof *z);
    if (!z)
        luaL_error(L, "out of memory");
    d->arrays[d->narrays++] = z;
    for (size_t j = 0; j < m->ny; j++) {
        char row[32];
        snprintf(row, sizeof row, "map's z[%d]", (int)j + 1);
        if (lua_rawgeti(L, -1, (lua_Integer)j + 1) != LUA_TTABLE ||
            lua_rawlen(L, -1) != m->nx)
            luaL_error(L, "figure: %s: %s is not a list of %d numbers, one "
                          "per x", where, row, (int)m->nx);
        read_numbers(L, where, row, m->nx, z + j * m->nx);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    m->z = z;
    m->zlabel = label_of(L, where, "the map's label");
}

static void read_panel(lua_State *L, figure_data *d, size_t i)
{
    static const char *const keys[] = {"xlabel", "ylabel", "title", "xrange",
                                       "xstep", "curves", "map", NULL};
    mdx_panel *p = &d->panels[i];
    char where[64];
    snprintf(where, sizeof where, "panel %d", (int)i + 1);
    if (!lua_istable(L, -1))
        luaL_error(L, "figure: %s must be a table", where);
    int idx = lua_gettop(L);
    mdx_lua_check_keys(L, idx, keys, "figure: panel", "key");
    p->xlabel = mdx_lua_opt_string(L, idx, "figure", "xlabel", "");
    p->ylabel = mdx_lua_opt_string(L, idx, "figure", "ylabel", "");
    p->title = mdx_lua_opt_string(L, idx, "figure", "title", "");
    p->xstep = mdx_lua_opt_number(L, idx, "figure", "xstep", 0);
    if (!(p->xstep >= 0) || !isfinite(p->xstep))
        luaL_error(L, "figure: %s: xstep must be a number >= 0 (0: chosen)",
                   where);
    p->xmin = INFINITY;
    p->xmax = -INFINITY;
    int has_map = lua_getfield(L, idx, "map") != LUA_TNIL;
    if (has_map) {
        read_map(L, d, &d->maps[i], where);
        p->map = &d->maps[i];
        p->xmin = p->map->x[0];
        p->xmax = p->map->x[p->map->nx - 1];
    }
    lua_pop(L, 1);
    int type = lua_getfield(L, idx, "curves");
    if (type != LUA_TTABLE && !(has_map && type == LUA_TNIL))
        luaL_error(L, "figure: %s needs curves, a list (or a map)", where);
    p->ncurves = type == LUA_TNIL ? 0 : (size_t)lua_rawlen(L, -1);
    if ((p->ncurves < 1 && !has_map) || p->ncurves > MAX_CURVES)
        luaL_error(L, "figure: %s needs 1 to %d curves", where, MAX_CURVES);
    for (size_t c = 0; c < p->ncurves; c++) {
        char cw[96];
        snprintf(cw, sizeof cw, "%s, curve %d", where, (int)c + 1);
        lua_rawgeti(L, -1, (lua_Integer)c + 1);
        read_curve(L, d, &d->curves[i][c], cw);
        lua_pop(L, 1);
        for (size_t j = 0; j < d->curves[i][c].n; j++) {
            p->xmin = fmin(p->xmin, d->curves[i][c].x[j]);
            p->xmax = fmax(p->xmax, d->curves[i][c].x[j]);
        }
    }
    lua_pop(L, 1);
    p->curves = d->curves[i];
    if (lua_getfield(L, idx, "xrange") != LUA_TNIL) {
        if (!lua_istable(L, -1) || lua_geti(L, -1, 1) != LUA_TNUMBER ||
            lua_geti(L, -2, 2) != LUA_TNUMBER ||
            !(lua_tonumber(L, -2) < lua_tonumber(L, -1)))
            luaL_error(L, "figure: %s: xrange must be {lo, hi} with lo < hi",
                       where);
        p->xmin = lua_tonumber(L, -2);
        p->xmax = lua_tonumber(L, -1);
        lua_pop(L, 2);
    }
    lua_pop(L, 1);
    if (!(p->xmin < p->xmax))
        luaL_error(L, "figure: %s: its curves span no x range", where);
}

int mdx_lua_figure(lua_State *L)
{
    static const char *const keys[] = {"file", "panels", "size", "dpi",
                                       "legend", NULL};
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    mdx_lua_check_keys(L, 1, keys, "figure", "option");
    const char *file = mdx_lua_opt_string(L, 1, "figure", "file", NULL);
    if (!file)
        return luaL_error(L, "figure: file is missing");
    mdx_page page = mdx_lua_page_options(L, 1, "figure");
    figure_data *d = lua_newuserdatauv(L, sizeof *d, 0);
    memset(d, 0, sizeof *d);
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, figure_gc);
    lua_setfield(L, -2, "__gc");
    lua_setmetatable(L, -2);
    if (lua_getfield(L, 1, "panels") != LUA_TTABLE)
        return luaL_error(L, "figure: panels must be a list of panels");
    size_t n = (size_t)lua_rawlen(L, -1);
    if (n < 1 || n > MAX_PANELS)
        return luaL_error(L, "figure: give 1 to %d panels", MAX_PANELS);
    for (size_t i = 0; i < n; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i + 1);
        read_panel(L, d, i);
        lua_pop(L, 1);
    }
    mdx_error err;
    if (mdx_plot_page(file, d->panels, n, &page, &err))
        return err.code == MDX_ERR_ARG ? mdx_lua_raise(L, &err)
                                       : mdx_lua_fail(L, &err);
    lua_pushboolean(L, 1);
    return 1;
}
