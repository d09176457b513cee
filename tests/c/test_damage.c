/* Damage never gives a different answer: 300 random byte changes anywhere
 * in a small database, each followed by two queries (the average of every
 * path, and the U-O shell); each must fail or give exactly the true
 * numbers. Rows deleted behind mdexafs's back (with the sqlite3 shell) the
 * same. Prints how the trials ended. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mdexafs/query.h"
#include "mdexafs/source.h"
#include "testutil.h"

#define TRIALS 300

static int add(void *ctx, const mdx_folder_chi *f)
{
    mdx_average_add(ctx, f->chi, MDX_NK, f->npaths);
    return 0;
}

/* The mean chi from `db` of every path, or of the U-O paths up to 3 Å;
 * 0 on success. */
static int query(const char *db, int uo, double *chi)
{
    mdx_source *src;
    mdx_error err;
    mdx_selection sel;
    mdx_type_rule rule = {"U-O", 3.0};
    mdx_average *avg;
    double k[MDX_NK];
    mdx_kgrid(k);
    mdx_selection_init(&sel);
    if (uo) {
        sel.ntypes = 1;
        sel.types = &rule;
    }
    if (mdx_source_open(db, &src, &err))
        return -1;
    int rc = mdx_average_new(MDX_NK, k, &avg, &err);
    if (rc == 0)
        rc = mdx_source_sum(src, &sel, MDX_GROUP_NONE, add, avg, &err);
    if (rc == 0)
        mdx_average_result(avg, chi, NULL);
    mdx_average_free(avg);
    mdx_source_close(src);
    return rc ? -1 : 0;
}

static unsigned char *slurp(const char *file, size_t *len)
{
    FILE *fp = fopen(file, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    *len = (size_t)ftell(fp);
    rewind(fp);
    unsigned char *data = malloc(*len);
    assert_int_equal(fread(data, 1, *len, fp), *len);
    fclose(fp);
    return data;
}

static void spill(const char *file, const unsigned char *data, size_t len)
{
    FILE *fp = fopen(file, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    fclose(fp);
}

/* Both queries on `db`: 1 if one failed, 0 if both gave the truth;
 * fails the test on a different answer. */
static int failed_or_true(const char *db, const double truth[2][MDX_NK],
                          const char *what)
{
    double chi[MDX_NK];
    int failed = 0;
    for (int uo = 0; uo < 2; uo++) {
        if (query(db, uo, chi)) {
            failed = 1;
            continue;
        }
        if (memcmp(chi, truth[uo], sizeof chi) != 0)
            fail_msg("%s: a query gave a different answer", what);
    }
    return failed;
}

static void test_damage_gives_no_other_answer(void **state)
{
    (void)state;
    const char *dir = temp_dir();
    char db[256], bad[256], cmd[1024];
    double truth[2][MDX_NK];
    snprintf(db, sizeof db, "%s/chi.db", dir);
    snprintf(bad, sizeof bad, "%s/bad.db", dir);
    snprintf(cmd, sizeof cmd, "'%s' build -q '%s' -o '%s'", MDX_BIN,
             data_path("uo2_feff6"), db);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(query(db, 0, truth[0]), 0);
    assert_int_equal(query(db, 1, truth[1]), 0);

    size_t len;
    unsigned char *data = slurp(db, &len);
    uint64_t x = 0x9e3779b97f4a7c15u;
    int refused = 0;
    for (int t = 0; t < TRIALS; t++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t at = x % len;
        unsigned char was = data[at];
        data[at] ^= (unsigned char)(1 + (x >> 32) % 255);
        spill(bad, data, len);
        data[at] = was;
        char what[64];
        snprintf(what, sizeof what, "byte %zu changed", at);
        refused += failed_or_true(bad, truth, what);
    }
    printf("  %d byte changes: %d refused, %d gave the true answer\n", TRIALS,
           refused, TRIALS - refused);

    static const char *const deletions[] = {
        "DELETE FROM chi WHERE id = 7", "DELETE FROM feff WHERE id = 7",
        "DELETE FROM paths WHERE id = 7", "DELETE FROM sources WHERE rowid = 1",
        "UPDATE paths SET reff = 9.5 WHERE id = 3",
    };
    for (size_t i = 0; i < sizeof deletions / sizeof deletions[0]; i++) {
        spill(bad, data, len);
        snprintf(cmd, sizeof cmd, "sqlite3 '%s' '%s'", bad, deletions[i]);
        assert_int_equal(system(cmd), 0);
        assert_int_equal(failed_or_true(bad, truth, deletions[i]), 1);
    }
    free(data);
    remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_damage_gives_no_other_answer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
