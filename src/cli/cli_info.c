/* mdexafs info: what a database holds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: mdexafs info DB\n"
    "\n"
    "Show what DB holds: schema, source tree, k grid, folders (and how many\n"
    "were read from feffNNNN.dat files, how many from feff.bin), frames,\n"
    "atoms and paths, the FEFF versions that made them, each path type with\n"
    "its count and reff range, size on disk and bytes per path, and folders\n"
    "that failed to build.\n";

int mdx_cli_info(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(usage, stdout);
        return CLI_OK;
    }
    if (argc != 2) {
        cli_fail("info: need one DB (see mdexafs info --help)");
        return CLI_USAGE;
    }
    mdx_error err;
    if (mdx_describe(argv[1], stdout, &err)) {
        cli_report(&err);
        return CLI_FAILED;
    }
    return CLI_OK;
}
