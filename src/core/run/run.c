/* The FEFF runs of a tree, as planned (run_plan.c): `jobs` at a time,
 * each judged and recorded as it ends, stored in the database if there
 * is one; with potentials shared, each group's checks measured last. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mdexafs/build.h"
#include "run_private.h"
#include "util/clock.h"

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
    char judged[MDX_RUN_REASON_MAX - 24] = "";   /* room for what a check adds */
    mdx_status rc = MDX_OK;
    if (job->kind != JOB_OWN)
        mdx_run_judge(s->scratch, wstatus, judged, sizeof judged);
    if (job->kind == JOB_REF && !judged[0])
        rc = mdx_pot_keep(job->g, s->scratch, s->hash, rn->program, &err);
    else if (job->kind == JOB_SHARED)
        rc = mdx_pot_unshare(job->g, s->dir, s->scratch, judged, sizeof judged, &err);
    else if (job->kind == JOB_CHECK && !judged[0])
        rc = mdx_pot_check_keep(s->dir, s->scratch, s->hash, &err);
    if (rc != MDX_OK && !judged[0])
        mdx_error_format(&err, judged, sizeof judged);
    if (job->kind == JOB_CHECK) {   /* the folder's own run is left alone */
        mdx_run_remove_tree(s->scratch);
        snprintf(e->reason, sizeof e->reason, "its check in full: %s", judged);
        e->ok = !judged[0];
    } else if (mdx_run_finish(s->dir, s->scratch, s->hash, rn->program,
                              job->kind == JOB_OWN ? NULL : judged, wstatus, e->seconds,
                              &e->ok, e->reason, sizeof e->reason, &err) != MDX_OK) {
        mdx_error_format(&err, e->reason, sizeof e->reason);
        e->ok = 0;
    }
    if (e->ok)
        e->reason[0] = '\0';
    else if (job->kind == JOB_REF)   /* no potentials of a failed run */
        mdx_pot_forget(job->g);
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
    if (job->kind == JOB_REFUSED)
        return mdx_error_set(err, MDX_ERR_FORMAT, NULL, 0, "%s", job->why);
    if (job->kind == JOB_SHARED && !job->g->hash[0])
        return mdx_error_set(err, MDX_ERR_RANGE, NULL, 0, "the potentials of its group, "
                             "from %s, are not there: that run failed or could not start "
                             "(said above); name another reference (--potentials-from)",
                             job->g->ref);
    s->scratch[0] = '\0';
    mdx_status rc = job->kind == JOB_CHECK
        ? mdx_run_prepare_aside(job->dir, rn->o->scratch, s->scratch, sizeof s->scratch,
                                s->hash, &s->lock, err)
        : mdx_run_prepare(job->dir, rn->o->scratch, job->redo, s->scratch,
                          sizeof s->scratch, s->hash, &s->lock, finished, err);
    if (rc == MDX_OK && !*finished && job->kind == JOB_REF)   /* made anew by its run */
        mdx_pot_forget(job->g);
    if (rc == MDX_OK && !*finished && job->kind == JOB_SHARED)
        rc = mdx_pot_share(job->g, job->dir, s->scratch, err);
    if (rc != MDX_OK && s->scratch[0] && strstr(s->scratch, MDX_RUN_SCRATCH))
        mdx_run_remove_tree(s->scratch);   /* made, but no run goes there */
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
 * run has ended (the groups' references make them) and let go of its
 * folder (a check's folder may be the next run's). */
static int may_start(const runner *rn, const run_job *job, const slot *slots, int jobs)
{
    for (int j = 0; job->kind == JOB_SHARED && j < jobs; j++)
        if (slots[j].pid && slots[j].job->kind != JOB_SHARED)
            return 0;
    for (size_t i = 0; job->kind == JOB_SHARED && i < rn->nended; i++)
        if (rn->ended[i].kind != JOB_SHARED)
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
                   rn->nended <= (size_t)jobs && may_start(rn, &todo->j[next], slots, jobs))
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
        if (i < todo->n && (todo->j[i].kind == JOB_CHECK || todo->j[i].kind == JOB_REFUSED))
            continue;   /* not the folder's run: built as it is */
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

mdx_status mdx_feff_run(const char *tree_arg, const mdx_run_options *opt, mdx_run_stats *st,
                        mdx_error *err)
{
    char tree[4096];   /* without trailing slashes: folders named once */
    size_t n = (size_t)snprintf(tree, sizeof tree, "%s", tree_arg);
    if (n >= sizeof tree)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "a tree path of %zu characters", n);
    while (n > 1 && tree[n - 1] == '/')
        tree[--n] = '\0';
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
        rc = mdx_run_plan_make(tree, &all, o, program, &plan, st, err);
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
    mdx_run_plan_free(&plan);
    mdx_run_folders_free(&all);
    return rc;
}
