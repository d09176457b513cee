/* mdexafs sources: where chi(k) comes from — a database, or a FEFF tree
 * computed on the fly — behind one interface with the same numbers. */
#ifndef MDEXAFS_SOURCE_H
#define MDEXAFS_SOURCE_H

#include <stddef.h>
#include <stdint.h>
#include "mdexafs/build.h"
#include "mdexafs/error.h"
#include "mdexafs/feff.h"
#include "mdexafs/chi.h"
#include "mdexafs/api.h"

MDX_BEGIN_DECLS

/* ---- selections: which paths a question is about. */
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

/* ---- sources: where chi(k) comes from — a database, or a FEFF tree
 * computed on the fly — behind one interface with the same numbers. */
typedef struct mdx_source mdx_source;

/* Open `path`: a folder is read as a FEFF tree (scanned now, computed as
 * asked), a file as a database (read only). */
MDX_API mdx_status mdx_source_open(const char *path, mdx_source **out, mdx_error *err);

/* The same, with the folders of a tree that have both path files and a
 * feff.bin read as `prefer` says (MDX_PREFER_RECORDED: the path files).
 * A database is read as it was built; a prefer other than
 * MDX_PREFER_RECORDED that disagrees with its build is refused
 * (MDX_ERR_ARG). */
MDX_API mdx_status mdx_source_open_as(const char *path, enum mdx_prefer prefer,
                                      mdx_source **out, mdx_error *err);
/* Close s. From a callback of one of its own queries the source lives
 * until the last of them ends (they finish; s is freed then): a caller
 * must not use s after closing it either way. */
MDX_API void mdx_source_close(mdx_source *s);

/* What a program asks for its chi(k): a database, a tree, or both. Zeroed
 * but for db and tree, it reads folders with both files as a database
 * records, compares folder by folder and stops on failed folders. */
typedef struct mdx_source_request {
    const char *db;          /* NULL: compute from tree */
    const char *tree;        /* NULL: the tree db was built from */
    int build;               /* build or update db when it is not fresh */
    enum mdx_prefer prefer;  /* folders with both (MDX_PREFER_RECORDED) */
    enum mdx_verify verify;  /* how db is compared with its tree */
    int skip_failed;         /* the source leaves folders that failed to
                                build out of queries (mdx_source_skip_failed) */
} mdx_source_request;

/* Set the option `key` of r from the text a user gave: "prefer"
 * ("feff.bin", "feffNNNN.dat"), "verify" ("folders", "files") or "failed"
 * ("stop", "skip"). MDX_ERR_ARG naming the option and what it takes. */
MDX_API mdx_status mdx_source_request_option(mdx_source_request *r,
                                             const char *key,
                                             const char *value,
                                             mdx_error *err);

/* Where mdx_source_choose takes chi(k) from. */
enum mdx_source_choice {
    MDX_CHOOSE_TREE,       /* no database asked for: the files of tree */
    MDX_CHOOSE_DB,         /* the database, fresh */
    MDX_CHOOSE_UNCHECKED,  /* the database as built: its tree is gone */
    MDX_CHOOSE_BUILD,      /* build or update the database, then open it */
    MDX_CHOOSE_FILES       /* the files of tree: the database is not fresh */
};

typedef struct mdx_source_plan {
    enum mdx_source_choice choice;
    mdx_freshness fresh;   /* db against its tree: state, why (detail), the
                              tree to build or compute from ("" if none) */
    enum mdx_prefer prefer;  /* to open the tree or build the db with */
    int rebuild;           /* MDX_CHOOSE_BUILD: start afresh (damaged) */
} mdx_source_plan;

/* The one policy for a program that asks for a source: with no database,
 * the tree; a database fresh with its tree is opened; one whose tree is
 * gone altogether is used as it was built (a database travels without its
 * tree); one that is missing, stale or damaged (or built reading the other
 * files of folders with both) is built or updated when r->build asks and
 * there is a tree, else the tree is computed from. The source chosen is
 * opened into *out, except for MDX_CHOOSE_BUILD (*out NULL: the caller
 * builds, with its own progress, then opens the database). An error when
 * neither can be had: no db nor tree (MDX_ERR_ARG), a data file as db
 * (MDX_ERR_ARG), a database not fresh without a tree to compute from. */
MDX_API mdx_status mdx_source_choose(const mdx_source_request *r,
                                     mdx_source_plan *plan, mdx_source **out,
                                     mdx_error *err);

/* What to tell a user of plan p for database db, in one line (cut at
 * size): "using the database chi.db", "chi.db is stale (2 folders
 * changed): computing from the files in feff", ... */
MDX_API void mdx_source_plan_note(const mdx_source_plan *p, const char *db,
                                  char *buf, size_t size);

/* "fresh", "stale", "missing", "damaged", "unknown"; "tree", "database",
 * "unchecked", "build", "files"; "feff.bin", "feffNNNN.dat" (NULL for
 * MDX_PREFER_RECORDED). */
MDX_API const char *mdx_freshness_state_name(enum mdx_freshness_state s);
MDX_API const char *mdx_source_choice_name(enum mdx_source_choice c);
MDX_API const char *mdx_prefer_name(enum mdx_prefer p);

/* Can `path` be a source: is it not a data file given in its place (a
 * chi(k) file where the database belongs)? MDX_ERR_ARG saying what it is
 * ("a data file (2 columns: k chi), not a database or a FEFF tree"), else
 * MDX_OK: a folder, a database, a damaged one, or no file at all. */
MDX_API mdx_status mdx_source_check(const char *path, mdx_error *err);

/* What queries do with folders a database recorded as failed to build
 * that their frames and atoms admit: stop with an error that names them
 * (the default), or, with skip, leave them out; mdx_source_left_out then
 * gives how many the last query left out. A tree's bad files always stop
 * the query. */
MDX_API void mdx_source_skip_failed(mdx_source *s, int skip);
MDX_API size_t mdx_source_left_out(const mdx_source *s);

/* What the scan of a tree passed over (feff*.dat names that are not
 * feffNNNN.dat, links to folders above): n notes into *notes; none for a
 * database. */
MDX_API size_t mdx_source_notes(const mdx_source *s, const char *const **notes);

/* "database" or "tree", and the path given to mdx_source_open. */
MDX_API const char *mdx_source_kind(const mdx_source *s);
MDX_API const char *mdx_source_path(const mdx_source *s);

/* Call fn with the metadata of each selected path, in (frame, atom, num)
 * order; fn returns non-zero to stop. */
MDX_API mdx_status mdx_source_each_path(mdx_source *s, const mdx_selection *sel,
                                        int (*fn)(void *ctx, const mdx_path_meta *m),
                                        void *ctx, mdx_error *err);

/* The selected paths of one folder, summed. */
typedef struct mdx_folder_chi {
    long frame, atom;
    const char *dir;
    const char *group;   /* the path type when grouped by type, else NULL */
    size_t npaths;       /* paths in the sum */
    const double *chi;   /* MDX_NK values on the standard k grid */
} mdx_folder_chi;

enum mdx_grouping { MDX_GROUP_NONE, MDX_GROUP_TYPE };

/* Sum the selected paths' chi(k) within each folder (per path type with
 * MDX_GROUP_TYPE) and call fn for each folder the selection admits
 * (mdx_selection_admits), in (frame, atom) order, streaming: memory stays
 * bounded whatever the size. A folder without selected paths comes once,
 * with npaths = 0, group NULL and zero chi: it counts in an average's
 * denominator. fn returns non-zero to stop. Selection callbacks run on the
 * calling thread; decoding and computing on all threads.
 * A type or element rule that no path has (a typo: "U-0") is not an error
 * here, it selects nothing: a caller that averages must refuse an average
 * whose nwith is 0, as the CLI and the Lua module do. */
MDX_API mdx_status mdx_source_sum(mdx_source *s, const mdx_selection *sel,
                                  enum mdx_grouping grouping,
                                  int (*fn)(void *ctx, const mdx_folder_chi *f),
                                  void *ctx, mdx_error *err);

/* Call fn for each folder whose frame and atom sel allows, in (frame,
 * atom) order, with the folder (relative to the tree) whose potentials
 * its FEFF run used, or NULL for its own (mdexafs feff
 * --potentials=once notes which). */
MDX_API mdx_status mdx_source_potentials(mdx_source *s, const mdx_selection *sel,
                                         void (*fn)(void *ctx, const char *ref), void *ctx,
                                         mdx_error *err);

/* All the FEFF data of path `num` (of feffNNNN.dat, or FEFF's path
 * number in a feff.bin) in folder (frame, atom), into *path; free it with mdx_path_free. MDX_ERR_ARG when there is
 * no such path. */
MDX_API mdx_status mdx_source_get_path(mdx_source *s, long frame, long atom, int num,
                                       mdx_path *path, mdx_error *err);

/* FEFF's own chi.dat of each folder the selection's frames and atoms
 * allow (path criteria do not apply): n points of k and chi. */
typedef struct mdx_folder_chidat {
    long frame, atom;
    const char *dir;
    size_t n;
    const double *k, *chi;
} mdx_folder_chidat;

MDX_API mdx_status mdx_source_each_chidat(mdx_source *s, const mdx_selection *sel,
                                          int (*fn)(void *ctx,
                                          const mdx_folder_chidat *f),
                                          void *ctx, mdx_error *err);

MDX_END_DECLS

#endif
