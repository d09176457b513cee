/* Blobs: lossless round trips, and damage detected, never a crash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store/codec.h"
#include "mdexafs/feff.h"
#include "build/scan.h"
#include "testutil.h"

static void test_doubles_round_trip_bit_for_bit(void **state)
{
    (void)state;
    double v[500], back[500];
    uint64_t x = 12345;
    for (int i = 0; i < 500; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        memcpy(&v[i], &x, sizeof x);
        if (!isfinite(v[i]))
            v[i] = (double)i;
    }
    v[0] = -0.0;
    v[1] = 5e-324;
    mdx_codec *c = mdx_codec_new(0);
    mdx_buf b = {0};
    mdx_error err;
    assert_int_equal(mdx_encode_doubles(c, v, 500, &b, &err), MDX_OK);
    assert_int_equal(mdx_decode_doubles(c, b.data, b.len, back, 500, &err), MDX_OK);
    assert_memory_equal(v, back, sizeof v);
    /* asking for another count is an error, not an overrun */
    assert_int_equal(mdx_decode_doubles(c, b.data, b.len, back, 499, &err),
                     MDX_ERR_FORMAT);
    mdx_buf_free(&b);
    mdx_codec_free(c);
}

static void assert_same_path(const mdx_path *a, const mdx_path *b)
{
    assert_string_equal(a->version, b->version);
    assert_int_equal(a->index, b->index);
    assert_int_equal(a->nleg, b->nleg);
    assert_int_equal(a->abs_iz, b->abs_iz);
    assert_string_equal(a->edge_label, b->edge_label);
    assert_memory_equal(&a->deg, &b->deg, sizeof a->deg);
    assert_memory_equal(&a->reff, &b->reff, sizeof a->reff);
    assert_memory_equal(&a->rnrmav, &b->rnrmav, sizeof a->rnrmav);
    assert_memory_equal(&a->edge, &b->edge, sizeof a->edge);
    for (int l = 0; l < a->nleg; l++) {
        assert_memory_equal(&a->legs[l].x, &b->legs[l].x, 3 * sizeof(double));
        assert_int_equal(a->legs[l].ipot, b->legs[l].ipot);
        assert_int_equal(a->legs[l].iz, b->legs[l].iz);
        assert_string_equal(a->legs[l].label, b->legs[l].label);
    }
    assert_int_equal(a->nrows, b->nrows);
    for (int c = 0; c < MDX_NCOLUMNS; c++)
        assert_memory_equal(a->col[c], b->col[c], a->nrows * sizeof(double));
}

/* Every sample path file: encode, decode, compare every bit. */
static void test_every_sample_path_round_trips(void **state)
{
    (void)state;
    static const char *const trees[] = {"uo2_feff85", "uo2_feff6"};
    mdx_codec *c = mdx_codec_new(0);
    mdx_buf b = {0};
    mdx_error err;
    int n = 0;
    for (size_t t = 0; t < 2; t++) {
        mdx_tree tree;
        assert_int_equal(mdx_scan(data_path(trees[t]), 0, &tree, &err), MDX_OK);
        for (size_t f = 0; f < tree.nfolders; f++) {
            assert_int_equal(mdx_folder_load(&tree, &tree.folders[f], &err), MDX_OK);
            for (size_t i = 0; i < tree.folders[f].npaths; i++) {
                char file[4096];
                mdx_path p, q;
                mdx_folder_file(&tree, &tree.folders[f], i, file, sizeof file);
                assert_int_equal(mdx_feff_parse_file(file, &p, &err), MDX_OK);
                assert_int_equal(mdx_encode_path(c, &p, NULL, &b, &err), MDX_OK);
                assert_true(b.len < 1200);
                assert_int_equal(mdx_decode_path(c, b.data, b.len, NULL, &q, &err),
                                 MDX_OK);
                assert_same_path(&p, &q);
                mdx_path_free(&p);
                mdx_path_free(&q);
                n++;
            }
        }
        mdx_tree_free(&tree);
    }
    assert_int_equal(n, 1651);
    mdx_buf_free(&b);
    mdx_codec_free(c);
}

/* A column that is not short decimals is stored raw, still exactly. */
static void test_non_decimal_column_round_trips(void **state)
{
    (void)state;
    mdx_path p, q;
    mdx_error err;
    mdx_codec *c = mdx_codec_new(0);
    mdx_buf b = {0};
    assert_int_equal(mdx_feff_parse_file(
        data_path("uo2_feff85/frame_500/atom_0/feff0005.dat"), &p, &err), 0);
    p.col[MDX_COL_LAM][3] = 1.0 / 3.0;
    p.col[MDX_COL_MAG][0] = -0.0;
    p.legs[1].x = M_PI;
    assert_int_equal(mdx_encode_path(c, &p, NULL, &b, &err), MDX_OK);
    assert_int_equal(mdx_decode_path(c, b.data, b.len, NULL, &q, &err), MDX_OK);
    assert_same_path(&p, &q);
    mdx_path_free(&p);
    mdx_path_free(&q);
    mdx_buf_free(&b);
    mdx_codec_free(c);
}

/* Flip every byte of a blob in turn, and cut it at every length: each
 * must decode to the original or fail cleanly. */
static void test_damaged_blobs_are_refused(void **state)
{
    (void)state;
    mdx_path p, q;
    mdx_error err;
    mdx_codec *c = mdx_codec_new(0);
    mdx_buf b = {0};
    double chi[401], back[401];
    for (int i = 0; i < 401; i++)
        chi[i] = sin(i * 0.1) / (1 + i);
    assert_int_equal(mdx_feff_parse_file(
        data_path("uo2_feff85/frame_500/atom_0/feff0100.dat"), &p, &err), 0);

    assert_int_equal(mdx_encode_path(c, &p, NULL, &b, &err), MDX_OK);
    for (size_t i = 0; i < b.len; i++) {
        b.data[i] ^= 0x5a;
        mdx_status st = mdx_decode_path(c, b.data, b.len, NULL, &q, &err);
        if (st == MDX_OK) {
            assert_same_path(&p, &q);  /* a flip zstd never reads */
            mdx_path_free(&q);
        } else {
            assert_int_equal(st, MDX_ERR_FORMAT);
            assert_non_null(strstr(err.msg, "damaged blob"));
        }
        b.data[i] ^= 0x5a;
    }
    for (size_t n = 0; n < b.len; n++)
        assert_int_equal(mdx_decode_path(c, b.data, n, NULL, &q, &err), MDX_ERR_FORMAT);

    assert_int_equal(mdx_encode_doubles(c, chi, 401, &b, &err), MDX_OK);
    for (size_t i = 0; i < b.len; i++) {
        b.data[i] ^= 0x01;
        if (mdx_decode_doubles(c, b.data, b.len, back, 401, &err) == MDX_OK)
            assert_memory_equal(back, chi, sizeof chi);
        b.data[i] ^= 0x01;
    }
    /* a chi blob is not a path blob */
    assert_int_equal(mdx_decode_path(c, b.data, b.len, NULL, &q, &err), MDX_ERR_FORMAT);
    mdx_path_free(&p);
    mdx_buf_free(&b);
    mdx_codec_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_doubles_round_trip_bit_for_bit),
        cmocka_unit_test(test_every_sample_path_round_trips),
        cmocka_unit_test(test_non_decimal_column_round_trips),
        cmocka_unit_test(test_damaged_blobs_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
