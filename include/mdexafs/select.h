/* mdexafs selections: which paths a question is about. */
#ifndef MDEXAFS_SELECT_H
#define MDEXAFS_SELECT_H

#include <stddef.h>
#include <stdint.h>

#include "mdexafs/chi.h"
#include "mdexafs/api.h"

MDX_BEGIN_DECLS

/* What a selection can look at: a path's metadata, never its numbers. */
typedef struct mdx_path_meta {
    long frame, atom;
    int num;                 /* N of feffNNNN.dat */
    int nleg;
    double deg, reff;
    const char *type;        /* FEFF labels joined by '-': "U-O-O" */
    const char *elements;    /* element symbols joined by '-' */
    const char *absorber;    /* absorbing element: "U" */
    const char *dir;         /* folder, relative to the tree */
} mdx_path_meta;

/* What a selection can look at of a (frame, absorbing atom) folder. */
typedef struct mdx_folder_meta {
    long frame, atom;
    const char *absorber;    /* absorbing element: "U" */
    const char *dir;         /* folder, relative to the tree */
} mdx_folder_meta;

/* A path type and, optionally, the largest reff to take of it. */
typedef struct mdx_type_rule {
    const char *name;
    double reff_max;         /* INFINITY: no limit */
} mdx_type_rule;

/* All criteria must hold. Frame ranges are inclusive at both ends. */
typedef struct mdx_selection {
    size_t ntypes;                 /* 0: any type */
    const mdx_type_rule *types;    /* matched against mdx_path_meta.type */
    size_t nelements;              /* 0: any */
    const mdx_type_rule *elements; /* matched against .elements */
    double reff_min, reff_max;     /* inclusive; -INFINITY, INFINITY: open */
    int nleg_min, nleg_max;        /* inclusive */
    long frame_min, frame_max;     /* inclusive */
    size_t natoms;                 /* 0: any atom */
    const long *atoms;
    const char *absorber;          /* NULL: any absorbing element */
    /* A last word on each path that passed the rest: 1 keep, 0 drop, -1
     * stop the whole query with an error (for callbacks that can fail,
     * such as a Lua predicate). NULL keeps all. */
    int (*keep)(void *ctx, const mdx_path_meta *m);
    void *keep_ctx;
    /* The path parameters of each kept path: *par arrives as xraylarch's
     * defaults; 0 ok, -1 stop the query with an error. Called on the
     * calling thread. NULL takes the defaults for every path (a database
     * then answers from its stored chi(k)). */
    int (*params)(void *ctx, const mdx_path_meta *m, mdx_chi_params *par);
    void *params_ctx;
    /* A last word on each folder that passed frames, atoms and absorber:
     * 1 keep, 0 drop, -1 stop with an error; called on the calling
     * thread. NULL keeps all. */
    int (*folder_keep)(void *ctx, const mdx_folder_meta *f);
    void *folder_keep_ctx;
} mdx_selection;

/* A selection of everything. */
MDX_API void mdx_selection_init(mdx_selection *s);

/* Can folder (frame, atom) hold selected paths? */
MDX_API int mdx_selection_has_folder(const mdx_selection *s, long frame, long atom);

/* Does folder f pass frames, atoms, absorber and folder_keep? 1 yes, 0
 * no, -1 folder_keep failed. The folders a selection admits are the
 * denominator of its average: a folder without a selected path counts as
 * zero. */
MDX_API int mdx_selection_admits(const mdx_selection *s, const mdx_folder_meta *f);

/* Does m pass every criterion except keep? */
MDX_API int mdx_selection_matches(const mdx_selection *s, const mdx_path_meta *m);

MDX_END_DECLS

#endif
