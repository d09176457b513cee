/* The FEFF runs of a tree: its folders with a feff.inp found, those
 * finished before set aside, the others run `jobs` at a time, each
 * judged and recorded as it ends. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "run_private.h"
#include "util/grow.h"
#include "util/shard.h"

/* Folders, as paths. */
typedef struct folders {
    char **dir;
    size_t n, cap;
} folders;

static void folders_free(folders *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->dir[i]);
    free(f->dir);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Add every folder at or under dir that has a feff.inp (a run's scratch
 * folder aside). */
static mdx_status find_folders(const char *dir, int depth, folders *f, mdx_error *err)
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

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* A run going on. */
typedef struct slot {
    pid_t pid;           /* 0: free */
    int lock;            /* its folder's lock, held until it ends */
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

/* The folders of f that need a run (in this shard), into todo; the others
 * counted. */
static mdx_status choose(const char *tree, const folders *f, const mdx_run_options *o,
                         folders *todo, mdx_run_stats *st, mdx_error *err)
{
    for (size_t i = 0; i < f->n; i++) {
        if (o->shard_count > 0 && shard_of(tree, f->dir[i], o->shard_count) != o->shard_index)
            continue;
        st->folders++;
        int needed = mdx_run_needed(f->dir[i], err);
        if (needed < 0)
            return err ? err->code : MDX_ERR_IO;
        if (!needed) {
            st->finished++;
            continue;
        }
        char **more = mdx_grow(todo->dir, &todo->cap, todo->n + 1, sizeof *more, 256);
        if (!more)
            return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
        todo->dir = more;
        todo->dir[todo->n++] = f->dir[i];   /* borrowed from f */
    }
    st->todo = todo->n;
    return MDX_OK;
}

/* Count a run that ended, and say so. */
static void report(const char *dir, int ok, const char *reason, double seconds,
                   const mdx_run_options *o, mdx_run_stats *st)
{
    ok ? st->done++ : st->failed++;
    if (o->ended) {
        mdx_run_result r = {dir, ok, reason, seconds};
        o->ended(o->ctx, &r);
    }
}

/* A run that ended: judged, recorded, reported. A folder that cannot take
 * its outputs fails alone. */
static void end_run(slot *s, int wstatus, const char *program, const mdx_run_options *o,
                    mdx_run_stats *st)
{
    char reason[MDX_RUN_REASON_MAX];
    int ok;
    double seconds = now() - s->start;
    mdx_error e;
    if (mdx_run_finish(s->dir, s->scratch, s->hash, program, wstatus, seconds, &ok, reason,
                       sizeof reason, &e) != MDX_OK) {
        mdx_error_format(&e, reason, sizeof reason);
        ok = 0;
    }
    close(s->lock);
    s->pid = 0;
    st->running--;
    report(s->dir, ok, reason, seconds, o, st);
}

/* Run the folders of todo, jobs at once. */
static mdx_status run_all(const folders *todo, const char *program, int jobs,
                          const mdx_run_options *o, mdx_run_stats *st, double t0,
                          mdx_error *err)
{
    slot *slots = calloc((size_t)jobs, sizeof *slots);
    if (!slots)
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    mdx_status rc = MDX_OK;
    size_t next = 0;
    while (rc == MDX_OK && (next < todo->n || st->running > 0)) {
        for (int j = 0; j < jobs && rc == MDX_OK && next < todo->n; j++) {
            if (slots[j].pid)
                continue;
            slot *s = &slots[j];
            s->dir = todo->dir[next++];
            mdx_error e;   /* a folder not ready fails alone */
            if (mdx_run_prepare(s->dir, s->scratch, sizeof s->scratch, s->hash, &s->lock,
                                &e) != MDX_OK) {
                char reason[MDX_RUN_REASON_MAX];
                mdx_error_format(&e, reason, sizeof reason);
                if (s->lock >= 0)
                    close(s->lock);
                report(s->dir, 0, reason, 0, o, st);
                continue;
            }
            rc = mdx_run_spawn(program, s->scratch, &s->pid, err);
            if (rc != MDX_OK) {
                close(s->lock);
                break;
            }
            s->start = now();
            st->running++;
        }
        for (int j = 0; j < jobs && rc == MDX_OK; j++) {
            int wstatus;
            if (slots[j].pid && mdx_run_ended(slots[j].pid, &wstatus))
                end_run(&slots[j], wstatus, program, o, st);
        }
        st->seconds = now() - t0;
        if (rc == MDX_OK && o->progress && o->progress(o->ctx, st))
            rc = mdx_error_set(err, MDX_ERR_STOPPED, NULL, 0, "stopped: %zu runs left"
                               " unfinished, to run next time", todo->n - st->done - st->failed);
        if (rc == MDX_OK)
            nanosleep(&(struct timespec){0, 20 * 1000 * 1000}, NULL);
    }
    for (int j = 0; j < jobs; j++)   /* stopped or failed: the others end unfinished */
        if (slots[j].pid > 0) {
            mdx_run_kill(slots[j].pid);
            close(slots[j].lock);
            st->running--;
        }
    free(slots);
    return rc;
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
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "%s: no such program to run%s",
                             name, strcmp(name, "feff8l") ? ""
                             : " (Debian's package feff85exafs has it)");
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int jobs = o->jobs > 0 ? o->jobs : cores > 0 ? (int)cores : 1;
    double t0 = now();
    folders all = {0}, todo = {0};
    mdx_status rc = find_folders(tree, 0, &all, err);
    if (rc == MDX_OK) {
        qsort(all.dir, all.n, sizeof *all.dir, by_name);
        rc = choose(tree, &all, o, &todo, st, err);
    }
    if (rc == MDX_OK)
        rc = run_all(&todo, program, jobs, o, st, t0, err);
    st->seconds = now() - t0;
    free(todo.dir);
    folders_free(&all);
    return rc;
}
