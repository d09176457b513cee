/* Summing a selection from a database (source_db_sum.c). */
#ifndef MDX_SOURCE_DB_SUM_H
#define MDX_SOURCE_DB_SUM_H

#include "mdexafs/source.h"
#include "store/store.h"

/* What a database source keeps between its queries (their buffers and
 * the threads' codecs); made by the first query, or taken over from a
 * source closed before. */
typedef struct mdx_db_scratch mdx_db_scratch;

/* Give back the scratch of a closing source: kept (one at a time) for the
 * next source's first query, so that a program opening a database per
 * question does not free and fault in megabytes each time. */
void mdx_db_scratch_release(mdx_db_scratch *s);

/* Sum the selected paths of `store` (named `name` in messages) per folder,
 * as mdx_source_sum: from the stored chi(k), or computed from the FEFF
 * data when `compute` (a tables-only database, or path parameters).
 * *scratch is the source's (NULL before its first query). */
mdx_status mdx_db_sum(mdx_store *store, mdx_db_scratch **scratch,
                      const char *name, int compute,
                      const mdx_selection *sel, enum mdx_grouping grouping,
                      int (*fn)(void *ctx, const mdx_folder_chi *f),
                      void *ctx, mdx_error *err);

#endif
