/* mdexafs feff: FEFF in every folder of a tree that needs a run. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mdexafs/run.h"

static const char usage[] =
    "usage: mdexafs feff TREE [-j N] [--feff PROGRAM] [--db FILE [--drop-paths]]\n"
    "                         [--potentials=once [--potentials-from DIR]...\n"
    "                          [--check N [--seed S]]] [--scratch DIR] [--shard I/N] [-q]\n"
    "\n"
    "Run FEFF in every folder under TREE that has a feff.inp and no finished\n"
    "run of it (mdexafs feff_inputs writes such folders), N at once. Each run\n"
    "happens in a scratch folder inside its folder (" MDX_RUN_SCRATCH ".*), its output\n"
    "going to feff.log. A run is finished only when FEFF exited 0 and wrote\n"
    "every path file files.dat lists (or a feff.bin), and chi.dat if it\n"
    "wrote one, each reading whole; its files\n"
    "then move into the folder and " MDX_RUN_RECORD " records it: the\n"
    "feff.inp's hash, the program, the time taken.\n"
    "\n"
    "Run it again to go on: finished folders are left alone; failed and\n"
    "interrupted ones (Ctrl-C, kill, a node lost) are run again from a clean\n"
    "start, and so is a folder whose feff.inp changed. A failed run keeps\n"
    "FEFF's output and records why (its exit status or signal, what is\n"
    "missing or does not read whole, FEFF's last words). A folder holding\n"
    "FEFF's files that no record lists (FEFF run there by hand) is not\n"
    "touched: it fails, named. Two runners never run in one folder at once.\n"
    "\n"
    "With --db, each folder is stored in the database FILE as soon as its run\n"
    "ends, by the build's own code (the rest of the tree is built first): the\n"
    "database is ready when the last run ends, the same as mdexafs build would\n"
    "make then. A failed run is stored as failed, with its reason (mdexafs info\n"
    "lists them). With --drop-paths too, a folder's feffNNNN.dat files (and its\n"
    "feff.bin, feff.pad) are removed once the database on disk holds them, read\n"
    "back and compared, and then every other file FEFF wrote but its logs,\n"
    "files.dat, paths.dat and chi.dat (xmu.dat, the .pad and .json files, ...).\n"
    "The database is then the paths' only copy (mdexafs export_paths writes\n"
    "them again); builds and freshness checks keep it so, and a rebuild of it\n"
    "is refused.\n"
    "\n"
    "With --potentials=once, FEFF's potentials (the self-consistent ones with\n"
    "SCF: most of a run's time) are computed once per group of folders: those\n"
    "whose feff.inp name the same absorber and potential list (POTENTIALS: ipot,\n"
    "Z, label). The group's reference folder (named with --potentials-from, else\n"
    "the one an earlier run used, else its first) runs in full; every other\n"
    "folder runs FEFF's path modules only (CONTROL 0 0 ...) on its own geometry\n"
    "with the reference's pot.pad, phase.pad and xsect files, and notes it in\n"
    MDX_POT_NOTE ". The other cards that make potentials (EDGE, SCF,\n"
    "EXCHANGE, ...; not RPATH, NLEG, CRITERIA, DEBYE, S02)\n"
    "must be the reference's: a folder that differs is an error naming both. A\n"
    "folder that ran otherwise runs again, with or without the option. FEFF 6\n"
    "cannot skip its potentials: refused. With --check N, N folders of each group\n"
    "(seeded, --seed) also run in full, aside (their chi.dat kept as\n"
    MDX_POT_CHECK "), and what sharing cost each is said: the worst raw\n"
    "difference of k^2 chi(k) over k 3 to 14, and the R-factor left after the best\n"
    "E0 shift and amplitude (what a fit's E0 and S0^2 absorb).\n"
    "\n"
    "  -j, --jobs N       runs at once (default: one per core)\n"
    "      --feff PROGRAM the FEFF to run (default: feff8l, Debian's FEFF\n"
    "                     8.50L; feff6l, or a FEFF 8.5L or 10 binary)\n"
    "      --db FILE      store each finished folder in FILE (made if new)\n"
    "      --drop-paths   with --db: remove the path files once stored\n"
    "      --scratch DIR  run in folders made under DIR (a node-local disk,\n"
    "                     $TMPDIR), FEFF's files moved to their folder at the end\n"
    "      --shard I/N    only shard I (0 <= I < N) of the folders, chosen by\n"
    "                     frame and atom as mdexafs build --shard I/N chooses\n"
    "                     them: N tasks (say, a Slurm array) run every folder\n"
    "                     once, each then building its part\n"
    "      --potentials=once     share each group's potentials (see above);\n"
    "                            =own, the default: each folder its own\n"
    "      --potentials-from DIR the reference of DIR's group (one per group)\n"
    "      --check N      run N folders of each group in full too, to measure\n"
    "      --seed S       which folders --check runs (default 1)\n"
    "  -q, --quiet        no progress, only failures\n"
    "  -h, --help         this text\n"
    "\n"
    "Exit status: 0 every folder finished (and stored), 1 some runs failed or\n"
    "were not stored cleanly (each said on stderr) or the runs were stopped,\n"
    "2 bad usage.\n";

static volatile sig_atomic_t stop;

static void on_interrupt(int sig)
{
    stop = 1;
    signal(sig, SIG_DFL);   /* a second Ctrl-C kills at once */
}

/* What the runs stand at, as a progress line. */
static void show(cli_progress *p, const mdx_run_stats *st, int final)
{
    char what[200];
    size_t ended = st->done + st->failed;
    double per_min = st->seconds > 0 ? 60.0 * (double)ended / st->seconds : 0;
    snprintf(what, sizeof what, "%zu/%zu runs, %zu failed, %zu running, %.1f runs/min",
             ended, st->todo, st->failed, st->running, per_min);
    cli_progress_show(p, "feff", st->todo ? (double)ended / (double)st->todo : 1.0,
                      st->seconds, what, final);
}

static int on_progress(void *ctx, const mdx_run_stats *st)
{
    show(ctx, st, 0);
    return 0;
}

static void on_ended(void *ctx, const mdx_run_result *r)
{
    if (!r->ok) {
        cli_progress_clear(ctx);
        cli_fail("feff: %s: failed: %s", r->dir, r->reason);
    } else if (r->stored && r->stored[0]) {
        cli_progress_clear(ctx);
        cli_fail("feff: %s: ran, but not stored cleanly: %s", r->dir, r->stored);
    }
}

/* The checks asked for per group (--check). */
static size_t checks_asked;

/* An R-factor after the shift above which sharing is said to change
 * chi(k) more than a fit absorbs. */
#define CHECK_WARN_R 0.01

/* A group of folders whose potentials were shared, and its checks (with
 * -q, only a warning). */
static void on_group(void *ctx, const mdx_run_group *g)
{
    int quiet = ((cli_progress *)ctx)->quiet;
    cli_progress_clear(ctx);
    if (!quiet)
        fprintf(stderr, "mdexafs: feff: potentials of %s (%s) shared by %zu folder%s\n",
                g->reference, g->label, g->folders, g->folders == 1 ? "" : "s");
    double raw = 0, r = 0;
    for (size_t i = 0; i < g->nchecks; i++) {
        const mdx_run_check *c = &g->checks[i];
        if (!quiet)
            fprintf(stderr, "mdexafs: feff:   checked %s in full: raw difference %.3g of "
                    "max |k^%d chi|; R-factor %.3g after an E0 shift of %+.3f eV and "
                    "amplitude %.4f (k %g-%g)\n", c->dir, c->raw, MDX_MATCH_KWEIGHT,
                    c->rfactor, c->e0, c->amplitude, MDX_POT_CHECK_KMIN, MDX_POT_CHECK_KMAX);
        raw = c->raw > raw ? c->raw : raw;
        r = c->rfactor > r ? c->rfactor : r;
    }
    if (g->nchecks > 1 && !quiet)
        fprintf(stderr, "mdexafs: feff:   worst of %zu: raw difference %.3g, R-factor %.3g\n",
                g->nchecks, raw, r);
    if (g->nchecks + g->unchecked < checks_asked && !quiet)
        fprintf(stderr, "mdexafs: feff:   %zu check%s asked, but the group has %zu other "
                "folder%s\n", checks_asked, checks_asked == 1 ? "" : "s", g->folders - 1,
                g->folders == 2 ? "" : "s");
    if (g->unchecked)
        fprintf(stderr, "mdexafs: feff:   %zu folder%s chosen for a check not measured "
                "(said above)\n", g->unchecked, g->unchecked == 1 ? "" : "s");
    if (r > CHECK_WARN_R)
        fprintf(stderr, "mdexafs: feff: warning: sharing the potentials of %s changes chi(k)"
                " beyond what a fit absorbs (R-factor %.3g after the shift): are its group's"
                " folders one material in one state? Run them on their own potentials, or "
                "name more apt references\n", g->reference, r);
}

/* --potentials=WHAT: 1 for once, 0 for own; -1 else (said). */
static int potentials_choice(const char *what)
{
    if (!strcmp(what, "once"))
        return 1;
    if (!strcmp(what, "own"))
        return 0;
    cli_fail("feff: --potentials must be once or own, not \"%s\"", what);
    return -1;
}

int mdx_cli_feff(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"jobs", required_argument, NULL, 'j'},
        {"feff", required_argument, NULL, 'f'},
        {"quiet", no_argument, NULL, 'q'},
        {"shard", required_argument, NULL, 's'},
        {"db", required_argument, NULL, 'd'},
        {"drop-paths", no_argument, NULL, 'D'},
        {"scratch", required_argument, NULL, 'S'},
        {"potentials", required_argument, NULL, 'P'},
        {"potentials-from", required_argument, NULL, 'F'},
        {"check", required_argument, NULL, 'c'},
        {"seed", required_argument, NULL, 'e'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    mdx_run_options o = {.seed = 1};
    int quiet = 0, opt, seed_given = 0;
    long jobs = 0, check = 0, seed = 1;
    const char **from = calloc((size_t)argc, sizeof *from);
    if (!from) {
        cli_fail("feff: out of memory");
        return CLI_FAILED;
    }
    o.potentials_from = from;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":j:qh", longopts, NULL)) != -1) {
        switch (opt) {
        case 'j':
            if (!cli_whole("--jobs", optarg, 1, 1024, &jobs))
                return CLI_USAGE;
            break;
        case 'f': o.program = optarg; break;
        case 'q': quiet = 1; break;
        case 's':
            if (!cli_shard(optarg, &o.shard_index, &o.shard_count))
                return CLI_USAGE;
            break;
        case 'd': o.db = optarg; break;
        case 'D': o.drop_paths = 1; break;
        case 'S': o.scratch = optarg; break;
        case 'P':
            if ((o.potentials_once = potentials_choice(optarg)) < 0)
                return free(from), CLI_USAGE;
            break;
        case 'F': from[o.npotentials_from++] = optarg; break;
        case 'c':
            if (!cli_whole("--check", optarg, 0, 1000000, &check))
                return free(from), CLI_USAGE;
            o.check = (size_t)check;
            break;
        case 'e':
            if (!cli_whole("--seed", optarg, 0, 2147483647, &seed))
                return free(from), CLI_USAGE;
            o.seed = (uint64_t)seed;
            seed_given = 1;
            break;
        case 'h': fputs(usage, stdout); return free(from), CLI_OK;
        default: return free(from), cli_bad_option("feff", opt, argv);
        }
    }
    const char *bad = optind != argc - 1 ? "need one TREE (see mdexafs feff --help)"
                    : o.drop_paths && !o.db ? "--drop-paths needs --db: the database keeps "
                                              "what is dropped"
                    : !o.potentials_once && (o.check || o.npotentials_from)
                        ? "--check and --potentials-from need --potentials=once"
                    : seed_given && !o.check ? "--seed needs --check" : NULL;
    if (bad) {
        cli_fail("feff: %s", bad);
        free(from);
        return CLI_USAGE;
    }
    cli_progress progress;
    cli_progress_init(&progress, quiet);
    o.jobs = (int)jobs;
    o.progress = on_progress;
    o.ended = on_ended;
    o.group = on_group;
    checks_asked = o.check;
    o.problem = cli_progress_report;
    o.stop = &stop;
    o.ctx = &progress;
    mdx_run_stats st;
    mdx_error err;
    static const int stops[] = {SIGINT, SIGTERM, SIGHUP};
    for (int i = 0; i < 3; i++)
        signal(stops[i], on_interrupt);
    mdx_status rc = mdx_feff_run(argv[optind], &o, &st, &err);
    for (int i = 0; i < 3; i++)
        signal(stops[i], SIG_DFL);
    free(from);
    if (st.todo > 0)
        show(&progress, &st, 1);
    if (rc != MDX_OK) {   /* the database's refusals are no usage errors */
        cli_report(&err);
        int of_db = o.db && strcmp(err.file, o.db) == 0;
        return rc == MDX_ERR_ARG && !of_db ? CLI_USAGE : CLI_FAILED;
    }
    if (!quiet || st.failed)
        fprintf(stderr, "mdexafs: feff: %s: %zu folders with a feff.inp: %zu finished before,"
                " %zu run now (%zu finished, %zu failed) in %.1f s\n", argv[optind],
                st.folders, st.finished, st.todo, st.done, st.failed, st.seconds);
    if (o.db && (!quiet || st.unstored))
        fprintf(stderr, "mdexafs: feff: %s: %zu folders stored cleanly%s, %zu not (said"
                " above); ready %.2f s after the last run ended\n", o.db, st.stored,
                o.drop_paths ? ", their path files dropped" : "", st.unstored, st.db_ready);
    if (st.failed)
        fprintf(stderr, "mdexafs: feff: %zu run%s failed: the next mdexafs feff runs %s"
                " again\n", st.failed, st.failed == 1 ? "" : "s",
                st.failed == 1 ? "it" : "them");
    return st.failed || st.unstored ? CLI_FAILED : CLI_OK;
}
