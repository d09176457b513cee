/* The options every write method takes, read into the core's mdx_output:
 * {sem = true, precision = "full" | "reference", columns = "athena" |
 * "plain", xdi = true | {element =, edge =, comment =}}. */
#include <stdio.h>
#include <string.h>

#include "lua_private.h"

/* xdi.key into buf: one line of text that fits, or an error. */
static void copy_field(lua_State *L, int idx, const char *key, char *buf,
                       size_t size)
{
    const char *v = mdx_lua_opt_string(L, idx, "write: xdi", key, NULL);
    if (!v)
        return;
    if (strlen(v) >= size || strpbrk(v, "\r\n"))
        luaL_error(L, "write: xdi.%s must be one line of at most %d "
                      "characters", key, (int)size - 1);
    snprintf(buf, size, "%s", v);
}

mdx_output mdx_lua_write_options(lua_State *L, int idx)
{
    static const char *const keys[] = {"sem", "precision", "columns", "xdi",
                                       NULL};
    static const char *const precisions[] = {"reference", "full", NULL};
    static const char *const columns[] = {"plain", "athena", NULL};
    static const char *const xdi_keys[] = {"element", "edge", "comment", NULL};
    mdx_output o;
    memset(&o, 0, sizeof o);
    if (lua_isnoneornil(L, idx))
        return o;
    idx = lua_absindex(L, idx);
    luaL_checktype(L, idx, LUA_TTABLE);
    mdx_lua_check_keys(L, idx, keys, "write", "option");
    o.sem = mdx_lua_opt_boolean(L, idx, "write", "sem", 0);
    o.full = mdx_lua_opt_choice(L, idx, "write", "precision", precisions, 0);
    o.athena = mdx_lua_opt_choice(L, idx, "write", "columns", columns, 0);
    int t = lua_getfield(L, idx, "xdi");
    if (t == LUA_TTABLE) {
        int x = lua_gettop(L);
        mdx_lua_check_keys(L, x, xdi_keys, "write: xdi", "field");
        copy_field(L, x, "element", o.element, sizeof o.element);
        copy_field(L, x, "edge", o.edge, sizeof o.edge);
        copy_field(L, x, "comment", o.comment, sizeof o.comment);
        o.xdi = 1;
    } else if (t == LUA_TBOOLEAN) {
        o.xdi = lua_toboolean(L, -1);
    } else if (t != LUA_TNIL) {
        luaL_error(L, "write: xdi must be true, false or a table of element, "
                      "edge and comment");
    }
    lua_pop(L, 1);
    return o;
}
