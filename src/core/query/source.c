/* Sources: open by what the path is, dispatch, and sum a folder. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/grow.h"
#include "mdexafs/output.h"
#include "source_common.h"
#include "source_hold.h"
#include "source_private.h"

mdx_status mdx_source_open(const char *path, mdx_source **out, mdx_error *err)
{
    return mdx_source_open_as(path, MDX_PREFER_RECORDED, out, err);
}

mdx_status mdx_source_open_as(const char *path, enum mdx_prefer prefer,
                              mdx_source **out, mdx_error *err)
{
    struct stat sb;
    mdx_source *s = calloc(1, sizeof *s);
    *out = NULL;
    if (!s || !(s->path = strdup(path))) {
        free(s);
        return mdx_error_set(err, MDX_ERR_NOMEM, path, 0, "out of memory");
    }
    int tree = stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
    mdx_status st = tree ? mdx_source_open_tree(s, prefer == MDX_PREFER_BIN,
                                                 err)
                         : mdx_source_open_db(s, prefer, err);
    if (st) {
        free(s->path);
        free(s);
        return st;
    }
    *out = s;
    return MDX_OK;
}

mdx_status mdx_source_check(const char *path, mdx_error *err)
{
    struct stat sb;
    char data[256];
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) ||
        !mdx_columns_sniff(path, data, sizeof data))
        return MDX_OK;
    return mdx_error_set(err, MDX_ERR_ARG, path, 0, "a data file (%s), not a "
                         "database or a FEFF tree", data);
}

static void source_free(mdx_source *s)
{
    s->ops->close(s);
    free(s->path);
    free(s);
}

void mdx_source_close(mdx_source *s)
{
    if (s && s->busy)
        s->closing = 1;
    else if (s)
        source_free(s);
}

void mdx_source_hold(mdx_source *s)
{
    s->busy++;
}

mdx_status mdx_source_release(mdx_source *s, mdx_status rc)
{
    if (--s->busy == 0 && s->closing)
        source_free(s);
    return rc;
}

const char *mdx_source_kind(const mdx_source *s) { return s->ops->kind; }

size_t mdx_source_notes(const mdx_source *s, const char *const **notes)
{
    *notes = NULL;
    return s->ops->notes ? s->ops->notes(s, notes) : 0;
}
const char *mdx_source_path(const mdx_source *s) { return s->path; }

void mdx_source_skip_failed(mdx_source *s, int skip) { s->skip_failed = skip; }
size_t mdx_source_left_out(const mdx_source *s) { return s->left_out; }

/* Before every query: the failed folders it would leave out. */
static mdx_status check_failed(mdx_source *s, const mdx_selection *sel,
                               mdx_error *err)
{
    s->left_out = 0;
    return s->ops->failed ? s->ops->failed(s, sel, err) : MDX_OK;
}

/* The folders a query admits (mdx_selection_admits), in (frame, atom)
 * order, and a cursor that walks them beside the source's output. */
typedef struct admitted {
    const mdx_selection *sel;
    struct {
        long frame, atom;
        char *dir;
        int seen;      /* the source gave something of it */
    } *f;
    size_t n, cap, next;
    int keep_failed;   /* folder_keep raised */
    int stopped;       /* the callback said stop */
    int (*sum_fn)(void *ctx, const mdx_folder_chi *f);
    int (*path_fn)(void *ctx, const mdx_path_meta *m);
    int (*chidat_fn)(void *ctx, const mdx_folder_chidat *f);
    void *ctx;
    double zero[MDX_NK];
} admitted;

static int admit(void *ctx, const mdx_folder_meta *f)
{
    admitted *a = ctx;
    int ok = mdx_selection_admits(a->sel, f);
    if (ok < 0)
        return a->keep_failed = 1;
    if (!ok)
        return 0;
    void *grown = mdx_grow(a->f, &a->cap, a->n + 1, sizeof *a->f, 64);
    if (!grown)
        return a->keep_failed = -1;
    a->f = grown;
    a->f[a->n].frame = f->frame;
    a->f[a->n].atom = f->atom;
    a->f[a->n].seen = 0;
    if (!(a->f[a->n].dir = strdup(f->dir)))
        return a->keep_failed = -1;
    a->n++;
    return 0;
}

static void admitted_free(admitted *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->f[i].dir);
    free(a->f);
}

/* A selection that admits no folder, or names an atom no admitted folder
 * has, asks for something the source does not hold. */
static mdx_status check_admitted(mdx_source *s, const mdx_selection *sel,
                                 const admitted *a, mdx_error *err)
{
    for (size_t i = 0; i < sel->natoms; i++) {
        size_t j = 0;
        while (j < a->n && a->f[j].atom != sel->atoms[i])
            j++;
        if (j == a->n)
            return mdx_error_set(err, MDX_ERR_ARG, s->path, 0, "no folder of "
                                 "atom %ld in the selection's frames",
                                 sel->atoms[i]);
    }
    if (a->n == 0)
        return mdx_error_set(err, MDX_ERR_ARG, s->path, 0, "no folder is "
                             "in the selection's frames, atoms and absorber");
    return MDX_OK;
}

static mdx_status list_admitted(mdx_source *s, const mdx_selection *sel,
                                admitted *a, mdx_error *err)
{
    memset(a, 0, sizeof *a);
    a->sel = sel;
    mdx_status rc = check_failed(s, sel, err);
    if (rc == MDX_OK)
        rc = s->ops->each_folder(s, sel, admit, a, err);
    if (rc == MDX_OK && a->keep_failed)
        rc = a->keep_failed < 0 ? mdx_error_set(err, MDX_ERR_NOMEM, s->path, 0,
                                                "out of memory")
                                : mdx_source_stopped(err);
    if (rc == MDX_OK)
        rc = check_admitted(s, sel, a, err);
    if (rc)
        admitted_free(a);
    return rc;
}

static int before(long frame, long atom, long frame2, long atom2)
{
    return frame < frame2 || (frame == frame2 && atom < atom2);
}

/* Move the cursor to folder (frame, atom), handing each admitted folder
 * passed without output to the sum callback as an empty sum (with
 * emit). 1 if (frame, atom) is admitted, 0 if not, -1 the callback said
 * stop. */
static int reach(admitted *a, long frame, long atom, int emit)
{
    while (a->next < a->n &&
           before(a->f[a->next].frame, a->f[a->next].atom, frame, atom)) {
        if (emit && !a->f[a->next].seen) {
            mdx_folder_chi e = {a->f[a->next].frame, a->f[a->next].atom,
                                a->f[a->next].dir, NULL, 0, a->zero};
            if (a->sum_fn(a->ctx, &e))
                return -1;
        }
        a->next++;
    }
    if (a->next < a->n && a->f[a->next].frame == frame &&
        a->f[a->next].atom == atom) {
        a->f[a->next].seen = 1;
        return 1;
    }
    return 0;
}

static int admitted_sum(void *ctx, const mdx_folder_chi *f)
{
    admitted *a = ctx;
    int at = reach(a, f->frame, f->atom, 1);
    a->stopped = at < 0 || (at && a->sum_fn(a->ctx, f));
    return a->stopped;
}

static int admitted_path(void *ctx, const mdx_path_meta *m)
{
    admitted *a = ctx;
    return reach(a, m->frame, m->atom, 0) ? a->path_fn(a->ctx, m) : 0;
}

mdx_status mdx_source_each_path(mdx_source *s, const mdx_selection *sel,
                                int (*fn)(void *ctx, const mdx_path_meta *m),
                                void *ctx, mdx_error *err)
{
    admitted a;
    mdx_source_hold(s);
    mdx_status rc = list_admitted(s, sel, &a, err);
    if (rc)
        return mdx_source_release(s, rc);
    a.path_fn = fn;
    a.ctx = ctx;
    rc = s->ops->each_path(s, sel, admitted_path, &a, err);
    admitted_free(&a);
    return mdx_source_release(s, rc);
}

mdx_status mdx_source_sum(mdx_source *s, const mdx_selection *sel,
                          enum mdx_grouping grouping,
                          int (*fn)(void *ctx, const mdx_folder_chi *f),
                          void *ctx, mdx_error *err)
{
    admitted a;
    mdx_source_hold(s);
    mdx_status rc = list_admitted(s, sel, &a, err);
    if (rc)
        return mdx_source_release(s, rc);
    a.sum_fn = fn;
    a.ctx = ctx;
    rc = s->ops->sum(s, sel, grouping, admitted_sum, &a, err);
    if (rc == MDX_OK && !a.stopped)  /* the admitted folders after the last */
        reach(&a, LONG_MAX, LONG_MAX, 1);
    admitted_free(&a);
    return mdx_source_release(s, rc);
}

static int admitted_chidat(void *ctx, const mdx_folder_chidat *f)
{
    admitted *a = ctx;
    a->stopped = reach(a, f->frame, f->atom, 0) && a->chidat_fn(a->ctx, f);
    return a->stopped;
}

/* An admitted folder without a chi.dat would be left out of its mean. */
static mdx_status chidat_missing(mdx_source *s, const admitted *a,
                                 mdx_error *err)
{
    size_t missing = 0, first = 0;
    for (size_t i = a->n; i-- > 0;)
        if (!a->f[i].seen) {
            missing++;
            first = i;
        }
    if (missing == 0)
        return MDX_OK;
    return mdx_error_set(err, MDX_ERR_ARG, s->path, 0,
                         "%zu of %zu folders have no chi.dat that could be "
                         "read, the first %s: select the others by frames "
                         "or atoms", missing, a->n,
                         a->f[first].dir);
}

mdx_status mdx_source_each_chidat(mdx_source *s, const mdx_selection *sel,
                                  int (*fn)(void *ctx,
                                            const mdx_folder_chidat *f),
                                  void *ctx, mdx_error *err)
{
    admitted a;
    mdx_source_hold(s);
    mdx_status rc = list_admitted(s, sel, &a, err);
    if (rc)
        return mdx_source_release(s, rc);
    a.chidat_fn = fn;
    a.ctx = ctx;
    rc = s->ops->each_chidat(s, sel, admitted_chidat, &a, err);
    if (rc == MDX_OK && !a.stopped)
        rc = chidat_missing(s, &a, err);
    admitted_free(&a);
    return mdx_source_release(s, rc);
}

mdx_status mdx_source_potentials(mdx_source *s, const mdx_selection *sel,
                                 void (*fn)(void *ctx, const char *ref), void *ctx,
                                 mdx_error *err)
{
    return s->ops->potentials ? s->ops->potentials(s, sel, fn, ctx, err) : MDX_OK;
}

mdx_status mdx_source_get_path(mdx_source *s, long frame, long atom, int num,
                               mdx_path *path, mdx_error *err)
{
    memset(path, 0, sizeof *path);
    return s->ops->get_path(s, frame, atom, num, path, err);
}
