/* A FEFF tree as a source: for a batch of folders, parse every path file
 * on all threads, let the selection choose on the calling thread, then
 * compute and sum the chosen paths' chi(k) on all threads. A bad path file
 * stops the query with its file and line. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "feff/feff_private.h"
#include "mdexafs/feff.h"
#include "util/file.h"
#include "build/scan.h"
#include "source_common.h"
#include "source_private.h"

#define BATCH_FOLDERS 8

/* A path file that passed the selection's fixed criteria. */
typedef struct candidate {
    mdx_path path;
    mdx_path_meta meta;
    char type[MDX_TYPE_MAX], elements[MDX_TYPE_MAX];
    int keep;
    mdx_chi_params par;
} candidate;

typedef struct tree_folder {
    mdx_folder *folder;
    candidate *c;
    size_t n;
    mdx_error err;
    int failed;
    folder_sums sums;
} tree_folder;

static mdx_tree *tree_of(mdx_source *s) { return s->impl; }

static void tree_close(mdx_source *s)
{
    mdx_tree_free(tree_of(s));
    free(s->impl);
}

/* The paths of loaded folder f from its feff.bin. */
static mdx_status read_bin(const mdx_tree *t, const mdx_folder *f,
                           mdx_feffbin *fb, mdx_error *err)
{
    char file[PATH_MAX];
    mdx_folder_file(t, f, (size_t)mdx_folder_bin(f), file, sizeof file);
    return mdx_feffbin_read(file, fb, err);
}

/* Path (read into c->path) as candidate c of folder f, kept when the
 * fixed criteria accept it. */
static void add_candidate(const mdx_selection *sel, const mdx_folder *f,
                          int num, tree_folder *tf)
{
    candidate *c = &tf->c[tf->n];
    mdx_path_type(&c->path, c->type, sizeof c->type);
    mdx_path_elements(&c->path, c->elements, sizeof c->elements);
    c->meta = (mdx_path_meta){f->frame, f->atom, num, c->path.nleg,
                              c->path.deg, c->path.reff, c->type, c->elements,
                              mdx_element_symbol(c->path.abs_iz), f->dir};
    if (mdx_selection_matches(sel, &c->meta))
        tf->n++;
    else
        mdx_path_free(&c->path);
}

/* The candidates of a folder read from its feff.bin. */
static void parse_bin(const mdx_tree *t, const mdx_selection *sel,
                      tree_folder *tf)
{
    mdx_feffbin fb;
    if (read_bin(t, tf->folder, &fb, &tf->err)) {
        tf->failed = 1;
        return;
    }
    if (!(tf->c = calloc(fb.npaths, sizeof *tf->c))) {
        tf->failed = 1;
        mdx_error_set(&tf->err, MDX_ERR_NOMEM, tf->folder->dir, 0,
                      "out of memory");
        mdx_feffbin_free(&fb);
        return;
    }
    for (size_t i = 0; i < fb.npaths; i++) {
        tf->c[tf->n].path = fb.paths[i];  /* taken over */
        add_candidate(sel, tf->folder, fb.paths[i].index, tf);
    }
    fb.npaths = 0;
    mdx_feffbin_free(&fb);
}

/* The candidates of a folder read from its path files. */
static void parse_path_files(const mdx_tree *t, const mdx_selection *sel,
                             tree_folder *tf)
{
    mdx_folder *f = tf->folder;
    tf->c = calloc(f->npaths ? f->npaths : 1, sizeof *tf->c);
    mdx_path_number *nums = malloc((f->npaths ? f->npaths : 1) * sizeof *nums);
    if (!tf->c || !nums) {
        free(nums);
        tf->failed = 1;
        mdx_error_set(&tf->err, MDX_ERR_NOMEM, f->dir, 0, "out of memory");
        return;
    }
    for (size_t i = 0; i < f->npaths; i++) {
        char file[PATH_MAX];
        int num = (int)mdx_path_file_number(f->files[i].name);
        mdx_folder_file(t, f, i, file, sizeof file);
        if (mdx_feff_parse_file(file, &tf->c[tf->n].path, &tf->err)) {
            tf->failed = 1;
            break;
        }
        nums[i] = (mdx_path_number){num, tf->c[tf->n].path.index};
        add_candidate(sel, f, num, tf);
    }
    if (!tf->failed && mdx_path_copies(nums, f->npaths, f->dir, &tf->err))
        tf->failed = 1;
    free(nums);
}

/* Parse one folder's paths; keep those the fixed criteria accept. */
static void parse_folder(const mdx_tree *t, const mdx_selection *sel,
                         tree_folder *tf)
{
    mdx_folder *f = tf->folder;
    tf->n = 0;
    tf->failed = 0;
    if (mdx_folder_load(t, f, &tf->err)) {
        tf->failed = 1;
        return;
    }
    if (f->from_bin)
        parse_bin(t, sel, tf);
    else
        parse_path_files(t, sel, tf);
    mdx_folder_unload(f);
}

static void free_folder(tree_folder *tf)
{
    for (size_t i = 0; i < tf->n; i++)
        mdx_path_free(&tf->c[i].path);
    free(tf->c);
    tf->c = NULL;
    tf->n = 0;
}

/* The work of one query over the tree, batch by batch. */
typedef struct walk {
    mdx_source *src;
    const mdx_selection *sel;
    tree_folder batch[BATCH_FOLDERS];
    size_t nbatch;
} walk;

/* Parse the batch in parallel, then run keep on this thread. Returns an
 * error status, or MDX_OK. */
static mdx_status choose(walk *w, mdx_error *err)
{
    const mdx_tree *t = tree_of(w->src);
#pragma omp parallel for schedule(dynamic, 1)
    for (size_t b = 0; b < w->nbatch; b++)
        parse_folder(t, w->sel, &w->batch[b]);
    for (size_t b = 0; b < w->nbatch; b++)
        if (w->batch[b].failed) {
            return mdx_error_copy(err, &w->batch[b].err);
        }
    for (size_t b = 0; b < w->nbatch; b++)
        for (size_t i = 0; i < w->batch[b].n; i++) {
            candidate *c = &w->batch[b].c[i];
            c->keep = mdx_source_keep(w->sel, &c->meta, &c->par);
            if (c->keep < 0)
                return mdx_source_stopped(err);
        }
    return MDX_OK;
}

/* Fill the batch with the next folders the selection allows, skipping a
 * folder that repeats the previous one's frame and atom (as the build
 * does); returns the index to go on from. */
static size_t next_batch(walk *w, size_t from)
{
    mdx_tree *t = tree_of(w->src);
    w->nbatch = 0;
    for (; from < t->nfolders && w->nbatch < BATCH_FOLDERS; from++) {
        mdx_folder *f = &t->folders[from];
        if (from > 0 && f->frame == f[-1].frame && f->atom == f[-1].atom)
            continue;
        if (mdx_selection_has_folder(w->sel, f->frame, f->atom))
            w->batch[w->nbatch++].folder = f;
    }
    return from;
}

static void end_batch(walk *w)
{
    for (size_t b = 0; b < w->nbatch; b++)
        free_folder(&w->batch[b]);
}

/* Run visit on each batch of folders the selection allows, after parsing
 * and choosing; visit returns non-zero to stop, negative for out of
 * memory. */
static mdx_status each_batch(mdx_source *s, const mdx_selection *sel,
                             int (*visit)(walk *w, void *ctx), void *ctx,
                             mdx_error *err)
{
    walk w = {.src = s, .sel = sel};
    mdx_status rc = MDX_OK;
    int stop = 0;
    for (size_t at = 0; !rc && !stop && at < tree_of(s)->nfolders;) {
        at = next_batch(&w, at);
        rc = choose(&w, err);
        if (!rc && (stop = visit(&w, ctx)) < 0)
            rc = mdx_error_set(err, MDX_ERR_NOMEM, s->path, 0, "out of memory");
        end_batch(&w);
    }
    for (size_t b = 0; b < BATCH_FOLDERS; b++)
        mdx_folder_sums_free(&w.batch[b].sums);
    return rc;
}

typedef struct path_visit {
    int (*fn)(void *ctx, const mdx_path_meta *m);
    void *ctx;
} path_visit;

static int visit_paths(walk *w, void *ctx)
{
    path_visit *v = ctx;
    for (size_t b = 0; b < w->nbatch; b++)
        for (size_t i = 0; i < w->batch[b].n; i++)
            if (w->batch[b].c[i].keep && v->fn(v->ctx, &w->batch[b].c[i].meta))
                return 1;
    return 0;
}

static mdx_status tree_each_path(mdx_source *s, const mdx_selection *sel,
                                 int (*fn)(void *ctx, const mdx_path_meta *m),
                                 void *ctx, mdx_error *err)
{
    path_visit v = {fn, ctx};
    return each_batch(s, sel, visit_paths, &v, err);
}

/* chi of each kept path of the batch, summed per folder, in parallel.
 * Returns MDX_OK, or the first failure in folder order, in *err. */
static mdx_status compute(walk *w, enum mdx_grouping grouping, mdx_error *err)
{
    int failed = 0;
    double k[MDX_NK];
    mdx_kgrid(k);
#pragma omp parallel reduction(|| : failed)
    {
        mdx_chi_work work = {0};
        double chi[MDX_NK];
#pragma omp for schedule(dynamic, 1)
        for (size_t b = 0; b < w->nbatch; b++) {
            tree_folder *tf = &w->batch[b];
            mdx_folder_sums_reset(&tf->sums, tf->folder->frame, tf->folder->atom,
                              tf->folder->dir);
            for (size_t i = 0; i < tf->n && !tf->failed; i++) {
                candidate *c = &tf->c[i];
                if (!c->keep)
                    continue;
                mdx_status st = mdx_chi(&c->path, &c->par, MDX_NK, k, chi,
                                        &work, &tf->err);
                if (st == MDX_ERR_RANGE)
                    continue;  /* reff < 0.05 Å: no chi, as in larch */
                if (st == MDX_OK &&
                    !mdx_folder_sums_add(&tf->sums, grouping == MDX_GROUP_TYPE
                                                    ? c->type : NULL, chi))
                    st = mdx_error_set(&tf->err, MDX_ERR_NOMEM, NULL, 0,
                                       "out of memory");
                if (st) {
                    snprintf(tf->err.file, sizeof tf->err.file,
                             "%.900s/feff%04d.dat", tf->folder->dir,
                             c->meta.num);
                    tf->failed = failed = 1;
                }
            }
        }
        mdx_chi_work_free(&work);
    }
    for (size_t b = 0; failed && b < w->nbatch; b++)
        if (w->batch[b].failed) {
            return mdx_error_copy(err, &w->batch[b].err);
        }
    return MDX_OK;
}

typedef struct sum_visit {
    enum mdx_grouping grouping;
    int (*fn)(void *ctx, const mdx_folder_chi *f);
    void *ctx;
    mdx_error err;
    mdx_status failure;
} sum_visit;

static int visit_sums(walk *w, void *ctx)
{
    sum_visit *v = ctx;
    if ((v->failure = compute(w, v->grouping, &v->err)))
        return 1;
    for (size_t b = 0; b < w->nbatch; b++)
        if (mdx_folder_sums_emit(&w->batch[b].sums, v->fn, v->ctx))
            return 1;
    return 0;
}

static mdx_status tree_sum(mdx_source *s, const mdx_selection *sel,
                           enum mdx_grouping grouping,
                           int (*fn)(void *ctx, const mdx_folder_chi *f),
                           void *ctx, mdx_error *err)
{
    sum_visit v = {grouping, fn, ctx, {0}, MDX_OK};
    mdx_status rc = each_batch(s, sel, visit_sums, &v, err);
    if (rc == MDX_OK && v.failure)
        mdx_error_copy(err, &v.err);
    return rc ? rc : v.failure;
}

static mdx_status tree_each_chidat(mdx_source *s, const mdx_selection *sel,
                                   int (*fn)(void *ctx, const mdx_folder_chidat *f),
                                   void *ctx, mdx_error *err)
{
    mdx_tree *t = tree_of(s);
    for (size_t i = 0; i < t->nfolders; i++) {
        mdx_folder *f = &t->folders[i];
        if ((i > 0 && f->frame == f[-1].frame && f->atom == f[-1].atom) ||
            !mdx_selection_has_folder(sel, f->frame, f->atom))
            continue;
        mdx_status rc = mdx_folder_load(t, f, err);
        for (size_t j = f->npaths; rc == MDX_OK && j < f->nfiles; j++) {
            char file[PATH_MAX], *text;
            size_t len, n;
            double *kchi;
            if (strcmp(f->files[j].name, "chi.dat") != 0)
                continue;
            mdx_folder_file(t, f, j, file, sizeof file);
            if ((rc = mdx_read_file(file, &text, &len, err)))
                break;
            rc = mdx_chidat_parse(text, file, &kchi, &n, err);
            free(text);
            if (rc)
                break;
            mdx_folder_chidat c = {f->frame, f->atom, f->dir, n, kchi, kchi + n};
            int stop = fn(ctx, &c);
            free(kchi);
            if (stop) {
                mdx_folder_unload(f);
                return MDX_OK;
            }
        }
        mdx_folder_unload(f);
        if (rc)
            return rc;
    }
    return MDX_OK;
}

static mdx_status tree_get_path(mdx_source *s, long frame, long atom, int num,
                                mdx_path *path, mdx_error *err)
{
    mdx_tree *t = tree_of(s);
    for (size_t i = 0; i < t->nfolders; i++) {
        mdx_folder *f = &t->folders[i];
        if (f->frame != frame || f->atom != atom)
            continue;
        mdx_status rc = mdx_folder_load(t, f, err);
        if (rc)
            return rc;
        int found = 0;
        if (f->from_bin) {
            mdx_feffbin fb;
            rc = read_bin(t, f, &fb, err);
            for (size_t j = 0; rc == MDX_OK && j < fb.npaths && !found; j++)
                if ((found = fb.paths[j].index == num)) {
                    *path = fb.paths[j];  /* taken over */
                    fb.paths[j] = fb.paths[--fb.npaths];
                }
            if (rc == MDX_OK)
                mdx_feffbin_free(&fb);
        }
        for (size_t j = 0; !f->from_bin && j < f->npaths && !found; j++)
            if ((found = mdx_path_file_number(f->files[j].name) == num)) {
                char file[PATH_MAX];
                mdx_folder_file(t, f, j, file, sizeof file);
                rc = mdx_feff_parse_file(file, path, err);
            }
        mdx_folder_unload(f);
        return rc || found ? rc : mdx_source_no_path(s->path, frame, atom, num, err);
    }
    return mdx_source_no_path(s->path, frame, atom, num, err);
}

/* The absorbing element of folder f, from its first path file or its
 * feff.bin. */
static mdx_status tree_absorber(const mdx_tree *t, mdx_folder *f,
                                char absorber[8], mdx_error *err)
{
    char file[PATH_MAX];
    mdx_path path;
    mdx_feffbin fb = {0};
    mdx_status rc = mdx_folder_load(t, f, err);
    if (rc == MDX_OK && f->from_bin) {
        if ((rc = read_bin(t, f, &fb, err)) == MDX_OK)
            snprintf(absorber, 8, "%s",
                     mdx_element_symbol(fb.paths[0].abs_iz));
        mdx_feffbin_free(&fb);
    } else if (rc == MDX_OK) {
        mdx_folder_file(t, f, 0, file, sizeof file);
        if ((rc = mdx_feff_parse_file(file, &path, err)) == MDX_OK) {
            snprintf(absorber, 8, "%s", mdx_element_symbol(path.abs_iz));
            mdx_path_free(&path);
        }
    }
    mdx_folder_unload(f);
    return rc;
}

static mdx_status tree_each_folder(mdx_source *s, const mdx_selection *sel,
                                   int (*fn)(void *ctx, const mdx_folder_meta *f),
                                   void *ctx, mdx_error *err)
{
    mdx_tree *t = tree_of(s);
    int need_absorber = sel->absorber || sel->folder_keep;
    for (size_t i = 0; i < t->nfolders; i++) {
        mdx_folder *f = &t->folders[i];
        char absorber[8] = "";
        if (!mdx_selection_has_folder(sel, f->frame, f->atom))
            continue;
        if (i > 0 && f->frame == f[-1].frame && f->atom == f[-1].atom)
            return mdx_error_set(err, MDX_ERR_FORMAT, f->dir, 0, "frame %ld "
                                 "atom %ld again (first in %s): which one is "
                                 "meant?", f->frame, f->atom, f[-1].dir);
        if (f->problem) {
            char dir[PATH_MAX];
            snprintf(dir, sizeof dir, "%s/%s", t->root, f->dir);
            return mdx_error_set(err, MDX_ERR_FORMAT, dir, 0, "%s", f->problem);
        }
        if (f->npaths == 0 && !f->from_bin)  /* it would count as zero */
            return mdx_error_set(err, MDX_ERR_FORMAT, f->dir, 0, "%s",
                                 mdx_folder_empty(f));
        mdx_status rc = need_absorber ? tree_absorber(t, f, absorber, err)
                                      : MDX_OK;
        if (rc)
            return rc;
        mdx_folder_meta m = {f->frame, f->atom, absorber, f->dir};
        if (fn(ctx, &m))
            break;
    }
    return MDX_OK;
}

static size_t tree_notes(const mdx_source *s, const char *const **notes)
{
    const mdx_tree *t = s->impl;
    *notes = (const char *const *)t->notes;
    return t->nnotes < MDX_SCAN_NOTES ? t->nnotes : MDX_SCAN_NOTES;
}

/* Each allowed folder's note of whose potentials its FEFF run used. */
static mdx_status tree_potentials(mdx_source *s, const mdx_selection *sel,
                                  void (*fn)(void *ctx, const char *ref), void *ctx,
                                  mdx_error *err)
{
    mdx_tree *t = tree_of(s);
    char path[PATH_MAX], ref[PATH_MAX];
    for (size_t i = 0; i < t->nfolders; i++) {
        mdx_folder *f = &t->folders[i];
        if (!mdx_selection_has_folder(sel, f->frame, f->atom))
            continue;
        snprintf(path, sizeof path, "%s/%s/%s", t->root, f->dir, MDX_POT_NOTE);
        char *text = NULL;
        size_t len;
        int shared = access(path, F_OK) == 0;
        mdx_status rc = shared ? mdx_read_file(path, &text, &len, err) : MDX_OK;
        if (rc == MDX_OK && shared)
            rc = mdx_potentials_note_parse(text, path, f->dir, ref, sizeof ref, NULL, err);
        free(text);
        if (rc)
            return rc;
        fn(ctx, shared ? ref : NULL);
    }
    return MDX_OK;
}

static const source_ops tree_ops = {"tree", tree_each_path, tree_sum,
                                    tree_each_chidat, tree_get_path,
                                    tree_each_folder, NULL, tree_potentials,
                                    tree_notes, tree_close};

mdx_status mdx_source_open_tree(mdx_source *s, int prefer_bin,
                                mdx_error *err)
{
    mdx_tree *t = malloc(sizeof *t);
    if (!t)
        return mdx_error_set(err, MDX_ERR_NOMEM, s->path, 0, "out of memory");
    mdx_status rc = mdx_scan(s->path, prefer_bin, t, err);
    if (rc) {
        free(t);
        return rc;
    }
    s->ops = &tree_ops;
    s->impl = t;
    return MDX_OK;
}
