/* Sources: a database and the tree it was built from give the same folder
 * sums; sums equal the goldens summed; grouping and keep behave. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "golden.h"
#include "mdexafs/build.h"
#include "mdexafs/query.h"
#include "mdexafs/source.h"
#include "testutil.h"

typedef struct sums {
    int n;
    long frame[64], atom[64];
    char group[64][32];
    size_t npaths[64];
    double chi[64][MDX_NK];
} sums;

static int collect(void *ctx, const mdx_folder_chi *f)
{
    sums *s = ctx;
    assert_true(s->n < 64);
    s->frame[s->n] = f->frame;
    s->atom[s->n] = f->atom;
    snprintf(s->group[s->n], sizeof s->group[0], "%s", f->group ? f->group : "");
    s->npaths[s->n] = f->npaths;
    memcpy(s->chi[s->n], f->chi, sizeof s->chi[0]);
    s->n++;
    return 0;
}

static char db[256], dir[64];

static int setup(void **state)
{
    (void)state;
    mdx_build_options o = {.tree = data_path("uo2_feff85"), .db = db};
    mdx_build_stats st;
    mdx_error err;
    snprintf(dir, sizeof dir, "%s", temp_dir());
    snprintf(db, sizeof db, "%s/chi.db", dir);
    o.db = db;
    if (mdx_build(&o, NULL, &st, &err))
        fail_msg("%s", err.msg);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    remove_tree(dir);
    return 0;
}

static void run(const char *path, const mdx_selection *sel,
                enum mdx_grouping g, sums *out)
{
    mdx_source *src;
    mdx_error err;
    memset(out, 0, sizeof *out);
    assert_int_equal(mdx_source_open(path, &src, &err), MDX_OK);
    assert_int_equal(mdx_source_sum(src, sel, g, collect, out, &err), MDX_OK);
    mdx_source_close(src);
}

static void test_database_and_tree_agree_with_goldens(void **state)
{
    (void)state;
    mdx_type_rule types[] = {{"U-O", 3.0}, {"U-O-O", INFINITY}};
    mdx_selection sel;
    mdx_selection_init(&sel);
    sel.ntypes = 2;
    sel.types = types;
    sel.reff_max = 4.0;
    sums *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    run(db, &sel, MDX_GROUP_NONE, a);
    run(data_path("uo2_feff85"), &sel, MDX_GROUP_NONE, b);
    assert_int_equal(a->n, 4);
    assert_int_equal(b->n, 4);
    for (int f = 0; f < 4; f++) {
        char rel[256];
        golden g;
        double want[MDX_NK] = {0};
        size_t npaths = 0;
        assert_int_equal(a->frame[f], b->frame[f]);
        assert_int_equal(a->npaths[f], b->npaths[f]);
        /* the goldens summed over the same selection, by hand */
        snprintf(rel, sizeof rel, "uo2_feff85/frame_%ld/atom_%ld", a->frame[f],
                 a->atom[f]);
        char gold[300];
        snprintf(gold, sizeof gold, "goldens/%s/larch_paths.txt", rel);
        load_golden(gold, &g);
        for (int c = 0; c < g.ncols; c++) {
            char file[400];
            mdx_path p;
            mdx_error err;
            snprintf(file, sizeof file, "%s/%s", rel, g.names[c]);
            assert_int_equal(mdx_feff_parse_file(data_path(file), &p, &err), 0);
            char type[64];
            mdx_path_type(&p, type, sizeof type);
            int take = p.reff <= 4.0 && ((!strcmp(type, "U-O") && p.reff <= 3.0) ||
                                         !strcmp(type, "U-O-O"));
            mdx_path_free(&p);
            if (!take)
                continue;
            npaths++;
            for (int i = 0; i < MDX_NK; i++)
                want[i] += g.chi[(size_t)c * MDX_NK + i];
        }
        free_golden(&g);
        assert_int_equal(a->npaths[f], npaths);
        for (int i = 0; i < MDX_NK; i++) {
            assert_close(a->chi[f][i], want[i], 1e-10);
            assert_close(b->chi[f][i], a->chi[f][i], 1e-13);
        }
    }
    free(a);
    free(b);
}

static void test_groups_add_up_to_the_whole(void **state)
{
    (void)state;
    mdx_selection sel;
    mdx_selection_init(&sel);
    sel.reff_max = 3.7;
    sel.frame_min = sel.frame_max = 500;
    sums *whole = malloc(sizeof *whole), *parts = malloc(sizeof *parts);
    run(db, &sel, MDX_GROUP_NONE, whole);
    run(db, &sel, MDX_GROUP_TYPE, parts);
    assert_int_equal(whole->n, 2);
    assert_true(parts->n > whole->n);
    for (int f = 0; f < whole->n; f++) {
        double acc[MDX_NK] = {0};
        size_t n = 0;
        for (int p = 0; p < parts->n; p++)
            if (parts->atom[p] == whole->atom[f]) {
                assert_true(parts->group[p][0] != '\0');
                n += parts->npaths[p];
                for (int i = 0; i < MDX_NK; i++)
                    acc[i] += parts->chi[p][i];
            }
        assert_int_equal(n, whole->npaths[f]);
        for (int i = 0; i < MDX_NK; i++)
            assert_close(acc[i], whole->chi[f][i], 1e-15);
    }
    free(whole);
    free(parts);
}

static int keep_even(void *ctx, const mdx_path_meta *m)
{
    (void)ctx;
    return m->num % 2 == 0;
}

static int keep_fails(void *ctx, const mdx_path_meta *m)
{
    int *calls = ctx;
    (void)m;
    return ++*calls == 10 ? -1 : 1;
}

static void test_keep_callback(void **state)
{
    (void)state;
    mdx_selection sel;
    mdx_source *src;
    mdx_error err;
    sums *s = malloc(sizeof *s);
    int calls = 0;
    mdx_selection_init(&sel);
    sel.keep = keep_even;
    run(db, &sel, MDX_GROUP_NONE, s);
    assert_int_equal(s->npaths[0], 179);  /* frame 500 atom 0: 358 paths */

    sel.keep = keep_fails;
    sel.keep_ctx = &calls;
    for (int t = 0; t < 2; t++) {
        const char *path = t ? data_path("uo2_feff85") : db;
        calls = 0;
        assert_int_equal(mdx_source_open(path, &src, &err), MDX_OK);
        memset(s, 0, sizeof *s);
        assert_int_equal(mdx_source_sum(src, &sel, MDX_GROUP_NONE, collect, s, &err),
                         MDX_ERR_STOPPED);
        assert_non_null(strstr(err.msg, "stopped by a function of the "
                                        "selection"));
        assert_int_equal(calls, 10);
        assert_int_equal(s->n, 0);
        mdx_source_close(src);
    }
    free(s);
}

static void test_tables_only_database_gives_the_same_sums(void **state)
{
    (void)state;
    char tables[256];
    mdx_build_stats st;
    mdx_error err;
    snprintf(tables, sizeof tables, "%s/tables.db", dir);
    mdx_build_options o = {.tree = data_path("uo2_feff85"), .db = tables,
                           .tables_only = 1};
    assert_int_equal(mdx_build(&o, NULL, &st, &err), MDX_OK);
    mdx_selection sel;
    mdx_selection_init(&sel);
    sel.reff_max = 5.0;
    sums *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    run(db, &sel, MDX_GROUP_TYPE, a);
    run(tables, &sel, MDX_GROUP_TYPE, b);
    assert_int_equal(a->n, b->n);
    for (int f = 0; f < a->n; f++) {
        assert_string_equal(a->group[f], b->group[f]);
        assert_int_equal(a->npaths[f], b->npaths[f]);
        assert_memory_equal(a->chi[f], b->chi[f], sizeof a->chi[f]);
    }
    free(a);
    free(b);
}

typedef struct closer {
    mdx_source *src;
    int calls;
} closer;

static int close_at_first(void *ctx, const mdx_folder_chi *f)
{
    closer *c = ctx;
    (void)f;
    if (c->calls++ == 0)
        mdx_source_close(c->src);
    return 0;
}

static int close_and_drop(void *ctx, const mdx_path_meta *m)
{
    closer *c = ctx;
    (void)m;
    if (c->calls++ == 0)
        mdx_source_close(c->src);
    return 0;
}

/* The same from a keep hook that keeps nothing, from the tree too: the
 * average's error names the source, after the sum. */
static void test_closed_in_an_average_that_finds_nothing(void **state)
{
    (void)state;
    const char *const paths[] = {db, data_path("uo2_feff6")};
    for (int i = 0; i < 2; i++) {
        mdx_selection sel;
        mdx_error err;
        mdx_query *q;
        mdx_average *avg;
        closer c = {NULL, 0};
        mdx_selection_init(&sel);
        assert_int_equal(mdx_source_open(paths[i], &c.src, &err), MDX_OK);
        assert_int_equal(mdx_query_new(c.src, &sel, &q, &err), MDX_OK);
        mdx_query_hooks(q, close_and_drop, NULL, NULL, &c);
        assert_int_equal(mdx_query_average(q, &avg, &err), MDX_ERR_ARG);
        assert_non_null(strstr(err.msg, "average: no path in "));
        assert_true(c.calls > 0);
        mdx_query_free(q);
    }
}

/* A source closed from its own query's callback lives until the query
 * ends: the query finishes (every folder comes), reading no freed memory
 * (the sanitizer build would see it), and the source is freed then (the
 * leak checker would see it if not). The same through a query, which
 * reads its source after the sum (the absorber, the names check). */
static void test_closed_in_its_own_query(void **state)
{
    (void)state;
    mdx_selection sel;
    mdx_error err;
    mdx_selection_init(&sel);
    for (int through_query = 0; through_query < 2; through_query++) {
        closer c = {NULL, 0};
        assert_int_equal(mdx_source_open(db, &c.src, &err), MDX_OK);
        if (through_query) {
            mdx_query *q;
            assert_int_equal(mdx_query_new(c.src, &sel, &q, &err), MDX_OK);
            assert_int_equal(mdx_query_sum(q, MDX_GROUP_NONE, close_at_first,
                                           &c, &err), MDX_OK);
            mdx_query_free(q);
        } else {
            assert_int_equal(mdx_source_sum(c.src, &sel, MDX_GROUP_NONE,
                                            close_at_first, &c, &err),
                             MDX_OK);
        }
        assert_int_equal(c.calls, 4);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_database_and_tree_agree_with_goldens),
        cmocka_unit_test(test_groups_add_up_to_the_whole),
        cmocka_unit_test(test_keep_callback),
        cmocka_unit_test(test_tables_only_database_gives_the_same_sums),
        cmocka_unit_test(test_closed_in_its_own_query),
        cmocka_unit_test(test_closed_in_an_average_that_finds_nothing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
