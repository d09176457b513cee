/* The mdexafs Lua module: thin wrappers over the core API. */
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "mdexafs/chi.h"
#include "mdexafs/feff.h"

/* Return nil and the formatted error, the Lua idiom for ordinary failures. */
static int push_failure(lua_State *L, const mdx_error *err)
{
    char buf[2048];
    mdx_error_format(err, buf, sizeof buf);
    lua_pushnil(L);
    lua_pushstring(L, buf);
    return 2;
}

static void set_number(lua_State *L, const char *key, double v)
{
    lua_pushnumber(L, v);
    lua_setfield(L, -2, key);
}

static void set_integer(lua_State *L, const char *key, lua_Integer v)
{
    lua_pushinteger(L, v);
    lua_setfield(L, -2, key);
}

static void set_string(lua_State *L, const char *key, const char *v)
{
    lua_pushstring(L, v);
    lua_setfield(L, -2, key);
}

static void push_path(lua_State *L, const mdx_path *p)
{
    char type[256];
    mdx_path_type(p, type, sizeof type);
    lua_createtable(L, 0, 12);
    set_string(L, "version", p->version);
    set_integer(L, "index", p->index);
    set_string(L, "type", type);
    set_integer(L, "nleg", p->nleg);
    set_number(L, "deg", p->deg);
    set_number(L, "reff", p->reff);
    set_string(L, "absorber", mdx_element_symbol(p->abs_iz));
    set_string(L, "edge", p->edge_label);
    set_integer(L, "nrows", (lua_Integer)p->nrows);
    lua_createtable(L, p->nleg, 0);
    for (int i = 0; i < p->nleg; i++) {
        const mdx_leg *l = &p->legs[i];
        lua_createtable(L, 0, 7);
        set_number(L, "x", l->x);
        set_number(L, "y", l->y);
        set_number(L, "z", l->z);
        set_integer(L, "ipot", l->ipot);
        set_integer(L, "iz", l->iz);
        set_string(L, "element", mdx_element_symbol(l->iz));
        set_string(L, "label", l->label);
        lua_rawseti(L, -2, i + 1);
    }
    lua_setfield(L, -2, "legs");
}

/* mdexafs.parse(file) -> path table | nil, message */
static int l_parse(lua_State *L)
{
    const char *file = luaL_checkstring(L, 1);
    mdx_path path;
    mdx_error err;
    if (mdx_feff_parse_file(file, &path, &err) != MDX_OK)
        return push_failure(L, &err);
    push_path(L, &path);
    mdx_path_free(&path);
    return 1;
}

/* Read the optional parameter table at `idx` into *par, refusing unknown
 * keys so that a misspelt "sigma_2" is not silently ignored. */
static void check_params(lua_State *L, int idx, mdx_chi_params *par)
{
    static const char *const names[] = {"s02", "e0", "sigma2", "deltar",
                                        "c3", "c4", "ei", "degen", NULL};
    double *slots[] = {&par->s02, &par->e0, &par->sigma2, &par->deltar,
                       &par->c3, &par->c4, &par->ei, &par->degen};
    *par = mdx_chi_defaults();
    if (lua_isnoneornil(L, idx))
        return;
    luaL_checktype(L, idx, LUA_TTABLE);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        const char *key = lua_type(L, -2) == LUA_TSTRING
                              ? lua_tostring(L, -2) : "(not a name)";
        int i = 0;
        while (names[i] && strcmp(names[i], key) != 0)
            i++;
        if (!names[i])
            return (void)luaL_error(L, "unknown path parameter '%s' (known: "
                                    "s02 e0 sigma2 deltar c3 c4 ei degen)", key);
        if (!lua_isnumber(L, -1))
            return (void)luaL_error(L, "path parameter '%s' must be a number",
                                    key);
        *slots[i] = lua_tonumber(L, -1);
        lua_pop(L, 1);
    }
}

static void push_array(lua_State *L, const double *v, int n)
{
    lua_createtable(L, n, 0);
    for (int i = 0; i < n; i++) {
        lua_pushnumber(L, v[i]);
        lua_rawseti(L, -2, i + 1);
    }
}

/* mdexafs.chi(file [, params]) -> chi, k | nil, message
 * chi(k) on the standard grid k = 0, 0.05, ..., 20. */
static int l_chi(lua_State *L)
{
    const char *file = luaL_checkstring(L, 1);
    mdx_chi_params par;
    mdx_path path;
    mdx_chi_work work = {0};
    mdx_error err;
    double k[MDX_NK], chi[MDX_NK];

    check_params(L, 2, &par);
    mdx_kgrid(k);
    mdx_status st = mdx_feff_parse_file(file, &path, &err);
    if (st == MDX_OK)
        st = mdx_chi(&path, &par, MDX_NK, k, chi, &work, &err);
    mdx_path_free(&path);
    mdx_chi_work_free(&work);
    if (st != MDX_OK) {
        if (!err.file[0])
            snprintf(err.file, sizeof err.file, "%s", file);
        return push_failure(L, &err);
    }
    push_array(L, chi, MDX_NK);
    push_array(L, k, MDX_NK);
    return 2;
}

static const luaL_Reg functions[] = {
    {"parse", l_parse},
    {"chi", l_chi},
    {NULL, NULL},
};

int luaopen_mdexafs(lua_State *L)
{
    luaL_newlib(L, functions);
    return 1;
}
