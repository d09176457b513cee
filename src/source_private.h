/* What the source implementations share: the dispatch table and the
 * summing of one folder's selected paths. */
#ifndef MDX_SOURCE_PRIVATE_H
#define MDX_SOURCE_PRIVATE_H

#include "mdexafs/chi.h"
#include "mdexafs/source.h"

typedef struct source_ops {
    const char *kind;
    mdx_status (*each_path)(mdx_source *s, const mdx_selection *sel,
                            int (*fn)(void *ctx, const mdx_path_meta *m),
                            void *ctx, mdx_error *err);
    mdx_status (*sum)(mdx_source *s, const mdx_selection *sel,
                      enum mdx_grouping grouping,
                      int (*fn)(void *ctx, const mdx_folder_chi *f),
                      void *ctx, mdx_error *err);
    mdx_status (*each_chidat)(mdx_source *s, const mdx_selection *sel,
                              int (*fn)(void *ctx, const mdx_folder_chidat *f),
                              void *ctx, mdx_error *err);
    mdx_status (*get_path)(mdx_source *s, long frame, long atom, int num,
                           mdx_path *path, mdx_error *err);
    /* Call fn for each folder whose frame and atom the selection allows,
     * in (frame, atom) order, with its absorber; fn returns non-zero to
     * stop. */
    mdx_status (*each_folder)(mdx_source *s, const mdx_selection *sel,
                              int (*fn)(void *ctx, const mdx_folder_meta *f),
                              void *ctx, mdx_error *err);
    /* Count the failed folders the selection admits into s->left_out,
     * or refuse them unless s->skip_failed; NULL when there are none. */
    mdx_status (*failed)(mdx_source *s, const mdx_selection *sel,
                         mdx_error *err);
    /* The scan's notes (NULL for none). */
    size_t (*notes)(const mdx_source *s, const char *const **notes);
    void (*close)(mdx_source *s);
} source_ops;

struct mdx_source {
    const source_ops *ops;
    char *path;
    void *impl;
    int skip_failed;
    size_t left_out;   /* failed folders the last query left out */
};

mdx_status source_open_db(mdx_source *s, mdx_error *err);
mdx_status source_open_tree(mdx_source *s, mdx_error *err);

/* Is the path selected? 1 yes, 0 no, -1 a callback failed. When par is
 * not NULL a selected path's parameters are written there. */
int source_accept(const mdx_selection *sel, const mdx_path_meta *m,
                  mdx_chi_params *par);

/* The same for a path known to pass the fixed criteria: only the keep
 * and params callbacks. */
int source_keep(const mdx_selection *sel, const mdx_path_meta *m,
                mdx_chi_params *par);

/* The error for a path that is not there. */
mdx_status source_no_path(mdx_source *s, long frame, long atom, int num,
                          mdx_error *err);

/* The error for a query a callback stopped. */
mdx_status source_stopped(mdx_error *err);

/* The sums of one folder's selected paths: one group for all, or one per
 * path type in order of first appearance. */
typedef struct folder_sums {
    long frame, atom;
    const char *dir;
    size_t ngroups, cap;
    const char **group;   /* borrowed type names; NULL when not grouped */
    size_t *count;
    double *sum;          /* ngroups * MDX_NK */
} folder_sums;

/* Empty fs for a new folder, keeping its memory. */
void folder_sums_reset(folder_sums *fs, long frame, long atom,
                       const char *dir);

/* Add one path's chi to its group (type, borrowed; NULL: the one group).
 * Returns 0 when out of memory. */
int folder_sums_add(folder_sums *fs, const char *type, const double *chi);

/* Hand each group to fn; returns fn's stop value. */
int folder_sums_emit(const folder_sums *fs,
                     int (*fn)(void *ctx, const mdx_folder_chi *f), void *ctx);

void folder_sums_free(folder_sums *fs);

#endif
