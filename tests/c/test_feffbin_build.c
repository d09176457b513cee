/* Folders read from feff.bin: a tree of them builds; the database gives
 * the same chi(k) as the tree; it takes no more room per path than the
 * path files; --prefer switches folders that have both; and the shared
 * table is needed to decode their paths. */
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
#include "mdexafs/build.h"
#include "mdexafs/feff.h"
#include "mdexafs/source.h"
#include "build/scan.h"
#include "store/store_private.h"
#include "testutil.h"

/* The sample tree in three forms: as it is (frame_900 has both kinds of
 * files, frame_910 only feff.bin), frame_900 with feff.bin only, and
 * frame_900 with path files only. */
typedef struct fixture {
    char dir[64], both[128], bin[128], dat[128];
} fixture;

static void shell(const char *fmt, const char *a, const char *b)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, fmt, a, b);
    assert_int_equal(system(cmd), 0);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "%s", temp_dir());
    snprintf(f->both, sizeof f->both, "%s/both", f->dir);
    snprintf(f->bin, sizeof f->bin, "%s/bin", f->dir);
    snprintf(f->dat, sizeof f->dat, "%s/dat", f->dir);
    copy_data("uo2_feffbin", f->both);
    shell("mkdir -p '%1$s/frame_900' && cp -R '%2$s/frame_900/atom_0' '%1$s/"
          "frame_900'", f->bin, f->both);
    shell("rm '%s'/frame_900/atom_0/feff0*.dat%s", f->bin, "");
    shell("mkdir -p '%1$s/frame_900' && cp -R '%2$s/frame_900/atom_0' '%1$s/"
          "frame_900'", f->dat, f->both);
    shell("rm '%s'/frame_900/atom_0/feff.bin%s", f->dat, "");
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

static mdx_build_stats build(const char *tree, const char *db,
                             enum mdx_prefer prefer)
{
    mdx_build_options o = {.tree = tree, .db = db, .prefer = prefer};
    mdx_build_stats st;
    mdx_error err;
    if (mdx_build(&o, NULL, &st, &err))
        fail_msg("build failed: %s: %s", err.file, err.msg);
    return st;
}

/* The sum of all paths of each folder of `path`, concatenated. */
typedef struct sums {
    size_t n;
    double chi[4][MDX_NK];
    size_t npaths[4];
} sums;

static int keep_sum(void *ctx, const mdx_folder_chi *f)
{
    sums *s = ctx;
    assert_true(s->n < 4);
    memcpy(s->chi[s->n], f->chi, sizeof s->chi[0]);
    s->npaths[s->n++] = f->npaths;
    return 0;
}

static sums sum_all(const char *path, enum mdx_prefer prefer)
{
    mdx_source *src;
    mdx_error err;
    mdx_selection sel;
    sums s = {0};
    mdx_selection_init(&sel);
    if (mdx_source_open_as(path, prefer, &src, &err))
        fail_msg("%s: %s", err.file, err.msg);
    assert_int_equal(mdx_source_sum(src, &sel, MDX_GROUP_NONE, keep_sum, &s,
                                     &err), MDX_OK);
    mdx_source_close(src);
    return s;
}

static int64_t query(const char *db, const char *sql)
{
    mdx_store *s;
    mdx_error err;
    assert_int_equal(mdx_store_open(db, MDX_STORE_READ, &s, &err), MDX_OK);
    int64_t v = mdx_store_int(s, sql);
    mdx_store_close(s);
    return v;
}

/* A tree of feff.bin folders builds; its database gives the tree's sums
 * bit for bit (with and without path parameters); they agree with the
 * path files' within the effect of their 5-digit rounding; check finds
 * every stored path equal to its feff.bin's. */
static void test_feffbin_tree_builds_as_its_files(void **state)
{
    fixture *f = *state;
    char db[256], datdb[256];
    snprintf(db, sizeof db, "%s/bin.db", f->dir);
    snprintf(datdb, sizeof datdb, "%s/dat.db", f->dir);
    mdx_build_stats st = build(f->bin, db, MDX_PREFER_RECORDED);
    assert_int_equal(st.added, 1);
    assert_int_equal(st.failed, 0);
    assert_int_equal(st.paths, 356);
    build(f->dat, datdb, MDX_PREFER_RECORDED);
    assert_int_equal(query(db, "SELECT count(*) FROM sources WHERE kind = "
                               "'feff.bin' AND tables IS NOT NULL"), 1);
    assert_int_equal(query(datdb, "SELECT count(*) FROM sources WHERE kind "
                                  "IS NULL AND tables IS NULL"), 1);

    sums from_db = sum_all(db, MDX_PREFER_RECORDED);
    sums from_tree = sum_all(f->bin, MDX_PREFER_RECORDED);
    sums from_dat = sum_all(f->dat, MDX_PREFER_RECORDED);
    assert_int_equal(from_db.n, 1);
    assert_int_equal(from_db.npaths[0], 356);
    assert_memory_equal(from_db.chi[0], from_tree.chi[0], sizeof from_db.chi[0]);
    double peak = 0, worst = 0;
    for (int i = 0; i < MDX_NK; i++) {
        double d = from_db.chi[0][i] - from_dat.chi[0][i];
        peak = fabs(from_dat.chi[0][i]) > peak ? fabs(from_dat.chi[0][i]) : peak;
        worst = fabs(d) > worst ? fabs(d) : worst;
    }
    print_message("  sum of 356 paths: feff.bin vs feffNNNN.dat %.2e of "
                  "its largest |chi| %.3g\n", worst / peak, peak);
    assert_true(worst <= 3e-3 * peak);

    mdx_check_report rep;
    mdx_error err;
    assert_int_equal(mdx_check(db, 1000, 7, NULL, NULL, &rep, &err), MDX_OK);
    assert_int_equal(rep.bad_blobs, 0);
    assert_int_equal(rep.recomputed, 356);
    assert_int_equal(rep.mismatched, 0);
    assert_true(rep.max_diff == 0);
}

/* Path parameters make queries decode the FEFF blobs, which need the
 * folder's table: the same numbers from the database as from the tree. */
static void test_parameters_decode_with_the_table(void **state)
{
    fixture *f = *state;
    char db[256];
    snprintf(db, sizeof db, "%s/bin.db", f->dir);
    build(f->bin, db, MDX_PREFER_RECORDED);
    mdx_chi_params par = mdx_chi_defaults();
    par.sigma2 = 0.004;
    par.e0 = 2.5;
    double chi[2][MDX_NK];
    const char *paths[2] = {db, f->bin};
    for (int s = 0; s < 2; s++) {
        mdx_source *src;
        mdx_path p;
        mdx_error err;
        double k[MDX_NK];
        mdx_chi_work work = {0};
        mdx_kgrid(k);
        assert_int_equal(mdx_source_open(paths[s], &src, &err), MDX_OK);
        assert_int_equal(mdx_source_get_path(src, 900, 0, 117, &p, &err),
                         MDX_OK);
        assert_int_equal(p.index, 117);
        assert_int_equal(mdx_chi(&p, &par, MDX_NK, k, chi[s], &work, &err),
                         MDX_OK);
        mdx_path_free(&p);
        mdx_chi_work_free(&work);
        mdx_source_close(src);
    }
    assert_memory_equal(chi[0], chi[1], sizeof chi[0]);
}

/* Per path, a feff.bin folder stores no more than the same folder's path
 * files (chi, FEFF blob and its share of the table). */
static void test_storage_per_path_at_most_the_path_files(void **state)
{
    fixture *f = *state;
    char db[256], datdb[256];
    static const char sql[] =
        "SELECT (SELECT sum(length(data)) FROM chi) + (SELECT "
        "sum(length(data)) FROM feff) + (SELECT coalesce(sum(length("
        "tables)), 0) FROM sources)";
    snprintf(db, sizeof db, "%s/bin.db", f->dir);
    snprintf(datdb, sizeof datdb, "%s/dat.db", f->dir);
    build(f->bin, db, MDX_PREFER_RECORDED);
    build(f->dat, datdb, MDX_PREFER_RECORDED);
    int64_t bin = query(db, sql), dat = query(datdb, sql);
    print_message("  bytes per path: %.0f from feff.bin, %.0f from path "
                  "files\n", bin / 356.0, dat / 356.0);
    assert_true(bin > 0 && bin <= dat);
}

/* Folders with both kinds of files: path files by default, feff.bin when
 * asked; the choice is recorded, kept by later builds, and a source
 * opened with the other preference is refused. */
static void test_prefer_switches_folders_with_both(void **state)
{
    fixture *f = *state;
    char db[256];
    mdx_source *src;
    mdx_error err;
    snprintf(db, sizeof db, "%s/both.db", f->dir);
    mdx_build_stats st = build(f->both, db, MDX_PREFER_RECORDED);
    assert_int_equal(st.added, 2);
    assert_int_equal(query(db, "SELECT count(*) FROM sources WHERE kind = "
                               "'feff.bin'"), 1);  /* frame_910 */
    st = build(f->both, db, MDX_PREFER_BIN);
    assert_int_equal(st.replaced, 1);   /* frame_900, now from feff.bin */
    assert_int_equal(st.unchanged, 1);
    assert_int_equal(query(db, "SELECT count(*) FROM sources WHERE kind = "
                               "'feff.bin'"), 2);
    st = build(f->both, db, MDX_PREFER_RECORDED);  /* keeps feff.bin */
    assert_int_equal(st.unchanged, 2);
    mdx_freshness fr;
    mdx_check_freshness(db, NULL, MDX_VERIFY_FOLDERS, &fr);
    assert_int_equal(fr.state, MDX_FRESH);
    mdx_check_freshness(db, NULL, MDX_VERIFY_FILES, &fr);
    assert_int_equal(fr.state, MDX_FRESH);

    assert_int_equal(mdx_source_open_as(db, MDX_PREFER_DAT, &src, &err),
                     MDX_ERR_ARG);
    assert_non_null(strstr(err.msg, "build it again preferring the "
                           "feffNNNN.dat files"));
    assert_int_equal(err.remedy, MDX_REMEDY_PREFER_DAT);
    sums db_sums = sum_all(db, MDX_PREFER_BIN);
    sums tree_sums = sum_all(f->both, MDX_PREFER_BIN);
    assert_int_equal(db_sums.n, 2);
    assert_memory_equal(db_sums.chi, tree_sums.chi, sizeof db_sums.chi);

    st = build(f->both, db, MDX_PREFER_DAT);
    assert_int_equal(st.replaced, 1);
    assert_int_equal(query(db, "SELECT count(*) FROM sources WHERE kind = "
                               "'feff.bin'"), 1);
}

/* What cannot be read from a folder's feff.bin fails the folder with the
 * file named: both feff.bin and feff.pad, a damaged feff.bin, a list.dat
 * of another run. */
static void test_bad_feffbin_folders_fail_by_name(void **state)
{
    fixture *f = *state;
    char db[256], folder[256];
    mdx_tree t;
    mdx_error err;
    snprintf(folder, sizeof folder, "%s/frame_900/atom_0", f->bin);
    shell("cp '%s/feff.bin' '%s/feff.pad'", folder, folder);
    assert_int_equal(mdx_scan(f->bin, 0, &t, &err), MDX_OK);
    assert_non_null(t.folders[0].problem);
    assert_non_null(strstr(t.folders[0].problem, "feff.bin and feff.pad"));
    mdx_tree_free(&t);
    shell("rm '%s/feff.pad'%s", folder, "");

    snprintf(db, sizeof db, "%s/bad.db", f->dir);
    shell("sed -i '40s/^./\\x01/' '%s/feff.bin'%s", folder, "");
    mdx_build_stats st = build(f->bin, db, MDX_PREFER_RECORDED);
    assert_int_equal(st.failed, 1);
    assert_int_equal(st.paths, 0);
    assert_int_equal(query(db, "SELECT count(*) FROM sources WHERE error "
                               "LIKE '%feff.bin:40:%'"), 1);

    /* a feff.bin directly in the tree's root: one run, not a tree */
    assert_int_equal(mdx_scan(folder, 0, &t, &err), MDX_ERR_ARG);
    assert_non_null(strstr(err.msg, "a feff.bin directly in this folder"));
}

/* Without list.dat, paths.dat's paths must all be in feff.bin: a file cut
 * at a path record is refused, not read as fewer paths. */
static void test_feffbin_cut_at_a_record_is_found(void **state)
{
    fixture *f = *state;
    char folder[256], file[300];
    mdx_feffbin fb;
    mdx_error err;
    snprintf(folder, sizeof folder, "%s/frame_900/atom_0", f->bin);
    shell("cd '%s' && rm list.dat && awk '/^##   200 / { exit } { print }' "
          "feff.bin > cut && mv cut feff.bin%s", folder, "");
    snprintf(file, sizeof file, "%s/feff.bin", folder);
    assert_int_equal(mdx_feffbin_read(file, &fb, &err), MDX_ERR_FORMAT);
    assert_non_null(strstr(err.file, "paths.dat"));
    assert_non_null(strstr(err.msg, "path 200, listed here, is not in "
                                    "feff.bin: is feff.bin cut short?"));
    shell("rm '%s/paths.dat'%s", folder, "");  /* nothing to tell: 199 */
    assert_int_equal(mdx_feffbin_read(file, &fb, &err), MDX_OK);
    assert_int_equal(fb.npaths, 199);
    mdx_feffbin_free(&fb);
}

/* feff.bin parsed on several threads at once, as a build does (the
 * parser once split words with strtok, whose state all threads shared):
 * every parse succeeds with every path. */
static void test_parsed_on_many_threads_at_once(void **state)
{
    (void)state;
    size_t len;
    char *text = read_text(data_path("uo2_feffbin/frame_910/atom_0/"
                                     "feff.bin"), &len);
    int failed = 0;
#pragma omp parallel for num_threads(4) reduction(+ : failed)
    for (int i = 0; i < 200; i++) {
        mdx_feffbin fb;
        mdx_error err;
        if (mdx_feffbin_parse(text, len, "feff.bin", 0, NULL, 0, &fb, &err))
            failed++;
        else
            failed += fb.npaths != 353;
        mdx_feffbin_free(&fb);
    }
    free(text);
    assert_int_equal(failed, 0);
}

/* A FEFF blob that refers to its folder's table decodes only with it. */
static void test_shared_columns_need_the_table(void **state)
{
    (void)state;
    mdx_feffbin fb;
    mdx_error err;
    mdx_codec *c = mdx_codec_new(0);
    mdx_buf b = {0};
    mdx_path q;
    assert_int_equal(mdx_feffbin_read(data_path("uo2_feffbin/frame_910/"
                                                "atom_0/feff.bin"), &fb, &err),
                     MDX_OK);
    const mdx_path *p = &fb.paths[fb.npaths - 1], *table = &fb.paths[0];
    assert_int_equal(mdx_encode_path(c, p, table, &b, &err), MDX_OK);
    assert_int_equal(mdx_decode_path(c, b.data, b.len, NULL, &q, &err),
                     MDX_ERR_FORMAT);
    assert_non_null(strstr(err.msg, "folder's table"));
    assert_int_equal(mdx_decode_path(c, b.data, b.len, table, &q, &err),
                     MDX_OK);
    for (int col = 0; col < MDX_NCOLUMNS; col++)
        assert_memory_equal(q.col[col], p->col[col], p->nrows * sizeof(double));
    assert_memory_equal(q.legs, p->legs, p->nleg * sizeof *p->legs);
    mdx_path_free(&q);
    mdx_buf_free(&b);
    mdx_codec_free(c);
    mdx_feffbin_free(&fb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_feffbin_tree_builds_as_its_files,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_parameters_decode_with_the_table,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_storage_per_path_at_most_the_path_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prefer_switches_folders_with_both,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_feffbin_folders_fail_by_name,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_feffbin_cut_at_a_record_is_found,
                                        setup, teardown),
        cmocka_unit_test(test_parsed_on_many_threads_at_once),
        cmocka_unit_test(test_shared_columns_need_the_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
