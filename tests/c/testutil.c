/* Helpers shared by the cmocka tests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "testutil.h"

const char *data_path(const char *rel)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/%s", MDX_TEST_DATA, rel);
    return buf;
}

char *read_text(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = (size_t)n;
    return buf;
}

void assert_close_at(double a, double b, double tol, const char *file, int line)
{
    if (!(fabs(a - b) <= tol)) {
        print_error("%.17g != %.17g (tolerance %g)\n", a, b, tol);
        _fail(file, line);
    }
}

const char *temp_dir(void)
{
    static char buf[64];
    snprintf(buf, sizeof buf, "/tmp/mdx_test_XXXXXX");
    if (!mkdtemp(buf))
        fail_msg("mkdtemp failed");
    return buf;
}

char group_dir[64];

int group_dir_make(void **state)
{
    (void)state;
    snprintf(group_dir, sizeof group_dir, "%s", temp_dir());
    return 0;
}

int group_dir_remove(void **state)
{
    (void)state;
    remove_tree(group_dir);
    return 0;
}

/* Run a shell command built from two paths, quoted. */
static void run2(const char *cmd, const char *a, const char *b)
{
    char line[8192];
    snprintf(line, sizeof line, "%s '%s' '%s'", cmd, a, b ? b : "");
    if (system(line) != 0)
        fail_msg("failed: %s", line);
}

void copy_data(const char *rel, const char *dst)
{
    char src[4096];
    snprintf(src, sizeof src, "%s/%s", MDX_TEST_DATA, rel);
    run2("cp -R", src, dst);
}

void remove_tree(const char *path)
{
    run2("rm -rf", path, NULL);
}

void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        fail_msg("cannot write %s", path);
    fputs(text, f);
    fclose(f);
}
