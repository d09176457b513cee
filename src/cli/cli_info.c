/* mdexafs info: what a database holds, or where a tree's FEFF runs stand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "mdexafs/run.h"

static const char usage[] =
    "usage: mdexafs info DB\n"
    "       mdexafs info TREE\n"
    "\n"
    "Show what DB holds: schema, source tree, k grid, folders (and how many\n"
    "were read from feffNNNN.dat files, how many from feff.bin), frames,\n"
    "atoms and paths, the FEFF versions that made them, each path type with\n"
    "its count and reff range, size on disk and bytes per path, and folders\n"
    "that failed to build.\n"
    "\n"
    "Of a TREE (a folder), show where its FEFF runs (mdexafs feff) stand: its\n"
    "folders with a feff.inp, how many are finished, failed, interrupted or\n"
    "not run, and each failed run with its reason.\n";

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
    struct stat sb;
    int tree = stat(argv[1], &sb) == 0 && S_ISDIR(sb.st_mode);
    if (tree ? mdx_run_describe(argv[1], stdout, &err) : mdx_describe(argv[1], stdout, &err)) {
        cli_report(&err);
        return CLI_FAILED;
    }
    return CLI_OK;
}
