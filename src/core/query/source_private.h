/* The source dispatcher and its backends: the table of operations each
 * backend fills, and how source.c opens them. */
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
    /* Call fn for each folder whose frame and atom the selection allows
     * with the folder whose potentials its FEFF run used (NULL: its own;
     * mdexafs feff --potentials=once); NULL when no folder can say. */
    mdx_status (*potentials)(mdx_source *s, const mdx_selection *sel,
                             void (*fn)(void *ctx, const char *ref), void *ctx,
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
    int busy;          /* queries running (a callback may start another) */
    int closing;       /* closed from a callback: freed when they end */
};

/* Fill s (its path set) as a database, or as a tree whose folders with
 * both kinds of files are read from feff.bin when prefer_bin. A database
 * built with the other preference than a given one (prefer not
 * MDX_PREFER_RECORDED) is refused. */
mdx_status mdx_source_open_db(mdx_source *s, enum mdx_prefer prefer,
                              mdx_error *err);
mdx_status mdx_source_open_tree(mdx_source *s, int prefer_bin,
                                mdx_error *err);

#endif
