/* mdexafs sources: where chi(k) comes from — a database, or a FEFF tree
 * computed on the fly — behind one interface with the same numbers. */
#ifndef MDEXAFS_SOURCE_H
#define MDEXAFS_SOURCE_H

#include <stddef.h>
#include "mdexafs/error.h"
#include "mdexafs/feff.h"
#include "mdexafs/feffbin.h"
#include "mdexafs/select.h"
#include "mdexafs/api.h"

MDX_BEGIN_DECLS

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
MDX_API void mdx_source_close(mdx_source *s);

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
