/* mdexafs merge: join the parts of a sharded build. */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "mdexafs/build.h"

static const char usage[] =
    "usage: mdexafs merge PART.db... -o DB\n"
    "\n"
    "Join databases built with mdexafs build --shard I/N from one tree into\n"
    "a new database DB. Parts from different trees or k grids, or whose\n"
    "folders overlap, are refused. DB appears whole or not at all.\n";

int mdx_cli_merge(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'o': out = optarg; break;
        case 'h': fputs(usage, stdout); return CLI_OK;
        default: return cli_bad_option("merge", opt, argv);
        }
    }
    if (!out || optind >= argc) {
        cli_fail("merge: need parts and -o DB (see mdexafs merge --help)");
        return CLI_USAGE;
    }
    mdx_error err;
    if (mdx_merge((const char *const *)argv + optind, (size_t)(argc - optind),
                  out, &err)) {
        cli_report(&err);
        return CLI_FAILED;
    }
    return CLI_OK;
}
