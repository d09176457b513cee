/* What the source backends share: the selection test, their errors and
 * the summing of one folder's selected paths. */
#include <stdlib.h>
#include <string.h>

#include "source_common.h"

int mdx_source_accept(const mdx_selection *sel, const mdx_path_meta *m,
                  mdx_chi_params *par)
{
    return mdx_selection_matches(sel, m) ? mdx_source_keep(sel, m, par) : 0;
}

int mdx_source_keep(const mdx_selection *sel, const mdx_path_meta *m,
                mdx_chi_params *par)
{
    int keep = sel->keep ? sel->keep(sel->keep_ctx, m) : 1;
    if (keep != 1 || !par)
        return keep;
    *par = mdx_chi_defaults();
    return sel->params && sel->params(sel->params_ctx, m, par) ? -1 : 1;
}

mdx_status mdx_source_no_path(const char *source, long frame, long atom, int num,
                          mdx_error *err)
{
    return mdx_error_set(err, MDX_ERR_ARG, source, 0,
                         "no path %d in frame %ld, atom %ld", num, frame, atom);
}

mdx_status mdx_source_stopped(mdx_error *err)
{
    return mdx_error_set(err, MDX_ERR_STOPPED, NULL, 0,
                         "stopped by a function of the selection");
}

void mdx_folder_sums_reset(folder_sums *fs, long frame, long atom, const char *dir)
{
    fs->frame = frame;
    fs->atom = atom;
    fs->dir = dir;
    fs->ngroups = 0;
}

int mdx_folder_sums_add(folder_sums *fs, const char *type, const double *chi)
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

int mdx_folder_sums_emit(const folder_sums *fs,
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

void mdx_folder_sums_free(folder_sums *fs)
{
    free(fs->group);
    free(fs->count);
    free(fs->sum);
    memset(fs, 0, sizeof *fs);
}
