/* Averages across folders: the mean of folder sums, its standard error,
 * truncation to the shortest folder, and the k-chi file format. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mdexafs/query.h"
#include "mdexafs/output.h"
#include "testutil.h"

static void test_mean_and_standard_error(void **state)
{
    (void)state;
    double k[3] = {0, 0.5, 1}, mean[3], sem[3];
    double a[3] = {1, 2, 3}, b[3] = {3, 2, 1}, c[3] = {2, 5, -1};
    mdx_average *avg;
    mdx_error err;
    assert_int_equal(mdx_average_new(3, k, &avg, &err), MDX_OK);
    mdx_average_add(avg, a, 3, 2);
    mdx_average_add(avg, b, 3, 1);
    mdx_average_add(avg, c, 3, 4);
    mdx_average_result(avg, mean, sem);
    assert_int_equal(mdx_average_nfolders(avg), 3);
    assert_int_equal(mdx_average_npaths(avg), 7);
    assert_close(mean[0], 2.0, 0);
    assert_close(mean[1], 3.0, 0);
    assert_close(mean[2], 1.0, 0);
    /* sample sd of {1,3,2} is 1, of {2,2,5} sqrt(3), of {3,1,-1} 2 */
    assert_close(sem[0], 1 / sqrt(3), 1e-15);
    assert_close(sem[1], 1.0, 1e-15);
    assert_close(sem[2], 2 / sqrt(3), 1e-15);
    mdx_average_free(avg);
}

static void test_one_folder_has_no_spread(void **state)
{
    (void)state;
    double k[2] = {0, 1}, v[2] = {0.25, -0.5}, mean[2], sem[2];
    mdx_average *avg;
    mdx_error err;
    assert_int_equal(mdx_average_new(2, k, &avg, &err), MDX_OK);
    mdx_average_add(avg, v, 2, 1);
    mdx_average_result(avg, mean, sem);
    assert_memory_equal(mean, v, sizeof v);
    assert_true(sem[0] == 0 && sem[1] == 0);
    mdx_average_free(avg);
}

static void test_shorter_folder_truncates(void **state)
{
    (void)state;
    double k[4] = {1, 2, 3, 4}, a[4] = {1, 1, 1, 1}, b[3] = {3, 3, 3}, mean[4];
    mdx_average *avg;
    mdx_error err;
    assert_int_equal(mdx_average_new(4, k, &avg, &err), MDX_OK);
    mdx_average_add(avg, a, 4, 0);
    mdx_average_add(avg, b, 3, 0);
    assert_int_equal(mdx_average_size(avg), 3);
    mdx_average_result(avg, mean, NULL);
    assert_close(mean[2], 2.0, 0);
    mdx_average_free(avg);
}

static void test_chi_file_format(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    char file[256];
    double k[2] = {0, 0.05}, chi[2] = {-0.0386349, 1.0 / 3}, sem[2] = {0.001, 0};
    mdx_error err;
    snprintf(file, sizeof file, "%s/out.dat", dir);
    assert_int_equal(mdx_write_chi(file, "k chi - test", "k chi", 0, 2, k, chi,
                                   NULL, &err), MDX_OK);
    char *text = read_text(file, NULL);
    assert_string_equal(text, "# k chi - test\n# k chi\n0.000000 -0.038635\n"
                              "0.050000 0.333333\n");
    free(text);
    assert_int_equal(mdx_write_chi(file, "h", "k chi sem", 0, 2, k, chi, sem,
                                   &err), MDX_OK);
    text = read_text(file, NULL);
    assert_string_equal(text, "# h\n# k chi sem\n0.000000 -0.038635 0.001000\n"
                              "0.050000 0.333333 0.000000\n");
    free(text);
    /* full precision: the fewest digits that read back to the same bits,
     * as Python's repr writes them */
    assert_int_equal(mdx_write_chi(file, "h", "k chi", 1, 2, k, chi, NULL,
                                   &err), MDX_OK);
    text = read_text(file, NULL);
    assert_string_equal(text, "# h\n# k chi\n0 -0.0386349\n"
                              "0.05 0.3333333333333333\n");
    free(text);
    snprintf(file, sizeof file, "%s/missing/out.dat", dir);
    assert_int_equal(mdx_write_chi(file, "h", "k chi", 0, 2, k, chi, NULL, &err),
                     MDX_ERR_IO);
    assert_string_equal(err.file, file);
    remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mean_and_standard_error),
        cmocka_unit_test(test_one_folder_has_no_spread),
        cmocka_unit_test(test_shorter_folder_truncates),
        cmocka_unit_test(test_chi_file_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
