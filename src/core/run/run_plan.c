/* What the runs of a tree are to be: its folders with a feff.inp found
 * (at any depth), those of the shard chosen, and for each the run it
 * needs, if any: on its own potentials, or with potentials shared, its
 * group's reference first, the checks in full, then the others. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "build/scan.h"
#include "run_private.h"
#include "util/grow.h"
#include "util/shard.h"

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

void mdx_run_plan_free(run_plan *p)
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

/* Is member dir of g to be checked in full now (its check chosen, and
 * not made yet of its feff.inp as it is)? */
static int check_now(const mdx_pot_group *g, const char *dir)
{
    for (size_t j = 0; j < g->ncheck; j++)
        if (g->check[j] == dir)
            return !mdx_pot_check_current(dir);
    return 0;
}

/* The runs of each group: its reference's, unless its potentials are
 * kept from a finished run of its feff.inp by program; the checks in
 * full not made yet; and each member's not finished on those potentials,
 * or checked now (run again, so that it is stored with its check). */
static mdx_status choose_shared(const mdx_run_folders *all, const mdx_run_options *o,
                                const char *program, run_plan *p, mdx_run_stats *st,
                                mdx_error *err)
{
    mdx_status rc = mdx_pot_plan_make(&p->mine, all, o->potentials_from,
                                      o->npotentials_from, o->check, o->seed, &p->pots, err);
    for (size_t i = 0; rc == MDX_OK && i + 1 < p->pots.nrefused; i += 2)
        rc = add_job(&p->todo, (run_job){.dir = p->pots.refused[i], .kind = JOB_REFUSED,
                                         .why = p->pots.refused[i + 1]}, err);
    for (size_t i = 0; rc == MDX_OK && i < p->pots.n; i++) {
        mdx_pot_group *g = &p->pots.g[i];
        g->ref_runs = !mdx_pot_ready(g, program);
        rc = g->ref_runs ? add_job(&p->todo, (run_job){.dir = g->ref, .kind = JOB_REF,
                                                       .redo = 1, .g = g}, err)
                         : finished(o, p, (char *)g->ref, st, err);
        for (size_t j = 0; rc == MDX_OK && j < g->ncheck; j++)
            if (check_now(g, g->check[j]))
                rc = add_job(&p->todo, (run_job){.dir = g->check[j], .kind = JOB_CHECK,
                                                 .g = g}, err);
    }
    for (size_t i = 0; rc == MDX_OK && i < p->pots.n; i++) {
        mdx_pot_group *g = &p->pots.g[i];
        for (size_t j = 0; rc == MDX_OK && j < g->n; j++)
            rc = g->ref_runs || check_now(g, g->member[j]) ||
                         !mdx_pot_member_current(g, g->member[j])
                     ? add_job(&p->todo, (run_job){.dir = g->member[j], .kind = JOB_SHARED,
                                                   .redo = 1, .g = g}, err)
                     : finished(o, p, (char *)g->member[j], st, err);
    }
    return rc;
}

mdx_status mdx_run_plan_make(const char *tree, const mdx_run_folders *f,
                             const mdx_run_options *o, const char *program, run_plan *p,
                             mdx_run_stats *st, mdx_error *err)
{
    mdx_status rc = MDX_OK;
    for (size_t i = 0; rc == MDX_OK && i < f->n; i++)
        if (o->shard_count == 0 || shard_of(tree, f->dir[i], o->shard_count) == o->shard_index)
            rc = add_folder(&p->mine, f->dir[i], err);
    st->folders = p->mine.n;
    if (rc == MDX_OK)
        rc = o->potentials_once ? choose_shared(f, o, program, p, st, err)
                                : choose_own(o, p, st, err);
    st->todo = p->todo.n;
    return rc;
}

