/* Path parameters from Lua: {s02 = 0.9, sigma2 = ...}, each a number for
 * every path, a table of path type = number ("*" for the other types) or
 * a function of the path's metadata table returning a number. Names are
 * those of mdx_chi_params; xraylarch's "third" and "fourth" also work. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "lua_private.h"

typedef struct param_name {
    const char *name;
    size_t offset;      /* of the double in mdx_chi_params */
    const char *alias;  /* the name this one is another name for, or NULL */
} param_name;

#define SLOT(field) offsetof(mdx_chi_params, field)
static const param_name names[] = {
    {"s02", SLOT(s02), NULL},     {"e0", SLOT(e0), NULL},
    {"sigma2", SLOT(sigma2), NULL}, {"deltar", SLOT(deltar), NULL},
    {"c3", SLOT(c3), NULL},       {"c4", SLOT(c4), NULL},
    {"ei", SLOT(ei), NULL},       {"degen", SLOT(degen), NULL},
    {"third", SLOT(c3), "c3"},    {"fourth", SLOT(c4), "c4"},
    {NULL, 0, NULL},
};
#undef SLOT

/* Push "s02 e0 ...; third = c3, fourth = c4": the names, for messages. */
static const char *push_known(lua_State *L)
{
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int alias = 0; alias < 2; alias++)
        for (const param_name *p = names; p->name; p++)
            if (!p->alias == !alias) {
                const char *sep = p == names ? "" :
                                  alias && !p[-1].alias ? "; " :
                                  alias ? ", " : " ";
                luaL_addstring(&b, sep);
                luaL_addstring(&b, p->name);
                if (alias) {
                    luaL_addstring(&b, " = ");
                    luaL_addstring(&b, p->alias);
                }
            }
    luaL_pushresult(&b);
    return lua_tostring(L, -1);
}

static const param_name *find(const char *key)
{
    for (const param_name *p = names; p->name; p++)
        if (strcmp(p->name, key) == 0)
            return p;
    return NULL;
}

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
        if (!find(key))
            luaL_error(L, "unknown path parameter '%s' (known: %s)", key,
                       push_known(L));
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

static int has_function(lua_State *L, int idx)
{
    int found = 0;
    lua_pushnil(L);
    while (!found && lua_next(L, idx)) {
        found = lua_isfunction(L, -1);
        lua_pop(L, 1);
    }
    if (found)
        lua_pop(L, 1);  /* the key lua_next left */
    return found;
}

void mdx_lua_path_params(lua_State *L, int idx, const mdx_path_meta *m,
                         mdx_chi_params *par)
{
    idx = lua_absindex(L, idx);
    int top = lua_gettop(L), meta = 0;
    if (m && has_function(L, idx)) {
        mdx_lua_push_meta(L, m);
        meta = lua_gettop(L);
    }
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        const char *key = lua_tostring(L, -2);
        const param_name *p = find(key);
        if (lua_istable(L, -1) && m) {  /* by path type, "*" for the rest */
            if (lua_getfield(L, -1, m->type) == LUA_TNIL) {
                lua_pop(L, 1);
                lua_getfield(L, -1, "*");
            }
            lua_replace(L, -2);
        } else if (lua_isfunction(L, -1) && meta) {
            lua_pushvalue(L, meta);
            lua_call(L, 1, 1);
            if (lua_type(L, -1) != LUA_TNUMBER)
                luaL_error(L, "path parameter '%s': the function returned %s, "
                              "not a number, for path %d (%s) of %s",
                           key, luaL_typename(L, -1), m->num, m->type, m->dir);
        }
        if (lua_type(L, -1) == LUA_TNUMBER) {  /* nil: the type not listed */
            double v = lua_tonumber(L, -1);
            if (!isfinite(v) || (p->offset == offsetof(mdx_chi_params, degen)
                                 && v < 0))
                luaL_error(L, "path parameter '%s' is %f%s", key, v,
                           isfinite(v) ? ": a degeneracy counts paths"
                                       : ", not a finite number");
            *(double *)((char *)par + p->offset) = v;
        }
        lua_pop(L, 1);
    }
    lua_settop(L, top);
}

void mdx_lua_describe_params(lua_State *L, int idx, char *buf, size_t size)
{
    size_t n = 0;
    idx = lua_absindex(L, idx);
    buf[0] = '\0';
    for (const param_name *p = names; p->name && n < size; p++) {
        int t = lua_getfield(L, idx, p->name);
        if (t == LUA_TNUMBER)
            n += (size_t)snprintf(buf + n, size - n, "%s%s=%.10g", n ? " " : "",
                                  p->name, lua_tonumber(L, -1));
        else if (t != LUA_TNIL)
            n += (size_t)snprintf(buf + n, size - n, "%s%s=%s", n ? " " : "",
                                  p->name,
                                  t == LUA_TTABLE ? "(by type)" : "(function)");
        lua_pop(L, 1);
    }
}
