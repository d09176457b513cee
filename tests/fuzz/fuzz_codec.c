/* libFuzzer harness: the blob decoders. The first byte chooses:
 *   0  the rest is a stored blob: decode it as a path and as doubles
 *   1  the rest is a path blob's content: compress it as the encoder would
 *      and decode, so that mutations reach the decoder past zstd's checksum
 *   2  the rest is a FEFF path file: parse, encode, decode, compare bits
 * Path blobs are decoded without a folder table and with one of 8 rows;
 * a path file's is encoded against itself as the table too. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "store/codec.h"
#include "mdexafs/feff.h"
#include "fuzz.h"

static mdx_codec *codec;
static mdx_path table;  /* a folder table: 8 rows, every column i / 8 */
static double table_cols[MDX_NCOLUMNS][8];

static void make_table(void)
{
    table.nrows = 8;
    for (int c = 0; c < MDX_NCOLUMNS; c++) {
        for (int i = 0; i < 8; i++)
            table_cols[c][i] = i / 8.0 + c;
        table.col[c] = table_cols[c];
    }
}

static void same_path(const mdx_path *a, const mdx_path *b)
{
    check(a->nrows == b->nrows && a->nleg == b->nleg && a->index == b->index);
    check(!memcmp(&a->reff, &b->reff, sizeof a->reff));
    for (int l = 0; l < a->nleg; l++)
        check(!memcmp(&a->legs[l].x, &b->legs[l].x, 3 * sizeof(double)));
    for (int c = 0; c < MDX_NCOLUMNS; c++)
        check(!memcmp(a->col[c], b->col[c], a->nrows * sizeof(double)));
}

/* Decode a path blob with `shared` (or none); when it decodes, encode it
 * again with the same table and decode that to the same bits. */
static void round_trip(const void *blob, size_t size, const mdx_path *shared)
{
    mdx_path p, q;
    mdx_error err;
    if (mdx_decode_path(codec, blob, size, shared, &p, &err) != MDX_OK)
        return;
    mdx_buf b = {0};
    check(mdx_encode_path(codec, &p, shared, &b, &err) == MDX_OK);
    check(mdx_decode_path(codec, b.data, b.len, shared, &q, &err) == MDX_OK);
    same_path(&p, &q);
    mdx_path_free(&q);
    mdx_buf_free(&b);
    mdx_path_free(&p);
}

static void decode_both(const void *blob, size_t size)
{
    mdx_error err;
    double v[64];
    round_trip(blob, size, NULL);
    round_trip(blob, size, &table);
    size_t n = mdx_doubles_count(blob, size);
    if (n <= 64)
        mdx_decode_doubles(codec, blob, size, v, n, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!codec) {
        codec = mdx_codec_new(0);
        make_table();
    }
    if (size < 1)
        return 0;
    const uint8_t *rest = data + 1;
    size_t n = size - 1;
    if (data[0] == 0) {
        decode_both(rest, n);
    } else if (data[0] == 1) {
        size_t bound = ZSTD_compressBound(n) + 1;
        unsigned char *blob = malloc(bound);
        blob[0] = 'P';
        size_t z = ZSTD_compress(blob + 1, bound - 1, rest, n, 1);
        if (!ZSTD_isError(z))
            decode_both(blob, z + 1);
        free(blob);
    } else {
        char *text = malloc(n + 1);
        mdx_path p, q;
        mdx_error err;
        mdx_buf b = {0};
        memcpy(text, rest, n);
        text[n] = '\0';
        if (mdx_feff_parse(text, n, "fuzz", &p, &err) == MDX_OK) {
            for (int shared = 0; shared < 2; shared++)
                if (mdx_encode_path(codec, &p, shared ? &p : NULL, &b,
                                    &err) == MDX_OK) {
                    check(mdx_decode_path(codec, b.data, b.len,
                                          shared ? &p : NULL, &q,
                                          &err) == MDX_OK);
                    same_path(&p, &q);
                    mdx_path_free(&q);
                }
            mdx_path_free(&p);
        }
        mdx_buf_free(&b);
        free(text);
    }
    return 0;
}
