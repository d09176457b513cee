/* What recipes ask of the file system, which plain Lua cannot: what a
 * path is, whether a folder is empty, making folders. Recipes called the
 * shell (test, ls, mkdir -p) for each, once per file. */
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "lua_private.h"

/* mdexafs.path_kind(path) -> "file" | "folder" | "other" | nil
 * (following symbolic links; nil when nothing is there). */
int mdx_lua_path_kind(lua_State *L)
{
    struct stat sb;
    if (stat(luaL_checkstring(L, 1), &sb) != 0)
        lua_pushnil(L);
    else
        lua_pushstring(L, S_ISREG(sb.st_mode) ? "file"
                          : S_ISDIR(sb.st_mode) ? "folder" : "other");
    return 1;
}

/* mdexafs.folder_empty(path) -> true | false | nil, message */
int mdx_lua_folder_empty(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    DIR *d = opendir(path);
    if (!d)
        return luaL_fileresult(L, 0, path);
    struct dirent *e;
    int empty = 1;
    while (empty && (e = readdir(d)) != NULL)
        empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
    closedir(d);
    lua_pushboolean(L, empty);
    return 1;
}

/* mdexafs.make_folders(path) -> true | nil, message: path and the folders
 * above it that are missing, as mkdir -p. */
int mdx_lua_make_folders(lua_State *L)
{
    size_t len;
    const char *path = luaL_checklstring(L, 1, &len);
    luaL_argcheck(L, len > 0, 1, "an empty path");
    luaL_Buffer b;
    char *p = luaL_buffinitsize(L, &b, len + 1);
    memcpy(p, path, len + 1);
    for (char *c = p + 1; ; c++) {
        if (*c != '/' && *c != '\0')
            continue;
        char end = *c;
        *c = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST)
            return luaL_fileresult(L, 0, path);
        *c = end;
        if (!end)
            break;
    }
    struct stat sb;
    if (stat(p, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        errno = ENOTDIR;
        return luaL_fileresult(L, 0, path);
    }
    lua_pushboolean(L, 1);
    return 1;
}
