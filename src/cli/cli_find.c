/* Finding recipes: the name as given, then each folder of
 * MDX_RECIPE_PATH, then the recipe library installed with the program
 * (found from the program's own location, so a prefix can move). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

int cli_is_lua_name(const char *name)
{
    size_t len = strlen(name);
    return len > 4 && !strcmp(name + len - 4, ".lua");
}

int cli_is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int cli_recipe_library(char *buf, size_t size)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return 0;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return 0;
    *slash = '\0';
    char lib[PATH_MAX + 64], real[PATH_MAX];
    snprintf(lib, sizeof lib, "%s/%s", exe, MDX_RECIPES_FROM_BIN);
    int len = snprintf(buf, size, "%s", realpath(lib, real) ? real : lib);
    return len > 0 && (size_t)len < size;
}

size_t cli_recipe_folders(const char **dirs, size_t max, char *store,
                          size_t size)
{
    size_t n = 0;
    const char *env = getenv("MDX_RECIPE_PATH");
    size_t used = 0;
    while (env && *env && n + 1 < max) {
        size_t len = strcspn(env, ":");
        if (len > 0 && used + len + 1 <= size) {
            memcpy(store + used, env, len);
            store[used + len] = '\0';
            dirs[n++] = store + used;
            used += len + 1;
        }
        env += len + (env[len] == ':');
    }
    if (n < max && used < size &&
        cli_recipe_library(store + used, size - used))
        dirs[n++] = store + used;
    return n;
}

/* NAME.lua in the first of the recipe folders that has it, into path. */
static int find_in_folders(const char *file, char *path, size_t size)
{
    const char *dirs[64];
    char store[8192];
    size_t n = cli_recipe_folders(dirs, 64, store, sizeof store);
    for (size_t i = 0; i < n; i++) {
        int w = snprintf(path, size, "%s/%s", dirs[i], file);
        if (w > 0 && (size_t)w < size && cli_is_file(path))
            return 1;
    }
    return 0;
}

int cli_find_recipe(const char *name, char *path, size_t size)
{
    int has_lua = cli_is_lua_name(name);
    if (strchr(name, '/')) {  /* a path: only as given, .lua optional */
        if (snprintf(path, size, "%s", name) < (int)size && cli_is_file(path))
            return 1;
        return !has_lua && snprintf(path, size, "%s.lua", name) < (int)size &&
               cli_is_file(path);
    }
    char file[1024];  /* a name: always NAME.lua */
    if (snprintf(file, sizeof file, "%s%s", name, has_lua ? "" : ".lua") >=
        (int)sizeof file)
        return 0;
    if (cli_is_file(file)) {
        char other[8192];
        if (find_in_folders(file, other, sizeof other))
            cli_fail("note: running ./%s, not %s", file, other);
        snprintf(path, size, "%s", file);
        return 1;
    }
    return find_in_folders(file, path, size);
}
