/* Finding frame_N/.../atom_M folders and their files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <cmocka.h>

#include "build/scan.h"
#include "testutil.h"

static void make(const char *root, const char *rel, const char *text)
{
    char path[4096], cmd[4200];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    snprintf(cmd, sizeof cmd, "mkdir -p \"$(dirname '%s')\"", path);
    assert_int_equal(system(cmd), 0);
    if (text)
        write_text(path, text);
    else
        assert_int_equal(mkdir(path, 0755), 0);
}

static void test_finds_folders_at_any_depth(void **state)
{
    (void)state;
    const char *root = temp_dir();
    make(root, "working_0/frame_10/atom_2/feff0010.dat", "x");
    make(root, "working_0/frame_10/atom_2/feff0002.dat", "x");
    make(root, "working_0/frame_10/atom_2/feff0001.dat", "x");
    make(root, "working_0/frame_10/atom_2/feff.inp", "x");
    make(root, "working_0/frame_10/atom_2/chi.dat", "x");
    make(root, "working_0/frame_10/atom_2/notes.txt", "x");
    make(root, "frame_5/batch_1/atom_0/feff0001.dat", "x");
    make(root, "frame_5/atom_1", NULL);
    make(root, "atom_9/feff0001.dat", "x");        /* no frame above */
    make(root, "frame_5x/atom_3/feff0001.dat", "x"); /* not a frame */

    mdx_tree t;
    mdx_error err;
    assert_int_equal(mdx_scan(root, 0, &t, &err), MDX_OK);
    assert_int_equal(t.nfolders, 3);
    assert_int_equal(t.folders[0].frame, 5);
    assert_int_equal(t.folders[0].atom, 0);
    assert_string_equal(t.folders[0].dir, "frame_5/batch_1/atom_0");
    assert_int_equal(t.folders[1].atom, 1);
    assert_int_equal(t.folders[1].npaths, 0);
    mdx_folder *f = &t.folders[2];
    assert_null(f->files);  /* the scan keeps counts, not lists */
    assert_int_equal(f->npaths, 3);
    assert_int_equal(mdx_folder_load(&t, f, &err), MDX_OK);
    assert_int_equal(f->frame, 10);
    assert_int_equal(f->atom, 2);
    assert_int_equal(f->npaths, 3);
    assert_int_equal(f->nfiles, 5);
    assert_string_equal(f->files[0].name, "feff0001.dat");
    assert_string_equal(f->files[1].name, "feff0002.dat");
    assert_string_equal(f->files[2].name, "feff0010.dat");
    assert_string_equal(f->files[3].name, "chi.dat");
    assert_string_equal(f->files[4].name, "feff.inp");
    char path[4096];
    mdx_folder_file(&t, f, 2, path, sizeof path);
    assert_non_null(strstr(path, "/working_0/frame_10/atom_2/feff0010.dat"));
    mdx_tree_free(&t);
    remove_tree(root);
}

static void test_stamp_follows_sizes_and_times(void **state)
{
    (void)state;
    const char *root = temp_dir();
    char file[4096];
    make(root, "frame_1/atom_1/feff0001.dat", "abc");
    snprintf(file, sizeof file, "%s/frame_1/atom_1/feff0001.dat", root);
    mdx_tree a, b, c;
    mdx_error err;
    assert_int_equal(mdx_scan(root, 0, &a, &err), MDX_OK);
    assert_int_equal(mdx_scan(root, 0, &b, &err), MDX_OK);
    assert_true(a.folders[0].stamp == b.folders[0].stamp);
    struct timeval later[2] = {{2000000000, 0}, {2000000000, 0}};
    assert_int_equal(utimes(file, later), 0);
    assert_int_equal(mdx_scan(root, 0, &c, &err), MDX_OK);
    assert_true(a.folders[0].stamp != c.folders[0].stamp);
    mdx_tree_free(&a);
    mdx_tree_free(&b);
    mdx_tree_free(&c);
    remove_tree(root);
}

static void test_numbers_in_names(void **state)
{
    (void)state;
    assert_int_equal(mdx_scan_number("frame_2000", "frame_"), 2000);
    assert_int_equal(mdx_scan_number("frame_", "frame_"), -1);
    assert_int_equal(mdx_scan_number("frame_2a", "frame_"), -1);
    assert_int_equal(mdx_scan_number("atom_0", "atom_"), 0);
    assert_int_equal(mdx_path_file_number("feff0123.dat"), 123);
    assert_int_equal(mdx_path_file_number("feff.dat"), -1);
    assert_int_equal(mdx_path_file_number("feff.inp"), -1);
    assert_int_equal(mdx_path_file_number("feff12x.dat"), -1);
}

static void test_missing_root_is_an_error(void **state)
{
    (void)state;
    mdx_tree t;
    mdx_error err;
    assert_int_equal(mdx_scan("/nonexistent/tree", 0, &t, &err), MDX_ERR_IO);
    assert_string_equal(err.file, "/nonexistent/tree");
    assert_int_equal(mdx_scan(data_path("README.md"), 0, &t, &err), MDX_ERR_IO);
    assert_non_null(strstr(err.msg, "not a folder"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_finds_folders_at_any_depth),
        cmocka_unit_test(test_stamp_follows_sizes_and_times),
        cmocka_unit_test(test_numbers_in_names),
        cmocka_unit_test(test_missing_root_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
