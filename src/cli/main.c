/* mdexafs: the command-line entry point, one subcommand per file. */
#include <stdio.h>
#include <string.h>

#include <lua.h>

#include "mdexafs/version.h"
#include "cli.h"

static const char usage[] =
    "usage: mdexafs COMMAND [options] [args]\n"
    "\n"
    "EXAFS chi(k) from FEFF path files of molecular-dynamics snapshots,\n"
    "computed exactly as xraylarch's feffpath + path2chi.\n"
    "\n"
    "       mdexafs RECIPE [args]\n"
    "\n"
    "commands:\n"
    "  feff TREE              run FEFF in every folder of a tree that needs it\n"
    "  build TREE -o DB       compute every path of a FEFF tree into a database\n"
    "  info DB                what a database holds\n"
    "  check DB               integrity of a database, against its files too\n"
    "  merge PART.db... -o DB join the parts of a build --shard I/N\n"
    "  chi FEFFNNNN.DAT...    chi(k) of each path on k = 0..20 step 0.05\n"
    "  parse FEFFNNNN.DAT...  what a path file holds: version, legs, table\n"
    "  recipes                the recipes mdexafs finds by name\n"
    "\n"
    "A recipe is a Lua script using the mdexafs module to select paths and\n"
    "average them; its arguments are in arg. RECIPE is a file (a path with\n"
    "a '/'), or a name (multipath or multipath.lua): NAME.lua in the\n"
    "current folder, else in each folder of MDX_RECIPE_PATH, else in the\n"
    "installed recipe library.\n"
    "\n"
    "  mdexafs COMMAND --help    options of one command\n"
    "  mdexafs RECIPE --help     arguments and options of one recipe\n"
    "  mdexafs --version         the versions of mdexafs and its libraries\n"
    "  man mdexafs               the manual\n";

const cli_command cli_commands[] = {
    {"build", mdx_cli_build},     {"info", mdx_cli_info},
    {"check", mdx_cli_check},     {"merge", mdx_cli_merge},
    {"chi", mdx_cli_chi},         {"parse", mdx_cli_parse},
    {"recipes", mdx_cli_recipes}, {"feff", mdx_cli_feff},
    {NULL, NULL},
};

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return CLI_USAGE;
    }
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        fputs(usage, stdout);
        return CLI_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("mdexafs %s (library %s)\n%s, SQLite %s, zstd %s, FFTW %s\n",
               MDX_VERSION_STRING, mdx_version(), LUA_RELEASE,
               mdx_dependency_version("sqlite"),
               mdx_dependency_version("zstd"),
               mdx_dependency_version("fftw"));
        return CLI_OK;
    }
    for (const cli_command *c = cli_commands; c->name; c++)
        if (!strcmp(argv[1], c->name))
            return c->run(argc - 1, argv + 1);
    char recipe[8192];
    if (cli_find_recipe(argv[1], recipe, sizeof recipe)) {
        argv[1] = recipe;
        return mdx_cli_recipe(argc - 1, argv + 1);
    }
    if (strchr(argv[1], '/')) {
        cli_fail("%s: no such recipe file", argv[1]);
        return CLI_FAILED;
    }
    if (cli_is_lua_name(argv[1])) {
        cli_fail("%s: no such recipe here, in MDX_RECIPE_PATH or in the "
                 "recipe library (see mdexafs recipes)", argv[1]);
        return CLI_FAILED;
    }
    cli_fail("unknown command '%s', and no recipe of that name (see "
             "mdexafs --help and mdexafs recipes)", argv[1]);
    return CLI_USAGE;
}
