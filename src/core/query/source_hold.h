/* Holding a source for the length of a query (source.c): closed from one
 * of the query's callbacks, it is freed only once the last query that
 * holds it ends, so that no query reads freed memory. */
#ifndef MDX_SOURCE_HOLD_H
#define MDX_SOURCE_HOLD_H

#include "mdexafs/source.h"

void mdx_source_hold(mdx_source *s);

/* Let go of s (freeing it when it was closed meanwhile); returns rc. */
mdx_status mdx_source_release(mdx_source *s, mdx_status rc);

#endif
