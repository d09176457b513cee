/* What the files of the run layer share: a folder's record and the steps
 * of one run, and FEFF's process. */
#ifndef MDX_RUN_PRIVATE_H
#define MDX_RUN_PRIVATE_H

#include <stdint.h>
#include <sys/types.h>

#include "feff/feff_private.h"
#include "mdexafs/run.h"

#define MDX_RUN_REASON_MAX 512

/* Folders, as paths. */
typedef struct mdx_run_folders {
    char **dir;
    size_t n, cap;
} mdx_run_folders;

/* Add every folder at or under dir that has a feff.inp (a run's scratch
 * folder aside), sorted; free with mdx_run_folders_free. */
mdx_status mdx_run_find_folders(const char *dir, mdx_run_folders *f, mdx_error *err);
void mdx_run_folders_free(mdx_run_folders *f);

/* Where the run of folder dir stands, by its record and its feff.inp. */
enum mdx_run_state {
    MDX_RUN_NONE,     /* never run */
    MDX_RUN_OK,       /* finished, of this very feff.inp */
    MDX_RUN_STALE,    /* finished, of another feff.inp */
    MDX_RUN_FAILED,   /* failed: why goes into reason */
    MDX_RUN_CUT       /* interrupted */
};

/* The state of folder dir's run (a failure's reason into reason), or -1
 * and err when it cannot be known. A folder needs a run unless
 * MDX_RUN_OK. */
int mdx_run_state(const char *dir, char *reason, size_t size, mdx_error *err);

/* Make ready to run in dir: the folder locked (*lock, to close once the
 * run is done with; MDX_ERR_RANGE when another runner holds it), and
 * unless another runner finished it meanwhile (*finished: nothing more
 * done; with redo, a finished run is run again all the same), the outputs its record lists, its list of dropped paths and
 * earlier scratch folders removed (FEFF's files no record lists refuse
 * the run: MDX_ERR_RANGE), a new scratch folder (its path into scratch)
 * in dir, or in `under` when not NULL, holding a copy of feff.inp, whose
 * hash goes into hash. */
mdx_status mdx_run_prepare(const char *dir, const char *under, int redo, char *scratch,
                           size_t size, char hash[17], int *lock, int *finished, mdx_error *err);

/* The program dir's finished run ran (as its record names it) into
 * program: 1, or 0 when dir has no finished run. */
int mdx_run_program(const char *dir, char *program, size_t size);

/* The hash of dir's feff.inp, as its record keeps it, into hash. */
mdx_status mdx_run_inp_hash(const char *dir, char hash[17], mdx_error *err);

/* Lock dir (as mdx_run_prepare does) and make a scratch folder holding a
 * copy of its feff.inp, for a run that leaves the folder's own run alone
 * (a check, in full, of a run on shared potentials). */
mdx_status mdx_run_prepare_aside(const char *dir, const char *under, char *scratch,
                                 size_t size, char hash[17], int *lock, mdx_error *err);

/* Is name a scratch folder of a run (MDX_RUN_SCRATCH.XXXXXX)? */
int mdx_run_is_scratch(const char *name);

/* Judge the run that ended with wait status `wstatus` in scratch (failed
 * for `failure` when not NULL), move its outputs into dir and record it:
 * *ok, and the reason when not. */
mdx_status mdx_run_finish(const char *dir, const char *scratch, const char *hash,
                          const char *program, const char *failure, int wstatus,
                          double seconds, int *ok, char *reason, size_t rsize, mdx_error *err);

/* Judge a run that ended in scratch as mdx_run_finish does, without
 * moving anything: *ok, and the reason when not. */
void mdx_run_judge(const char *scratch, int wstatus, char *reason, size_t size);

/* Remove what FEFF wrote into dir that a folder whose paths were dropped
 * into a database does not keep (all but its logs, files.dat, paths.dat
 * and chi.dat), as its record lists it. */
mdx_status mdx_run_drop_outputs(const char *dir, mdx_error *err);

/* Remove scratch and all it holds (nothing when it is not there). */
void mdx_run_remove_tree(const char *path);

/* Start program (an absolute path) in folder scratch, its output (both
 * streams) to feff.log there; it dies with the runner. */
mdx_status mdx_run_spawn(const char *program, const char *scratch, pid_t *pid,
                         mdx_error *err);

/* Write what the file system of dir holds to its disk: 1, or 0 when it
 * cannot. */
int mdx_run_sync(const char *dir);

/* Kill the run pid and its process group, and wait for it. */
void mdx_run_kill(pid_t pid);

/* Has child pid ended? 1 with its wait status (-1 when another reaped it
 * and it is lost), its process group then killed; 0 not yet. */
int mdx_run_ended(pid_t pid, int *wstatus);

/* ---- Potentials computed once per group of folders (run_potentials.c,
 * run_potfiles.c, run_check.c). */

/* Folders whose feff.inp name one absorber and one potential list, and
 * so share the potentials of one of them, the reference. */
typedef struct mdx_pot_group {
    const char *ref;          /* the reference folder */
    mdx_feffinp_pots pots;    /* its feff.inp's potentials */
    const char **member;      /* the others, sorted */
    size_t n;
    const char **check;       /* of them, those run in full too */
    size_t ncheck;
    int ref_runs;             /* the reference runs now (its potentials anew) */
    char hash[17];            /* of its potential files; "" while unknown */
} mdx_pot_group;

typedef struct mdx_pot_plan {
    mdx_pot_group *g;
    size_t n;
    char **refused;   /* folders not run, and why: dir, reason, dir, ... */
    size_t nrefused;  /* strings in refused (two a folder) */
} mdx_pot_plan;

/* Group the folders of f (each with a feff.inp; those of a shard of all):
 * a group per absorber and potential list, its reference the folder of
 * from[] in it (realpaths compared), else the one its members' notes
 * name, else its first. A folder whose potentials cannot be told (no
 * POTENTIALS card), or whose other potential cards differ from its
 * reference's, is refused (plan->refused: not run, why naming both); a
 * name of from[] that is no folder of all, or two in one group, is an
 * error (MDX_ERR_ARG); names of another shard's folders are passed over.
 * `check` members of each group (all when fewer) are chosen, seeded, to
 * be run in full too. */
mdx_status mdx_pot_plan_make(const mdx_run_folders *f, const mdx_run_folders *all,
                             const char *const *from, size_t nfrom, size_t check,
                             uint64_t seed, mdx_pot_plan *plan, mdx_error *err);
void mdx_pot_plan_free(mdx_pot_plan *plan);

/* Where the reference's potentials stand: 1 when kept (their hash into
 * g->hash) from its finished run of its feff.inp as it is, by program,
 * taken from that run now if need be; 0 when its run must make them (not
 * finished, finished on shared potentials, another feff.inp or program,
 * or its potential files gone). */
int mdx_pot_ready(mdx_pot_group *g, const char *program);

/* Keep the potential files that the reference's run of the feff.inp of
 * hash inp by program wrote in folder from (its scratch folder before
 * they move into the reference, or the reference itself) for its group,
 * their hash into g->hash; MDX_ERR_FORMAT when there are none (FEFF 6). */
mdx_status mdx_pot_keep(mdx_pot_group *g, const char *from, const char *inp,
                        const char *program, mdx_error *err);

/* Forget the reference's kept potentials (its run starts anew, or
 * failed): g->hash "". */
void mdx_pot_forget(mdx_pot_group *g);

/* Make scratch, a copy of member dir's feff.inp in it, ready to run on
 * its group's potentials: the path modules only, the kept potential
 * files copied in. */
mdx_status mdx_pot_share(const mdx_pot_group *g, const char *dir, const char *scratch,
                         mdx_error *err);

/* After a run on shared potentials in scratch: the potential files
 * checked, which FEFF must have left as they were (else why into reason
 * when it has none already), and the note written beside them, naming
 * the reference from dir. */
mdx_status mdx_pot_unshare(const mdx_pot_group *g, const char *dir, const char *scratch,
                           char *reason, size_t size, mdx_error *err);

/* Whose potentials folder dir's finished run used: 1 with the reference
 * (as the note names it, relative to dir) into from and its potentials'
 * hash into hash; 0 its own; -1 and err when the note cannot be read. */
int mdx_pot_note_read(const char *dir, char *from, size_t size, char hash[17], mdx_error *err);

/* Does member dir's finished run need no rerun for its group? */
int mdx_pot_member_current(const mdx_pot_group *g, const char *dir);

/* The reference relative to dir, as a note names it, into buf. */
void mdx_pot_relative(const char *dir, const char *ref, char *buf, size_t size);

/* Keep the chi.dat of dir's check run in full that ended in scratch, as
 * MDX_POT_CHECK (headed by the feff.inp's hash). */
mdx_status mdx_pot_check_keep(const char *dir, const char *scratch, const char *hash,
                              mdx_error *err);

/* Does dir hold the chi.dat of a check in full of its feff.inp as it is? */
int mdx_pot_check_current(const char *dir);

/* Measure member dir's run on shared potentials against its run in full
 * (chi.dat against MDX_POT_CHECK) into *c (c->dir left alone). */
mdx_status mdx_pot_compare(const char *dir, mdx_run_check *c, mdx_error *err);

/* ---- The runs of a tree (run_plan.c, run.c). */

/* What a run is for: a folder's own run (OWN), the run of a group's
 * reference that makes the group's potentials (REF), a folder's run on
 * its group's potentials (SHARED), a folder's run in full aside, to
 * measure what sharing them costs it (CHECK), or none: a folder refused
 * (REFUSED, failing for why). SHARED runs wait for the others to end. */
enum { JOB_OWN, JOB_REF, JOB_SHARED, JOB_CHECK, JOB_REFUSED };

typedef struct run_job {
    const char *dir;
    int kind;
    int redo;            /* run even when finished (its potentials change) */
    mdx_pot_group *g;    /* REF, SHARED and CHECK: the folder's group */
    const char *why;     /* REFUSED: why */
} run_job;

typedef struct run_jobs {
    run_job *j;
    size_t n, cap;
} run_jobs;

/* What the runs of a tree's folders are to be. */
typedef struct run_plan {
    mdx_run_folders mine;    /* the folders of this shard (borrowed) */
    run_jobs todo;           /* the runs, those that wait for others last */
    mdx_run_folders redo;    /* finished, to be stored and dropped */
    mdx_pot_plan pots;       /* with potentials_once */
} run_plan;

/* The folders of f in o's shard (tree's), and what their runs are to be:
 * those not finished as they are to be into p->todo (the runs that wait
 * for others last), the others counted in st (with drop_paths, those
 * still holding their paths into p->redo, to be stored and dropped);
 * with potentials_once, the groups (p->pots), whose references' kept
 * potentials are of program (a path). Free with mdx_run_plan_free. */
mdx_status mdx_run_plan_make(const char *tree, const mdx_run_folders *f,
                             const mdx_run_options *o, const char *program, run_plan *p,
                             mdx_run_stats *st, mdx_error *err);
void mdx_run_plan_free(run_plan *p);

#endif
