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

/* Push an empty Lua source, made before the source it will own is opened
 * so that no allocation failure can leak that one (its __gc closes it). */
static lua_source *new_source(lua_State *L)
{
    lua_source *s = lua_newuserdatauv(L, sizeof *s, 0);
    s->src = NULL;
    s->busy = 0;
    luaL_setmetatable(L, MDX_SOURCE_MT);
    return s;
}

/* The source just opened into s: leave out failed folders when skip; the
 * notes of its scan go to stderr. */
static void opened(lua_source *s, int skip)
{
    mdx_source_skip_failed(s->src, skip);
    const char *const *notes;
    size_t nnotes = mdx_source_notes(s->src, &notes);
    for (size_t i = 0; i < nnotes; i++)
        fprintf(stderr, "mdexafs: %s: %s\n", mdx_source_path(s->src),
                notes[i]);
}

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
    lua_source *s = new_source(L);
    mdx_error err;
    if (mdx_source_open_as(path, prefer, &s->src, &err))
        return mdx_lua_fail(L, &err);
    opened(s, skip);
    return 1;
}

/* mdexafs.choose{db =, tree =, build =, prefer =, verify =, failed =}
 *   -> source | nil, plan  |  nil, message
 * mdx_source_choose: the source chosen, opened (nil when the plan is to
 * build), and the plan {choice =, state =, detail =, tree =, prefer =,
 * rebuild =, note =} (note: what to tell the user); nil and a message
 * when neither can be had. */
int mdx_lua_choose(lua_State *L)
{
    static const char *const keys[] = {"db", "tree", "build", "prefer",
                                       "verify", "failed", NULL};
    luaL_checktype(L, 1, LUA_TTABLE);
    mdx_lua_check_keys(L, 1, keys, "source", "key");
    mdx_source_request r = {
        mdx_lua_opt_string(L, 1, "source", "db", NULL),
        mdx_lua_opt_string(L, 1, "source", "tree", NULL),
        mdx_lua_opt_boolean(L, 1, "source", "build", 0),
        MDX_PREFER_RECORDED, MDX_VERIFY_FOLDERS, 0};
    mdx_error err;
    for (int i = 3; keys[i]; i++) {  /* the library reads their words */
        const char *value = mdx_lua_opt_string(L, 1, "source", keys[i], NULL);
        if (value && mdx_source_request_option(&r, keys[i], value, &err))
            return mdx_lua_raise(L, &err);
    }
    mdx_source_plan plan;
    lua_source *s = new_source(L);
    if (mdx_source_choose(&r, &plan, &s->src, &err))
        return mdx_lua_fail(L, &err);
    if (s->src) {
        opened(s, r.skip_failed);
    } else {  /* the plan is to build: no source yet */
        lua_pop(L, 1);
        lua_pushnil(L);
    }
    char note[2048];
    mdx_source_plan_note(&plan, r.db, note, sizeof note);
    lua_createtable(L, 0, 7);
    mdx_lua_set_string(L, "note", note);
    mdx_lua_set_string(L, "choice", mdx_source_choice_name(plan.choice));
    mdx_lua_set_string(L, "state", mdx_freshness_state_name(plan.fresh.state));
    mdx_lua_set_string(L, "detail", plan.fresh.detail);
    if (plan.fresh.tree[0])
        mdx_lua_set_string(L, "tree", plan.fresh.tree);
    if (plan.prefer != MDX_PREFER_RECORDED)
        mdx_lua_set_string(L, "prefer", mdx_prefer_name(plan.prefer));
    lua_pushboolean(L, plan.rebuild);
    lua_setfield(L, -2, "rebuild");
    return 2;
}

enum mdx_prefer mdx_lua_opt_prefer(lua_State *L, int idx, const char *what)
{
    const char *const names[] = {mdx_prefer_name(MDX_PREFER_DAT),
                                 mdx_prefer_name(MDX_PREFER_BIN), NULL};
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
