/* The page-checksum VFS the store opens databases with (store_vfs.c). */
#ifndef MDX_STORE_VFS_H
#define MDX_STORE_VFS_H

#include <sqlite3.h>

#define MDX_VFS_NAME "mdexafs-checksums"
#define MDX_PAGE_CHECKSUM_BYTES 8  /* reserved at the end of every page */

/* Register the VFS (once) and return its name for sqlite3_open_v2. */
const char *mdx_store_vfs(void);

#endif
