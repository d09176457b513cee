/* mdexafs recipe.lua [args...]: run a Lua recipe with the mdexafs module,
 * its arguments in `arg` (as the stand-alone lua does) and in `...`. */
#include <lauxlib.h>
#include <limits.h>
#include <lua.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

/* The files of the mdexafs module, lua/mdexafs/NAME.lua, as the build
 * embedded them (src/cli/CMakeLists.txt). */
extern const char mdx_cli_lua_init[], mdx_cli_lua_args[],
    mdx_cli_lua_outputs[], mdx_cli_lua_feff_config[];
extern const size_t mdx_cli_lua_init_size, mdx_cli_lua_args_size,
    mdx_cli_lua_outputs_size, mdx_cli_lua_feff_config_size;

static const struct embedded {
    const char *module, *chunk;   /* require's name, the name in messages */
    const char *text;
    const size_t *size;
} embedded[] = {
    {"mdexafs", "=mdexafs/init.lua", mdx_cli_lua_init, &mdx_cli_lua_init_size},
    {"mdexafs.args", "=mdexafs/args.lua", mdx_cli_lua_args,
     &mdx_cli_lua_args_size},
    {"mdexafs.outputs", "=mdexafs/outputs.lua", mdx_cli_lua_outputs,
     &mdx_cli_lua_outputs_size},
    {"mdexafs.feff_config", "=mdexafs/feff_config.lua", mdx_cli_lua_feff_config,
     &mdx_cli_lua_feff_config_size},
};

/* require of an embedded file: the one its upvalue points to, whatever
 * lies on package.path. */
static int load_module(lua_State *L)
{
    const struct embedded *e = lua_touserdata(L, lua_upvalueindex(1));
    if (luaL_loadbuffer(L, e->text, *e->size, e->chunk) != LUA_OK)
        return lua_error(L);
    lua_pushvalue(L, 1);
    lua_call(L, 1, 1);
    return 1;
}

/* Add "DIR/?.lua;DIR/?/init.lua;" for the folder of `script` to the
 * buffer; 0 and a message when that folder cannot stand in a Lua path. */
static int add_folder(luaL_Buffer *b, const char *script)
{
    const char *slash = strrchr(script, '/');
    const char *dir = slash ? script : ".";
    size_t len = slash ? (slash == script ? 1 : (size_t)(slash - script)) : 1;
    if (memchr(dir, '?', len) || memchr(dir, ';', len)) {
        cli_fail("%.*s: a folder name with '?' or ';' cannot be in Lua's "
                 "module path: move the recipe", (int)len, dir);
        return 0;
    }
    for (int i = 0; i < 2; i++) {
        luaL_addlstring(b, dir, len);
        luaL_addstring(b, i ? "/?/init.lua;" : "/?.lua;");
    }
    return 1;
}

/* package.path: the recipe's folder first, so it can require the helpers
 * beside it (and, for a recipe reached through a symbolic link, the
 * folder of the file itself); require "mdexafs" (and its mdexafs.args,
 * mdexafs.outputs and mdexafs.feff_config) is the embedded module.
 * 0 and a message when a folder cannot stand in a Lua path. */
static int set_path(lua_State *L, const char *script)
{
    char real[PATH_MAX];
    struct stat st;
    lua_getglobal(L, "package");
    int package = lua_gettop(L);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    int ok = add_folder(&b, script);
    if (ok && lstat(script, &st) == 0 && S_ISLNK(st.st_mode) &&
        realpath(script, real))
        ok = add_folder(&b, real);
    if (ok) {
        lua_getfield(L, package, "path");
        luaL_addvalue(&b);
        luaL_pushresult(&b);
        lua_setfield(L, package, "path");
    }
    lua_settop(L, package - 1);
    if (!ok)
        return 0;
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
    lua_pushcfunction(L, luaopen_mdexafs_core);
    lua_setfield(L, -2, "mdexafs.core");
    for (size_t i = 0; i < sizeof embedded / sizeof *embedded; i++) {
        lua_pushlightuserdata(L, (void *)&embedded[i]);
        lua_pushcclosure(L, load_module, 1);
        lua_setfield(L, -2, embedded[i].module);
    }
    lua_pop(L, 1);
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
