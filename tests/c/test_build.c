/* Building a database: what it stores equals xraylarch, and updates do
 * only what they must, ending where a fresh build would. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include <cmocka.h>

#include "golden.h"
#include "mdexafs/build.h"
#include "store/codec.h"
#include "build/scan.h"
#include "store/store.h"
#include "testutil.h"

typedef struct fixture {
    char dir[64], tree[128], db[128];
    int problems;
    mdx_error last_problem;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "%s", temp_dir());
    snprintf(f->tree, sizeof f->tree, "%s/tree", f->dir);
    snprintf(f->db, sizeof f->db, "%s/chi.db", f->dir);
    copy_data("uo2_feff85", f->tree);
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

static void on_problem(void *ctx, const mdx_error *e)
{
    fixture *f = ctx;
    f->problems++;
    f->last_problem = *e;
}

static mdx_build_stats build_into(fixture *f, const char *tree, const char *db,
                                  int rebuild, int threads)
{
    mdx_build_options o = {.tree = tree, .db = db, .threads = threads,
                           .rebuild = rebuild};
    mdx_build_hooks hooks = {f, NULL, on_problem, NULL};
    mdx_build_stats st;
    mdx_error err;
    if (mdx_build(&o, &hooks, &st, &err))
        fail_msg("build failed: %s: %s", err.file, err.msg);
    return st;
}

static mdx_build_stats build(fixture *f)
{
    return build_into(f, f->tree, f->db, 0, 0);
}

static uint64_t digest(const char *db)
{
    mdx_check_report rep;
    mdx_error err;
    assert_int_equal(mdx_check(db, 0, 1, NULL, NULL, &rep, &err), MDX_OK);
    assert_int_equal(rep.bad_blobs, 0);
    return rep.digest;
}

/* Compare every stored chi with the xraylarch golden of its folder. */
typedef struct comparison {
    mdx_codec *codec;
    const char *tree;     /* "uo2_feff85" */
    golden g;
    long frame, atom;
    int paths;
    double worst;
} comparison;

static int compare_path(void *ctx, const mdx_path_blobs *p)
{
    comparison *c = ctx;
    char rel[256], name[32];
    double chi[MDX_NK];
    mdx_error err;
    if (p->frame != c->frame || p->atom != c->atom) {
        if (c->paths)
            free_golden(&c->g);
        snprintf(rel, sizeof rel, "goldens/%s/frame_%ld/atom_%ld/larch_paths.txt",
                 c->tree, p->frame, p->atom);
        load_golden(rel, &c->g);
        c->frame = p->frame;
        c->atom = p->atom;
    }
    snprintf(name, sizeof name, "feff%04d.dat", p->num);
    const double *want = golden_column(&c->g, name);
    assert_non_null(want);
    assert_non_null(p->chi);
    assert_int_equal(mdx_decode_doubles(c->codec, p->chi, p->chi_size, chi,
                                        MDX_NK, &err), MDX_OK);
    for (int i = 0; i < MDX_NK; i++) {
        double d = fabs(chi[i] - want[i]);
        if (!(d <= 1e-10))
            fail_msg("frame %ld atom %ld %s k[%d]: %.17g vs %.17g", p->frame,
                     p->atom, name, i, chi[i], want[i]);
        c->worst = fmax(c->worst, d);
    }
    c->paths++;
    return 0;
}

static void compare_with_goldens(const char *db, const char *tree, int npaths)
{
    comparison c = {.codec = mdx_codec_new(0), .tree = tree, .frame = -1,
                    .atom = -1};
    mdx_store *s;
    mdx_error err;
    assert_int_equal(mdx_store_open(db, MDX_STORE_READ, &s, &err), MDX_OK);
    assert_int_equal(mdx_store_each_path(s, compare_path, &c, &err), MDX_OK);
    printf("  %s: %d stored paths, worst |diff| vs xraylarch %.3g\n", tree,
           c.paths, c.worst);
    assert_int_equal(c.paths, npaths);
    free_golden(&c.g);
    mdx_store_close(s);
    mdx_codec_free(c.codec);
}

static void test_stored_chi_matches_larch(void **state)
{
    fixture *f = *state;
    char tree6[256];
    mdx_build_stats st = build(f);
    assert_int_equal(st.folders, 4);
    assert_int_equal(st.added, 4);
    assert_int_equal(st.paths, 1417);
    assert_int_equal(f->problems, 0);
    compare_with_goldens(f->db, "uo2_feff85", 1417);

    snprintf(tree6, sizeof tree6, "%s/feff6.db", f->dir);
    st = build_into(f, data_path("uo2_feff6"), tree6, 0, 1);
    assert_int_equal(st.paths, 234);
    compare_with_goldens(tree6, "uo2_feff6", 234);
}

static void edit_file(const char *path, const char *from, const char *to)
{
    char *text = read_text(path, NULL);
    char *at = strstr(text, from);
    assert_non_null(at);
    assert_int_equal(strlen(from), strlen(to));
    memcpy(at, to, strlen(to));
    write_text(path, text);
    free(text);
}

/* Change the first digit of real[2*phc] in the table's first row. */
static void bump_table(const char *path)
{
    char *text = read_text(path, NULL);
    char *row = strstr(text, "real[p]@#\n");
    assert_non_null(row);
    char *digit = strstr(row, "  0.000  ") + 9;
    *digit = *digit == '1' ? '2' : '1';
    write_text(path, text);
    free(text);
}

static void test_updates_do_only_what_they_must(void **state)
{
    fixture *f = *state;
    char path[512], fresh[256];
    mdx_build_stats st = build(f);
    assert_int_equal(st.added, 4);

    st = build(f);  /* nothing changed */
    assert_int_equal(st.unchanged, 4);
    assert_int_equal(st.todo, 0);
    assert_int_equal(st.paths, 0);

    snprintf(path, sizeof path, "%s/frame_500/atom_0/feff0005.dat", f->tree);
    struct timeval later[2] = {{2000000000, 0}, {2000000000, 0}};
    assert_int_equal(utimes(path, later), 0);
    st = build(f);  /* touched: read, hashed, not recomputed */
    assert_int_equal(st.todo, 1);
    assert_int_equal(st.touched, 1);
    assert_int_equal(st.unchanged, 3);
    assert_int_equal(st.paths, 0);
    st = build(f);
    assert_int_equal(st.unchanged, 4);

    bump_table(path);
    st = build(f);  /* changed: that folder again */
    assert_int_equal(st.replaced, 1);
    assert_int_equal(st.paths, 358);

    snprintf(path, sizeof path, "cp -R '%s/frame_510' '%s/frame_520'", f->tree,
             f->tree);
    assert_int_equal(system(path), 0);
    st = build(f);  /* new folders */
    assert_int_equal(st.added, 2);
    assert_int_equal(st.unchanged, 4);

    snprintf(path, sizeof path, "%s/frame_500/atom_1", f->tree);
    remove_tree(path);
    st = build(f);  /* a vanished folder */
    assert_int_equal(st.removed, 1);
    assert_int_equal(st.unchanged, 5);
    assert_int_equal(st.todo, 0);

    snprintf(fresh, sizeof fresh, "%s/fresh.db", f->dir);
    build_into(f, f->tree, fresh, 0, 1);
    assert_true(digest(fresh) == digest(f->db));
    assert_int_equal(f->problems, 0);
}

static void test_bad_file_fails_only_its_folder(void **state)
{
    fixture *f = *state;
    char path[512];
    snprintf(path, sizeof path, "%s/frame_510/atom_1/feff0007.dat", f->tree);
    edit_file(path, "1.6130E+01  1.4101E-04", "1.61B0E+01  1.4101E-04");
    mdx_build_stats st = build(f);
    assert_int_equal(st.added, 3);
    assert_int_equal(st.failed, 1);
    assert_int_equal(st.bad_files, 1);
    assert_int_equal(f->problems, 1);
    assert_string_equal(f->last_problem.file, path);
    assert_int_equal(f->last_problem.line, 16);
    assert_non_null(strstr(f->last_problem.msg, "'1.61B0E+01'"));

    mdx_store *s;
    mdx_store_summary sum;
    mdx_error err;
    assert_int_equal(mdx_store_open(f->db, MDX_STORE_READ, &s, &err), MDX_OK);
    assert_int_equal(mdx_store_summary_of(s, &sum, &err), MDX_OK);
    assert_int_equal(sum.folders, 4);
    assert_int_equal(sum.failed_folders, 1);
    assert_int_equal(sum.paths, 1417 - 339);  /* frame_510/atom_1: 339 */
    mdx_store_close(s);

    edit_file(path, "1.61B0E+01  1.4101E-04", "1.6130E+01  1.4101E-04");
    st = build(f);  /* mended: stored now */
    assert_int_equal(st.failed, 0);
    assert_int_equal(st.todo, 1);
    assert_int_equal(st.paths, 339);
    compare_with_goldens(f->db, "uo2_feff85", 1417);
}

static volatile sig_atomic_t stop_flag;

static void stop_after_first(void *ctx, const mdx_build_stats *st)
{
    (void)ctx;
    if (st->done >= 1)
        stop_flag = 1;
}

static void test_interrupted_build_resumes(void **state)
{
    fixture *f = *state;
    char fresh[256];
    mdx_build_options o = {.tree = f->tree, .db = f->db, .threads = 1,
                           .stop = &stop_flag};
    mdx_build_hooks hooks = {f, stop_after_first, on_problem, NULL};
    mdx_build_stats st;
    mdx_error err;
    stop_flag = 0;
    assert_int_equal(mdx_build(&o, &hooks, &st, &err), MDX_ERR_STOPPED);
    assert_non_null(strstr(err.msg, "interrupted after 1 of 4 folders"));
    (void)digest(f->db);  /* whole and readable */
    st = build(f);
    assert_int_equal(st.unchanged, 1);
    assert_int_equal(st.added, 3);
    snprintf(fresh, sizeof fresh, "%s/fresh.db", f->dir);
    build_into(f, f->tree, fresh, 0, 2);
    assert_true(digest(fresh) == digest(f->db));
}

static void test_database_belongs_to_one_tree(void **state)
{
    fixture *f = *state;
    build(f);
    mdx_build_options o = {.tree = data_path("uo2_feff6"), .db = f->db};
    mdx_build_stats st;
    mdx_error err;
    assert_int_equal(mdx_build(&o, NULL, &st, &err), MDX_ERR_ARG);
    assert_non_null(strstr(err.msg, "rebuild it to start over"));
    assert_int_equal(err.remedy, MDX_REMEDY_REBUILD);
    o.rebuild = 1;
    assert_int_equal(mdx_build(&o, NULL, &st, &err), MDX_OK);
    assert_int_equal(st.added, 2);
}

static void test_check_recomputes_from_files(void **state)
{
    fixture *f = *state;
    char path[512];
    mdx_check_report rep;
    mdx_error err;
    build(f);
    assert_int_equal(mdx_check(f->db, 200, 7, NULL, NULL, &rep, &err), MDX_OK);
    assert_int_equal(rep.paths, 1417);
    assert_true(rep.recomputed > 100);
    assert_int_equal(rep.mismatched, 0);
    assert_true(rep.max_diff == 0);
    /* a file edited after the build is caught */
    mdx_tree tree;
    assert_int_equal(mdx_scan(f->tree, 0, &tree, &err), MDX_OK);
    assert_int_equal(mdx_folder_load(&tree, &tree.folders[0], &err), MDX_OK);
    for (size_t i = 0; i < tree.folders[0].npaths; i++) {
        mdx_folder_file(&tree, &tree.folders[0], i, path, sizeof path);
        bump_table(path);
    }
    mdx_tree_free(&tree);
    assert_int_equal(mdx_check(f->db, 2000, 7, on_problem, f, &rep, &err), MDX_OK);
    assert_true(rep.mismatched > 0);
    assert_int_equal(f->problems, rep.mismatched);
}

static void test_merged_shards_equal_a_full_build(void **state)
{
    fixture *f = *state;
    char parts[3][256], merged[256];
    const char *names[3];
    size_t folders = 0;
    mdx_error err;
    for (unsigned i = 0; i < 3; i++) {
        snprintf(parts[i], sizeof parts[i], "%s/part_%u.db", f->dir, i);
        names[i] = parts[i];
        mdx_build_options o = {.tree = f->tree, .db = parts[i],
                               .shard_index = i, .shard_count = 3};
        mdx_build_stats st;
        assert_int_equal(mdx_build(&o, NULL, &st, &err), MDX_OK);
        folders += st.added;
        st = (mdx_build_stats){0};
        assert_int_equal(mdx_build(&o, NULL, &st, &err), MDX_OK);
        assert_int_equal(st.todo, 0);  /* shards update incrementally too */
        o.shard_count = 0;             /* not this shard's database */
        assert_int_equal(mdx_build(&o, NULL, &st, &err), MDX_ERR_ARG);
        assert_non_null(strstr(err.msg, "holds shard"));
    }
    assert_int_equal(folders, 4);  /* every folder in exactly one shard */
    snprintf(merged, sizeof merged, "%s/merged.db", f->dir);
    assert_int_equal(mdx_merge(names, 3, merged, &err), MDX_OK);
    build(f);
    assert_true(digest(merged) == digest(f->db));
    compare_with_goldens(merged, "uo2_feff85", 1417);

    /* refusals: the output exists, parts overlap, parts of other trees */
    assert_int_equal(mdx_merge(names, 3, merged, &err), MDX_ERR_ARG);
    assert_non_null(strstr(err.msg, "exists already"));
    const char *twice[] = {parts[0], parts[0]};
    snprintf(merged, sizeof merged, "%s/twice.db", f->dir);
    assert_int_equal(mdx_merge(twice, 2, merged, &err), MDX_ERR_ARG);
    assert_non_null(strstr(err.msg, "parts overlap"));
    assert_int_equal(access(merged, F_OK), -1);  /* nothing half-written */
    char other[256];
    snprintf(other, sizeof other, "%s/other.db", f->dir);
    build_into(f, data_path("uo2_feff6"), other, 0, 0);
    const char *mixed[] = {parts[0], other};
    assert_int_equal(mdx_merge(mixed, 2, merged, &err), MDX_ERR_ARG);
    assert_string_equal(err.file, other);
    assert_non_null(strstr(err.msg, "not parts of one build"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_stored_chi_matches_larch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_updates_do_only_what_they_must, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_file_fails_only_its_folder, setup, teardown),
        cmocka_unit_test_setup_teardown(test_interrupted_build_resumes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_database_belongs_to_one_tree, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_recomputes_from_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_merged_shards_equal_a_full_build, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
