/* One folder of a build: read its files, hash them, parse every path,
 * compute chi(k) and encode the blobs. Runs on many threads at once. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "feff/feff_private.h"
#include "feff/feffbin_private.h"
#include "build_private.h"
#include "util/grow.h"
#include "util/file.h"

mdx_status mdx_folder_worker_init(folder_worker *w, int tables_only,
                              mdx_error *err)
{
    memset(w, 0, sizeof *w);
    w->tables_only = tables_only;
    mdx_kgrid(w->k);
    if (!(w->codec = mdx_codec_new(0)))
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    return MDX_OK;
}

static void result_free(folder_result *r)
{
    for (size_t i = 0; i < r->paths_cap; i++) {
        mdx_buf_free(&r->rec.paths[i].chi);
        mdx_buf_free(&r->rec.paths[i].feff);
    }
    free(r->rec.paths);
    mdx_buf_free(&r->rec.chidat);
    mdx_buf_free(&r->rec.table);
    free(r->problems);
    free(r->nums);
}

void mdx_folder_worker_free(folder_worker *w)
{
    result_free(&w->result);
    mdx_codec_free(w->codec);
    mdx_chi_work_free(&w->work);
    free(w->texts);
    free(w->lens);
    memset(w, 0, sizeof *w);
}

/* Make room in r for n paths, with their buffers. */
static mdx_status reserve_paths(folder_result *r, size_t n, mdx_error *err)
{
    if (n > r->paths_cap) {
        mdx_stored_path *p = realloc(r->rec.paths, n * sizeof *p);
        if (!p)
            return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
        memset(p + r->paths_cap, 0, (n - r->paths_cap) * sizeof *p);
        r->rec.paths = p;
        r->paths_cap = n;
    }
    return MDX_OK;
}

/* Empty r for the next folder, keeping its buffers; make room for n
 * paths. */
static mdx_status result_reset(folder_result *r, size_t n, mdx_error *err)
{
    if (reserve_paths(r, n, err))
        return MDX_ERR_NOMEM;
    mdx_stored_path *paths = r->rec.paths;
    mdx_buf chidat = r->rec.chidat, table = r->rec.table;
    memset(&r->rec, 0, sizeof r->rec);
    r->rec.paths = paths;
    r->rec.chidat = chidat;
    r->rec.chidat.len = 0;
    r->rec.table = table;
    r->rec.table.len = 0;
    r->unchanged = 0;
    r->error[0] = '\0';
    r->nproblems = 0;
    r->bad_files = 0;
    r->bad_extras = 0;
    r->nnums = 0;
    return MDX_OK;
}

static void add_problem(folder_result *r, const mdx_error *e)
{
    mdx_error *p = mdx_grow(r->problems, &r->problems_cap, r->nproblems + 1,
                            sizeof *p, 8);
    if (!p)
        return;  /* out of memory: the folder still fails, unreported */
    r->problems = p;
    r->problems[r->nproblems++] = *e;
}

static void free_texts(folder_worker *w, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(w->texts[i]);
        w->texts[i] = NULL;
    }
}

/* Is this one of the files a folder's paths do not come from? */
static int is_extra(const char *name)
{
    return !strcmp(name, "chi.dat") || !strcmp(name, "feff.inp") ||
           !strcmp(name, MDX_POT_NOTE) || !strcmp(name, MDX_POT_CHECK);
}

/* Read every file of the folder and hash names and contents. */
static mdx_status read_all(folder_worker *w, const mdx_tree *t,
                           const mdx_folder *f, folder_result *r,
                           uint64_t *hash, mdx_error *err)
{
    if (w->cap < f->nfiles) {
        char **nt = realloc(w->texts, f->nfiles * sizeof *nt);
        if (nt)
            w->texts = nt;
        size_t *nl = nt ? realloc(w->lens, f->nfiles * sizeof *nl) : NULL;
        if (!nl)
            return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
        w->lens = nl;
        w->cap = f->nfiles;
    }
    XXH3_state_t *h = XXH3_createState();
    if (!h)
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    XXH3_64bits_reset(h);
    for (size_t i = 0; i < f->nfiles; i++) {
        char name[PATH_MAX];
        mdx_error e;
        mdx_folder_file(t, f, i, name, sizeof name);
        w->texts[i] = NULL;
        w->lens[i] = 0;
        if (mdx_read_file(name, &w->texts[i], &w->lens[i], &e) != MDX_OK) {
            add_problem(r, &e);
            if (!is_extra(f->files[i].name))  /* one the paths come from */
                r->bad_files++;
        }
        XXH3_64bits_update(h, f->files[i].name, strlen(f->files[i].name) + 1);
        XXH3_64bits_update(h, &w->lens[i], sizeof w->lens[i]);
        if (w->texts[i])
            XXH3_64bits_update(h, w->texts[i], w->lens[i]);
    }
    *hash = XXH3_64bits_digest(h);
    XXH3_freeState(h);
    return MDX_OK;
}

/* Fill the stored form of parsed path p (path number num, read from
 * `name`): its chi(k), with the FEFF blob's columns that equal those of
 * `shared` stored as references. Problems go to r. */
static mdx_status store_path(folder_worker *w, const mdx_path *p, int num,
                             const char *name, const mdx_path *shared,
                             folder_result *r, mdx_error *err)
{
    mdx_error e;
    mdx_stored_path *sp = &r->rec.paths[r->rec.npaths];
    mdx_chi_params par = mdx_chi_defaults();
    double chi[MDX_NK];

    if (!r->rec.element[0])
        snprintf(r->rec.element, sizeof r->rec.element, "%s",
                 mdx_element_symbol(p->abs_iz));
    sp->num = num;
    sp->nleg = p->nleg;
    sp->deg = p->deg;
    sp->reff = p->reff;
    mdx_path_type(p, sp->type, sizeof sp->type);
    mdx_path_elements(p, sp->elements, sizeof sp->elements);

    sp->chi.len = 0;
    mdx_status st;
    if (w->tables_only)  /* no chi to store, but the table must do for one */
        st = mdx_chi_covers(p, MDX_NK, w->k, &e) ? MDX_ERR_FORMAT
                                                 : MDX_ERR_RANGE;
    else
        st = mdx_chi(p, &par, MDX_NK, w->k, chi, &w->work, &e);
    if (st == MDX_OK) {
        st = mdx_encode_doubles(w->codec, chi, MDX_NK, &sp->chi, err);
    } else if (st == MDX_ERR_RANGE) {  /* reff < 0.05 Å, or tables only */
        st = MDX_OK;
    } else if (st != MDX_ERR_NOMEM) {  /* a table no chi can come from */
        snprintf(e.file, sizeof e.file, "%.*s", (int)sizeof e.file - 1, name);
        add_problem(r, &e);
        r->bad_files++;
        return MDX_OK;
    } else {
        mdx_error_copy(err, &e);
    }
    if (st == MDX_OK)
        st = mdx_encode_path(w->codec, p, shared, &sp->feff, err);
    if (st == MDX_OK)
        r->rec.npaths++;
    return st;
}

/* Parse path file i and store it; problems go to r. */
static mdx_status build_path(folder_worker *w, const mdx_tree *t,
                             const mdx_folder *f, size_t i, folder_result *r,
                             mdx_error *err)
{
    char name[PATH_MAX];
    mdx_path p;
    mdx_error e;
    mdx_folder_file(t, f, i, name, sizeof name);
    if (mdx_feff_parse(w->texts[i], w->lens[i], name, &p, &e) != MDX_OK) {
        add_problem(r, &e);
        r->bad_files++;
        return MDX_OK;
    }
    int num = (int)mdx_path_file_number(f->files[i].name);
    mdx_path_number *nums = mdx_grow(r->nums, &r->nums_cap, r->nnums + 1,
                                     sizeof *nums, 512);
    mdx_status st = nums ? MDX_OK : mdx_error_set(err, MDX_ERR_NOMEM, NULL,
                                                  0, "out of memory");
    if (nums) {
        r->nums = nums;
        r->nums[r->nnums++] = (mdx_path_number){num, p.index};
        st = store_path(w, &p, num, name, NULL, r, err);
    }
    mdx_path_free(&p);
    return st;
}

/* The text of file `name` of folder f as read, or NULL when it has none. */
static const mdx_text *folder_text(folder_worker *w, const mdx_tree *t,
                                   const mdx_folder *f, const char *name,
                                   mdx_text *out, char *buf, size_t size)
{
    long i = mdx_folder_find(f, name);
    if (i < 0 || !w->texts[i])
        return NULL;
    mdx_folder_file(t, f, (size_t)i, buf, size);
    *out = (mdx_text){buf, w->texts[i], w->lens[i]};
    return out;
}

/* Parse the folder's feff.bin (with its xsect.bin, list.dat and paths.dat) and store
 * every path; the columns all paths share go once into the folder's
 * table. A feff.bin that cannot be read fails the folder. */
static mdx_status build_bin(folder_worker *w, const mdx_tree *t,
                            const mdx_folder *f, folder_result *r,
                            mdx_error *err)
{
    static const char *const beside[] = {"xsect.bin", "list.dat",
                                         "paths.dat"};
    char names[4][PATH_MAX];
    mdx_text texts[4];
    const mdx_text *got[3];
    long bin = mdx_folder_bin(f);
    mdx_feffbin fb;
    mdx_error e;
    const mdx_text *bin_text = folder_text(w, t, f, f->files[bin].name,
                                           &texts[3], names[3], PATH_MAX);
    if (!bin_text)  /* unreadable: read_all said why */
        return MDX_OK;
    for (int i = 0; i < 3; i++) {
        got[i] = folder_text(w, t, f, beside[i], &texts[i], names[i],
                             PATH_MAX);
        if (!got[i] && mdx_folder_find(f, beside[i]) >= 0)
            return MDX_OK;  /* there but unreadable: read_all said why */
    }
    mdx_feffbin_beside b = {got[0], got[1], got[2]};
    mdx_status st = mdx_feffbin_from_texts(bin_text, &b, &fb, &e);
    if (st == MDX_ERR_NOMEM)
        return mdx_error_copy(err, &e);
    if (st) {
        add_problem(r, &e);
        r->bad_files++;
        return MDX_OK;
    }
    r->rec.kind = strcmp(f->files[bin].name, "feff.pad") ? "feff.bin"
                                                         : "feff.pad";
    st = reserve_paths(r, fb.npaths, err);
    if (st == MDX_OK)
        st = mdx_encode_path(w->codec, &fb.paths[0], NULL, &r->rec.table,
                             err);
    for (size_t i = 0; st == MDX_OK && i < fb.npaths; i++) {
        char name[PATH_MAX + 32];
        snprintf(name, sizeof name, "%s, path %d", bin_text->name,
                 fb.paths[i].index);
        st = store_path(w, &fb.paths[i], fb.paths[i].index, name,
                        &fb.paths[0], r, err);
    }
    mdx_feffbin_free(&fb);
    return st;
}

/* feff.inp and chi.dat, when present; their problems do not fail the
 * folder (its paths are fine) but are counted: the build exits 1. */
static mdx_status build_extras(folder_worker *w, const mdx_tree *t,
                               const mdx_folder *f, folder_result *r,
                               mdx_error *err)
{
    for (size_t i = f->npaths; i < f->nfiles; i++) {
        char name[PATH_MAX];
        mdx_error e;
        if (!w->texts[i] || !is_extra(f->files[i].name))
            continue;
        mdx_folder_file(t, f, i, name, sizeof name);
        if (!strcmp(f->files[i].name, "feff.inp")) {
            if (mdx_feffinp_absorber(w->texts[i], name, r->rec.position, &e)) {
                add_problem(r, &e);
                r->bad_extras++;
            } else
                r->rec.has_position = 1;
        } else if (!strcmp(f->files[i].name, MDX_POT_NOTE)) {
            if (mdx_potentials_note_parse(w->texts[i], name, f->dir, r->potentials,
                                          sizeof r->potentials, NULL, &e)) {
                add_problem(r, &e);
                r->bad_extras++;
            } else
                r->rec.potentials = r->potentials;
        } else if (!strcmp(f->files[i].name, MDX_POT_CHECK)) {
            continue;   /* read with the others, below */
        } else {
            double *kchi;
            size_t n;
            if (mdx_chidat_parse(w->texts[i], name, &kchi, &n, &e)) {
                add_problem(r, &e);
                r->bad_extras++;
                continue;
            }
            mdx_status st = mdx_encode_doubles(w->codec, kchi, 2 * n,
                                               &r->rec.chidat, err);
            free(kchi);
            if (st)
                return st;
        }
    }
    return MDX_OK;
}

/* The text of f's file `name` that read_all read, or NULL. */
static const char *text_of(const folder_worker *w, const mdx_folder *f, const char *name)
{
    for (size_t i = f->npaths; i < f->nfiles; i++)
        if (!strcmp(f->files[i].name, name))
            return w->texts[i];
    return NULL;
}

/* A folder that ran on another folder's potentials and also in full
 * (mdexafs feff --check): what sharing cost it, its chi.dat against the
 * full run's, when that run was of its feff.inp as it is (else left
 * out: the check is of another run). */
static void build_check(const folder_worker *w, const mdx_tree *t, const mdx_folder *f,
                        folder_result *r)
{
    const char *inp = text_of(w, f, "feff.inp"), *chi = text_of(w, f, "chi.dat");
    const char *full = text_of(w, f, MDX_POT_CHECK);
    char hash[17], name[PATH_MAX];
    if (!r->rec.potentials || !inp || !chi || !full)
        return;
    mdx_feffinp_hash(inp, strlen(inp), hash);
    size_t head = strlen(MDX_POT_CHECK_HEAD);
    if (strncmp(full, MDX_POT_CHECK_HEAD, head) || strncmp(full + head, hash, 16))
        return;
    double *a = NULL, *b = NULL;
    size_t na, nb;
    mdx_error e;
    for (size_t i = f->npaths; i < f->nfiles; i++)
        if (!strcmp(f->files[i].name, MDX_POT_CHECK))
            mdx_folder_file(t, f, i, name, sizeof name);
    if (mdx_chidat_parse(chi, "chi.dat", &a, &na, &e) == MDX_OK &&
        mdx_chidat_parse(full, name, &b, &nb, &e) == MDX_OK &&
        mdx_chi_match_e0(a, na, b, nb, MDX_POT_CHECK_KMIN, MDX_POT_CHECK_KMAX, &r->rec.check,
                         &e) == MDX_OK)
        r->rec.checked = 1;
    else {
        if (!e.file[0])   /* the comparison's own error: of the check */
            snprintf(e.file, sizeof e.file, "%.*s", (int)sizeof e.file - 1, name);
        add_problem(r, &e);
        r->bad_extras++;
    }
    free(a);
    free(b);
}

mdx_status mdx_build_folder(folder_worker *w, const mdx_tree *t,
                        const folder_job *job, mdx_error *err)
{
    mdx_folder *f = job->folder;
    folder_result *r = &w->result;
    mdx_error e;
    if (job->twin)
        mdx_error_set(&e, MDX_ERR_FORMAT, NULL, 0, "frame %ld atom %ld is in "
                      "two folders, %s and %s: which one is meant?", f->frame,
                      f->atom, f->dir, job->twin);
    else if (job->failure)  /* the folder is named with it */
        mdx_error_set(&e, MDX_ERR_FORMAT, NULL, 0, "%s", job->failure);
    if (job->twin || job->failure ||
        mdx_folder_load(t, f, &e)) {  /* or gone since the scan */
        mdx_status st = result_reset(r, 0, err);
        r->rec.dir = f->dir;
        r->rec.frame = f->frame;
        r->rec.atom = f->atom;
        r->rec.stamp = f->stamp;
        r->rec.quick = 0;  /* nothing to vouch for: a build tries it again */
        mdx_error_format(&e, r->error, sizeof r->error);
        r->rec.error = r->error;
        if (!job->failure)  /* its caller has said it */
            add_problem(r, &e);
        return st;
    }
    mdx_status st = result_reset(r, f->npaths, err);
    if (st == MDX_OK)
        st = read_all(w, t, f, r, &r->rec.hash, err);
    if (st) {
        mdx_folder_unload(f);
        return st;
    }
    r->rec.dir = f->dir;
    r->rec.frame = f->frame;
    r->rec.atom = f->atom;
    r->rec.nfiles = f->nfiles;
    r->rec.stamp = f->stamp;
    r->rec.quick = f->quick;
    r->rec.witnesses = f->witnesses;   /* the tree outlives the result */
    if (job->recorded && r->rec.hash == job->old_hash && r->nproblems == 0) {
        r->unchanged = 1;
        free_texts(w, f->nfiles);
        mdx_folder_unload(f);
        return MDX_OK;
    }

    if (f->from_bin)
        st = build_bin(w, t, f, r, err);
    for (size_t i = 0; st == MDX_OK && i < f->npaths; i++)
        if (w->texts[i])
            st = build_path(w, t, f, i, r, err);
    if (st == MDX_OK && mdx_path_copies(r->nums, r->nnums, f->dir, &e)) {
        add_problem(r, &e);
        r->bad_files++;
    }
    if (st == MDX_OK)
        st = build_extras(w, t, f, r, err);
    if (st == MDX_OK)
        build_check(w, t, f, r);
    free_texts(w, f->nfiles);
    size_t npaths = f->npaths;
    int from_bin = f->from_bin;
    mdx_folder_unload(f);
    if (st)
        return st;

    char first[900] = "";
    for (size_t i = 0; i < r->nproblems && !first[0]; i++)
        mdx_error_format(&r->problems[i], first, sizeof first);
    if (npaths == 0 && !from_bin) {  /* said, as a bad file's problem is */
        const char *why = mdx_folder_empty(f);
        mdx_error_set(&e, MDX_ERR_FORMAT, f->dir, 0, "%s", why);
        add_problem(r, &e);
        snprintf(r->error, sizeof r->error, "%s", why);
    } else if (r->bad_files && from_bin)
        snprintf(r->error, sizeof r->error, "%zu problem%s with its feff.bin; "
                 "%s", r->bad_files, r->bad_files == 1 ? "" : "s", first);
    else if (r->bad_files)
        snprintf(r->error, sizeof r->error, "%zu of %zu path files bad; %s",
                 r->bad_files, npaths, first);
    if (r->error[0]) {  /* a failed folder keeps no paths: no partial sums */
        r->rec.npaths = 0;
        r->rec.error = r->error;
    }
    return MDX_OK;
}
