/* Column files as xraylarch's write_ascii lays them out; XDI headers are
 * such files whose header lines follow the XDI conventions. */
#include <math.h>
#include <stdio.h>

#include "mdexafs/columns.h"
#include "mdexafs/file.h"
#include "mdexafs/number.h"

mdx_status mdx_write_columns(const char *file, const mdx_columns *c,
                             mdx_error *err)
{
    for (size_t j = 0; j < c->ncols; j++)
        for (size_t i = 0; i < c->n; i++)
            if (!isfinite(c->cols[j][i]))
                return mdx_error_set(err, MDX_ERR_ARG, file, 0, "not written: "
                                     "%s in row %zu is not finite",
                                     c->labels[j], i + 1);
    mdx_outfile out;
    mdx_status rc = mdx_outfile_open(&out, file, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < c->nheader; i++)
        fprintf(out.fp, "# %s\n", c->header[i]);
    fputs("#---------------------------------\n#", out.fp);
    for (size_t j = 0; j < c->ncols; j++)
        fprintf(out.fp, "  %s", c->labels[j]);
    fputc('\n', out.fp);
    for (size_t i = 0; i < c->n; i++) {
        for (size_t j = 0; j < c->ncols; j++) {
            char buf[32];
            if (c->full)
                fprintf(out.fp, " %s", mdx_format_shortest(c->cols[j][i], buf));
            else
                fprintf(out.fp, " % .10e", c->cols[j][i]);
        }
        fputc('\n', out.fp);
    }
    return mdx_outfile_commit(&out, err);
}
