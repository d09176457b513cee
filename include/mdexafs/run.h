/* mdexafs FEFF runs: FEFF in every folder of a tree that has a feff.inp
 * and no finished run, several at once, each run judged by what it wrote,
 * and recorded in the folder so that an interrupted or failed run is
 * redone next time and a finished one is not. */
#ifndef MDEXAFS_RUN_H
#define MDEXAFS_RUN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "mdexafs/error.h"
#include "mdexafs/api.h"
#include "mdexafs/chi.h"
#include "mdexafs/feff.h"

MDX_BEGIN_DECLS

/* The record of a folder's last run, beside its feff.inp. */
#define MDX_RUN_RECORD "mdexafs-run.txt"
/* Where a run happens, inside its folder (this name, a dot and a number);
 * its outputs move out when FEFF is done. */
#define MDX_RUN_SCRATCH ".mdexafs-run"


/* Where the runs stand. */
typedef struct mdx_run_stats {
    size_t folders;    /* folders with a feff.inp (in the shard) */
    size_t finished;   /* of them, finished before: not run again */
    size_t todo;       /* runs to make this time (with check, the runs in
                          full aside too: done and failed count them) */
    size_t done;       /* ran and finished */
    size_t failed;     /* ran and failed (recorded, retried next time) */
    size_t running;
    double seconds;    /* since the start */
    size_t stored;     /* with a database: folders stored cleanly (with
                          drop_paths, those finished before whose paths
                          were still there too) */
    size_t unstored;   /* folders whose run finished but that were not
                          stored cleanly (each said through ended) */
    double db_ready;   /* with a database: seconds from the last run's
                          end to the database closed, all stored */
} mdx_run_stats;

/* One folder's run, as it ended: ok, or why not ("exit status 1: ...",
 * "killed by signal 9", "files.dat lists feff0003.dat, which is not
 * there"). */
typedef struct mdx_run_result {
    const char *dir;
    int ok;
    const char *reason;   /* "" when ok */
    double seconds;
    /* With a database: "" when the folder was stored cleanly, else why
     * not (recorded so there); NULL without one. */
    const char *stored;
} mdx_run_result;

/* What sharing potentials cost one folder: its chi(k) on its group's
 * potentials (its chi.dat) against its run in full (FEFF's chi.dat of
 * that), by mdx_chi_match_e0 over k MDX_POT_CHECK_KMIN to
 * MDX_POT_CHECK_KMAX. */
typedef struct mdx_run_check {
    const char *dir;
    double raw;        /* max |shared - full| / max |full|, as they are */
    /* R = sum (a shared(k') - full(k))^2 / sum full(k)^2 at the best e0
     * and a, k' = sqrt(k^2 - e0 ETOK) (e0 in eV, as feffit shifts E0) */
    double rfactor, e0, amplitude;
} mdx_run_check;

/* A group of folders whose potentials were computed once (potentials_once). */
typedef struct mdx_run_group {
    const char *reference;   /* the folder whose potentials they share */
    const char *label;       /* its potential list, "0 U, 1 O, 2 U" */
    size_t folders;          /* in the group, the reference too */
    const mdx_run_check *checks;   /* the folders checked in full */
    size_t nchecks;
    size_t unchecked;        /* chosen for a check, but a run failed */
} mdx_run_group;

typedef struct mdx_run_options {
    const char *program;   /* FEFF: a name on PATH or a path; NULL: "feff8l" */
    int jobs;              /* runs at once; 0: one per core */
    /* With shard_count > 0, only the folders of shard shard_index, chosen
     * by frame and atom as mdx_build chooses them (folders not named
     * frame_N/.../atom_M: shard 0), so that N shards run every folder
     * once and each shard's runs and build meet. */
    unsigned shard_index, shard_count;
    /* Runs happen in a folder made under this one (a node-local disk)
     * rather than inside their own folders; NULL: inside them. */
    const char *scratch;
    /* With db, each folder is stored there as its run ends, by
     * mdx_builder (the build's own code; the rest of the tree is built
     * first), so that the database is ready when the last run ends; a
     * failed run is recorded there as failed, with its reason. With
     * drop_paths too, a folder's path files (or feff.bin) are removed
     * once the database on disk holds them (mdx_builder_add), and then
     * FEFF's other outputs but its logs, files.dat, paths.dat and
     * chi.dat; folders finished before are stored and dropped so too. */
    const char *db;
    int drop_paths;
    /* With potentials_once, the folders are grouped by their feff.inp's
     * absorber and potential list (POTENTIALS: ipot, Z, label), and each
     * group's potentials are made once: by its reference folder's run in
     * full, the reference being the folder of potentials_from[] in the
     * group, else its first. The group's other folders then run FEFF's
     * path modules only (CONTROL 0 0 ...) on their own geometry with the
     * reference's potential files, and note so (MDX_POT_NOTE). Their
     * other cards that make potentials (EDGE, SCF, EXCHANGE, ...; not
     * RPATH, NLEG, CRITERIA, DEBYE, S02, ...) must be the reference's.
     * A folder that ran otherwise before (on its own potentials, or other
     * ones) runs again; and without potentials_once, so does one that ran
     * on shared potentials. With check, that many folders of each group
     * (chosen at random by seed) also run in full, aside, and what
     * sharing cost them is measured (group). */
    int potentials_once;
    const char *const *potentials_from;
    size_t npotentials_from;
    size_t check;
    uint64_t seed;
    /* Called once per group at the end, with potentials_once; may be NULL. */
    void (*group)(void *ctx, const mdx_run_group *g);
    /* What the database build met (a bad path file, a folder passed
     * over); NULL: not said. */
    void (*problem)(void *ctx, const mdx_error *e);
    /* When it becomes non-zero, the runs stop as when progress says so
     * (and so does the first build of the database); NULL: never. */
    volatile sig_atomic_t *stop;
    /* Called as runs start and end, and once a run ends with its result;
     * either may be NULL. A nonzero return from progress stops the runs:
     * those running are killed and left unfinished. */
    int (*progress)(void *ctx, const mdx_run_stats *st);
    void (*ended)(void *ctx, const mdx_run_result *r);
    void *ctx;
} mdx_run_options;

/* Run FEFF in every folder under `tree` (found at any depth) that has a
 * feff.inp and no finished run of that very feff.inp: in a scratch folder
 * inside it (MDX_RUN_SCRATCH), FEFF's output going to feff.log. A run is
 * finished only when FEFF exited 0 and wrote the path files files.dat
 * lists (or a feff.bin), each reading whole, as its chi.dat if any; its
 * outputs then move into the folder
 * and MDX_RUN_RECORD says so, with the feff.inp's hash, the program and
 * the time taken. A failed run's outputs move in too, recorded as failed
 * with the reason. A rerun (a changed feff.inp, a failed or interrupted
 * run) first removes the outputs the record lists. *st says what was
 * done. MDX_OK even when runs failed (st->failed says how many);
 * MDX_ERR_STOPPED when progress stopped it (the runs that ended are
 * recorded and stored first); an error of the database stops the runs. */
MDX_API mdx_status mdx_feff_run(const char *tree, const mdx_run_options *opt,
                                mdx_run_stats *st, mdx_error *err);

/* Where the runs of `tree` stand, as lines of text to `out` (mdexafs info
 * TREE): its folders with a feff.inp, how many are finished, finished
 * with another feff.inp, failed, interrupted and not run, then each
 * failed one with its recorded reason. MDX_ERR_ARG when none has run
 * (no folder, or a tree run by other hands: a database was meant?). */
MDX_API mdx_status mdx_run_describe(const char *tree, FILE *out, mdx_error *err);

MDX_END_DECLS

#endif
