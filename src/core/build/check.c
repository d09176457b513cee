/* Checking a database: SQLite's integrity, every blob, and a sample of
 * paths against their source files. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#include "mdexafs/build.h"
#include "mdexafs/chi.h"
#include "mdexafs/feff.h"
#include "scan.h"
#include "store/codec.h"
#include "feff/feff_private.h"
#include "util/grow.h"
#include "store/store.h"

typedef struct checker {
    mdx_codec *codec;
    mdx_check_report *rep;
    XXH3_state_t *digest;
    char root[PATH_MAX];
    uint64_t *pick;       /* ids to recompute, sorted */
    size_t npick;
    double k[MDX_NK];
    mdx_chi_work work;
    void (*problem)(void *ctx, const mdx_error *e);
    void *ctx;
    int tables_only;      /* the layout stores no chi(k) */
    mdx_path table;       /* the current folder's table, if it has one */
    long table_frame, table_atom;
    int table_state;      /* 0: none read yet, 1: read, -1: damaged */
    mdx_path_number *nums;  /* the current folder's path files, to find */
    size_t nnums, nums_cap; /* copies (as a build does) */
    long nums_frame, nums_atom;
    char nums_dir[PATH_MAX];
    mdx_error nomem;      /* set when the walk stopped out of memory */
} checker;

static void report(checker *c, const mdx_path_blobs *p, const mdx_error *e)
{
    mdx_error where = *e;
    if (p->kind)
        snprintf(where.file, sizeof where.file, "%s/%s, path %d", p->dir,
                 p->kind, p->num);
    else
        snprintf(where.file, sizeof where.file, "%s/feff%04d.dat", p->dir,
                 p->num);
    where.line = 0;
    if (c->problem)
        c->problem(c->ctx, &where);
}

static int is_picked(const checker *c, uint64_t id)
{
    size_t lo = 0, hi = c->npick;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c->pick[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < c->npick && c->pick[lo] == id;
}

/* Parse the source of a stored path afresh: its path file, or its
 * folder's feff.bin (kind). The file's name goes into file. */
static mdx_status parse_source(const checker *c, const mdx_path_blobs *p,
                               char *file, size_t size, mdx_path *fresh,
                               mdx_error *e)
{
    if (!p->kind) {
        snprintf(file, size, "%s/%s/feff%04d.dat", c->root, p->dir, p->num);
        return mdx_feff_parse_file(file, fresh, e);
    }
    mdx_feffbin fb;
    snprintf(file, size, "%s/%s/%s", c->root, p->dir, p->kind);
    mdx_status rc = mdx_feffbin_read(file, &fb, e);
    if (rc)
        return rc;
    size_t i = 0;
    while (i < fb.npaths && fb.paths[i].index != p->num)
        i++;
    if (i == fb.npaths) {
        mdx_feffbin_free(&fb);
        return mdx_error_set(e, MDX_ERR_FORMAT, file, 0, "no path %d in it",
                             p->num);
    }
    *fresh = fb.paths[i];
    fb.paths[i] = fb.paths[--fb.npaths];  /* taken: not freed with fb */
    mdx_feffbin_free(&fb);
    return MDX_OK;
}

/* Was the source file of path p dropped once stored (mdexafs feff
 * --drop-paths, which lists it), the database its only copy? */
static int source_dropped(const checker *c, const mdx_path_blobs *p)
{
    char folder[PATH_MAX + 64], file[PATH_MAX + 128];
    mdx_source_file sf = {.size = 0};
    mdx_dropped d;
    snprintf(folder, sizeof folder, "%s/%s", c->root, p->dir);
    if (p->kind)
        snprintf(sf.name, sizeof sf.name, "%s", p->kind);
    else
        snprintf(sf.name, sizeof sf.name, "feff%04d.dat", p->num);
    snprintf(file, sizeof file, "%s/%s", folder, sf.name);
    if (access(file, F_OK) == 0 || !mdx_dropped_read(folder, &d))
        return 0;
    int listed = mdx_dropped_lists(&d, &sf, 0);
    mdx_dropped_free(&d);
    return listed;
}

/* Compare a stored path and chi with the source file's. */
static void recompute(checker *c, const mdx_path_blobs *p,
                      const mdx_path *stored, const double *chi)
{
    char file[PATH_MAX + 64];
    mdx_path fresh;
    mdx_error e;
    mdx_chi_params par = mdx_chi_defaults();
    double again[MDX_NK];
    if (source_dropped(c, p)) {
        c->rep->dropped++;
        return;
    }
    c->rep->recomputed++;
    if (parse_source(c, p, file, sizeof file, &fresh, &e)) {
        c->rep->mismatched++;
        if (c->problem)
            c->problem(c->ctx, &e);
        return;
    }
    int same = fresh.nrows == stored->nrows;
    for (int col = 0; same && col < MDX_NCOLUMNS; col++)
        same = memcmp(fresh.col[col], stored->col[col],
                      fresh.nrows * sizeof *fresh.col[col]) == 0;
    if (chi && mdx_chi(&fresh, &par, MDX_NK, c->k, again, &c->work, &e) == 0)
        for (int i = 0; i < MDX_NK; i++) {
            double d = again[i] > chi[i] ? again[i] - chi[i] : chi[i] - again[i];
            if (d > c->rep->max_diff)
                c->rep->max_diff = d;
            same = same && d <= 1e-10;
        }
    mdx_path_free(&fresh);
    if (!same) {
        c->rep->mismatched++;
        mdx_error_set(&e, MDX_ERR_FORMAT, file, 0,
                      "stored path differs from the file (changed since the "
                      "build? build again)");
        mdx_error_advise(&e, MDX_REMEDY_BUILD);
        if (c->problem)
            c->problem(c->ctx, &e);
    }
}

/* Does the paths row say what the FEFF data say? Selections read only
 * the row, so a damaged one would select the wrong paths. */
static int metadata_agrees(const mdx_path_blobs *p, const mdx_path *path,
                           mdx_error *e)
{
    char type[MDX_TYPE_MAX], elements[MDX_TYPE_MAX];
    mdx_path_type(path, type, sizeof type);
    mdx_path_elements(path, elements, sizeof elements);
    if (p->nleg == path->nleg && p->deg == path->deg &&
        p->reff == path->reff && p->type && strcmp(p->type, type) == 0 &&
        p->elements && strcmp(p->elements, elements) == 0)
        return 1;
    mdx_error_set(e, MDX_ERR_FORMAT, NULL, 0,
                  "metadata (nleg %d, deg %g, reff %g, type %s) disagrees with "
                  "the stored FEFF data (nleg %d, deg %g, reff %g, type %s)",
                  p->nleg, p->deg, p->reff, p->type ? p->type : "NULL",
                  path->nleg, path->deg, path->reff, type);
    return 0;
}

/* The table of p's folder, decoded once per folder: NULL when it has
 * none, or when it is damaged (then e says so, once). */
static const mdx_path *folder_table(checker *c, const mdx_path_blobs *p,
                                    mdx_error *e, int *damaged)
{
    *damaged = 0;
    if (!p->table)
        return NULL;
    if (c->table_state == 0 || c->table_frame != p->frame ||
        c->table_atom != p->atom) {
        mdx_path_free(&c->table);
        c->table_frame = p->frame;
        c->table_atom = p->atom;
        c->table_state = mdx_decode_path(c->codec, p->table, p->table_size,
                                         NULL, &c->table, e) ? -1 : 1;
        *damaged = c->table_state < 0;
    }
    return c->table_state > 0 ? &c->table : NULL;
}

/* A copy among the path files of the folder last noted (a build of an
 * older mdexafs stored them): reported and counted. */
static void check_copies(checker *c)
{
    mdx_error e;
    if (mdx_path_copies(c->nums, c->nnums, c->nums_dir, &e)) {
        c->rep->copies++;
        if (c->problem)
            c->problem(c->ctx, &e);
    }
    c->nnums = 0;
}

/* Note path file p->num and the "Path N" of its FEFF data, folder by
 * folder (paths come in folder order). */
static mdx_status note_number(checker *c, const mdx_path_blobs *p,
                              const mdx_path *path, mdx_error *err)
{
    if (c->nnums && (c->nums_frame != p->frame || c->nums_atom != p->atom))
        check_copies(c);
    if (c->nnums == 0) {  /* a folder's first path */
        c->nums_frame = p->frame;
        c->nums_atom = p->atom;
        snprintf(c->nums_dir, sizeof c->nums_dir, "%s", p->dir);
    }
    mdx_path_number *nums = mdx_grow(c->nums, &c->nums_cap, c->nnums + 1,
                                     sizeof *nums, 512);
    if (!nums)
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    c->nums = nums;
    c->nums[c->nnums++] = (mdx_path_number){p->num, path->index};
    return MDX_OK;
}

static int check_path(void *ctx, const mdx_path_blobs *p)
{
    checker *c = ctx;
    mdx_path path;
    mdx_error e;
    double chi[MDX_NK];
    int has_chi = p->chi != NULL;
    c->rep->paths++;
    XXH3_64bits_update(c->digest, &p->frame, sizeof p->frame);
    XXH3_64bits_update(c->digest, &p->atom, sizeof p->atom);
    XXH3_64bits_update(c->digest, &p->num, sizeof p->num);
    if (has_chi && mdx_decode_doubles(c->codec, p->chi, p->chi_size, chi,
                                      MDX_NK, &e)) {
        c->rep->bad_blobs++;
        report(c, p, &e);
        has_chi = 0;
    } else if (has_chi) {
        XXH3_64bits_update(c->digest, chi, sizeof chi);
    }
    int damaged;
    const mdx_path *table = folder_table(c, p, &e, &damaged);
    if (damaged) {
        c->rep->bad_blobs++;
        mdx_error where = e;
        snprintf(where.file, sizeof where.file, "%s (its table)", p->dir);
        if (c->problem)
            c->problem(c->ctx, &where);
    }
    if (!p->feff || mdx_decode_path(c->codec, p->feff, p->feff_size, table,
                                    &path, &e)) {
        if (!p->feff)
            mdx_error_set(&e, MDX_ERR_FORMAT, NULL, 0, "FEFF data missing");
        c->rep->bad_blobs++;
        report(c, p, &e);
        return 0;
    }
    if (!metadata_agrees(p, &path, &e)) {
        c->rep->bad_blobs++;
        report(c, p, &e);
    }
    if (!p->chi && !c->tables_only && path.reff >= MDX_REFF_MIN) {
        mdx_error_set(&e, MDX_ERR_FORMAT, NULL, 0, "chi(k) missing");
        c->rep->bad_blobs++;
        report(c, p, &e);
    }
    if (!p->kind && note_number(c, p, &path, &c->nomem)) {
        mdx_path_free(&path);
        return 1;
    }
    for (int col = 0; col < MDX_NCOLUMNS; col++)
        XXH3_64bits_update(c->digest, path.col[col],
                           path.nrows * sizeof *path.col[col]);
    if (is_picked(c, (uint64_t)p->id))
        recompute(c, p, &path, has_chi ? chi : NULL);
    mdx_path_free(&path);
    return 0;
}

typedef struct page_walk {
    void (*problem)(void *ctx, const mdx_error *e);
    void *ctx;
    const char *db;
} page_walk;

static void damaged_page(void *ctx, long page)
{
    page_walk *w = ctx;
    mdx_error e;
    mdx_error_set(&e, MDX_ERR_FORMAT, w->db, 0, "page %ld is damaged (its "
                  "checksum does not match)", page);
    if (w->problem)
        w->problem(w->ctx, &e);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Choose n distinct path ids of 1..max (all of them when n >= max; ids
 * are dense after a fresh build, gaps just pick nothing). */
static mdx_status choose(checker *c, size_t n, int64_t max, uint64_t seed,
                         mdx_error *err)
{
    if (n == 0 || max <= 0)
        return MDX_OK;
    if ((uint64_t)n > (uint64_t)max)
        n = (size_t)max;
    int most = (uint64_t)n * 2 > (uint64_t)max;  /* take all, keep n */
    size_t len = most ? (size_t)max : n;
    if (!(c->pick = malloc(len * sizeof *c->pick)))
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    uint64_t x = seed | 1;
    size_t have = 0;
    if (most) {  /* the first n of a shuffle of all ids */
        for (size_t i = 0; i < len; i++)
            c->pick[i] = i + 1;
        for (size_t i = 0; i < n; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            size_t j = i + (size_t)(x % (uint64_t)(len - i));
            uint64_t t = c->pick[i];
            c->pick[i] = c->pick[j];
            c->pick[j] = t;
        }
        qsort(c->pick, n, sizeof *c->pick, cmp_u64);
        have = n;
    }
    while (have < n) {  /* draw, then drop repeats, until n are distinct */
        for (size_t i = have; i < n; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            c->pick[i] = 1 + x % (uint64_t)max;
        }
        qsort(c->pick, n, sizeof *c->pick, cmp_u64);
        have = 0;
        for (size_t i = 0; i < n; i++)
            if (have == 0 || c->pick[i] != c->pick[have - 1])
                c->pick[have++] = c->pick[i];
    }
    c->npick = n;
    return MDX_OK;
}

mdx_status mdx_check(const char *db, size_t recompute_n, uint64_t seed,
                     void (*problem)(void *ctx, const mdx_error *e), void *ctx,
                     mdx_check_report *rep, mdx_error *err)
{
    checker c = {0};
    mdx_store *s;
    mdx_store_summary sum;
    char layout[64];
    memset(rep, 0, sizeof *rep);
    c.rep = rep;
    c.problem = problem;
    c.ctx = ctx;
    mdx_kgrid(c.k);
    page_walk pw = {problem, ctx, db};
    mdx_error e;
    long bad = mdx_store_damaged_pages(db, damaged_page, &pw, &e);
    if (bad < 0)
        return mdx_error_copy(err, &e);
    rep->bad_pages = bad;
    mdx_status rc = mdx_store_open(db, MDX_STORE_RAW, &s, err);
    if (rc)
        return rc;
    if ((rc = mdx_store_integrity(s, err)) == MDX_OK &&
        (rc = mdx_store_get_meta(s, "root", c.root, sizeof c.root, err)) == MDX_OK &&
        (rc = mdx_store_get_meta(s, "layout", layout, sizeof layout, err)) == MDX_OK &&
        (rc = mdx_store_summary_of(s, &sum, err)) == MDX_OK &&
        (rc = choose(&c, recompute_n, sum.max_path_id, seed, err)) == MDX_OK) {
        c.tables_only = strcmp(layout, MDX_LAYOUT_TABLES) == 0;
        c.codec = mdx_codec_new(0);
        c.digest = XXH3_createState();
        if (!c.codec || !c.digest)
            rc = mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
        else {
            XXH3_64bits_reset(c.digest);
            rc = mdx_store_each_path(s, check_path, &c, err);
            if (rc == MDX_OK && c.nomem.code)
                rc = mdx_error_copy(err, &c.nomem);
            else if (rc == MDX_OK)
                check_copies(&c);
            rep->digest = XXH3_64bits_digest(c.digest);
        }
    }
    XXH3_freeState(c.digest);
    mdx_path_free(&c.table);
    mdx_codec_free(c.codec);
    mdx_chi_work_free(&c.work);
    free(c.pick);
    free(c.nums);
    mdx_store_close(s);
    return rc;
}
