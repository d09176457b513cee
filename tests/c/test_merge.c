/* Merging shard databases (merge.c): shards of uo2_feff85 built with
 * mdx_build merge into a database holding every folder and path once,
 * with the content of a full build (mdx_check's digest), whatever the
 * order of the parts; each refusal (no parts, an existing output, parts
 * that overlap, of another tree, of another layout, a part that is not a
 * database) names its file and writes nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <mdexafs/mdexafs.h>
#include "expect.h"
#include "testutil.h"

typedef struct fixture {
    char dir[64], parts[3][128], out[128];
} fixture;

static void build(const char *tree, const char *db, unsigned index,
                  unsigned count, int tables_only, mdx_build_stats *st)
{
    mdx_build_options o = {.tree = tree, .db = db, .threads = 2,
                           .shard_index = index, .shard_count = count,
                           .tables_only = tables_only};
    mdx_error err;
    if (mdx_build(&o, NULL, st, &err))
        fail_msg("build of %s failed: %s", db, err.msg);
}

/* Three shards of uo2_feff85 (1417 paths in 4 folders). */
static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    size_t folders = 0, paths = 0;
    snprintf(f->dir, sizeof f->dir, "%s", temp_dir());
    snprintf(f->out, sizeof f->out, "%s/merged.db", f->dir);
    for (unsigned i = 0; i < 3; i++) {
        mdx_build_stats st;
        snprintf(f->parts[i], sizeof f->parts[i], "%s/part%u.db", f->dir, i);
        build(data_path("uo2_feff85"), f->parts[i], i, 3, 0, &st);
        folders += st.added;
        paths += st.paths;
    }
    assert_int_equal(folders, 4);  /* each folder in one shard */
    assert_int_equal(paths, 1417);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    remove_tree(f->dir);
    free(f);
    return 0;
}

static mdx_check_report check(const char *db)
{
    mdx_check_report rep;
    mdx_error err;
    assert_int_equal(mdx_check(db, 0, 1, NULL, NULL, &rep, &err), MDX_OK);
    assert_int_equal(rep.bad_pages, 0);
    assert_int_equal(rep.bad_blobs, 0);
    return rep;
}

static void test_shards_merge_into_the_full_build(void **state)
{
    fixture *f = *state;
    const char *parts[3] = {f->parts[2], f->parts[0], f->parts[1]};
    char full[128], again[128];
    mdx_build_stats st;
    mdx_error err;
    assert_int_equal(mdx_merge(parts, 3, f->out, &err), MDX_OK);
    snprintf(full, sizeof full, "%s/full.db", f->dir);
    build(data_path("uo2_feff85"), full, 0, 0, 0, &st);
    mdx_check_report merged = check(f->out), whole = check(full);
    assert_int_equal(merged.paths, 1417);
    assert_true(merged.digest == whole.digest);
    /* a build of the merged database finds nothing to do */
    mdx_build_options o = {.tree = data_path("uo2_feff85"), .db = f->out};
    assert_int_equal(mdx_build(&o, NULL, &st, &err), MDX_OK);
    assert_int_equal(st.folders, 4);
    assert_int_equal(st.unchanged, 4);
    assert_int_equal(st.todo, 0);
    /* one part alone is a database of its folders */
    snprintf(again, sizeof again, "%s/one.db", f->dir);
    assert_int_equal(mdx_merge(parts, 1, again, &err), MDX_OK);
    assert_true(check(again).digest == check(f->parts[2]).digest);
}

static void test_refusals_write_nothing(void **state)
{
    fixture *f = *state;
    const char *parts[3] = {f->parts[0], f->parts[1], f->parts[2]};
    char other[128], tables[128], text[128];
    mdx_build_stats st;
    mdx_error err;
    assert_error(mdx_merge(parts, 0, f->out, &err), err, MDX_ERR_ARG, "", 0,
                 "no parts to merge");
    write_text(f->out, "x");
    assert_error(mdx_merge(parts, 3, f->out, &err), err, MDX_ERR_ARG, f->out, 0,
                 "exists already: merge writes a new database");
    unlink(f->out);
    /* the same shard twice: its folders overlap */
    const char *twice[2] = {f->parts[1], f->parts[1]};
    assert_error(mdx_merge(twice, 2, f->out, &err), err, MDX_ERR_ARG,
                 f->parts[1], 0, "is in an earlier part too: parts overlap");
    assert_memory_equal(err.msg, "folder frame_5", 14);
    assert_int_equal(access(f->out, F_OK), -1);

    snprintf(other, sizeof other, "%s/feff6.db", f->dir);
    build(data_path("uo2_feff6"), other, 0, 0, 0, &st);
    const char *trees[2] = {f->parts[0], other};
    assert_error(mdx_merge(trees, 2, f->out, &err), err, MDX_ERR_ARG, other, 0,
                 "not parts of one build");
    assert_non_null(strstr(err.msg, "root is '"));

    snprintf(tables, sizeof tables, "%s/tables.db", f->dir);
    build(data_path("uo2_feff85"), tables, 1, 3, 1, &st);
    const char *layouts[2] = {f->parts[0], tables};
    assert_error(mdx_merge(layouts, 2, f->out, &err), err, MDX_ERR_ARG, tables,
                 0, "not parts of one build");
    assert_non_null(strstr(err.msg, "layout is '"));

    snprintf(text, sizeof text, "%s/notes.txt", f->dir);
    write_text(text, "not a database\n");
    const char *bad[2] = {f->parts[0], text};
    assert_error(mdx_merge(bad, 2, f->out, &err), err, MDX_ERR_FORMAT, text, 0,
                 "not an mdexafs database (not SQLite)");
    assert_int_equal(access(f->out, F_OK), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_shards_merge_into_the_full_build, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals_write_nothing, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
