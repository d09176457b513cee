/* The versions of mdexafs and of the libraries it runs with, as they
 * report themselves at run time. */
#include <fftw3.h>
#include <plplot.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <xxhash.h>
#include <zstd.h>

#include "mdexafs/version.h"

const char *mdx_version(void) { return MDX_VERSION_STRING; }

const char *mdx_dependency_version(const char *name)
{
    static char xxhash[16], plplot[80];  /* plgver writes up to 80 */
    if (!strcmp(name, "sqlite"))
        return sqlite3_libversion();
    if (!strcmp(name, "zstd"))
        return ZSTD_versionString();
    if (!strcmp(name, "fftw"))  /* "fftw-3.3.10-sse2-avx": from the 3 */
        return fftw_version + strcspn(fftw_version, "0123456789");
    if (!strcmp(name, "xxhash")) {
        unsigned v = XXH_versionNumber();
        snprintf(xxhash, sizeof xxhash, "%u.%u.%u", v / 10000, v / 100 % 100,
                 v % 100);
        return xxhash;
    }
    if (!strcmp(name, "plplot")) {
        plgver(plplot);
        return plplot;
    }
    return NULL;
}
