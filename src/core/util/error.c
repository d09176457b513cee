/* mdexafs error records. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mdexafs/error.h"

mdx_status mdx_error_set(mdx_error *err, mdx_status code, const char *file,
                         long line, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        err->code = code;
        err->line = line;
        err->remedy = MDX_REMEDY_NONE;
        snprintf(err->file, sizeof err->file, "%s", file ? file : "");
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

const char *mdx_status_name(mdx_status code)
{
    static const char *const names[] = {
        [MDX_OK] = "ok",         [MDX_ERR_IO] = "io",
        [MDX_ERR_FORMAT] = "format", [MDX_ERR_NOMEM] = "nomem",
        [MDX_ERR_RANGE] = "range",   [MDX_ERR_ARG] = "arg",
        [MDX_ERR_STOPPED] = "stopped",
    };
    if ((unsigned)code < sizeof names / sizeof names[0])
        return names[code];
    return "unknown";
}

mdx_status mdx_error_advise(mdx_error *err, mdx_remedy r)
{
    if (!err)
        return MDX_OK;
    err->remedy = r;
    return err->code;
}

const char *mdx_remedy_name(mdx_remedy r)
{
    static const char *const names[] = {
        [MDX_REMEDY_NONE] = "",
        [MDX_REMEDY_CHECK] = "check",
        [MDX_REMEDY_BUILD] = "build",
        [MDX_REMEDY_REBUILD] = "rebuild",
        [MDX_REMEDY_PREFER_BIN] = "prefer feff.bin",
        [MDX_REMEDY_PREFER_DAT] = "prefer feffNNNN.dat",
        [MDX_REMEDY_SKIP_FAILED] = "skip failed",
        [MDX_REMEDY_MERGE] = "merge",
    };
    if ((unsigned)r < sizeof names / sizeof names[0])
        return names[r];
    return "";
}

mdx_status mdx_error_copy(mdx_error *dst, const mdx_error *src)
{
    if (dst && dst != src)
        *dst = *src;
    return src->code;
}

void mdx_error_format(const mdx_error *err, char *buf, unsigned long size)
{
    if (err->file[0] && err->line > 0)
        snprintf(buf, size, "%s:%ld: %s", err->file, err->line, err->msg);
    else if (err->file[0])
        snprintf(buf, size, "%s: %s", err->file, err->msg);
    else
        snprintf(buf, size, "%s", err->msg);
}
