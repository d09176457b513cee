/* What recipes ask of the file system, which plain Lua cannot: what a
 * path is, whether a folder is empty, making folders, a file's size, time
 * and hash. Recipes called the shell (test, ls, mkdir -p) for each, once
 * per file. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <xxhash.h>

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

/* mdexafs.list_folder(path) -> {names, sorted} | nil, message (no "." or
 * ".."). */
int mdx_lua_list_folder(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    DIR *d = opendir(path);
    if (!d)
        return luaL_fileresult(L, 0, path);
    lua_newtable(L);
    lua_Integer n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            lua_pushstring(L, e->d_name);
            lua_rawseti(L, -2, ++n);
        }
    closedir(d);
    lua_getglobal(L, "table");
    lua_getfield(L, -1, "sort");
    lua_pushvalue(L, -3);
    lua_call(L, 1, 0);
    lua_pop(L, 1);
    return 1;
}

/* The XXH3 hash of fp's bytes as 16 hex digits into hex: 1, or 0 when it
 * cannot be read, -1 out of memory. */
static int hash_file(FILE *fp, char hex[17])
{
    XXH3_state_t *h = XXH3_createState();
    if (!h)
        return -1;
    XXH3_64bits_reset(h);
    char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        XXH3_64bits_update(h, buf, n);
    snprintf(hex, 17, "%016llx", (unsigned long long)XXH3_64bits_digest(h));
    XXH3_freeState(h);
    return !ferror(fp);
}

/* mdexafs.file_info(path [, {hash = true}]) -> {size, mtime (seconds
 * since 1970), path (absolute), device, inode (the file whatever its
 * name), hash (with hash = true: XXH3 of its bytes, 16 hex digits)} |
 * nil, message. A file that is not a regular one is
 * refused. */
int mdx_lua_file_info(lua_State *L)
{
    static const char *const keys[] = {"hash", NULL};
    const char *path = luaL_checkstring(L, 1);
    int hash = 0;
    if (!lua_isnoneornil(L, 2)) {
        luaL_checktype(L, 2, LUA_TTABLE);
        mdx_lua_check_keys(L, 2, keys, "file_info", "option");
        hash = mdx_lua_opt_boolean(L, 2, "file_info", "hash", 0);
    }
    FILE *fp = fopen(path, "rb");
    struct stat sb;
    if (!fp || fstat(fileno(fp), &sb) != 0) {
        int ok = luaL_fileresult(L, 0, path);
        if (fp)
            fclose(fp);
        return ok;
    }
    char hex[17] = "";
    int regular = S_ISREG(sb.st_mode);
    int ok = !regular ? 0 : hash ? hash_file(fp, hex) : 1;
    fclose(fp);
    if (ok < 0)
        return luaL_error(L, "file_info: out of memory");
    if (!ok) {
        lua_pushnil(L);
        lua_pushfstring(L, "%s: %s", path, regular ? "cannot be read" : "not a regular file");
        return 2;
    }
    char *abs = realpath(path, NULL);
    lua_createtable(L, 0, 6);
    mdx_lua_set_integer(L, "size", (lua_Integer)sb.st_size);
    mdx_lua_set_integer(L, "device", (lua_Integer)sb.st_dev);
    mdx_lua_set_integer(L, "inode", (lua_Integer)sb.st_ino);
    mdx_lua_set_integer(L, "mtime", (lua_Integer)sb.st_mtime);
    if (hash)
        mdx_lua_set_string(L, "hash", hex);
    mdx_lua_set_string(L, "path", abs ? abs : path);
    free(abs);
    return 1;
}
