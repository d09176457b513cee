/* mdexafs merge: join databases built as shards of one tree. */
#ifndef MDEXAFS_MERGE_H
#define MDEXAFS_MERGE_H

#include <stddef.h>
#include "mdexafs/error.h"
#include "mdexafs/api.h"

MDX_BEGIN_DECLS

/* Write `out` (which must not exist) holding every folder of the n parts.
 * Refuses parts built from different trees or k grids, or whose folders
 * overlap, naming the part. `out` appears whole or not at all. */
MDX_API mdx_status mdx_merge(const char *const *parts, size_t n, const char *out,
                             mdx_error *err);

MDX_END_DECLS

#endif
