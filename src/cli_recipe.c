/* mdexafs recipe.lua [args...]: run a Lua recipe with the mdexafs module,
 * its arguments in `arg` (as the stand-alone lua does) and in `...`. */
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int luaopen_mdexafs_core(lua_State *L);

/* Message handler: the error alone, in one line, or with MDX_DEBUG=1 a
 * traceback below it. */
static int message(lua_State *L)
{
    const char *msg = lua_tostring(L, 1);
    if (!msg)
        msg = lua_pushfstring(L, "(error object is a %s value)",
                              luaL_typename(L, 1));
    const char *debug = getenv("MDX_DEBUG");
    if (debug && strcmp(debug, "0") != 0)
        luaL_traceback(L, L, msg, 1);
    return 1;
}

/* The length of a leading Lua position "chunk:LINE: ", or 0. */
static size_t position_length(const char *msg)
{
    const char *colon = strchr(msg, ':');
    if (!colon || colon == msg)
        return 0;
    const char *digits = colon[1] == '-' ? colon + 2 : colon + 1;
    size_t n = strspn(digits, "0123456789");
    if (n == 0 || strncmp(digits + n, ": ", 2) != 0)
        return 0;
    return (size_t)(digits + n + 2 - msg);
}

/* Print "mdexafs: RECIPE: message": positions in the mdexafs module or in
 * C ("init.lua:133: ", "[C]:-1: ") are dropped, one in the recipe itself
 * is kept, as a line a user can look up ("recipe.lua:12: ..."). */
static void report(const char *script, const char *msg)
{
    const char *name = strrchr(script, '/');
    size_t slen = strlen(script), n;
    name = name ? name + 1 : script;
    while (strncmp(msg, script, slen) != 0 && (n = position_length(msg)))
        msg += n;
    const char *debug = getenv("MDX_DEBUG");
    int len = debug && strcmp(debug, "0") != 0
                  ? (int)strlen(msg)
                  : (int)strcspn(msg, "\n");  /* one line: MDX_DEBUG=1 all */
    if (strncmp(msg, script, slen) == 0 && msg[slen] == ':')
        cli_fail("%s%.*s", name, len - (int)slen, msg + slen);
    else
        cli_fail("%s: %.*s", name, len, msg);
}

/* package.path: mdexafs's own lua/ folder (MDEXAFS_LUA_DIR overrides where
 * that is), then the recipe's folder, then Lua's defaults; so a recipe
 * named mdexafs.lua does not shadow the module. 0 and a message when
 * either folder cannot stand in a Lua path. */
static int set_path(lua_State *L, const char *script)
{
    const char *slash = strrchr(script, '/');
    int dirlen = slash ? (int)(slash - script) : 1;
    const char *dir = slash ? script : ".";
    const char *lua_dir = getenv("MDEXAFS_LUA_DIR");
    char init[4096];
    if (!lua_dir)
        lua_dir = MDX_LUA_DIR;
    snprintf(init, sizeof init, "%s/mdexafs/init.lua", lua_dir);
    if (access(init, R_OK) != 0) {
        cli_fail("%s: the mdexafs Lua module is not there (MDEXAFS_LUA_DIR?)",
                 init);
        return 0;
    }
    if (memchr(dir, '?', (size_t)dirlen) || memchr(dir, ';', (size_t)dirlen) ||
        strpbrk(lua_dir, "?;")) {
        cli_fail("%.*s: a folder name with '?' or ';' cannot be in Lua's "
                 "module path: move the recipe", dirlen, dir);
        return 0;
    }
    lua_getglobal(L, "package");
    lua_getfield(L, -1, "path");
    size_t size = 2 * (size_t)dirlen + 2 * strlen(lua_dir) +
                  strlen(lua_tostring(L, -1)) + 64;
    char *path = malloc(size);
    if (path) {
        snprintf(path, size, "%s/?.lua;%s/?/init.lua;%.*s/?.lua;%.*s/?/init.lua;%s",
                 lua_dir, lua_dir, dirlen, dir, dirlen, dir, lua_tostring(L, -1));
        lua_pushstring(L, path);
        lua_setfield(L, -3, "path");
        free(path);
    }
    lua_pop(L, 2);
    return 1;
}

int mdx_cli_recipe(int argc, char **argv)
{
    lua_State *L = luaL_newstate();
    if (!L) {
        cli_fail("cannot start Lua: out of memory");
        return CLI_FAILED;
    }
    luaL_openlibs(L);
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
    lua_pushcfunction(L, luaopen_mdexafs_core);
    lua_setfield(L, -2, "mdexafs.core");
    lua_pop(L, 1);
    if (!set_path(L, argv[0])) {
        lua_close(L);
        return CLI_FAILED;
    }

    lua_createtable(L, argc, 1);  /* arg: script at 0, arguments from 1 */
    lua_pushstring(L, "mdexafs");
    lua_rawseti(L, -2, -1);
    for (int i = 0; i < argc; i++) {
        lua_pushstring(L, argv[i]);
        lua_rawseti(L, -2, i);
    }
    lua_setglobal(L, "arg");

    int status = CLI_OK;
    lua_pushcfunction(L, message);
    if (luaL_loadfile(L, argv[0]) != LUA_OK) {
        cli_fail("%s", lua_tostring(L, -1));
        status = CLI_FAILED;
    } else {
        for (int i = 1; i < argc; i++)
            lua_pushstring(L, argv[i]);
        if (lua_pcall(L, argc - 1, 0, 1) != LUA_OK) {
            report(argv[0], lua_tostring(L, -1));
            status = CLI_FAILED;
        }
    }
    lua_close(L);
    return status;
}
