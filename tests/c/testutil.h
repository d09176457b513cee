/* Helpers shared by the cmocka tests. */
#ifndef MDX_TESTUTIL_H
#define MDX_TESTUTIL_H

#include <stddef.h>

/* Path of a file under tests/data, in a static buffer. */
const char *data_path(const char *rel);

/* The whole file as a NUL-terminated string (caller frees); fails the
 * test if it cannot be read. */
char *read_text(const char *path, size_t *len);

/* A fresh temporary folder (static buffer); removed by remove_tree. */
const char *temp_dir(void);

/* Copy tests/data/<rel> to dst (cp -R); fails the test on error. */
void copy_data(const char *rel, const char *dst);

/* rm -rf path. */
void remove_tree(const char *path);

/* A group's temporary folder: made by group_dir_make and removed, with
 * all it holds, by group_dir_remove (cmocka's group setup and teardown). */
extern char group_dir[64];
int group_dir_make(void **state);
int group_dir_remove(void **state);

/* Write `text` to path. */
void write_text(const char *path, const char *text);

/* Fail unless |a - b| <= tol (cmocka 1.1 has no double assertion). */
#define assert_close(a, b, tol) assert_close_at((a), (b), (tol), __FILE__, __LINE__)
void assert_close_at(double a, double b, double tol, const char *file, int line);

#endif
