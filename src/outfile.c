/* Whole-or-nothing output files: write a temporary, then rename it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mdexafs/outfile.h"

mdx_status mdx_outfile_open(mdx_outfile *out, const char *path, mdx_error *err)
{
    size_t n = strlen(path) + sizeof ".XXXXXX";
    memset(out, 0, sizeof *out);
    out->path = strdup(path);
    out->tmp = malloc(n);
    if (!out->path || !out->tmp) {
        mdx_outfile_abort(out);
        return mdx_error_set(err, MDX_ERR_NOMEM, path, 0, "out of memory");
    }
    snprintf(out->tmp, n, "%s.XXXXXX", path);
    int fd = mkstemp(out->tmp);  /* mode 0600: open it up like fopen would */
    if (fd < 0 || fchmod(fd, 0644) != 0 || !(out->fp = fdopen(fd, "w"))) {
        int e = errno;
        if (fd >= 0) {
            close(fd);
            unlink(out->tmp);
        }
        free(out->tmp);
        out->tmp = NULL;
        mdx_outfile_abort(out);
        return mdx_error_set(err, MDX_ERR_IO, path, 0, "cannot write: %s",
                             strerror(e));
    }
    return MDX_OK;
}

mdx_status mdx_outfile_commit(mdx_outfile *out, mdx_error *err)
{
    int failed = ferror(out->fp) | fflush(out->fp) | fsync(fileno(out->fp));
    int e = errno;
    failed |= fclose(out->fp);
    out->fp = NULL;
    if (!failed && rename(out->tmp, out->path) == 0) {
        free(out->tmp);
        out->tmp = NULL;
        mdx_outfile_abort(out);
        return MDX_OK;
    }
    if (!failed)
        e = errno;
    mdx_error_set(err, MDX_ERR_IO, out->path, 0, "cannot write: %s",
                  strerror(e));
    mdx_outfile_abort(out);
    return MDX_ERR_IO;
}

void mdx_outfile_abort(mdx_outfile *out)
{
    if (!out)
        return;
    if (out->fp)
        fclose(out->fp);
    if (out->tmp)
        unlink(out->tmp);
    free(out->tmp);
    free(out->path);
    memset(out, 0, sizeof *out);
}
