/* Lua sources: src = mdexafs.open(path) and src:export(...) to write a
 * path file back; the module adds src:select{...} (lua_select.c, run by
 * lua_run.c, its methods in lua_query.c) and src:chidat{...}
 * (lua_chidat.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua_private.h"
#include "mdexafs/chi.h"
#include "mdexafs/source.h"

mdx_source *mdx_lua_check_source(lua_State *L, int idx)
{
    lua_source *s = luaL_checkudata(L, idx, MDX_SOURCE_MT);
    if (!s->src)
        luaL_error(L, "source is closed");
    return s->src;
}

/* mdexafs.open(path [, {failed = "stop" | "skip",
 *                       prefer = "feff.bin" | "feffNNNN.dat"}]) -> source */
int mdx_lua_open(lua_State *L)
{
    static const char *const keys[] = {"failed", "prefer", NULL};
    const char *path = luaL_checkstring(L, 1);
    int skip = 0;
    enum mdx_prefer prefer = MDX_PREFER_RECORDED;
    if (!lua_isnoneornil(L, 2)) {
        luaL_checktype(L, 2, LUA_TTABLE);
        mdx_lua_check_keys(L, 2, keys, "open", "option");
        if (lua_getfield(L, 2, "failed") != LUA_TNIL) {
            const char *policy = lua_tostring(L, -1);
            if (lua_type(L, -1) != LUA_TSTRING ||
                (strcmp(policy, "stop") && strcmp(policy, "skip")))
                return luaL_error(L, "open: 'failed' must be \"stop\" or "
                                     "\"skip\", not '%s'",
                                  luaL_tolstring(L, -1, NULL));
            skip = strcmp(policy, "skip") == 0;
        }
        lua_pop(L, 1);
        prefer = mdx_lua_opt_prefer(L, 2, "open");
    }
    lua_source *s = lua_newuserdatauv(L, sizeof *s, 0);
    mdx_error err;
    s->src = NULL;
    s->busy = 0;
    luaL_setmetatable(L, MDX_SOURCE_MT);
    if (mdx_source_open_as(path, prefer, &s->src, &err))
        return mdx_lua_fail(L, &err);
    mdx_source_skip_failed(s->src, skip);
    const char *const *notes;
    size_t nnotes = mdx_source_notes(s->src, &notes);
    for (size_t i = 0; i < nnotes; i++)
        fprintf(stderr, "mdexafs: %s: %s\n", path, notes[i]);
    return 1;
}

enum mdx_prefer mdx_lua_opt_prefer(lua_State *L, int idx, const char *what)
{
    static const char *const names[] = {"feffNNNN.dat", "feff.bin", NULL};
    static const enum mdx_prefer values[] = {MDX_PREFER_DAT, MDX_PREFER_BIN};
    int i = mdx_lua_opt_choice(L, idx, what, "prefer", names, -1);
    return i < 0 ? MDX_PREFER_RECORDED : values[i];
}

static int source_close(lua_State *L)
{
    lua_source *s = luaL_checkudata(L, 1, MDX_SOURCE_MT);
    if (s->busy)  /* from a callback of its own query */
        return luaL_error(L, "close: a query of this source is running; "
                             "close it after");
    mdx_source_close(s->src);
    s->src = NULL;
    return 0;
}

static int source_tostring(lua_State *L)
{
    lua_source *s = luaL_checkudata(L, 1, MDX_SOURCE_MT);
    if (!s->src)
        lua_pushstring(L, "mdexafs source (closed)");
    else
        lua_pushfstring(L, "mdexafs %s %s", mdx_source_kind(s->src),
                        mdx_source_path(s->src));
    return 1;
}

/* src.kind ("database" or "tree"), src.path, or a method (upvalue 1). */
static int source_index(lua_State *L)
{
    const char *key = luaL_checkstring(L, 2);
    if (lua_getfield(L, lua_upvalueindex(1), key) != LUA_TNIL)
        return 1;
    mdx_source *src = mdx_lua_check_source(L, 1);
    if (!strcmp(key, "kind"))
        lua_pushstring(L, mdx_source_kind(src));
    else if (!strcmp(key, "path"))
        lua_pushstring(L, mdx_source_path(src));
    else
        lua_pushnil(L);
    return 1;
}

/* src:export(frame, atom, num, file) -> true | nil, message
 * Write path num of folder (frame, atom) as a feffNNNN.dat that gives the
 * same chi(k) as the file it was read from. */
static int source_export(lua_State *L)
{
    mdx_source *src = mdx_lua_check_source(L, 1);
    long frame = (long)luaL_checkinteger(L, 2);
    long atom = (long)luaL_checkinteger(L, 3);
    int num = (int)luaL_checkinteger(L, 4);
    const char *file = luaL_checkstring(L, 5);
    char title[256];
    mdx_path path;
    mdx_error err;
    if (mdx_source_get_path(src, frame, atom, num, &path, &err))
        return mdx_lua_fail(L, &err);
    snprintf(title, sizeof title, "mdexafs: path %d of frame %ld atom %ld",
             num, frame, atom);
    mdx_status rc = mdx_feff_write(&path, file, title, &err);
    mdx_path_free(&path);
    if (rc)
        return mdx_lua_fail(L, &err);
    lua_pushboolean(L, 1);
    return 1;
}

void mdx_lua_open_source(lua_State *L)
{
    static const luaL_Reg source_methods[] = {
        {"export", source_export},
        {"close", source_close},
        {NULL, NULL},
    };
    static const luaL_Reg meta[] = {
        {"__gc", source_close},
        {"__close", source_close},
        {"__tostring", source_tostring},
        {NULL, NULL},
    };
    mdx_lua_new_class(L, MDX_SOURCE_MT, meta, source_methods, source_index);
}
