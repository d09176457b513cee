/* Blob encodings. Every blob is a one-byte format tag and a zstd frame with
 * a content checksum, so damage is detected when it is decoded.
 *
 *   'D'  doubles: the n values' bytes transposed into 8 planes (all first
 *        bytes, then all second bytes, ...), which groups the similar
 *        sign/exponent bytes and helps zstd.
 *   'P'  a FEFF path: nrows (u16 LE), nleg (u8), index (i32 LE), abs_iz
 *        (u8), deg, reff, rnrmav, edge (reals), version and edge label
 *        (u8 length + bytes); per leg ipot, iz (u8), label (u8 length +
 *        bytes), x, y, z (reals); then per table column an i8 power of ten
 *        E (or RAW_COLUMN); then per column either the integers v/10^E as
 *        zigzag deltas in LEB128 varints, or 8 shuffled planes of raw
 *        doubles, or nothing for a column marked SHARED_COLUMN: the same
 *        bits as that column of the folder's table (a feff.bin's k,
 *        real[2*phc], red factor, lambda and real[p] come from the
 *        absorber alone and are stored once per folder).
 * A "real" is a varint u: u even means v = zigzag(u/2) * 1e-6 exactly
 * (FEFF writes 4 or 5 decimals), u = 1 is followed by the 8 raw bytes,
 * u = 3 means -0.0. Raw doubles are in the machine's byte order
 * (little-endian on every machine mdexafs supports). */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "codec.h"
#include "util/number.h"

#define TAG_DOUBLES 'D'
#define TAG_PATH 'P'
#define RAW_COLUMN (-128)
#define SHARED_COLUMN (-127)
#define MAX_ROWS 65535

struct mdx_codec {
    ZSTD_CCtx *cctx;
    ZSTD_DCtx *dctx;
    mdx_buf raw;     /* the uncompressed form */
};

void mdx_buf_free(mdx_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

static int reserve(mdx_buf *b, size_t n)
{
    if (b->cap >= n)
        return 1;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < n)
        cap *= 2;
    unsigned char *d = realloc(b->data, cap);
    if (!d)
        return 0;
    b->data = d;
    b->cap = cap;
    return 1;
}

mdx_codec *mdx_codec_new(int level)
{
    mdx_codec *c = calloc(1, sizeof *c);
    if (!c || !(c->cctx = ZSTD_createCCtx()) || !(c->dctx = ZSTD_createDCtx())) {
        mdx_codec_free(c);
        return NULL;
    }
    ZSTD_CCtx_setParameter(c->cctx, ZSTD_c_compressionLevel,
                           level ? level : MDX_ZSTD_LEVEL);
    ZSTD_CCtx_setParameter(c->cctx, ZSTD_c_checksumFlag, 1);
    ZSTD_CCtx_setParameter(c->cctx, ZSTD_c_contentSizeFlag, 1);
    return c;
}

void mdx_codec_free(mdx_codec *c)
{
    if (!c)
        return;
    ZSTD_freeCCtx(c->cctx);
    ZSTD_freeDCtx(c->dctx);
    mdx_buf_free(&c->raw);
    free(c);
}

static mdx_status nomem(mdx_error *err)
{
    return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
}

/* Compress c->raw into out behind `tag`. */
static mdx_status compress(mdx_codec *c, int tag, mdx_buf *out, mdx_error *err)
{
    size_t bound = ZSTD_compressBound(c->raw.len);
    if (!reserve(out, bound + 1))
        return nomem(err);
    out->data[0] = (unsigned char)tag;
    size_t n = ZSTD_compress2(c->cctx, out->data + 1, bound, c->raw.data,
                              c->raw.len);
    if (ZSTD_isError(n))
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "zstd: %s",
                             ZSTD_getErrorName(n));
    out->len = n + 1;
    return MDX_OK;
}

/* Decompress a blob with `tag` into c->raw, checking its checksum. */
static mdx_status decompress(mdx_codec *c, int tag, const void *blob,
                             size_t size, mdx_error *err)
{
    const unsigned char *b = blob;
    if (size < 2 || b[0] != tag)
        return mdx_error_set(err, MDX_ERR_FORMAT, NULL, 0,
                             "damaged blob: unknown format");
    unsigned long long n = ZSTD_getFrameContentSize(b + 1, size - 1);
    if (n == ZSTD_CONTENTSIZE_ERROR || n == ZSTD_CONTENTSIZE_UNKNOWN ||
        n > (1u << 24))
        return mdx_error_set(err, MDX_ERR_FORMAT, NULL, 0,
                             "damaged blob: bad zstd frame header");
    if (!reserve(&c->raw, (size_t)n + 1))
        return nomem(err);
    size_t got = ZSTD_decompressDCtx(c->dctx, c->raw.data, (size_t)n, b + 1,
                                     size - 1);
    if (ZSTD_isError(got) || got != n)
        return mdx_error_set(err, MDX_ERR_FORMAT, NULL, 0, "damaged blob: %s",
                             ZSTD_isError(got) ? ZSTD_getErrorName(got)
                                               : "short content");
    c->raw.len = got;
    return MDX_OK;
}

size_t mdx_doubles_count(const void *blob, size_t size)
{
    const unsigned char *b = blob;
    if (size < 2 || b[0] != TAG_DOUBLES)
        return 0;
    unsigned long long n = ZSTD_getFrameContentSize(b + 1, size - 1);
    if (n == ZSTD_CONTENTSIZE_ERROR || n == ZSTD_CONTENTSIZE_UNKNOWN ||
        n % 8 || n > (1u << 24))
        return 0;
    return (size_t)(n / 8);
}

static void shuffle(const double *v, size_t n, unsigned char *out)
{
    const unsigned char *in = (const unsigned char *)v;
    for (size_t i = 0; i < n; i++)
        for (size_t b = 0; b < 8; b++)
            out[b * n + i] = in[8 * i + b];
}

static void unshuffle(const unsigned char *in, size_t n, double *v)
{
    unsigned char *out = (unsigned char *)v;
    for (size_t i = 0; i < n; i++)
        for (size_t b = 0; b < 8; b++)
            out[8 * i + b] = in[b * n + i];
}

mdx_status mdx_encode_doubles(mdx_codec *c, const double *v, size_t n,
                              mdx_buf *out, mdx_error *err)
{
    if (!reserve(&c->raw, 8 * n))
        return nomem(err);
    shuffle(v, n, c->raw.data);
    c->raw.len = 8 * n;
    return compress(c, TAG_DOUBLES, out, err);
}

mdx_status mdx_decode_doubles(mdx_codec *c, const void *blob, size_t size,
                              double *v, size_t n, mdx_error *err)
{
    mdx_status st = decompress(c, TAG_DOUBLES, blob, size, err);
    if (st)
        return st;
    if (c->raw.len != 8 * n)
        return mdx_error_set(err, MDX_ERR_FORMAT, NULL, 0,
                             "blob holds %zu values, expected %zu",
                             c->raw.len / 8, n);
    unshuffle(c->raw.data, n, v);
    return MDX_OK;
}

/* v as m * 10^e exactly, |m| <= 2^53 and |e| <= 22; 0 if it is not. The
 * product or quotient of two exact doubles is correctly rounded, so m and e
 * give back exactly v — the test below makes sure. */
static int as_decimal(double v, int e, int64_t *m)
{
    double x = mdx_scale10(v, -e);
    if (!(fabs(x) <= 9007199254740992.0))
        return 0;
    x = nearbyint(x);
    double back = mdx_scale10(x, e);
    if (back != v || (v == 0 && signbit(v)))
        return 0;  /* (-0.0 would come back as +0.0) */
    *m = (int64_t)x;
    return 1;
}

static double from_decimal(int64_t m, int e)
{
    return mdx_scale10((double)m, e);
}

static void put_varint(unsigned char **p, uint64_t u)
{
    while (u >= 0x80) {
        *(*p)++ = (unsigned char)(u | 0x80);
        u >>= 7;
    }
    *(*p)++ = (unsigned char)u;
}

static int get_varint(const unsigned char **p, const unsigned char *end,
                      uint64_t *u)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 64 && *p < end; shift += 7) {
        unsigned char b = *(*p)++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *u = v;
            return 1;
        }
    }
    return 0;
}

/* Encode one column at p as decimal deltas; 0 if it is not all decimals. */
static int encode_decimal_column(const double *v, size_t n, int e,
                                 unsigned char **p)
{
    unsigned char *q = *p;
    int64_t prev = 0, m;
    for (size_t i = 0; i < n; i++) {
        if (!as_decimal(v[i], e, &m))
            return 0;
        int64_t d = m - prev;  /* |m| <= 2^53: no overflow */
        put_varint(&q, ((uint64_t)d << 1) ^ (uint64_t)(d >> 63));
        prev = m;
    }
    *p = q;
    return 1;
}

/* Byte writer and reader for the path header. */
static void put_bytes(unsigned char **p, const void *v, size_t n)
{
    memcpy(*p, v, n);
    *p += n;
}

static void put_string(unsigned char **p, const char *str)
{
    size_t n = strlen(str);
    *(*p)++ = (unsigned char)n;
    put_bytes(p, str, n);
}

/* Reals in micro-units when exact: 3 bytes where a double takes 8. */
#define REAL_EXP10 (-6)

static void put_real(unsigned char **p, double v)
{
    int64_t m;
    if (as_decimal(v, REAL_EXP10, &m)) {
        put_varint(p, (((uint64_t)m << 1) ^ (uint64_t)(m >> 63)) << 1);
    } else if (v == 0) {  /* -0.0 */
        put_varint(p, 3);
    } else {
        put_varint(p, 1);
        put_bytes(p, &v, sizeof v);
    }
}

typedef struct reader {
    const unsigned char *p, *end;
    int ok;
} reader;

static void get_bytes(reader *r, void *v, size_t n)
{
    if (!r->ok || (size_t)(r->end - r->p) < n) {
        r->ok = 0;
        memset(v, 0, n);
        return;
    }
    memcpy(v, r->p, n);
    r->p += n;
}

static double get_real(reader *r)
{
    uint64_t u;
    double v = 0;
    if (!r->ok || !get_varint(&r->p, r->end, &u)) {
        r->ok = 0;
        return 0;
    }
    if (u == 3)
        return -0.0;
    if (u == 1) {
        get_bytes(r, &v, sizeof v);
        return v;
    }
    u >>= 1;
    return from_decimal((int64_t)((u >> 1) ^ (0 - (u & 1))), REAL_EXP10);
}

static void get_string(reader *r, char *buf, size_t size)
{
    unsigned char n = 0;
    get_bytes(r, &n, 1);
    if (n >= size)
        r->ok = 0;
    get_bytes(r, buf, r->ok ? n : 0);
    buf[r->ok ? n : 0] = '\0';
}

/* Is column col of path the same bits as that of the shared table? */
static int is_shared(const mdx_path *path, const mdx_path *shared, int col)
{
    return shared && shared->nrows == path->nrows &&
           memcmp(shared->col[col], path->col[col],
                  path->nrows * sizeof *path->col[col]) == 0;
}

mdx_status mdx_encode_path(mdx_codec *c, const mdx_path *path,
                           const mdx_path *shared, mdx_buf *out,
                           mdx_error *err)
{
    const size_t n = path->nrows;
    if (n > MAX_ROWS || path->nleg > 255)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0,
                             "path too large to encode (%zu rows, %d legs)",
                             n, path->nleg);
    /* header < 128 + 64 per leg (a real takes at most 10 bytes, as does a
     * varint) */
    if (!reserve(&c->raw, 128 + 64 * (size_t)path->nleg +
                              MDX_NCOLUMNS * (1 + 10 * n)))
        return nomem(err);
    unsigned char *p = c->raw.data;
    uint16_t rows = (uint16_t)n;
    int32_t index = path->index;
    put_bytes(&p, &rows, 2);
    *p++ = (unsigned char)path->nleg;
    put_bytes(&p, &index, 4);
    *p++ = (unsigned char)path->abs_iz;
    put_real(&p, path->deg);
    put_real(&p, path->reff);
    put_real(&p, path->rnrmav);
    put_real(&p, path->edge);
    put_string(&p, path->version);
    put_string(&p, path->edge_label);
    for (int l = 0; l < path->nleg; l++) {
        const mdx_leg *leg = &path->legs[l];
        *p++ = (unsigned char)leg->ipot;
        *p++ = (unsigned char)leg->iz;
        put_string(&p, leg->label);
        put_real(&p, leg->x);
        put_real(&p, leg->y);
        put_real(&p, leg->z);
    }
    unsigned char *exps = p;
    p += MDX_NCOLUMNS;
    for (int col = 0; col < MDX_NCOLUMNS; col++) {
        int e = path->col_exp10[col];
        if (is_shared(path, shared, col)) {
            exps[col] = (unsigned char)(signed char)SHARED_COLUMN;
        } else if (e >= -22 && e <= 22 && encode_decimal_column(path->col[col], n, e, &p)) {
            exps[col] = (unsigned char)(signed char)e;
        } else {
            exps[col] = (unsigned char)(signed char)RAW_COLUMN;
            shuffle(path->col[col], n, p);
            p += 8 * n;
        }
    }
    c->raw.len = (size_t)(p - c->raw.data);
    return compress(c, TAG_PATH, out, err);
}

/* The table columns at r into the path's (already allocated) columns:
 * 1, 0 when damaged, -1 when a shared column has no table to come from. */
static int decode_columns(reader *r, const mdx_path *shared, mdx_path *path)
{
    signed char exps[MDX_NCOLUMNS];
    const size_t n = path->nrows;
    get_bytes(r, exps, sizeof exps);
    for (int col = 0; r->ok && col < MDX_NCOLUMNS; col++) {
        double *v = path->col[col];
        int e = exps[col];
        if (e == SHARED_COLUMN) {
            if (!shared || shared->nrows != n)
                return -1;
            memcpy(v, shared->col[col], n * sizeof *v);
            path->col_exp10[col] = shared->col_exp10[col];
            continue;
        }
        path->col_exp10[col] = e == RAW_COLUMN ? 0 : e;
        if (e == RAW_COLUMN) {
            if ((size_t)(r->end - r->p) < 8 * n)
                return 0;
            unshuffle(r->p, n, v);
            r->p += 8 * n;
            continue;
        }
        if (e < -22 || e > 22)
            return 0;
        uint64_t m = 0;  /* unsigned: a damaged blob must not overflow */
        for (size_t i = 0; i < n; i++) {
            uint64_t u;
            if (!get_varint(&r->p, r->end, &u))
                return 0;
            m += (u >> 1) ^ (0 - (u & 1));
            v[i] = from_decimal((int64_t)m, e);
        }
    }
    return r->ok && r->p == r->end;
}

mdx_status mdx_decode_path(mdx_codec *c, const void *blob, size_t size,
                           const mdx_path *shared, mdx_path *path,
                           mdx_error *err)
{
    mdx_status st = decompress(c, TAG_PATH, blob, size, err);
    if (st)
        return st;
    reader r = {c->raw.data, c->raw.data + c->raw.len, 1};
    uint16_t rows;
    unsigned char nleg = 0, abs_iz = 0;
    int32_t index;
    memset(path, 0, sizeof *path);
    get_bytes(&r, &rows, 2);
    get_bytes(&r, &nleg, 1);
    get_bytes(&r, &index, 4);
    get_bytes(&r, &abs_iz, 1);
    path->deg = get_real(&r);
    path->reff = get_real(&r);
    path->rnrmav = get_real(&r);
    path->edge = get_real(&r);
    get_string(&r, path->version, sizeof path->version);
    get_string(&r, path->edge_label, sizeof path->edge_label);
    if (isdigit((unsigned char)path->version[0])) {  /* older blobs: "8.50L" */
        char v[MDX_VERSION_MAX];
        snprintf(v, sizeof v, "Feff %.*s", MDX_VERSION_MAX - 6, path->version);
        memcpy(path->version, v, sizeof v);
    }
    if (!r.ok || rows < MDX_MIN_ROWS || nleg < 1)
        return mdx_error_set(err, MDX_ERR_FORMAT, NULL, 0,
                             "damaged blob: inconsistent path");
    path->nrows = rows;
    path->nleg = nleg;
    path->index = index;
    path->abs_iz = abs_iz;
    path->legs = calloc(nleg, sizeof *path->legs);
    double *block = malloc((size_t)rows * MDX_NCOLUMNS * sizeof *block);
    if (!path->legs || !block) {
        free(block);
        mdx_path_free(path);
        return nomem(err);
    }
    for (int col = 0; col < MDX_NCOLUMNS; col++)
        path->col[col] = block + (size_t)col * rows;
    for (int l = 0; l < nleg; l++) {
        mdx_leg *leg = &path->legs[l];
        unsigned char ipot = 0, iz = 0;
        get_bytes(&r, &ipot, 1);
        get_bytes(&r, &iz, 1);
        get_string(&r, leg->label, sizeof leg->label);
        leg->ipot = ipot;
        leg->iz = iz;
        leg->x = get_real(&r);
        leg->y = get_real(&r);
        leg->z = get_real(&r);
    }
    int got = decode_columns(&r, shared, path);
    if (got <= 0) {
        mdx_path_free(path);
        return mdx_error_set(err, MDX_ERR_FORMAT, NULL, 0, got < 0
                             ? "FEFF data that need their folder's table, "
                               "which is missing or of another length"
                             : "damaged blob: inconsistent path");
    }
    return MDX_OK;
}
