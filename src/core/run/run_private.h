/* What the files of the run layer share: a folder's record and the steps
 * of one run, and FEFF's process. */
#ifndef MDX_RUN_PRIVATE_H
#define MDX_RUN_PRIVATE_H

#include <sys/types.h>

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
 * done), the outputs its record lists, its list of dropped paths and
 * earlier scratch folders removed (FEFF's files no record lists refuse
 * the run: MDX_ERR_RANGE), a new scratch folder (its path into scratch)
 * in dir, or in `under` when not NULL, holding a copy of feff.inp, whose
 * hash goes into hash. */
mdx_status mdx_run_prepare(const char *dir, const char *under, char *scratch, size_t size,
                           char hash[17], int *lock, int *finished, mdx_error *err);

/* Is name a scratch folder of a run (MDX_RUN_SCRATCH.XXXXXX)? */
int mdx_run_is_scratch(const char *name);

/* Judge the run that ended with wait status `wstatus` in scratch, move its
 * outputs into dir and record it: *ok, and the reason when not. */
mdx_status mdx_run_finish(const char *dir, const char *scratch, const char *hash,
                          const char *program, int wstatus, double seconds, int *ok,
                          char *reason, size_t rsize, mdx_error *err);

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

#endif
