/* The FEFF runs of a tree: its folders with a feff.inp found, those
 * finished before set aside, the others run `jobs` at a time, each
 * judged and recorded as it ends. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "build/scan.h"
#include "mdexafs/build.h"
#include "run_private.h"
#include "util/grow.h"
#include "util/shard.h"
#include "util/clock.h"

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void mdx_run_folders_free(mdx_run_folders *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->dir[i]);
    free(f->dir);
    memset(f, 0, sizeof *f);
}

/* mdx_run_find_folders, unsorted, depth folders below the first. */
static mdx_status find_folders(const char *dir, int depth, mdx_run_folders *f,
                               mdx_error *err)
{
    if (depth > 64)
        return mdx_error_set(err, MDX_ERR_ARG, dir, 0, "folders nested 64 deep: a loop?");
    DIR *d = opendir(dir);
    if (!d)
        return mdx_error_set(err, MDX_ERR_IO, dir, 0, "cannot list: %s", strerror(errno));
    mdx_status st = MDX_OK;
    char path[4096];
    for (struct dirent *e; st == MDX_OK && (e = readdir(d)) != NULL;) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
            mdx_run_is_scratch(e->d_name))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat sb;
        if (lstat(path, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode))
            st = find_folders(path, depth + 1, f, err);
        else if (S_ISREG(sb.st_mode) && !strcmp(e->d_name, "feff.inp")) {
            char **more = mdx_grow(f->dir, &f->cap, f->n + 1, sizeof *more, 256);
            if (!more || !(more[f->n] = strdup(dir)))
                st = mdx_error_set(err, MDX_ERR_NOMEM, dir, 0, "out of memory");
            else
                f->dir = more, f->n++;
        }
    }
    closedir(d);
    return st;
}

mdx_status mdx_run_find_folders(const char *dir, mdx_run_folders *f, mdx_error *err)
{
    mdx_status st = find_folders(dir, 0, f, err);
    if (st == MDX_OK)
        qsort(f->dir, f->n, sizeof *f->dir, by_name);
    return st;
}

/* The absolute path of program (as given with a '/', else found on PATH)
 * into path, if it is a regular file we may run: 1, else 0. */
static int find_program(const char *program, char *path, size_t size)
{
    char file[4096];
    struct stat sb;
    const char *dirs = strchr(program, '/') ? "" : getenv("PATH");
    for (const char *p = dirs ? dirs : "/usr/bin:/bin";;) {
        size_t n = strcspn(p, ":");
        if (strchr(program, '/'))
            snprintf(file, sizeof file, "%s", program);
        else
            snprintf(file, sizeof file, "%.*s/%s", (int)n, n ? p : ".", program);
        if (stat(file, &sb) == 0 && S_ISREG(sb.st_mode) && access(file, X_OK) == 0 &&
            realpath(file, path) && strlen(path) < size)
            return 1;
        if (strchr(program, '/') || !p[n])
            return 0;
        p += n + 1;
    }
}

/* What a run is for: a folder's own run (OWN), the run of a group's
 * reference that makes the group's potentials (REF), a folder's run on
 * its group's potentials (SHARED), or a folder's run in full aside, to
 * measure what sharing them costs it (CHECK). SHARED runs wait for the
 * others to end. */
enum { JOB_OWN, JOB_REF, JOB_SHARED, JOB_CHECK };

typedef struct run_job {
    const char *dir;
    int kind;
    int redo;            /* run even when finished (its potentials change) */
    mdx_pot_group *g;    /* REF, SHARED and CHECK: the folder's group */
} run_job;

typedef struct run_jobs {
    run_job *j;
    size_t n, cap;
} run_jobs;

/* A run going on. */
typedef struct slot {
    pid_t pid;           /* 0: free */
    int lock;            /* its folder's lock, held until it ends */
    const run_job *job;
    const char *dir;
    char scratch[4096];
    char hash[17];
    double start;
} slot;

/* The shard of folder dir under tree: by its atom_M name and the nearest
 * frame_N above it, as the build shards; 0 for other folders. */
static unsigned shard_of(const char *tree, const char *dir, unsigned count)
{
    const char *base = strrchr(dir, '/');
    long atom = mdx_scan_number(base ? base + 1 : dir, "atom_"), frame = -1;
    char part[256];
    for (const char *p = dir + strlen(tree); base && p < base;) {
        p += strspn(p, "/");
        size_t n = strcspn(p, "/");
        snprintf(part, sizeof part, "%.*s", (int)(n < sizeof part ? n : sizeof part - 1), p);
        long f = mdx_scan_number(part, "frame_");
        frame = f >= 0 ? f : frame;
        p += n;
    }
    return atom >= 0 && frame >= 0 ? mdx_shard_of(frame, atom, count) : 0;
}

/* Does folder dir hold path files, or a feff.bin or feff.pad? */
static int has_paths(const char *dir)
{
    DIR *d = opendir(dir);
    int found = 0;
    for (struct dirent *e; d && !found && (e = readdir(d)) != NULL;)
        found = mdx_holds_paths(e->d_name);
    if (d)
        closedir(d);
    return found;
}

static mdx_status add_folder(mdx_run_folders *f, char *dir, mdx_error *err)
{
    char **more = mdx_grow(f->dir, &f->cap, f->n + 1, sizeof *more, 256);
    if (!more)
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    f->dir = more;
    f->dir[f->n++] = dir;
    return MDX_OK;
}

static mdx_status add_job(run_jobs *jobs, run_job job, mdx_error *err)
{
    run_job *more = mdx_grow(jobs->j, &jobs->cap, jobs->n + 1, sizeof *more, 256);
    if (!more)
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    jobs->j = more;
    jobs->j[jobs->n++] = job;
    return MDX_OK;
}

/* What the runs of a tree's folders are to be. */
typedef struct run_plan {
    mdx_run_folders mine;    /* the folders of this shard (borrowed) */
    run_jobs todo;           /* the runs, those that wait for others last */
    mdx_run_folders redo;    /* finished, to be stored and dropped */
    mdx_pot_plan pots;       /* with potentials_once */
} run_plan;

static void plan_free(run_plan *p)
{
    free(p->mine.dir);
    free(p->todo.j);
    free(p->redo.dir);
    mdx_pot_plan_free(&p->pots);
}

/* Folder dir needs no run (it is finished as it is to be): counted, and
 * with drop_paths put into redo while it still holds its paths, to be
 * stored and dropped. */
static mdx_status finished(const mdx_run_options *o, run_plan *p, char *dir, mdx_run_stats *st,
                           mdx_error *err)
{
    st->finished++;
    return o->db && o->drop_paths && has_paths(dir) ? add_folder(&p->redo, dir, err) : MDX_OK;
}

/* The runs of each folder on its own potentials: those not finished, and
 * those finished on another folder's. */
static mdx_status choose_own(const mdx_run_options *o, run_plan *p, mdx_run_stats *st,
                             mdx_error *err)
{
    char reason[MDX_RUN_REASON_MAX], from[4096], hash[17];
    mdx_status rc = MDX_OK;
    for (size_t i = 0; rc == MDX_OK && i < p->mine.n; i++) {
        char *dir = p->mine.dir[i];
        int state = mdx_run_state(dir, reason, sizeof reason, err);
        int shared = state == MDX_RUN_OK ? mdx_pot_note_read(dir, from, sizeof from, hash, err)
                                         : 0;
        if (state < 0 || shared < 0)
            return err ? err->code : MDX_ERR_IO;
        rc = state != MDX_RUN_OK || shared
                 ? add_job(&p->todo, (run_job){.dir = dir, .kind = JOB_OWN, .redo = shared}, err)
                 : finished(o, p, dir, st, err);
    }
    return rc;
}

/* The runs of each group: its reference's, unless its potentials are
 * kept from a finished run; each member's not finished on them; and the
 * checks in full not made yet of its feff.inp as it is. */
static mdx_status choose_shared(const mdx_run_options *o, run_plan *p, mdx_run_stats *st,
                                mdx_error *err)
{
    mdx_status rc = mdx_pot_plan_make(&p->mine, o->potentials_from, o->npotentials_from,
                                      o->check, o->seed, &p->pots, err);
    for (size_t i = 0; rc == MDX_OK && i < p->pots.n; i++) {
        mdx_pot_group *g = &p->pots.g[i];
        g->ref_runs = !mdx_pot_ready(g);
        rc = g->ref_runs ? add_job(&p->todo, (run_job){.dir = g->ref, .kind = JOB_REF,
                                                       .redo = 1, .g = g}, err)
                         : finished(o, p, (char *)g->ref, st, err);
        for (size_t j = 0; rc == MDX_OK && j < g->ncheck; j++)
            if (!mdx_pot_check_current(g->check[j]))
                rc = add_job(&p->todo, (run_job){.dir = g->check[j], .kind = JOB_CHECK,
                                                 .g = g}, err);
    }
    for (size_t i = 0; rc == MDX_OK && i < p->pots.n; i++) {
        mdx_pot_group *g = &p->pots.g[i];
        for (size_t j = 0; rc == MDX_OK && j < g->n; j++)
            rc = g->ref_runs || !mdx_pot_member_current(g, g->member[j])
                     ? add_job(&p->todo, (run_job){.dir = g->member[j], .kind = JOB_SHARED,
                                                   .redo = 1, .g = g}, err)
                     : finished(o, p, (char *)g->member[j], st, err);
    }
    return rc;
}

/* The folders of f in this shard, and what their runs are to be. */
static mdx_status choose(const char *tree, const mdx_run_folders *f, const mdx_run_options *o,
                         run_plan *p, mdx_run_stats *st, mdx_error *err)
{
    mdx_status rc = MDX_OK;
    for (size_t i = 0; rc == MDX_OK && i < f->n; i++)
        if (o->shard_count == 0 || shard_of(tree, f->dir[i], o->shard_count) == o->shard_index)
            rc = add_folder(&p->mine, f->dir[i], err);
    st->folders = p->mine.n;
    if (rc == MDX_OK)
        rc = o->potentials_once ? choose_shared(o, p, st, err) : choose_own(o, p, st, err);
    st->todo = p->todo.n;
    return rc;
}

/* A run that ended, judged and recorded, or one that could not start:
 * to be stored and reported once the free slots have their next runs. */
typedef struct ended_run {
    const char *dir;
    int kind;
    int ok;
    int started;           /* 0: its folder could not be made ready */
    int lock;              /* its folder's lock, held until it is stored */
    double seconds;
    char reason[MDX_RUN_REASON_MAX];
} ended_run;

/* What the runs of a tree share. */
typedef struct runner {
    const mdx_run_options *o;
    mdx_run_stats *st;
    const char *program;
    size_t tree_len;       /* of the tree's path, which starts each dir */
    mdx_builder *db;       /* with o->db, until it fails */
    mdx_build_hooks hooks; /* its hooks, as long as it is open */
    ended_run *ended;      /* at most two per slot: one ended, one not started */
    size_t nended;
    double t0;             /* when the runs began */
    double last_end;       /* when the last run ended */
} runner;

/* Stop: asked by the caller's flag or its progress function? */
static int stop_asked(const runner *rn)
{
    const mdx_run_options *o = rn->o;
    rn->st->seconds = mdx_seconds() - rn->t0;
    return (o->stop && *o->stop) || (o->progress && o->progress(o->ctx, rn->st));
}

/* A run that ended: judged and recorded. A folder that cannot take its
 * outputs fails alone. */
static void end_run(runner *rn, slot *s, int wstatus)
{
    ended_run *e = &rn->ended[rn->nended++];
    const run_job *job = s->job;
    mdx_error err;
    *e = (ended_run){.dir = s->dir, .kind = job->kind, .started = 1, .lock = s->lock,
                     .seconds = mdx_seconds() - s->start};
    char judged[MDX_RUN_REASON_MAX] = "";
    mdx_status rc = MDX_OK;
    if (job->kind != JOB_OWN)
        mdx_run_judge(s->scratch, wstatus, judged, sizeof judged);
    if (job->kind == JOB_REF && !judged[0])
        rc = mdx_pot_keep(job->g, s->scratch, &err);
    else if (job->kind == JOB_SHARED)
        rc = mdx_pot_unshare(job->g, s->dir, s->scratch, judged, sizeof judged, &err);
    else if (job->kind == JOB_CHECK) {
        if (!judged[0])
            rc = mdx_pot_check_keep(s->dir, s->scratch, s->hash, &err);
        mdx_run_remove_tree(s->scratch);
        snprintf(e->reason, sizeof e->reason, "its check in full: %s", judged);
        e->ok = !judged[0];
    }
    if (rc != MDX_OK && !judged[0])
        mdx_error_format(&err, judged, sizeof judged);
    if (job->kind != JOB_CHECK &&
        mdx_run_finish(s->dir, s->scratch, s->hash, rn->program,
                       job->kind == JOB_OWN ? NULL : judged, wstatus, e->seconds, &e->ok,
                       e->reason, sizeof e->reason, &err) != MDX_OK) {
        mdx_error_format(&err, e->reason, sizeof e->reason);
        e->ok = 0;
    } else if (job->kind == JOB_CHECK && rc != MDX_OK)
        snprintf(e->reason, sizeof e->reason, "its check in full: %s", judged), e->ok = 0;
    if (e->ok)
        e->reason[0] = '\0';
    s->pid = 0;
    rn->st->running--;
    rn->last_end = mdx_seconds();
}

/* Store folder dir in the database: as failed for `failure`, or read
 * (its paths then dropped with drop_paths, and FEFF's other outputs that
 * a folder does not keep); why it was not stored cleanly into why. */
static mdx_status store(runner *rn, const char *dir, const char *failure, char *why,
                        size_t size, mdx_error *err)
{
    const char *rel = dir + rn->tree_len;
    int drop = rn->o->drop_paths && !failure;
    mdx_status rc = mdx_builder_add(rn->db, rel + strspn(rel, "/"), failure, drop, why, size,
                                    err);
    if (rc || failure)
        return rc;
    if (why[0])
        rn->st->unstored++;
    else
        rn->st->stored++;
    mdx_error e;
    if (drop && !why[0] && mdx_run_drop_outputs(dir, &e) != MDX_OK && rn->o->problem)
        rn->o->problem(rn->o->ctx, &e);
    return MDX_OK;
}

/* Store the runs that ended in the database, if there is one, and unlock
 * their folders; count them and say so. An error only when the database
 * cannot take them: it is used no more, and the runs are still counted
 * and said. */
static mdx_status store_ended(runner *rn, mdx_error *err)
{
    mdx_status rc = MDX_OK;
    char failure[MDX_RUN_REASON_MAX + 16], why[1024];
    for (size_t i = 0; i < rn->nended; i++) {
        ended_run *e = &rn->ended[i];
        const char *stored = NULL;
        if (rn->db && e->started && e->kind != JOB_CHECK) {
            snprintf(failure, sizeof failure, "FEFF failed: %s", e->reason);
            rc = store(rn, e->dir, e->ok ? NULL : failure, why, sizeof why, err);
            stored = rc == MDX_OK ? why : NULL;
            if (rc)
                rn->db = NULL;  /* closed by mdx_feff_run */
        }
        if (e->lock >= 0)
            close(e->lock);
        e->ok ? rn->st->done++ : rn->st->failed++;
        if (rn->o->ended) {
            mdx_run_result r = {e->dir, e->ok, e->reason, e->seconds, stored};
            rn->o->ended(rn->o->ctx, &r);
        }
    }
    rn->nended = 0;
    return rc;
}

/* Make slot s's folder ready for its job: MDX_OK, with *finished when
 * another runner finished it meanwhile. */
static mdx_status prepare(runner *rn, slot *s, int *finished, mdx_error *err)
{
    const run_job *job = s->job;
    *finished = 0;
    s->lock = -1;
    if (job->kind == JOB_CHECK)
        return mdx_run_prepare_aside(job->dir, rn->o->scratch, s->scratch, sizeof s->scratch,
                                     s->hash, &s->lock, err);
    if (job->kind == JOB_SHARED && !job->g->hash[0])
        return mdx_error_set(err, MDX_ERR_RANGE, NULL, 0, "the potentials of its group, "
                             "from %s, are not there: its run failed", job->g->ref);
    if (job->kind == JOB_REF)   /* made anew by its run */
        mdx_pot_forget(job->g);
    mdx_status rc = mdx_run_prepare(job->dir, rn->o->scratch, job->redo, s->scratch,
                                    sizeof s->scratch, s->hash, &s->lock, finished, err);
    if (rc == MDX_OK && !*finished && job->kind == JOB_SHARED)
        rc = mdx_pot_share(job->g, job->dir, s->scratch, err);
    return rc;
}

/* Start a run in slot s, for job: 1 when it runs; 0 when its folder was
 * finished meanwhile (by another runner) or could not be made ready
 * (then it ends here, not started). An error when FEFF cannot be
 * started at all. */
static mdx_status start_run(runner *rn, slot *s, const run_job *job, int *started,
                            mdx_error *err)
{
    mdx_error e;
    int finished = 0;
    *started = 0;
    s->job = job;
    s->dir = job->dir;
    if (prepare(rn, s, &finished, &e) != MDX_OK) {
        ended_run *en = &rn->ended[rn->nended++];
        *en = (ended_run){.dir = job->dir, .kind = job->kind, .lock = s->lock};
        if (strcmp(e.file, job->dir) == 0)   /* the folder is named with the reason */
            e.file[0] = '\0';
        size_t n = (size_t)snprintf(en->reason, sizeof en->reason, "%snot run: ",
                                    job->kind == JOB_CHECK ? "its check in full: " : "");
        mdx_error_format(&e, en->reason + n, sizeof en->reason - n);
        return MDX_OK;
    }
    if (finished) {
        close(s->lock);
        rn->st->todo--;
        rn->st->finished++;
        return MDX_OK;
    }
    mdx_status rc = mdx_run_spawn(rn->program, s->scratch, &s->pid, err);
    if (rc != MDX_OK) {
        close(s->lock);
        return rc;
    }
    s->start = mdx_seconds();
    rn->st->running++;
    *started = 1;
    return MDX_OK;
}

/* May job start now? Runs on shared potentials wait until every other
 * run has ended (the groups' references make them). */
static int may_start(const run_job *job, const slot *slots, int jobs)
{
    for (int j = 0; job->kind == JOB_SHARED && j < jobs; j++)
        if (slots[j].pid && slots[j].job->kind != JOB_SHARED)
            return 0;
    return 1;
}

/* Run the jobs of todo, jobs at once. Stopped or failed, the runs going
 * are ended unfinished, then those that ended are stored. */
static mdx_status run_all(runner *rn, const run_jobs *todo, int jobs, mdx_error *err)
{
    mdx_run_stats *st = rn->st;
    slot *slots = calloc((size_t)jobs, sizeof *slots);
    rn->ended = calloc(2 * (size_t)jobs, sizeof *rn->ended);
    mdx_status rc = slots && rn->ended ? MDX_OK
                  : mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    size_t next = 0;
    while (rc == MDX_OK && (next < todo->n || st->running > 0 || rn->nended > 0)) {
        for (int j = 0; j < jobs && rc == MDX_OK && next < todo->n; j++) {
            int started = 0;
            while (rc == MDX_OK && !slots[j].pid && !started && next < todo->n &&
                   rn->nended <= (size_t)jobs && may_start(&todo->j[next], slots, jobs))
                rc = start_run(rn, &slots[j], &todo->j[next++], &started, err);
        }
        if (rc == MDX_OK)   /* while the new runs go */
            rc = store_ended(rn, err);
        for (int j = 0; j < jobs && rc == MDX_OK; j++) {
            int wstatus;
            if (slots[j].pid && mdx_run_ended(slots[j].pid, &wstatus))
                end_run(rn, &slots[j], wstatus);
        }
        if (rc == MDX_OK && stop_asked(rn))
            rc = mdx_error_set(err, MDX_ERR_STOPPED, NULL, 0, "stopped: %zu runs left"
                               " unfinished, to run next time",
                               st->todo - st->done - st->failed - rn->nended);
        if (rc == MDX_OK && rn->nended == 0)
            nanosleep(&(struct timespec){0, 20 * 1000 * 1000}, NULL);
    }
    for (int j = 0; slots && j < jobs; j++)
        if (slots[j].pid > 0) {
            mdx_run_kill(slots[j].pid);
            /* no later run of its folder would find it */
            if (rn->o->scratch || slots[j].job->kind == JOB_CHECK)
                mdx_run_remove_tree(slots[j].scratch);
            close(slots[j].lock);
            st->running--;
        }
    mdx_error e;
    if (rn->ended && store_ended(rn, &e) != MDX_OK && rc == MDX_ERR_STOPPED)
        rc = mdx_error_copy(err, &e);
    free(slots);
    free(rn->ended);
    return rc;
}

/* Open o->db for the runs: the tree built first, but for the folders of
 * todo, stored as their runs end, and those of redo, stored (and dropped)
 * now. */
static mdx_status open_db(runner *rn, const char *tree, const run_jobs *todo,
                          const mdx_run_folders *redo, int jobs, mdx_build_stats *bst,
                          mdx_error *err)
{
    const mdx_run_options *o = rn->o;
    const char **later = malloc((todo->n + redo->n + 1) * sizeof *later);
    if (!later)
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < todo->n + redo->n; i++) {
        if (i < todo->n && todo->j[i].kind == JOB_CHECK)   /* not the folder's run */
            continue;
        const char *rel = (i < todo->n ? todo->j[i].dir : redo->dir[i - todo->n]) + rn->tree_len;
        later[n++] = rel + strspn(rel, "/");
    }
    mdx_build_options bo = {.tree = tree, .db = o->db, .threads = jobs, .stop = o->stop,
                            .shard_index = o->shard_index, .shard_count = o->shard_count};
    rn->hooks = (mdx_build_hooks){.ctx = o->ctx, .problem = o->problem};
    mdx_status rc = mdx_builder_open(&bo, &rn->hooks, bst, later, n, &rn->db, err);
    free(later);
    if (rc == MDX_OK) {   /* folders finished before, stored now */
        rn->st->stored += bst->added + bst->replaced;
        rn->st->unstored += bst->failed + bst->missing;
    }
    char why[1024];
    for (size_t i = 0; rc == MDX_OK && i < redo->n; i++) {
        mdx_error e;
        if ((rc = store(rn, redo->dir[i], NULL, why, sizeof why, err)) == MDX_OK && why[0] &&
            o->problem) {
            mdx_error_set(&e, MDX_ERR_FORMAT, redo->dir[i], 0, "%s", why);
            o->problem(o->ctx, &e);
        }
        if (rc == MDX_OK && stop_asked(rn))
            rc = mdx_error_set(err, MDX_ERR_STOPPED, NULL, 0, "stopped while finished "
                               "folders were stored: run again to go on");
    }
    return rc;
}

/* Measure each group's checked folders that ran on its potentials, as
 * they are, and in full; say each group through o->group (what cannot
 * be measured through o->problem). */
static mdx_status report_groups(const mdx_run_options *o, const mdx_pot_plan *plan,
                                mdx_error *err)
{
    for (size_t i = 0; i < plan->n; i++) {
        const mdx_pot_group *g = &plan->g[i];
        mdx_run_check *c = calloc(g->ncheck + 1, sizeof *c);
        if (!c)
            return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
        mdx_run_group rg = {.reference = g->ref, .label = g->pots.label, .folders = g->n + 1,
                            .checks = c};
        for (size_t j = 0; j < g->ncheck; j++) {
            mdx_error e;
            c[rg.nchecks].dir = g->check[j];
            if (!mdx_pot_member_current(g, g->check[j]) || !mdx_pot_check_current(g->check[j]))
                rg.unchecked++;   /* a run failed: said as it ended */
            else if (mdx_pot_compare(g->check[j], &c[rg.nchecks], &e) == MDX_OK)
                rg.nchecks++;
            else {
                rg.unchecked++;
                if (o->problem)
                    o->problem(o->ctx, &e);
            }
        }
        if (o->group)
            o->group(o->ctx, &rg);
        free(c);
    }
    return MDX_OK;
}

mdx_status mdx_feff_run(const char *tree, const mdx_run_options *opt, mdx_run_stats *st,
                        mdx_error *err)
{
    static const mdx_run_options none;
    const mdx_run_options *o = opt ? opt : &none;
    const char *name = o->program ? o->program : "feff8l";
    char program[4096];
    memset(st, 0, sizeof *st);
    if (o->shard_count > 0 && o->shard_index >= o->shard_count)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "shard %u/%u: need 0 <= I < N",
                             o->shard_index, o->shard_count);
    if (!find_program(name, program, sizeof program))
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "%s: no such program to run (not "
                             "found, or not an executable file)%s", name,
                             strcmp(name, "feff8l") ? ""
                             : "; Debian's package feff85exafs has it");
    const char *base = strrchr(program, '/') ? strrchr(program, '/') + 1 : program;
    if (o->potentials_once && !strncasecmp(base, "feff6", 5))
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "%s cannot share potentials: FEFF 6 "
                             "always computes its own (it has no CONTROL card); run without "
                             "--potentials=once", name);
    if (!o->potentials_once && (o->check || o->npotentials_from))
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "%s needs --potentials=once",
                             o->check ? "--check" : "--potentials-from");
    struct stat sb;
    const char *bad = !o->scratch ? NULL
                    : stat(o->scratch, &sb) != 0 ? strerror(errno)
                    : !S_ISDIR(sb.st_mode) ? "not a folder"
                    : access(o->scratch, W_OK | X_OK) != 0 ? "not writable" : NULL;
    if (bad)
        return mdx_error_set(err, MDX_ERR_ARG, o->scratch, 0, "cannot run FEFF in it: %s", bad);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int jobs = o->jobs > 0 ? o->jobs : cores > 0 ? (int)cores : 1;
    double t0 = mdx_seconds();
    mdx_run_folders all = {0};
    run_plan plan = {0};
    mdx_status rc = mdx_run_find_folders(tree, &all, err);
    if (rc == MDX_OK)
        rc = choose(tree, &all, o, &plan, st, err);
    runner rn = {.o = o, .st = st, .program = program, .tree_len = strlen(tree), .t0 = t0};
    mdx_build_stats bst;
    if (rc == MDX_OK && o->db)
        rc = open_db(&rn, tree, &plan.todo, &plan.redo, jobs, &bst, err);
    mdx_builder *db = rn.db;
    if (rc == MDX_OK)
        rc = run_all(&rn, &plan.todo, jobs, err);
    mdx_builder_close(db);
    st->seconds = mdx_seconds() - t0;
    st->db_ready = mdx_seconds() - (rn.last_end > 0 ? rn.last_end : t0);
    if (rc == MDX_OK && o->potentials_once)
        rc = report_groups(o, &plan.pots, err);
    plan_free(&plan);
    mdx_run_folders_free(&all);
    return rc;
}
