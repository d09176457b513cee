/* Lua chi(R) results: r:xftf{...} of a chi(k) result, with fields r, re,
 * im, mag (tables, each made on its first read and the same table at
 * every later one: read-only), n, label and the method write. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua_private.h"
#include "mdexafs/chi.h"

#define MDX_CHIR_MT "mdexafs.chir"

typedef struct lua_chir {
    mdx_chir c;
    double kweight;   /* of the chi(k) transformed: chi(R) is in Å^-(w+1) */
    char element[8], edge[8];
    char label[1400];
} lua_chir;

static lua_chir *check_chir(lua_State *L, int idx)
{
    return luaL_checkudata(L, idx, MDX_CHIR_MT);
}

static int chir_gc(lua_State *L)
{
    mdx_chir_free(&check_chir(L, 1)->c);
    return 0;
}

mdx_xft_options mdx_lua_xft_options(lua_State *L, int idx)
{
    static const char *const keys[] = {"kmin", "kmax", "dk", "dk2", "kweight",
                                       "kw", "window", "rmax_out", "nfft",
                                       "kstep", NULL};
    mdx_xft_options o = mdx_xft_defaults();
    if (lua_isnoneornil(L, idx))
        return o;
    luaL_checktype(L, idx, LUA_TTABLE);
    mdx_lua_check_keys(L, idx, keys, "xftf", "option");
    o.kmin = mdx_lua_opt_number(L, idx, "xftf", "kmin", o.kmin);
    o.kmax = mdx_lua_opt_number(L, idx, "xftf", "kmax", o.kmax);
    o.dk = mdx_lua_opt_number(L, idx, "xftf", "dk", o.dk);
    o.dk2 = mdx_lua_opt_number(L, idx, "xftf", "dk2", o.dk2);
    int top = lua_gettop(L);
    if (lua_getfield(L, idx, "kw") != LUA_TNIL &&
        lua_getfield(L, idx, "kweight") != LUA_TNIL)
        luaL_error(L, "xftf: 'kw' and 'kweight' are the same: give one");
    lua_settop(L, top);
    o.kweight = mdx_lua_opt_number(L, idx, "xftf", "kw", o.kweight);
    o.kweight = mdx_lua_opt_number(L, idx, "xftf", "kweight", o.kweight);
    o.rmax_out = mdx_lua_opt_number(L, idx, "xftf", "rmax_out", o.rmax_out);
    o.kstep = mdx_lua_opt_number(L, idx, "xftf", "kstep", o.kstep);
    double nfft = mdx_lua_opt_number(L, idx, "xftf", "nfft", (double)o.nfft);
    if (nfft < 2 || nfft > 1 << 24 || nfft != floor(nfft))
        luaL_error(L, "xftf: nfft must be a whole number from 2 to 2^24");
    o.nfft = (size_t)nfft;
    if (lua_getfield(L, idx, "window") != LUA_TNIL) {
        mdx_error err;
        if (mdx_window_parse(luaL_checkstring(L, -1), &o.window, &err))
            mdx_lua_raise(L, &err);
    }
    lua_pop(L, 1);
    return o;
}

int mdx_lua_result_xftf(lua_State *L)
{
    mdx_lua_result *r = mdx_lua_check_result(L, 1);
    if (r->kweight != 0) {
        char msg[200];
        snprintf(msg, sizeof msg, "xftf: this result is k^%g chi(k); xftf "
                 "weights chi(k) itself (its kweight): transform the result "
                 "before :kweight()", r->kweight);
        return luaL_error(L, "%s", msg);
    }
    mdx_xft_options o = mdx_lua_xft_options(L, 2);
    /* user values: the tables of r, re, im and mag, once read */
    lua_chir *c = lua_newuserdatauv(L, sizeof *c, 4);
    memset(c, 0, sizeof *c);
    luaL_setmetatable(L, MDX_CHIR_MT);
    mdx_error err;
    if (mdx_xftf(r->k, r->chi, r->n, &o, &c->c, &err))
        return mdx_lua_raise(L, &err);
    c->kweight = o.kweight;
    memcpy(c->element, r->element, sizeof c->element);
    memcpy(c->edge, r->edge, sizeof c->edge);
    snprintf(c->label, sizeof c->label,
             "chi(R) of k^%g chi(k), %s window %g..%g dk %g: %s", o.kweight,
             mdx_window_name(o.window), o.kmin, o.kmax, o.dk, r->label);
    return 1;
}

static int chir_index(lua_State *L)
{
    lua_chir *c = check_chir(L, 1);
    const char *key = luaL_checkstring(L, 2);
    if (lua_getfield(L, lua_upvalueindex(1), key) != LUA_TNIL)
        return 1;
    if (!strcmp(key, "r"))
        mdx_lua_push_kept_array(L, 1, 1, c->c.r, c->c.n);
    else if (!strcmp(key, "re"))
        mdx_lua_push_kept_array(L, 1, 2, c->c.re, c->c.n);
    else if (!strcmp(key, "im"))
        mdx_lua_push_kept_array(L, 1, 3, c->c.im, c->c.n);
    else if (!strcmp(key, "mag"))
        mdx_lua_push_kept_array(L, 1, 4, c->c.mag, c->c.n);
    else if (!strcmp(key, "n"))
        lua_pushinteger(L, (lua_Integer)c->c.n);
    else if (!strcmp(key, "label"))
        lua_pushstring(L, c->label);
    else
        lua_pushnil(L);
    return 1;
}

/* c:write(file [, {xdi = ...}]) -> true | nil, message
 * The columns Athena exports for chi(R): r, Re, Im, |chi(R)|. */
static int chir_write(lua_State *L)
{
    lua_chir *c = check_chir(L, 1);
    static const char *const names[] = {"r", "re", "im", "mag", NULL};
    const double *const v[] = {c->c.r, c->c.re, c->c.im, c->c.mag};
    mdx_lua_check_kept_arrays(L, 1, "chir", names, v, c->c.n);
    const char *file = luaL_checkstring(L, 2);
    mdx_output o = mdx_lua_write_options(L, 3);
    if (o.sem || o.athena)
        return luaL_error(L, "write: chi(R) has %s", o.sem
                          ? "no standard error" : "no Athena k columns");
    mdx_error err;
    if (mdx_write_chir(file, &o, &c->c, c->kweight, c->label, c->element,
                       c->edge, &err))
        return err.code == MDX_ERR_ARG ? mdx_lua_raise(L, &err)
                                       : mdx_lua_fail(L, &err);
    lua_pushboolean(L, 1);
    return 1;
}

static int chir_len(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)check_chir(L, 1)->c.n);
    return 1;
}

static int chir_tostring(lua_State *L)
{
    lua_chir *c = check_chir(L, 1);
    lua_pushfstring(L, "chi(R), %d points: %s", (int)c->c.n, c->label);
    return 1;
}

void mdx_lua_open_chir(lua_State *L)
{
    static const luaL_Reg methods[] = {{"write", chir_write}, {NULL, NULL}};
    static const luaL_Reg meta[] = {{"__gc", chir_gc}, {"__len", chir_len},
                                    {"__tostring", chir_tostring},
                                    {NULL, NULL}};
    mdx_lua_new_class(L, MDX_CHIR_MT, meta, methods, chir_index);
}
