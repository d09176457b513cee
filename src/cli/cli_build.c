/* mdexafs build: a FEFF tree into a chi database. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mdexafs/build.h"

static const char usage[] =
    "usage: mdexafs build TREE -o DB [-j N] [--rebuild] [-q] [--tables-only]\n"
    "                     [--shard I/N] [--prefer feff.bin|feffNNNN.dat]\n"
    "\n"
    "Read the paths of every frame_N/.../atom_M folder under TREE, from its\n"
    "feffNNNN.dat files or its feff.bin (FEFF 8.5L, 10; with list.dat and\n"
    "xsect.bin when present), compute chi(k) on k = 0..20 step 0.05\n"
    "(xraylarch's path2chi, default path parameters) and store it with the\n"
    "path's FEFF data in DB.\n"
    "\n"
    "Run it again to update: unchanged folders are skipped, new and changed\n"
    "ones stored, vanished ones removed. Interrupting it (Ctrl-C, or kill)\n"
    "keeps every folder stored so far; the next run goes on from there.\n"
    "\n"
    "  -o, --output DB   the database (created if missing)\n"
    "  -j, --jobs N      threads (default: all cores)\n"
    "      --rebuild     start from an empty database\n"
    "  -q, --quiet       no progress, only problems\n"
    "      --tables-only store the FEFF data of each path but not chi(k):\n"
    "                    about a quarter of the size; recipes compute chi\n"
    "                    when they read it (the same numbers)\n"
    "      --shard I/N   only shard I (0 <= I < N) of the folders, chosen by\n"
    "                    frame and atom: N builds (say, a Slurm array) make\n"
    "                    N parts that mdexafs merge joins\n"
    "      --prefer F    for folders with both: read feff.bin (~13 digits\n"
    "                    where path files have 5) or feffNNNN.dat (the\n"
    "                    default: the numbers xraylarch reads); later builds\n"
    "                    keep the choice until told otherwise\n"
    "  -h, --help        this text\n"
    "\n"
    "Exit status: 0 all folders stored, 1 some path files were bad (their\n"
    "folders are recorded as failed) or the build stopped, 2 bad usage.\n";

static volatile sig_atomic_t stop;

static void on_interrupt(int sig)
{
    stop = 1;
    signal(sig, SIG_DFL);  /* a second Ctrl-C kills at once */
}

static void on_progress(void *ctx, const mdx_build_stats *st)
{
    cli_progress_update(ctx, st, 0);
}

static void on_note(void *ctx, const char *msg)
{
    cli_progress *p = ctx;
    if (!p->quiet) {
        cli_progress_clear(p);
        fprintf(stderr, "mdexafs: %s\n", msg);
    }
}

static void summary(const char *db, const mdx_build_stats *st)
{
    fprintf(stderr,
            "mdexafs: %s: %zu folders in the tree: %zu added, %zu replaced, "
            "%zu touched, %zu unchanged, %zu removed, %zu failed",
            db, st->folders, st->added, st->replaced, st->touched,
            st->unchanged, st->removed, st->failed);
    if (st->skipped)
        fprintf(stderr, ", %zu skipped", st->skipped);
    if (st->missing)
        fprintf(stderr, ", %zu gone but kept (their paths were dropped)", st->missing);
    fprintf(stderr, "; %zu paths in %.2f s (%.0f paths/s)\n", st->paths,
            st->seconds, st->seconds > 0 ? (double)st->paths / st->seconds : 0);
    if (st->bad_extras)
        fprintf(stderr, "mdexafs: %zu feff.inp or chi.dat files could not be "
                "read: their folders are stored without them\n",
                st->bad_extras);
    if (st->failed || st->bad_files)
        fprintf(stderr, "mdexafs: %zu folder%s recorded as failed: see "
                "mdexafs info; every build tries %s again\n", st->failed,
                st->failed == 1 ? "" : "s", st->failed == 1 ? "it" : "them");
}

int mdx_cli_build(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"jobs", required_argument, NULL, 'j'},
        {"rebuild", no_argument, NULL, 'r'},
        {"quiet", no_argument, NULL, 'q'},
        {"shard", required_argument, NULL, 's'},
        {"tables-only", no_argument, NULL, 't'},
        {"prefer", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    mdx_build_options o = {0};
    int quiet = 0, opt;
    long jobs = 0;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":o:j:qh", longopts, NULL)) != -1) {
        switch (opt) {
        case 'o': o.db = optarg; break;
        case 'j':
            if (!cli_whole("--jobs", optarg, 1, 1024, &jobs))
                return CLI_USAGE;
            break;
        case 'r': o.rebuild = 1; break;
        case 'q': quiet = 1; break;
        case 't': o.tables_only = 1; break;
        case 'p':
            if (!mdx_prefer_from_name(optarg, &o.prefer)) {
                cli_fail("--prefer: feff.bin or feffNNNN.dat, not '%s'",
                         optarg);
                return CLI_USAGE;
            }
            break;
        case 's':
            if (!cli_shard(optarg, &o.shard_index, &o.shard_count))
                return CLI_USAGE;
            break;
        case 'h': fputs(usage, stdout); return CLI_OK;
        default: return cli_bad_option("build", opt, argv);
        }
    }
    if (optind != argc - 1 || !o.db) {
        cli_fail("build: need one TREE and -o DB (see mdexafs build --help)");
        return CLI_USAGE;
    }
    o.tree = argv[optind];
    o.threads = (int)jobs;
    o.stop = &stop;

    cli_progress progress;
    cli_progress_init(&progress, quiet);
    mdx_build_hooks hooks = {&progress, on_progress, cli_progress_report, on_note};
    mdx_build_stats st;
    mdx_error err;
    signal(SIGINT, on_interrupt);
    signal(SIGTERM, on_interrupt);
    mdx_status rc = mdx_build(&o, &hooks, &st, &err);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    if (rc == MDX_OK || st.done > 0)
        cli_progress_update(&progress, &st, 1);
    if (rc) {
        cli_report(&err);
        return CLI_FAILED;
    }
    if (!quiet || st.failed || st.missing)
        summary(o.db, &st);
    return st.failed || st.bad_files || st.bad_extras || st.skipped || st.missing
               ? CLI_FAILED : CLI_OK;
}
