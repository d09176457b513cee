/* Writing results from Lua: the options every write method takes and the
 * column files they make, plain or with an XDI header. */
#include <stdio.h>
#include <string.h>

#include "lua_private.h"
#include "mdexafs/columns.h"
#include "mdexafs/feff.h"

/* xdi.key into buf: one line of text that fits, or an error. */
static void copy_field(lua_State *L, int idx, const char *key, char *buf,
                       size_t size)
{
    if (lua_getfield(L, idx, key) == LUA_TSTRING) {
        const char *v = lua_tostring(L, -1);
        if (strlen(v) >= size || strpbrk(v, "\r\n"))
            luaL_error(L, "write: xdi.%s must be one line of at most %d "
                          "characters", key, (int)size - 1);
        snprintf(buf, size, "%s", v);
    } else if (!lua_isnil(L, -1)) {
        luaL_error(L, "write: xdi.%s must be a string", key);
    }
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
            if (!lua_isboolean(L, -1))
                luaL_error(L, "write: sem must be true or false");
            o->sem = lua_toboolean(L, -1);
        } else if (!strcmp(key, "precision")) {
            const char *v = lua_tostring(L, -1);
            if (lua_type(L, -1) != LUA_TSTRING ||
                (strcmp(v, "full") && strcmp(v, "reference")))
                luaL_error(L, "write: precision must be \"full\" (the fewest "
                              "digits that read back exactly) or \"reference\" "
                              "(%%.6f)");
            o->full = !strcmp(v, "full");
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
            luaL_error(L, "write: unknown option '%s' (known: sem precision "
                          "columns xdi)", key);
        }
        lua_pop(L, 1);
    }
}

/* Is `edge` one XDI knows: K, L1-L3, M1-M5, N1-N7? */
static int xdi_edge_known(const char *edge)
{
    static const char *const shells = "K1L3M5N7";  /* shell, last index */
    for (const char *s = shells; *s; s += 2)
        if (edge[0] == s[0])
            return s[0] == 'K' ? edge[1] == '\0'
                               : edge[1] >= '1' && edge[1] <= s[1] &&
                                     edge[2] == '\0';
    return 0;
}

void mdx_lua_xdi_defaults(lua_State *L, mdx_lua_write_opts *o,
                          const char *element, const char *edge)
{
    if (!o->element[0])
        snprintf(o->element, sizeof o->element, "%s", element);
    if (!o->edge[0])
        snprintf(o->edge, sizeof o->edge, "%s", edge);
    if (!o->xdi)
        return;
    if (o->element[0] && !mdx_element_z(o->element))
        luaL_error(L, "write: xdi.element '%s' is not an element symbol",
                   o->element);
    if (o->edge[0] && !xdi_edge_known(o->edge))
        luaL_error(L, "write: xdi.edge '%s' is not an edge XDI knows (K, "
                      "L1-L3, M1-M5, N1-N7)", o->edge);
}

void mdx_lua_chi_label(double kweight, char *buf, size_t size)
{
    if (kweight == 0)
        snprintf(buf, size, "chi");
    else if (kweight == 1)
        snprintf(buf, size, "kchi");
    else
        snprintf(buf, size, "k%gchi", kweight);
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
    mdx_columns c = {nh, header, ncols, n, labels, data, o->full};
    mdx_error err;
    if (mdx_write_columns(file, &c, &err))
        return mdx_lua_fail(L, &err);
    lua_pushboolean(L, 1);
    return 1;
}
