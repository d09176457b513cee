/* mdexafs check: is a database whole and true to its files? */
#include <getopt.h>
#include <stdio.h>
#include <time.h>

#include "cli.h"
#include "mdexafs/build.h"
#include "mdexafs/source.h"

static const char usage[] =
    "usage: mdexafs check DB [--recompute N] [--tree[=TREE]]\n"
    "\n"
    "Verify the checksum of every page of DB, run SQLite's integrity check,\n"
    "decode every stored blob (each carries a checksum) and compare each\n"
    "path's metadata with its stored FEFF data; a path of 0.05 A or more\n"
    "without its chi(k) is damage too, and two path files of a folder whose\n"
    "\"Path N\" lines say the same N are one path twice (an older mdexafs\n"
    "stored such copies).\n"
    "With --recompute N, also recompute N randomly chosen paths from the\n"
    "source files and compare. Prints a digest of the content: two\n"
    "databases with equal digests hold the same paths and numbers.\n"
    "\n"
    "  -r, --recompute N  paths to recompute from the FEFF files (default 0)\n"
    "  -t, --tree[=TREE]  also compare DB with its tree (default: the one it\n"
    "                     was built from), every file's size and time: stale\n"
    "                     is a problem\n"
    "  -h, --help         this text\n"
    "\n"
    "Exit status: 0 all good, 1 problems found, 2 bad usage.\n";

static void on_problem(void *ctx, const mdx_error *e)
{
    (void)ctx;
    cli_report(e);
}

int mdx_cli_check(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"recompute", required_argument, NULL, 'r'},
        {"tree", optional_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    long n = 0;
    int opt, with_tree = 0;
    const char *tree = NULL;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":r:t::h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'r':
            if (!cli_whole("--recompute", optarg, 0, 1000000000L, &n))
                return CLI_USAGE;
            break;
        case 't':
            with_tree = 1;
            tree = optarg;
            break;
        case 'h': fputs(usage, stdout); return CLI_OK;
        default: return cli_bad_option("check", opt, argv);
        }
    }
    if (optind != argc - 1) {
        cli_fail("check: need one DB (see mdexafs check --help)");
        return CLI_USAGE;
    }
    mdx_check_report rep;
    mdx_error err;
    if (mdx_check(argv[optind], (size_t)n, (uint64_t)time(NULL), on_problem,
                  NULL, &rep, &err)) {
        cli_report(&err);
        return CLI_FAILED;
    }
    printf("pages       %lld damaged\n", (long long)rep.bad_pages);
    printf("paths       %lld, %lld damaged\n", (long long)rep.paths,
           (long long)rep.bad_blobs);
    printf("copies      %lld\n", (long long)rep.copies);
    if (n > 0)
        printf("recomputed  %lld, %lld differ, max |chi difference| %.3g\n",
               (long long)rep.recomputed, (long long)rep.mismatched,
               rep.max_diff);
    if (rep.dropped > 0)
        printf("dropped     %lld chosen paths not recomputed: their files were "
               "dropped, the database is their only copy\n", (long long)rep.dropped);
    printf("digest      %016llx\n", (unsigned long long)rep.digest);
    int ok = rep.bad_pages == 0 && rep.bad_blobs == 0 && rep.copies == 0 &&
             rep.mismatched == 0;
    if (with_tree) {
        mdx_freshness f;
        mdx_check_freshness(argv[optind], tree, MDX_VERIFY_FILES, &f);
        printf("tree        %s: %s (%s)\n", f.tree,
               mdx_freshness_state_name(f.state), f.detail);
        ok = ok && f.state == MDX_FRESH;
    }
    printf("%s\n", ok ? "ok" : "PROBLEMS FOUND");
    return ok ? CLI_OK : CLI_FAILED;
}
