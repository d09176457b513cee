/* Merging shard databases into one: check that the parts belong together,
 * copy them into a temporary database, and rename it into place. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mdexafs/version.h"
#include "mdexafs/build.h"
#include "store/store.h"

/* The meta values a part must share with the first. */
static const char *const shared_keys[] = {"root", "k_grid", "chi_parameters",
                                          "layout", "prefer"};
#define NSHARED (sizeof shared_keys / sizeof *shared_keys)

static mdx_status read_shared(const char *part, char values[][4096],
                              mdx_error *err)
{
    mdx_store *s;
    mdx_status rc = mdx_store_open(part, MDX_STORE_READ, &s, err);
    for (size_t k = 0; rc == MDX_OK && k < NSHARED; k++)
        rc = mdx_store_get_meta(s, shared_keys[k], values[k], 4096, err);
    mdx_store_close(s);
    if (rc == MDX_OK && !values[NSHARED - 1][0])  /* before schema 2 */
        snprintf(values[NSHARED - 1], 4096, "%s", MDX_META_PREFER_DAT);
    return rc;
}

/* Every part opens as an mdexafs database and agrees with the first. */
static mdx_status check_parts(const char *const *parts, size_t n,
                              char first[][4096], mdx_error *err)
{
    char other[NSHARED][4096];
    mdx_status rc = read_shared(parts[0], first, err);
    for (size_t i = 1; rc == MDX_OK && i < n; i++) {
        rc = read_shared(parts[i], other, err);
        for (size_t k = 0; rc == MDX_OK && k < NSHARED; k++)
            if (strcmp(first[k], other[k]) != 0)
                rc = mdx_error_set(err, MDX_ERR_ARG, parts[i], 0,
                                   "%s is '%s', but '%s' in %s: not parts of "
                                   "one build", shared_keys[k], other[k],
                                   first[k], parts[0]);
    }
    return rc;
}

mdx_status mdx_merge(const char *const *parts, size_t n, const char *out,
                     mdx_error *err)
{
    char first[NSHARED][4096], tmp[4200];
    mdx_store *s = NULL;
    if (n == 0)
        return mdx_error_set(err, MDX_ERR_ARG, NULL, 0, "no parts to merge");
    if (access(out, F_OK) == 0)
        return mdx_error_set(err, MDX_ERR_ARG, out, 0,
                             "exists already: merge writes a new database");
    mdx_status rc = check_parts(parts, n, first, err);
    if (rc)
        return rc;
    snprintf(tmp, sizeof tmp, "%s.merging-%ld", out, (long)getpid());
    rc = mdx_store_open(tmp, MDX_STORE_WRITE, &s, err);
    for (size_t k = 0; rc == MDX_OK && k < NSHARED; k++)
        rc = mdx_store_set_meta(s, shared_keys[k], first[k], err);
    if (rc == MDX_OK)
        rc = mdx_store_set_meta(s, "created_by", "mdexafs " MDX_VERSION_STRING " merge",
                                err);
    for (size_t i = 0; rc == MDX_OK && i < n; i++)
        rc = mdx_store_merge_part(s, parts[i], err);
    mdx_store_close(s);
    if (rc == MDX_OK && rename(tmp, out) != 0)
        rc = mdx_error_set(err, MDX_ERR_IO, out, 0, "cannot write: %s",
                           strerror(errno));
    if (rc)
        unlink(tmp);
    return rc;
}
