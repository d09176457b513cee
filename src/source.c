/* Sources: open by what the path is, dispatch, and sum a folder. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "source_private.h"

mdx_status mdx_source_open(const char *path, mdx_source **out, mdx_error *err)
{
    struct stat sb;
    mdx_source *s = calloc(1, sizeof *s);
    *out = NULL;
    if (!s || !(s->path = strdup(path))) {
        free(s);
        return mdx_error_set(err, MDX_ERR_NOMEM, path, 0, "out of memory");
    }
    int tree = stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
    mdx_status st = tree ? source_open_tree(s, err) : source_open_db(s, err);
    if (st) {
        free(s->path);
        free(s);
        return st;
    }
    *out = s;
    return MDX_OK;
}

void mdx_source_close(mdx_source *s)
{
    if (!s)
        return;
    s->ops->close(s);
    free(s->path);
    free(s);
}

const char *mdx_source_kind(const mdx_source *s) { return s->ops->kind; }
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

mdx_status mdx_source_each_path(mdx_source *s, const mdx_selection *sel,
                                int (*fn)(void *ctx, const mdx_path_meta *m),
                                void *ctx, mdx_error *err)
{
    mdx_status rc = check_failed(s, sel, err);
    return rc ? rc : s->ops->each_path(s, sel, fn, ctx, err);
}

mdx_status mdx_source_sum(mdx_source *s, const mdx_selection *sel,
                          enum mdx_grouping grouping,
                          int (*fn)(void *ctx, const mdx_folder_chi *f),
                          void *ctx, mdx_error *err)
{
    mdx_status rc = check_failed(s, sel, err);
    return rc ? rc : s->ops->sum(s, sel, grouping, fn, ctx, err);
}

mdx_status mdx_source_each_chidat(mdx_source *s, const mdx_selection *sel,
                                  int (*fn)(void *ctx,
                                            const mdx_folder_chidat *f),
                                  void *ctx, mdx_error *err)
{
    mdx_status rc = check_failed(s, sel, err);
    return rc ? rc : s->ops->each_chidat(s, sel, fn, ctx, err);
}

int source_accept(const mdx_selection *sel, const mdx_path_meta *m,
                  mdx_chi_params *par)
{
    return mdx_selection_matches(sel, m) ? source_keep(sel, m, par) : 0;
}

int source_keep(const mdx_selection *sel, const mdx_path_meta *m,
                mdx_chi_params *par)
{
    int keep = sel->keep ? sel->keep(sel->keep_ctx, m) : 1;
    if (keep != 1 || !par)
        return keep;
    *par = mdx_chi_defaults();
    return sel->params && sel->params(sel->params_ctx, m, par) ? -1 : 1;
}

mdx_status mdx_source_get_path(mdx_source *s, long frame, long atom, int num,
                               mdx_path *path, mdx_error *err)
{
    memset(path, 0, sizeof *path);
    return s->ops->get_path(s, frame, atom, num, path, err);
}

mdx_status source_no_path(mdx_source *s, long frame, long atom, int num,
                          mdx_error *err)
{
    return mdx_error_set(err, MDX_ERR_ARG, s->path, 0,
                         "no path %d in frame %ld, atom %ld", num, frame, atom);
}

mdx_status source_stopped(mdx_error *err)
{
    return mdx_error_set(err, MDX_ERR_ARG, NULL, 0,
                         "stopped by a function of the selection");
}

void folder_sums_reset(folder_sums *fs, long frame, long atom, const char *dir)
{
    fs->frame = frame;
    fs->atom = atom;
    fs->dir = dir;
    fs->ngroups = 0;
}

int folder_sums_add(folder_sums *fs, const char *type, const double *chi)
{
    size_t g = 0;
    while (g < fs->ngroups && fs->group[g] != type &&
           (!type || strcmp(fs->group[g], type) != 0))
        g++;
    if (g == fs->ngroups) {
        if (fs->ngroups == fs->cap) {
            size_t cap = fs->cap ? 2 * fs->cap : 4;
            const char **group = realloc(fs->group, cap * sizeof *group);
            if (group)
                fs->group = group;
            size_t *count = group ? realloc(fs->count, cap * sizeof *count) : NULL;
            if (count)
                fs->count = count;
            double *sum = count ? realloc(fs->sum, cap * MDX_NK * sizeof *sum) : NULL;
            if (!sum)
                return 0;
            fs->sum = sum;
            fs->cap = cap;
        }
        fs->group[g] = type;
        fs->count[g] = 0;
        memset(fs->sum + g * MDX_NK, 0, MDX_NK * sizeof *fs->sum);
        fs->ngroups++;
    }
    double *acc = fs->sum + g * MDX_NK;
    for (int j = 0; j < MDX_NK; j++)
        acc[j] += chi[j];
    fs->count[g]++;
    return 1;
}

int folder_sums_emit(const folder_sums *fs,
                     int (*fn)(void *ctx, const mdx_folder_chi *f), void *ctx)
{
    int stop = 0;
    for (size_t g = 0; g < fs->ngroups && !stop; g++) {
        mdx_folder_chi f = {fs->frame, fs->atom, fs->dir, fs->group[g],
                            fs->count[g], fs->sum + g * MDX_NK};
        stop = fn(ctx, &f);
    }
    return stop;
}

void folder_sums_free(folder_sums *fs)
{
    free(fs->group);
    free(fs->count);
    free(fs->sum);
    memset(fs, 0, sizeof *fs);
}
