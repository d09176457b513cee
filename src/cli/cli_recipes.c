/* mdexafs recipes: the recipes mdexafs can find by name, each with the
 * first line of its opening comment and where it lives. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: mdexafs recipes\n"
    "\n"
    "List the recipes that `mdexafs NAME` runs: those in each folder of\n"
    "MDX_RECIPE_PATH (colon-separated), then the installed recipe library.\n"
    "A name found in an earlier folder hides the same name in a later one,\n"
    "and a NAME.lua in the current folder comes before them all (mdexafs\n"
    "says so when it runs one that hides another).\n";

/* The first paragraph of the recipe's leading "-- " comment, on one
 * line, into buf. */
static void describe(const char *file, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    FILE *fp = fopen(file, "r");
    if (!fp)
        return;
    char line[512];
    int first = 1;
    while (fgets(line, sizeof line, fp)) {
        if (first && !strncmp(line, "#!", 2)) {  /* a shebang line */
            first = 0;
            continue;
        }
        first = 0;
        if (strncmp(line, "--", 2))
            break;
        const char *text = line + 2 + strspn(line + 2, " -");
        int len = (int)strcspn(text, "\r\n");
        if (len == 0)
            break;  /* the paragraph ends */
        int w = snprintf(buf + used, size - used, "%s%.*s", used ? " " : "",
                         len, text);
        if (w < 0 || (size_t)w >= size - used)
            break;
        used += (size_t)w;
    }
    fclose(fp);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of the recipes in dir, sorted; their count, or -1 when dir
 * cannot be read. */
static long list_dir(const char *dir, char ***names)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    size_t n = 0, cap = 0;
    char **v = NULL;
    for (struct dirent *e; (e = readdir(d));) {
        char file[8192];
        snprintf(file, sizeof file, "%s/%s", dir, e->d_name);
        if (!cli_is_lua_name(e->d_name) || e->d_name[0] == '.' ||
            !cli_is_file(file))
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            char **grown = realloc(v, cap * sizeof *v);
            if (!grown)
                break;
            v = grown;
        }
        if (!(v[n] = strndup(e->d_name, strlen(e->d_name) - 4)))
            break;
        n++;
    }
    closedir(d);
    qsort(v, n, sizeof *v, by_name);
    *names = v;
    return (long)n;
}

static int is_command(const char *name)
{
    for (const cli_command *c = cli_commands; c->name; c++)
        if (!strcmp(name, c->name))
            return 1;
    return 0;
}

/* Does an earlier folder, dirs[0..i), hold the recipe too? */
static int hidden(const char *name, const char *const *dirs, size_t i)
{
    char file[8192];
    for (size_t j = 0; j < i; j++) {
        snprintf(file, sizeof file, "%s/%s.lua", dirs[j], name);
        if (cli_is_file(file))
            return 1;
    }
    return 0;
}

int mdx_cli_recipes(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(usage, stdout);
        return CLI_OK;
    }
    if (argc > 1) {
        cli_fail("recipes takes no arguments (see mdexafs recipes --help)");
        return CLI_USAGE;
    }
    const char *dirs[64];
    char store[8192], file[8192], desc[256];
    size_t ndirs = cli_recipe_folders(dirs, 64, store, sizeof store);
    int any = 0;
    for (size_t i = 0; i < ndirs; i++) {
        char **names = NULL;
        long n = list_dir(dirs[i], &names);
        if (n < 0) {
            cli_fail("%s: cannot read this recipe folder", dirs[i]);
            continue;
        }
        printf("%s%s:\n", any ? "\n" : "", dirs[i]);
        any = 1;
        for (long j = 0; j < n; j++) {
            snprintf(file, sizeof file, "%s/%s.lua", dirs[i], names[j]);
            describe(file, desc, sizeof desc);
            printf("  %-16s %s%s\n", names[j],
                   desc[0] ? desc : "(no description: a helper module?)",
                   is_command(names[j]) ? " (hidden: a command of that name "
                                          "runs; use NAME.lua)" :
                   hidden(names[j], dirs, i) ? " (hidden by the one above)"
                                             : "");
            free(names[j]);
        }
        free(names);
    }
    if (!any) {
        cli_fail("no recipe folder found: set MDX_RECIPE_PATH");
        return CLI_FAILED;
    }
    return CLI_OK;
}
