/* mdexafs queries: a selection asked of a source the way recipes ask it.
 * On top of mdx_source_sum and mdx_source_each_path a query
 *   - owns a copy of its criteria and describes them ("U-O reff <= 3;
 *     frames 500..519"), for messages and file headers;
 *   - sets path parameters from a table: one value for every path, or a
 *     value per path type ("*" for the types not listed);
 *   - refuses what would be a plausible wrong answer: a path type or
 *     element string it names that no selected path has (a typo: "U-0"),
 *     paths of two absorbing elements, an average of nothing.
 * The Lua module and the Python package both ask through it, so that they
 * give the same numbers and the same messages. */
#ifndef MDEXAFS_QUERY_H
#define MDEXAFS_QUERY_H

#include <stddef.h>
#include "mdexafs/chi.h"
#include "mdexafs/error.h"
#include "mdexafs/source.h"
#include "mdexafs/source.h"
#include "mdexafs/api.h"

MDX_BEGIN_DECLS

/* ---- averages: the mean of folder sums, with its standard error
 * (output.h writes them). */
/* A running mean over folders of chi on a common k grid: its mean and
 * standard error, and how many folders and paths went in. */
typedef struct mdx_average mdx_average;

/* Start an average on the grid k[0..n) into *out. */
MDX_API mdx_status mdx_average_new(size_t n, const double *k, mdx_average **out,
                                   mdx_error *err);

/* Add one folder's chi (n points: fewer truncates the average, as the
 * reference does for chi.dat files of different lengths), which summed
 * npaths paths. */
MDX_API void mdx_average_add(mdx_average *a, const double *chi, size_t n,
                             size_t npaths);

/* Add one folder's chi on its own grid k[0..n) (increasing, as the
 * average's): the average keeps only the k values that every folder added
 * has (FEFF's chi.dat files start at k = 0 or at k = 0.05). Returns 1 when
 * this grid differs from the average's so far, 0 when it is the same. */
MDX_API int mdx_average_add_aligned(mdx_average *a, const double *k,
                                    const double *chi, size_t n, size_t npaths);

/* Its points (the shortest of the folders added), their k values (valid
 * until the next add), the folders added, those of them with at least one
 * path, and the paths summed. */
MDX_API size_t mdx_average_size(const mdx_average *a);
MDX_API const double *mdx_average_k(const mdx_average *a);
MDX_API size_t mdx_average_nfolders(const mdx_average *a);
MDX_API size_t mdx_average_nwith(const mdx_average *a);
MDX_API size_t mdx_average_npaths(const mdx_average *a);

/* The mean (sum / folders) and, if sem is not NULL, the standard error of
 * the mean across folders (sample standard deviation / sqrt(folders); 0
 * with fewer than two folders). Both hold mdx_average_size(a) values.
 * (With no folder added the mean is NaN, which no output writes.) */
MDX_API void mdx_average_result(const mdx_average *a, double *mean, double *sem);

/* Free a (NULL is allowed). */
MDX_API void mdx_average_free(mdx_average *a);

/* ---- queries: a selection asked of a source the way recipes ask it.
 * On top of mdx_source_sum and mdx_source_each_path a query
 *   - owns a copy of its criteria and describes them ("U-O reff <= 3;
 *     frames 500..519"), for messages and file headers;
 *   - sets path parameters from a table: one value for every path, or a
 *     value per path type ("*" for the types not listed);
 *   - refuses what would be a plausible wrong answer: a path type or
 *     element string it names that no selected path has (a typo: "U-0"),
 *     paths of two absorbing elements, an average of nothing.
 * The Lua module and the Python package both ask through it, so that they
 * give the same numbers and the same messages. */
typedef struct mdx_query mdx_query;

/* A query of sel over src, which must stay open while the query is
 * used. The criteria are copied (types and elements sorted by name); the
 * callbacks keep, params and folder_keep with their contexts are taken as
 * they are (mdx_query_hooks changes them). MDX_ERR_ARG, with the
 * message a user reads, for a name given twice, a negative or NaN reff
 * limit, a NaN reff, an empty reff, nleg or frame range, or an absorber
 * that is no element. */
MDX_API mdx_status mdx_query_new(mdx_source *src, const mdx_selection *sel,
                                 mdx_query **out, mdx_error *err);
MDX_API void mdx_query_free(mdx_query *q);

/* Set the callbacks of the query's selection (see mdx_selection): keep
 * (a `where` predicate), folder_keep, and params, which is called after
 * the query's parameter table has set *par. Each may be NULL. */
MDX_API void mdx_query_hooks(mdx_query *q,
                             int (*keep)(void *ctx, const mdx_path_meta *m),
                             int (*params)(void *ctx, const mdx_path_meta *m,
                                           mdx_chi_params *par),
                             int (*folder_keep)(void *ctx, const mdx_folder_meta *f),
                             void *ctx);

/* Path parameter `name` (s02 e0 sigma2 deltar c3 c4 ei degen; third = c3,
 * fourth = c4) is `value` for the paths of type `type`: NULL for every
 * path, "*" for the types given no value of their own. MDX_ERR_ARG for an
 * unknown name, a value that is not finite (or a negative degen), a
 * parameter given twice or under both its names. */
MDX_API mdx_status mdx_query_param(mdx_query *q, const char *name,
                                   const char *type, double value,
                                   mdx_error *err);

/* Parameter `name` is set per path by the params callback: its values
 * are checked as mdx_query_param checks them, and descriptions say
 * "(function)". */
MDX_API mdx_status mdx_query_param_function(mdx_query *q, const char *name,
                                            mdx_error *err);

/* Folders without selected paths: counted as zero in averages (the
 * default: they are part of the ensemble) or, with skip, left out (the
 * reference workflow's rule). */
MDX_API void mdx_query_skip_empty(mdx_query *q, int skip);

/* Add a part to the description ("a where function"). */
MDX_API mdx_status mdx_query_note(mdx_query *q, const char *part);

/* What the query selects, "all paths" for everything; after a run that
 * left failed folders out (mdx_source_skip_failed) it says how many. The
 * text lives until the next call on q. */
MDX_API const char *mdx_query_label(mdx_query *q);

/* How many failed folders the last run left out. */
MDX_API size_t mdx_query_left_out(const mdx_query *q);

/* The absorbing element and edge (XDI's names: "U", "L3") of the paths of
 * the last mdx_query_sum, "" when not known. */
MDX_API const char *mdx_query_element(const mdx_query *q);
MDX_API const char *mdx_query_edge(const mdx_query *q);

/* Run the query: mdx_source_sum (empty folders left out with skip_empty)
 * and mdx_source_each_path. Either fails, after its callbacks, when a
 * name of the query met no selected path. MDX_ERR_STOPPED when a callback
 * of the caller returned -1 (the caller knows why). */
MDX_API mdx_status mdx_query_sum(mdx_query *q, enum mdx_grouping grouping,
                                 int (*fn)(void *ctx, const mdx_folder_chi *f),
                                 void *ctx, mdx_error *err);
MDX_API mdx_status mdx_query_each_path(mdx_query *q,
                                       int (*fn)(void *ctx, const mdx_path_meta *m),
                                       void *ctx, mdx_error *err);

/* The mean over the folders of each folder's sum of selected paths, on
 * the standard k grid, into a new *out (free it with mdx_average_free).
 * MDX_ERR_ARG when no path matches. */
MDX_API mdx_status mdx_query_average(mdx_query *q, mdx_average **out,
                                     mdx_error *err);

/* Each path type's share of the average: its sum over the folders divided
 * by the number of folders of the whole selection, so that the shares add
 * up to the average. */
typedef struct mdx_type_shares mdx_type_shares;

/* The shares of q, in the order the types were met, into a new *out
 * (free it with mdx_type_shares_free). */
MDX_API mdx_status mdx_query_by_type(mdx_query *q, mdx_type_shares **out,
                                     mdx_error *err);

/* How many types, and the folders of the whole selection. */
MDX_API size_t mdx_type_shares_size(const mdx_type_shares *s);
MDX_API size_t mdx_type_shares_nfolders(const mdx_type_shares *s);

/* Share i (< mdx_type_shares_size): its path type, its paths, the
 * folders with such paths, and its chi on the standard k grid (MDX_NK
 * values), valid until mdx_type_shares_free. */
MDX_API const char *mdx_type_share_type(const mdx_type_shares *s, size_t i);
MDX_API size_t mdx_type_share_npaths(const mdx_type_shares *s, size_t i);
MDX_API size_t mdx_type_share_nwith(const mdx_type_shares *s, size_t i);
MDX_API const double *mdx_type_share_chi(const mdx_type_shares *s, size_t i);

/* Free s (NULL is allowed). */
MDX_API void mdx_type_shares_free(mdx_type_shares *s);

/* The metadata of the selected paths, copied out: path i is
 * mdx_path_list_get(l, i), valid until mdx_path_list_free. */
typedef struct mdx_path_list mdx_path_list;
MDX_API mdx_status mdx_query_paths(mdx_query *q, mdx_path_list **out,
                                   mdx_error *err);
MDX_API size_t mdx_path_list_size(const mdx_path_list *l);
MDX_API const mdx_path_meta *mdx_path_list_get(const mdx_path_list *l, size_t i);
MDX_API void mdx_path_list_free(mdx_path_list *l);

/* The mean of FEFF's own chi.dat over the folders the query's frames and
 * atoms admit (its other criteria do not apply), on the k values all
 * have, into a new *out (free it with mdx_average_free); the label then
 * starts "FEFF chi.dat". When the folders' grids differ, *note (size
 * bytes) says how; else it is "". */
MDX_API mdx_status mdx_query_chidat(mdx_query *q, mdx_average **out, char *note,
                                    size_t size, mdx_error *err);

MDX_END_DECLS

#endif
