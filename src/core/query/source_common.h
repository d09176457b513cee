/* Helpers the source backends (source_db.c, source_tree.c) and the
 * dispatcher (source.c) share; they call back into none of them. */
#ifndef MDX_SOURCE_COMMON_H
#define MDX_SOURCE_COMMON_H

#include "mdexafs/chi.h"
#include "mdexafs/source.h"

/* Is the path selected? 1 yes, 0 no, -1 a callback failed. When par is
 * not NULL a selected path's parameters are written there. */
int mdx_source_accept(const mdx_selection *sel, const mdx_path_meta *m,
                  mdx_chi_params *par);

/* The same for a path known to pass the fixed criteria: only the keep
 * and params callbacks. */
int mdx_source_keep(const mdx_selection *sel, const mdx_path_meta *m,
                mdx_chi_params *par);

/* The error for a path that is not there. */
mdx_status mdx_source_no_path(const char *source, long frame, long atom, int num,
                          mdx_error *err);

/* The error for a query a callback stopped. */
mdx_status mdx_source_stopped(mdx_error *err);

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
void mdx_folder_sums_reset(folder_sums *fs, long frame, long atom,
                       const char *dir);

/* Add one path's chi to its group (type, borrowed; NULL: the one group).
 * Returns 0 when out of memory. */
int mdx_folder_sums_add(folder_sums *fs, const char *type, const double *chi);

/* Hand each group to fn; returns fn's stop value. */
int mdx_folder_sums_emit(const folder_sums *fs,
                     int (*fn)(void *ctx, const mdx_folder_chi *f), void *ctx);

void mdx_folder_sums_free(folder_sums *fs);

#endif
