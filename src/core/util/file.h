/* mdexafs file I/O: whole files in, and output files that appear whole or
 * not at all. */
#ifndef MDEXAFS_FILE_H
#define MDEXAFS_FILE_H

#include <stddef.h>
#include <stdio.h>
#include "mdexafs/error.h"

/* Read the regular file `filename` into a malloc'd buffer with a NUL
 * after its `*len` bytes. The caller frees *text. */
mdx_status mdx_read_file(const char *filename, char **text, size_t *len,
                         mdx_error *err);

/* An output being written to a temporary file beside its destination. */
typedef struct mdx_outfile {
    FILE *fp;          /* write here */
    char *path;        /* the destination */
    char *tmp;         /* the temporary file */
} mdx_outfile;

/* Start writing `path`: opens a temporary file in the same directory. */
mdx_status mdx_outfile_open(mdx_outfile *out, const char *path, mdx_error *err);

/* Flush, sync and rename the temporary file onto the destination. On any
 * failure the destination is left as it was and the temporary removed. */
mdx_status mdx_outfile_commit(mdx_outfile *out, mdx_error *err);

/* Give up: close and remove the temporary file. NULL-safe, idempotent. */
void mdx_outfile_abort(mdx_outfile *out);

/* Write len bytes of text to file path (made, or emptied first), not
 * atomically: for files whose folder is made whole before it is used. */
mdx_status mdx_write_file(const char *path, const char *text, size_t len, mdx_error *err);

/* Copy file from into to, a new file (not there before): 1, or 0 with
 * errno (to may then be left part-written: the caller records it first,
 * or removes it). */
int mdx_copy_file(const char *from, const char *to);

/* Sync the folder dir itself, its entries (a new file, a removal), to
 * disk; with parent, the folder that holds dir (a file) instead. */
mdx_status mdx_sync_folder(const char *dir, int parent, mdx_error *err);

#endif
