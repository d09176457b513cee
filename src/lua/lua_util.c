/* Helpers every file of the mdexafs Lua module uses. */
#include <math.h>
#include <string.h>

#include "lua_util.h"

/* The remedies in the words of a Lua user, who may run a recipe. */
static const char *remedy_words(mdx_remedy r)
{
    switch (r) {
    case MDX_REMEDY_CHECK: return "mdexafs check tells more";
    case MDX_REMEDY_BUILD: return "mdx.build, or mdexafs build";
    case MDX_REMEDY_REBUILD: return "mdx.build{..., rebuild = true}, or "
                                    "mdexafs build --rebuild";
    case MDX_REMEDY_PREFER_BIN: return "prefer = \"feff.bin\", or mdexafs "
                                       "build --prefer feff.bin";
    case MDX_REMEDY_PREFER_DAT: return "prefer = \"feffNNNN.dat\", or mdexafs "
                                       "build --prefer feffNNNN.dat";
    case MDX_REMEDY_SKIP_FAILED: return "failed = \"skip\", a recipe's "
                                        "--skip-failed";
    case MDX_REMEDY_MERGE: return "mdexafs merge";
    default: return NULL;
    }
}

void mdx_lua_format_error(const mdx_error *err, char *buf, size_t size)
{
    mdx_error_format(err, buf, size);
    const char *words = remedy_words(err->remedy);
    size_t len = strlen(buf);
    if (words && len < size)
        snprintf(buf + len, size - len, " (%s)", words);
}

int mdx_lua_fail(lua_State *L, const mdx_error *err)
{
    char buf[2048];
    mdx_lua_format_error(err, buf, sizeof buf);
    lua_pushnil(L);
    lua_pushstring(L, buf);
    return 2;
}

int mdx_lua_raise(lua_State *L, const mdx_error *err)
{
    char buf[2048];
    mdx_lua_format_error(err, buf, sizeof buf);
    return luaL_error(L, "%s", buf);
}

const char *mdx_lua_push_joined(lua_State *L, const char *const *names)
{
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int j = 0; names[j]; j++) {
        luaL_addstring(&b, j ? " " : "");
        luaL_addstring(&b, names[j]);
    }
    luaL_pushresult(&b);
    return lua_tostring(L, -1);
}

void mdx_lua_check_keys(lua_State *L, int idx, const char *const *keys,
                        const char *what, const char *noun)
{
    idx = lua_absindex(L, idx);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        const char *key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2)
                                                          : "(not a name)";
        int i = 0;
        while (keys[i] && strcmp(keys[i], key))
            i++;
        if (!keys[i])
            luaL_error(L, "%s: unknown %s '%s' (known: %s)", what, noun, key,
                       mdx_lua_push_joined(L, keys));
        lua_pop(L, 1);
    }
}

/* Push field key of the table at idx; raise unless it is nil or of type
 * `type`. Returns 0 for nil. */
static int get_field(lua_State *L, int idx, const char *what, const char *key,
                     int type, const char *type_name)
{
    int t = lua_getfield(L, idx, key);
    if (t != LUA_TNIL && t != type)
        luaL_error(L, "%s: '%s' must be %s, not a %s", what, key, type_name,
                   luaL_typename(L, -1));
    return t != LUA_TNIL;
}

double mdx_lua_opt_number(lua_State *L, int idx, const char *what,
                          const char *key, double def)
{
    double v = get_field(L, idx, what, key, LUA_TNUMBER, "a number")
                   ? lua_tonumber(L, -1) : def;
    lua_pop(L, 1);
    return v;
}

lua_Integer mdx_lua_opt_integer(lua_State *L, int idx, const char *what,
                                const char *key, lua_Integer def)
{
    int there = get_field(L, idx, what, key, LUA_TNUMBER, "a whole number");
    if (there && !lua_isinteger(L, -1))
        luaL_error(L, "%s: '%s' must be a whole number", what, key);
    lua_Integer v = there ? lua_tointeger(L, -1) : def;
    lua_pop(L, 1);
    return v;
}

const char *mdx_lua_opt_string(lua_State *L, int idx, const char *what,
                               const char *key, const char *def)
{
    const char *v = get_field(L, idx, what, key, LUA_TSTRING, "a string")
                        ? lua_tostring(L, -1) : def;
    lua_pop(L, 1);
    return v;
}

int mdx_lua_opt_boolean(lua_State *L, int idx, const char *what,
                        const char *key, int def)
{
    int v = get_field(L, idx, what, key, LUA_TBOOLEAN, "true or false")
                ? lua_toboolean(L, -1) : def;
    lua_pop(L, 1);
    return v;
}

int mdx_lua_opt_choice(lua_State *L, int idx, const char *what,
                       const char *key, const char *const *values, int def)
{
    const char *v = mdx_lua_opt_string(L, idx, what, key, NULL);
    if (!v)
        return def;
    for (int i = 0; values[i]; i++)
        if (!strcmp(v, values[i]))
            return i;
    return luaL_error(L, "%s: %s must be one of: %s", what, key,
                      mdx_lua_push_joined(L, values));
}

void mdx_lua_push_array(lua_State *L, const double *v, size_t n)
{
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_pushnumber(L, v[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
}

void mdx_lua_push_kept_array(lua_State *L, int idx, int slot,
                             const double *v, size_t n)
{
    idx = lua_absindex(L, idx);
    if (lua_getiuservalue(L, idx, slot) == LUA_TTABLE)
        return;
    lua_pop(L, 1);
    mdx_lua_push_array(L, v, n);
    lua_pushvalue(L, -1);
    lua_setiuservalue(L, idx, slot);
}

void mdx_lua_check_kept_arrays(lua_State *L, int idx, const char *what,
                               const char *const *names,
                               const double *const *v, size_t n)
{
    idx = lua_absindex(L, idx);
    for (int s = 0; names[s]; s++) {
        if (lua_getiuservalue(L, idx, s + 1) == LUA_TTABLE) {
            int same = v[s] && (size_t)lua_rawlen(L, -1) == n;
            for (size_t i = 0; same && i < n; i++) {
                lua_rawgeti(L, -1, (lua_Integer)i + 1);
                double x = lua_tonumber(L, -1);
                same = lua_type(L, -1) == LUA_TNUMBER &&
                       (x == v[s][i] || (isnan(x) && isnan(v[s][i])));
                lua_pop(L, 1);
            }
            if (!same)
                luaL_error(L, "%s.%s was changed in place: its arrays are "
                              "read-only (copy one to change it)", what,
                           names[s]);
        }
        lua_pop(L, 1);
    }
}

void mdx_lua_set_number(lua_State *L, const char *key, double v)
{
    lua_pushnumber(L, v);
    lua_setfield(L, -2, key);
}

void mdx_lua_set_integer(lua_State *L, const char *key, lua_Integer v)
{
    lua_pushinteger(L, v);
    lua_setfield(L, -2, key);
}

void mdx_lua_set_string(lua_State *L, const char *key, const char *v)
{
    lua_pushstring(L, v);
    lua_setfield(L, -2, key);
}

void mdx_lua_new_class(lua_State *L, const char *name, const luaL_Reg *meta,
                       const luaL_Reg *methods, lua_CFunction index)
{
    luaL_newmetatable(L, name);
    if (meta)
        luaL_setfuncs(L, meta, 0);
    lua_newtable(L);
    luaL_setfuncs(L, methods, 0);
    if (index)
        lua_pushcclosure(L, index, 1);
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1);
}

void mdx_lua_add_methods(lua_State *L, const char *name,
                         const luaL_Reg *methods)
{
    int top = lua_gettop(L);
    luaL_getmetatable(L, name);
    lua_getfield(L, -1, "__index");
    if (lua_iscfunction(L, -1))
        lua_getupvalue(L, -1, 1);  /* the methods the closure looks in */
    if (!lua_istable(L, -1))
        luaL_error(L, "%s: no method table to add to", name);
    luaL_setfuncs(L, methods, 0);
    lua_settop(L, top);
}
