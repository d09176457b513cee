/* FEFF runs (run.c, run_folder.c, process.c) with stand-in programs: a
 * run recorded only when the program wrote what FEFF must, each failure
 * with its reason, a second run that runs nothing, a changed feff.inp or
 * an interrupted move run again from a clean start, a stop. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include <mdexafs/mdexafs.h>
#include "expect.h"
#include "testutil.h"

static const char *at(const char *rel)
{
    static char path[8][4096];
    static int next;
    char *p = path[next++ % 8];
    snprintf(p, 4096, "%s/%s", group_dir, rel);
    return p;
}

/* A stand-in FEFF: a shell script of `body`, made runnable. */
static const char *program(const char *name, const char *body)
{
    const char *path = at(name);
    char text[2048];
    snprintf(text, sizeof text, "#!/bin/sh\n%s", body);
    write_text(path, text);
    chmod(path, 0755);
    return path;
}

/* A stand-in's lines that write FEFF's files: real ones, copied from the
 * sample tree (chi.dat, feff0001.dat, feff0002.dat) after `before`. */
static const char *writes(const char *before, const char *files_dat)
{
    static char text[16][2048];   /* a test holds at most a dozen at once */
    static int next;
    char *t = text[next++ % 16];
    snprintf(t, 2048, "%sD=%s\ncp $D/chi.dat $D/feff0001.dat $D/feff0002.dat .\n"
             "printf '%s' > files.dat\necho done\n", before,
             data_path("uo2_feff85/frame_500/atom_0"), files_dat);
    return t;
}

#define BOTH " feff0001.dat\\n feff0002.dat\\n"

/* A tree of n folders frame_0/atom_I, each with a feff.inp. */
static const char *tree_of(const char *name, int n)
{
    char path[4096];
    for (int i = 0; i < n; i++) {
        snprintf(path, sizeof path, "mkdir -p %s/%s/frame_0/atom_%d", group_dir, name, i);
        assert_int_equal(system(path), 0);
        snprintf(path, sizeof path, "%s/%s/frame_0/atom_%d/feff.inp", group_dir, name, i);
        write_text(path, "TITLE t\n");
    }
    return at(name);
}

static int contains(const char *path, const char *text)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return 0;
    char buf[8192];
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return strstr(buf, text) != NULL;
}

static int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

static void test_runs_once(void **state)
{
    (void)state;
    const char *tree = tree_of("once", 3);
    mdx_run_options o = {.program = program("good", writes("", BOTH)), .jobs = 2};
    mdx_run_stats st;
    mdx_error err;
    assert_int_equal(mdx_feff_run(tree, &o, &st, &err), MDX_OK);
    assert_int_equal(st.folders, 3);
    assert_int_equal(st.todo, 3);
    assert_int_equal(st.done, 3);
    assert_int_equal(st.failed, 0);
    assert_int_equal(st.running, 0);
    const char *rec = at("once/frame_0/atom_1/mdexafs-run.txt");
    assert_true(contains(rec, "\nstatus = ok\n"));
    assert_true(contains(rec, "\noutput = feff0002.dat\n"));
    assert_true(contains(at("once/frame_0/atom_1/feff.log"), "done"));
    assert_true(exists(at("once/frame_0/atom_1/feff0002.dat")));
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "ls -a %s/once/frame_0/atom_1 | grep -q '^\\.mdexafs-run'", group_dir);
    assert_int_not_equal(system(cmd), 0);   /* no scratch folder left */
    assert_int_equal(mdx_feff_run(tree, &o, &st, &err), MDX_OK);
    assert_int_equal(st.finished, 3);
    assert_int_equal(st.todo, 0);

    /* a changed feff.inp: that folder again, its old outputs gone */
    write_text(at("once/frame_0/atom_2/feff.inp"), "TITLE changed\n");
    o.program = program("one", writes("", " feff0001.dat\\n"));
    assert_int_equal(mdx_feff_run(tree, &o, &st, &err), MDX_OK);
    assert_int_equal(st.todo, 1);
    assert_int_equal(st.done, 1);
    assert_true(contains(at("once/frame_0/atom_2/mdexafs-run.txt"), "\nstatus = ok\n"));
    assert_false(contains(at("once/frame_0/atom_2/files.dat"), "feff0002"));
    assert_true(exists(at("once/frame_0/atom_1/feff0002.dat")));
}

/* A move cut short (its record says "moving"): the next run removes what
 * it lists and runs again; names with a '/' and feff.inp are never
 * removed. */
static void test_interrupted_move(void **state)
{
    (void)state;
    const char *tree = tree_of("moving", 1);
    write_text(at("moving/frame_0/atom_0/feff0009.dat"), "old\n");
    write_text(at("moving/keep.txt"), "mine\n");
    write_text(at("moving/frame_0/atom_0/mdexafs-run.txt"),
               "status = moving\nfeff_inp = 0\noutput = feff0009.dat\noutput = ../../keep.txt\n"
               "output = feff.inp\n");
    mdx_run_options o = {.program = program("good2", writes("", BOTH)), .jobs = 1};
    mdx_run_stats st;
    mdx_error err;
    assert_int_equal(mdx_feff_run(tree, &o, &st, &err), MDX_OK);
    assert_int_equal(st.done, 1);
    assert_false(exists(at("moving/frame_0/atom_0/feff0009.dat")));
    assert_true(exists(at("moving/keep.txt")));
    assert_true(exists(at("moving/frame_0/atom_0/feff.inp")));
}

/* FEFF's files that no record lists (FEFF run there by hand): the folder
 * is left as it is and fails, named. */
static void test_unrecorded_files(void **state)
{
    (void)state;
    const char *tree = tree_of("byhand", 1);
    write_text(at("byhand/frame_0/atom_0/chi.dat"), "mine\n");
    mdx_run_options o = {.program = program("good5", writes("", BOTH))};
    mdx_run_stats st;
    mdx_error err;
    assert_int_equal(mdx_feff_run(tree, &o, &st, &err), MDX_OK);
    assert_int_equal(st.failed, 1);
    assert_true(contains(at("byhand/frame_0/atom_0/chi.dat"), "mine"));
    assert_false(exists(at("byhand/frame_0/atom_0/mdexafs-run.txt")));
}

/* Each way a program fails: recorded with its reason, run again next. */
static void test_failures(void **state)
{
    (void)state;
    char cut_path[2048], cut_rows[2048], cut_chi[2048], chi_only[1024];
    snprintf(chi_only, sizeof chi_only, "cp %s .\n", data_path("uo2_feff85/frame_500/atom_0/chi.dat"));
    snprintf(cut_path, sizeof cut_path, "%shead -c 3000 feff0002.dat > x && mv x feff0002.dat\n",
             writes("", BOTH));
    snprintf(cut_rows, sizeof cut_rows, "%shead -n 40 feff0002.dat > x && mv x feff0002.dat\n",
             writes("", BOTH));
    snprintf(cut_chi, sizeof cut_chi, "%shead -c 30007 chi.dat > x && mv x chi.dat\n",
             writes("", BOTH));
    const struct {
        const char *body, *reason;
    } cases[] = {
        {"echo 'Fatal error: bad card'\nexit 2\n", "exit status 2 (feff.log: Fatal error: bad card)"},
        {"echo started\nkill -9 $$\n", "killed by signal 9 (feff.log: started)"},
        {"echo ok\n", "exit status 0 but neither files.dat nor feff.bin (feff.log: ok)"},
        {chi_only, "exit status 0 but neither files.dat nor feff.bin"},
        {writes("", " feff0001.dat\\n feff0003.dat\\n"),
         "files.dat lists feff0003.dat, which is not there"},
        {writes("", "# none\\n"), "files.dat lists no path file"},
        {cut_path, "feff0002.dat does not read whole"},
        {cut_rows, "feff0002.dat: the table covers k = 0 .. "},   /* whole lines, too few */
        {cut_chi, "chi.dat "},   /* reads badly, or ends in the middle of a line */
        {writes("echo mine > atom.txt\n", BOTH), "it wrote atom.txt, which is not a file FEFF may write"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char name[32];
        snprintf(name, sizeof name, "fail%zu", i);
        const char *tree = tree_of(name, 1);
        mdx_run_options o = {.program = program("bad", cases[i].body), .jobs = 1};
        mdx_run_stats st;
        mdx_error err;
        assert_int_equal(mdx_feff_run(tree, &o, &st, &err), MDX_OK);
        if (st.failed != 1)
            fail_msg("case %zu (%s): not failed", i, cases[i].reason);
        char rec[4096], want[512];
        snprintf(rec, sizeof rec, "%s/frame_0/atom_0/mdexafs-run.txt", tree);
        snprintf(want, sizeof want, "\nreason = %s", cases[i].reason);
        if (!contains(rec, "\nstatus = failed\n") || !contains(rec, want))
            fail_msg("case %zu: no '%s' in the record", i, cases[i].reason);
        o.program = program("good3", writes("", BOTH));
        assert_int_equal(mdx_feff_run(tree, &o, &st, &err), MDX_OK);
        assert_int_equal(st.done, 1);
    }
    /* feff.bin instead of files.dat is a finished run */
    const char *tree = tree_of("bin", 1);
    mdx_run_options o = {.program = program("binout", writes("echo b > feff.bin\n", "# none\\n"))};
    mdx_run_stats st;
    mdx_error err;
    assert_int_equal(mdx_feff_run(tree, &o, &st, &err), MDX_OK);
    assert_int_equal(st.done, 1);
}

static int stop_at_once(void *ctx, const mdx_run_stats *st)
{
    (void)ctx, (void)st;
    return 1;
}

static void test_stop_and_refusals(void **state)
{
    (void)state;
    const char *tree = tree_of("stop", 2);
    mdx_run_options o = {.program = program("slow", "sleep 5\n"), .jobs = 2,
                         .progress = stop_at_once};
    mdx_run_stats st;
    mdx_error err;
    assert_int_equal(mdx_feff_run(tree, &o, &st, &err), MDX_ERR_STOPPED);
    assert_int_equal(st.running, 0);
    assert_false(contains(at("stop/frame_0/atom_0/mdexafs-run.txt"), "status = ok"));
    o = (mdx_run_options){.program = "/no/such/feff"};
    assert_error(mdx_feff_run(tree, &o, &st, &err), err, MDX_ERR_ARG, "", 0,
                 "/no/such/feff: no such program to run (not found, or not an executable file)");
    o.program = program("good4", writes("", BOTH));
    assert_int_equal(mdx_feff_run(at("nowhere"), &o, &st, &err), MDX_ERR_IO);
    assert_non_null(strstr(err.msg, "cannot list"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_runs_once), cmocka_unit_test(test_interrupted_move),
        cmocka_unit_test(test_unrecorded_files),
        cmocka_unit_test(test_failures), cmocka_unit_test(test_stop_and_refusals),
    };
    return cmocka_run_group_tests(tests, group_dir_make, group_dir_remove);
}
