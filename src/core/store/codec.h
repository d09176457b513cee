/* mdexafs blobs: lossless, compressed, checksummed encodings of a path's
 * chi(k) and of its FEFF table. */
#ifndef MDEXAFS_CODEC_H
#define MDEXAFS_CODEC_H

#include <stddef.h>
#include "mdexafs/error.h"
#include "mdexafs/feff.h"

/* A growable byte buffer. Zero-initialise; free with mdx_buf_free. */
typedef struct mdx_buf {
    unsigned char *data;
    size_t len, cap;
} mdx_buf;

void mdx_buf_free(mdx_buf *b);

/* Compression state, one per thread. Create with mdx_codec_new. */
typedef struct mdx_codec mdx_codec;

/* A codec compressing at zstd `level`; 0 means MDX_ZSTD_LEVEL, zstd's fast
 * level -1: on ~3 KB blobs it compresses as well as level 1-3 (within 1%)
 * in half the time. NULL if out of memory. */
#define MDX_ZSTD_LEVEL (-1)
mdx_codec *mdx_codec_new(int level);
void mdx_codec_free(mdx_codec *c);

/* Encode n doubles into out (replacing its content): bytes shuffled into
 * planes, zstd with a content checksum. Decoding gives the same bits. */
mdx_status mdx_encode_doubles(mdx_codec *c, const double *v, size_t n,
                              mdx_buf *out, mdx_error *err);

/* Decode exactly n doubles from a blob made by mdx_encode_doubles. Fails
 * with MDX_ERR_FORMAT on a damaged blob (checksum, size, format tag). */
mdx_status mdx_decode_doubles(mdx_codec *c, const void *blob, size_t size,
                              double *v, size_t n, mdx_error *err);

/* How many doubles a blob made by mdx_encode_doubles holds, read from its
 * header; 0 when it is not such a blob. */
size_t mdx_doubles_count(const void *blob, size_t size);

/* Encode all of `path` (header numbers, legs, table) into out. A table
 * column with the same bits as that column of `shared` (the folder's
 * table, or NULL) is stored as a reference to it; one whose numbers are
 * all decimals m * 10^e (e the column's col_exp10, |m| <= 2^53) as the
 * integers m; any other as raw doubles. Lossless: decoding with the same
 * `shared` gives the same bits. */
mdx_status mdx_encode_path(mdx_codec *c, const mdx_path *path,
                           const mdx_path *shared, mdx_buf *out,
                           mdx_error *err);

/* Decode a blob made by mdx_encode_path into *path (whose previous content
 * is not freed), with the `shared` table it was encoded with (NULL if
 * none: a blob that refers to one then fails with MDX_ERR_FORMAT); free
 * the result with mdx_path_free. */
mdx_status mdx_decode_path(mdx_codec *c, const void *blob, size_t size,
                           const mdx_path *shared, mdx_path *path,
                           mdx_error *err);

#endif
