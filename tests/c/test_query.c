/* Queries (mdexafs/query.h) on the FEFF 8.5L sample tree: the parameter
 * table's precedence and refusals, descriptions, names no path has, and
 * type shares that add up to the average. */
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
#include "testutil.h"

static mdx_source *open_tree(void)
{
    mdx_source *src;
    mdx_error err;
    assert_int_equal(mdx_source_open(data_path("uo2_feff85"), &src, &err), MDX_OK);
    return src;
}

/* The sigma2 each path type got, as the params hook sees it (after the
 * table). */
typedef struct seen_sigma2 {
    double uo, uu, other;
    size_t calls;
} seen_sigma2;

static int record_sigma2(void *ctx, const mdx_path_meta *m, mdx_chi_params *par)
{
    seen_sigma2 *s = ctx;
    double *slot = !strcmp(m->type, "U-O") ? &s->uo
                   : !strcmp(m->type, "U-U") ? &s->uu : &s->other;
    *slot = par->sigma2;
    s->calls++;
    return 0;
}

static int ignore_folder(void *ctx, const mdx_folder_chi *f)
{
    (void)ctx;
    (void)f;
    return 0;
}

static void test_a_type_value_beats_star_beats_every_path(void **state)
{
    (void)state;
    mdx_source *src = open_tree();
    mdx_selection sel;
    mdx_selection_init(&sel);
    sel.reff_max = 4.0;
    mdx_query *q;
    mdx_error err;
    assert_int_equal(mdx_query_new(src, &sel, &q, &err), MDX_OK);
    assert_int_equal(mdx_query_param(q, "sigma2", NULL, 0.001, &err), MDX_OK);
    assert_int_equal(mdx_query_param(q, "sigma2", "*", 0.002, &err), MDX_OK);
    assert_int_equal(mdx_query_param(q, "sigma2", "U-O", 0.003, &err), MDX_OK);
    seen_sigma2 s = {0, 0, 0, 0};
    mdx_query_hooks(q, NULL, record_sigma2, NULL, &s);
    assert_int_equal(mdx_query_sum(q, MDX_GROUP_NONE, ignore_folder, NULL, &err),
                     MDX_OK);
    assert_true(s.calls > 100);
    assert_true(s.uo == 0.003 && s.uu == 0.002 && s.other == 0.002);
    assert_string_equal(mdx_query_label(q),
                        "reff <= 4; path parameters sigma2=(by type)");
    mdx_query_free(q);

    assert_int_equal(mdx_query_new(src, &sel, &q, &err), MDX_OK);
    assert_int_equal(mdx_query_param(q, "sigma2", NULL, 0.001, &err), MDX_OK);
    assert_int_equal(mdx_query_param(q, "sigma2", "U-O", 0.003, &err), MDX_OK);
    mdx_query_hooks(q, NULL, record_sigma2, NULL, &s);
    assert_int_equal(mdx_query_sum(q, MDX_GROUP_NONE, ignore_folder, NULL, &err),
                     MDX_OK);
    assert_true(s.uo == 0.003 && s.uu == 0.001);
    mdx_query_free(q);
    mdx_source_close(src);
}

static void expect_param_error(mdx_query *q, const char *name, const char *type,
                               double v, const char *msg)
{
    mdx_error err;
    assert_int_equal(mdx_query_param(q, name, type, v, &err), MDX_ERR_ARG);
    assert_string_equal(err.msg, msg);
}

static void test_the_table_refuses_mistakes(void **state)
{
    (void)state;
    mdx_source *src = open_tree();
    mdx_selection sel;
    mdx_selection_init(&sel);
    mdx_query *q;
    mdx_error err;
    assert_int_equal(mdx_query_new(src, &sel, &q, &err), MDX_OK);
    expect_param_error(q, "sgima2", NULL, 0.1, "unknown path parameter 'sgima2' "
                       "(known: s02 e0 sigma2 deltar c3 c4 ei degen; third = "
                       "c3, fourth = c4)");
    expect_param_error(q, "sigma2", NULL, INFINITY,
                       "path parameter 'sigma2' is inf, not a finite number");
    expect_param_error(q, "degen", NULL, -1,
                       "path parameter 'degen' is -1: a degeneracy counts paths");
    assert_int_equal(mdx_query_param(q, "third", NULL, 1e-4, &err), MDX_OK);
    expect_param_error(q, "c3", "U-O", 1e-4, "path parameters 'c3' and 'third' "
                       "are the same: give one");
    assert_int_equal(mdx_query_param(q, "e0", "U-O", 1, &err), MDX_OK);
    expect_param_error(q, "e0", "U-O", 2, "path parameter 'e0' is given twice "
                       "for 'U-O'");
    assert_int_equal(mdx_query_param_function(q, "s02", &err), MDX_OK);
    expect_param_error(q, "s02", NULL, 1, "path parameter 's02' is given both "
                       "per path and as values");
    assert_string_equal(mdx_query_label(q), "path parameters s02=(function) "
                        "e0=(by type) third=0.0001");
    mdx_query_free(q);

    mdx_type_rule twice[2] = {{"U-O", INFINITY}, {"U-O", 3.0}};
    sel.ntypes = 2;
    sel.types = twice;
    assert_int_equal(mdx_query_new(src, &sel, &q, &err), MDX_ERR_ARG);
    assert_string_equal(err.msg, "select: 'types' names 'U-O' twice");
    mdx_type_rule negative[1] = {{"U-O", -1}};
    sel.ntypes = 1;
    sel.types = negative;
    assert_int_equal(mdx_query_new(src, &sel, &q, &err), MDX_ERR_ARG);
    assert_string_equal(err.msg, "select: 'types' limit of 'U-O' is -1: a reff "
                        "limit is a distance >= 0");
    mdx_source_close(src);
}

static int keep_all(void *ctx, const mdx_path_meta *m)
{
    (void)ctx;
    (void)m;
    return 1;
}

static void test_the_description_is_sorted_and_complete(void **state)
{
    (void)state;
    mdx_source *src = open_tree();
    mdx_selection sel;
    mdx_selection_init(&sel);
    mdx_type_rule types[2] = {{"U-U", INFINITY}, {"U-O", 3.0}};
    long atoms[2] = {0, 1};
    sel.ntypes = 2;
    sel.types = types;
    sel.reff_min = 1;
    sel.reff_max = 4;
    sel.nleg_min = 2;
    sel.nleg_max = 3;
    sel.frame_min = 500;
    sel.frame_max = 510;
    sel.natoms = 2;
    sel.atoms = atoms;
    sel.absorber = "U";
    mdx_query *q;
    mdx_error err;
    assert_int_equal(mdx_query_new(src, &sel, &q, &err), MDX_OK);
    types[0].name = "changed";  /* the query has its own copy */
    mdx_query_hooks(q, keep_all, NULL, NULL, NULL);
    assert_int_equal(mdx_query_note(q, "a where function"), MDX_OK);
    mdx_query_skip_empty(q, 1);
    assert_int_equal(mdx_query_param(q, "s02", NULL, 0.9, &err), MDX_OK);
    assert_string_equal(mdx_query_label(q), "U-O reff <= 3; U-U; 1 <= reff <= 4; "
                        "nleg 2..3; frames 500..510; 2 atom ids; absorber U; a "
                        "where function; folders without selected paths left "
                        "out; path parameters s02=0.9");
    mdx_average *avg;
    assert_int_equal(mdx_query_average(q, &avg, &err), MDX_OK);
    assert_int_equal(mdx_average_nfolders(avg), 4);
    assert_string_equal(mdx_query_element(q), "U");
    assert_string_equal(mdx_query_edge(q), "L3");
    mdx_average_free(avg);
    mdx_query_free(q);
    mdx_source_close(src);
}

static void test_a_name_no_path_has_is_an_error(void **state)
{
    (void)state;
    mdx_source *src = open_tree();
    mdx_selection sel;
    mdx_selection_init(&sel);
    mdx_type_rule typo[1] = {{"U-0", INFINITY}};
    sel.ntypes = 1;
    sel.types = typo;
    mdx_query *q;
    mdx_error err;
    mdx_average *avg;
    assert_int_equal(mdx_query_new(src, &sel, &q, &err), MDX_OK);
    assert_int_equal(mdx_query_average(q, &avg, &err), MDX_ERR_ARG);
    assert_non_null(strstr(err.msg, "select: no path type 'U-0' in "));
    assert_non_null(strstr(err.msg, "; did you mean 'U-O'? known: U-O U-O-O"));
    mdx_query_free(q);

    typo[0].name = "U-O";   /* there, but not within 1 Å */
    sel.reff_max = 1.0;
    assert_int_equal(mdx_query_new(src, &sel, &q, &err), MDX_OK);
    assert_int_equal(mdx_query_average(q, &avg, &err), MDX_ERR_ARG);
    assert_string_equal(err.msg, "select: no 'U-O' path passes the selection "
                        "(U-O; reff <= 1)");
    mdx_query_free(q);

    mdx_selection_init(&sel);  /* a parameter's type is checked too */
    assert_int_equal(mdx_query_new(src, &sel, &q, &err), MDX_OK);
    assert_int_equal(mdx_query_param(q, "sigma2", "U-Q", 0.1, &err), MDX_OK);
    assert_int_equal(mdx_query_average(q, &avg, &err), MDX_ERR_ARG);
    assert_non_null(strstr(err.msg, "params: no path type 'U-Q' in "));
    mdx_query_free(q);
    mdx_source_close(src);
}

static void test_type_shares_add_up_to_the_average(void **state)
{
    (void)state;
    mdx_source *src = open_tree();
    mdx_selection sel;
    mdx_selection_init(&sel);
    sel.reff_max = 4.0;
    mdx_query *q;
    mdx_error err;
    assert_int_equal(mdx_query_new(src, &sel, &q, &err), MDX_OK);
    mdx_average *avg;
    double mean[MDX_NK];
    assert_int_equal(mdx_query_average(q, &avg, &err), MDX_OK);
    mdx_average_result(avg, mean, NULL);
    mdx_type_shares *shares;
    size_t npaths = 0;
    assert_int_equal(mdx_query_by_type(q, &shares, &err), MDX_OK);
    size_t n = mdx_type_shares_size(shares);
    assert_true(n >= 3);
    assert_int_equal(mdx_type_shares_nfolders(shares), 4);
    for (int j = 0; j < MDX_NK; j++) {
        double total = 0;
        for (size_t i = 0; i < n; i++)
            total += mdx_type_share_chi(shares, i)[j];
        assert_close(total, mean[j], 1e-15);
    }
    for (size_t i = 0; i < n; i++) {
        npaths += mdx_type_share_npaths(shares, i);
        assert_true(mdx_type_share_nwith(shares, i) >= 1);
        assert_non_null(strchr(mdx_type_share_type(shares, i), '-'));
    }
    assert_int_equal(npaths, mdx_average_npaths(avg));
    mdx_path_list *list;
    assert_int_equal(mdx_query_paths(q, &list, &err), MDX_OK);
    assert_int_equal(mdx_path_list_size(list), mdx_average_npaths(avg));
    assert_true(mdx_path_list_get(list, 0)->reff <= 4.0);
    assert_null(mdx_path_list_get(list, mdx_average_npaths(avg)));
    mdx_path_list_free(list);
    mdx_type_shares_free(shares);
    mdx_average_free(avg);
    mdx_query_free(q);
    mdx_source_close(src);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_type_value_beats_star_beats_every_path),
        cmocka_unit_test(test_the_table_refuses_mistakes),
        cmocka_unit_test(test_the_description_is_sorted_and_complete),
        cmocka_unit_test(test_a_name_no_path_has_is_an_error),
        cmocka_unit_test(test_type_shares_add_up_to_the_average),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
