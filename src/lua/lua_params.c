/* Path parameters from Lua: {s02 = 0.9, sigma2 = ...}, each a number for
 * every path, a table of path type = number ("*" for the other types) or
 * a function of the path's metadata table returning a number. Names and
 * values are the core's (mdx_chi_param_set); a selection hands numbers
 * and tables to its query, which applies them, and calls only the
 * functions from Lua. */
#include <string.h>

#include "lua_private.h"

/* A number; with per_path also a function, or a table whose keys are
 * names and values numbers. */
static int valid_value(lua_State *L, int idx, int per_path)
{
    idx = lua_absindex(L, idx);
    if (lua_type(L, idx) == LUA_TNUMBER)
        return 1;
    if (!per_path)
        return 0;
    if (lua_isfunction(L, idx))
        return 1;
    if (!lua_istable(L, idx))
        return 0;
    int ok = 1;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        ok = ok && lua_type(L, -2) == LUA_TSTRING &&
             lua_type(L, -1) == LUA_TNUMBER;
        lua_pop(L, 1);
    }
    return ok;
}

void mdx_lua_check_params(lua_State *L, int idx, int per_path)
{
    idx = lua_absindex(L, idx);
    luaL_checktype(L, idx, LUA_TTABLE);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        const char *key = lua_type(L, -2) == LUA_TSTRING
                              ? lua_tostring(L, -2) : "(not a name)";
        if (!mdx_chi_param_canonical(key))
            luaL_error(L, "unknown path parameter '%s' (known: %s)", key,
                       mdx_chi_param_names());
        if (lua_istable(L, -1)) {  /* of path types: at least one */
            lua_pushnil(L);
            if (!lua_next(L, -2))
                luaL_error(L, "path parameter '%s' is an empty table", key);
            lua_pop(L, 2);
        }
        if (!valid_value(L, -1, per_path))
            luaL_error(L, per_path
                              ? "path parameter '%s' must be a number, a table "
                                "of path type = number, or a function of the "
                                "path"
                              : "path parameter '%s' must be a number",
                       key);
        lua_pop(L, 1);
    }
    static const char *const aliases[][2] = {{"c3", "third"}, {"c4", "fourth"}};
    for (int i = 0; i < 2; i++) {  /* one value a parameter, not two */
        int top = lua_gettop(L);
        int both = lua_getfield(L, idx, aliases[i][0]) != LUA_TNIL &&
                   lua_getfield(L, idx, aliases[i][1]) != LUA_TNIL;
        lua_settop(L, top);
        if (both)
            luaL_error(L, "path parameters '%s' and '%s' are the same: give "
                          "one", aliases[i][0], aliases[i][1]);
    }
}

void mdx_lua_path_params(lua_State *L, int idx, mdx_chi_params *par)
{
    idx = lua_absindex(L, idx);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        mdx_error err;
        if (mdx_chi_param_set(par, lua_tostring(L, -2), lua_tonumber(L, -1), &err))
            mdx_lua_raise(L, &err);
        lua_pop(L, 1);
    }
}

void mdx_lua_query_params(lua_State *L, int idx, mdx_query *q)
{
    mdx_error err;
    idx = lua_absindex(L, idx);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        const char *name = lua_tostring(L, -2);
        mdx_status rc = MDX_OK;
        if (lua_isfunction(L, -1))
            rc = mdx_query_param_function(q, name, &err);
        else if (lua_type(L, -1) == LUA_TNUMBER)
            rc = mdx_query_param(q, name, NULL, lua_tonumber(L, -1), &err);
        else
            for (lua_pushnil(L); !rc && lua_next(L, -2); lua_pop(L, 1))
                rc = mdx_query_param(q, name, lua_tostring(L, -2),
                                     lua_tonumber(L, -1), &err);
        if (rc)
            mdx_lua_raise(L, &err);
        lua_pop(L, 1);
    }
}

void mdx_lua_param_functions(lua_State *L, int idx, const mdx_path_meta *m,
                             mdx_chi_params *par)
{
    idx = lua_absindex(L, idx);
    int top = lua_gettop(L), meta = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        if (lua_isfunction(L, -1)) {
            const char *key = lua_tostring(L, -2);
            if (!meta) {  /* one table for all, below the key */
                mdx_lua_push_meta(L, m);
                lua_insert(L, top + 1);
                meta = top + 1;
            }
            lua_pushvalue(L, -1);
            lua_pushvalue(L, meta);
            lua_call(L, 1, 1);
            if (lua_type(L, -1) != LUA_TNUMBER)
                luaL_error(L, "path parameter '%s': the function returned %s, "
                              "not a number, for path %d (%s) of %s",
                           key, luaL_typename(L, -1), m->num, m->type, m->dir);
            *mdx_chi_param(par, key) = lua_tonumber(L, -1);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    lua_settop(L, top);
}
