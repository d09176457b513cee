/* Helpers shared by the cmocka tests. */
#ifndef MDX_TESTUTIL_H
#define MDX_TESTUTIL_H

#include <stddef.h>

/* Path of a file under tests/data, in a static buffer. */
const char *data_path(const char *rel);

/* The whole file as a NUL-terminated string (caller frees); fails the
 * test if it cannot be read. */
char *read_text(const char *path, size_t *len);

/* Fail unless |a - b| <= tol (cmocka 1.1 has no double assertion). */
#define assert_close(a, b, tol) assert_close_at((a), (b), (tol), __FILE__, __LINE__)
void assert_close_at(double a, double b, double tol, const char *file, int line);

#endif
