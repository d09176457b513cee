/* Writing results from Lua: the options every write method takes and the
 * column files they make, plain or with an XDI header. */
#include <stdio.h>
#include <string.h>

#include "lua_private.h"
#include "mdexafs/columns.h"

static void copy_field(lua_State *L, int idx, const char *key, char *buf,
                       size_t size)
{
    if (lua_getfield(L, idx, key) == LUA_TSTRING)
        snprintf(buf, size, "%s", lua_tostring(L, -1));
    else if (!lua_isnil(L, -1))
        luaL_error(L, "write: xdi.%s must be a string", key);
    lua_pop(L, 1);
}

void mdx_lua_write_options(lua_State *L, int idx, mdx_lua_write_opts *o)
{
    memset(o, 0, sizeof *o);
    if (lua_isnoneornil(L, idx))
        return;
    luaL_checktype(L, idx, LUA_TTABLE);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        const char *key = lua_type(L, -2) == LUA_TSTRING
                              ? lua_tostring(L, -2) : "?";
        if (!strcmp(key, "sem")) {
            o->sem = lua_toboolean(L, -1);
        } else if (!strcmp(key, "columns")) {
            const char *v = lua_tostring(L, -1);
            if (!v || (strcmp(v, "athena") && strcmp(v, "plain")))
                luaL_error(L, "write: columns must be \"athena\" or \"plain\"");
            o->athena = !strcmp(v, "athena");
        } else if (!strcmp(key, "xdi")) {
            o->xdi = lua_toboolean(L, -1);
            if (lua_istable(L, -1)) {
                int t = lua_gettop(L);
                copy_field(L, t, "element", o->element, sizeof o->element);
                copy_field(L, t, "edge", o->edge, sizeof o->edge);
                copy_field(L, t, "comment", o->comment, sizeof o->comment);
            }
        } else {
            luaL_error(L, "write: unknown option '%s' (known: sem columns xdi)",
                       key);
        }
        lua_pop(L, 1);
    }
}

void mdx_lua_xdi_defaults(mdx_lua_write_opts *o, const char *element,
                          const char *edge)
{
    if (!o->element[0])
        snprintf(o->element, sizeof o->element, "%s", element);
    if (!o->edge[0])
        snprintf(o->edge, sizeof o->edge, "%s", edge);
}

int mdx_lua_write_table(lua_State *L, const char *file,
                        const mdx_lua_write_opts *o, const char *what,
                        const mdx_lua_column *cols, size_t ncols, size_t n)
{
    enum { MAXCOLS = 8, MAXLINES = 24 };
    char lines[MAXLINES][1400];
    const char *header[MAXLINES], *labels[MAXCOLS];
    const double *data[MAXCOLS];
    size_t nh = 0;
    if (ncols > MAXCOLS)
        return luaL_error(L, "write: too many columns");
    if (o->xdi) {
        snprintf(lines[nh++], sizeof lines[0], "XDI/1.0 mdexafs/%s",
                 MDX_VERSION);
        if (o->element[0])
            snprintf(lines[nh++], sizeof lines[0], "Element.symbol: %s",
                     o->element);
        if (o->edge[0])
            snprintf(lines[nh++], sizeof lines[0], "Element.edge: %s",
                     o->edge);
        for (size_t j = 0; j < ncols; j++)
            snprintf(lines[nh++], sizeof lines[0], "Column.%zu: %s%s%s", j + 1,
                     cols[j].label, cols[j].unit ? " " : "",
                     cols[j].unit ? cols[j].unit : "");
        snprintf(lines[nh++], sizeof lines[0], "MDexafs.averaged: %s", what);
        snprintf(lines[nh++], sizeof lines[0], "///");
        if (o->comment[0])
            snprintf(lines[nh++], sizeof lines[0], "%s", o->comment);
    } else {
        snprintf(lines[nh++], sizeof lines[0], "%s", what);
    }
    for (size_t i = 0; i < nh; i++)
        header[i] = lines[i];
    for (size_t j = 0; j < ncols; j++) {
        labels[j] = cols[j].label;
        data[j] = cols[j].values;
    }
    mdx_columns c = {nh, header, ncols, n, labels, data};
    mdx_error err;
    if (mdx_write_columns(file, &c, &err))
        return mdx_lua_fail(L, &err);
    lua_pushboolean(L, 1);
    return 1;
}
