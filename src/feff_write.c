/* Writing a path back as a feffNNNN.dat that FEFF's readers (xraylarch,
 * mdexafs) take: the header lines they need and the table, each number
 * in the fewest digits that read back to the same bits, so the file gives
 * the same chi(k) as the one the path came from. */
#include <stdio.h>
#include <stdlib.h>

#include "mdexafs/feff.h"
#include "mdexafs/file.h"

/* v as "%.*g" with the fewest digits that parse back to v exactly. */
static void shortest(char *buf, size_t size, double v)
{
    for (int digits = 1; digits <= 17; digits++) {
        snprintf(buf, size, "%.*g", digits, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

mdx_status mdx_feff_write(const mdx_path *p, const char *file,
                          const char *title, mdx_error *err)
{
    mdx_outfile out;
    mdx_status rc = mdx_outfile_open(&out, file, err);
    if (rc)
        return rc;
    FILE *fp = out.fp;
    char num[32];
    /* larch reads the version from column 65 on of the first line */
    fprintf(fp, " %-63.63s Feff %s\n", title, p->version);
    fprintf(fp, " Path %4d      icalc       2\n", p->index);
    fprintf(fp, " -----------------------------------------------------------"
                "------------\n");
    fprintf(fp, " %3d", p->nleg);
    for (int i = 0; i < 4; i++) {
        double v[] = {p->deg, p->reff, p->rnrmav, p->edge};
        shortest(num, sizeof num, v[i]);
        fprintf(fp, " %s", num);
    }
    fprintf(fp, " nleg, deg, reff, rnrmav(bohr), edge\n");
    fprintf(fp, "        x         y         z   pot at#\n");
    for (int l = 0; l < p->nleg; l++) {
        const mdx_leg *g = &p->legs[l];
        double xyz[] = {g->x, g->y, g->z};
        for (int c = 0; c < 3; c++) {
            shortest(num, sizeof num, xyz[c]);
            fprintf(fp, " %s", num);
        }
        fprintf(fp, " %2d %3d %-6s%s\n", g->ipot, g->iz, g->label,
                l == 0 ? "   absorbing atom" : "");
    }
    fprintf(fp, "    k   real[2*phc]   mag[feff]  phase[feff] red factor"
                "   lambda     real[p]@#\n");
    for (size_t i = 0; i < p->nrows; i++) {
        for (int c = 0; c < MDX_NCOLUMNS; c++) {
            shortest(num, sizeof num, p->col[c][i]);
            fprintf(fp, " %s", num);
        }
        fputc('\n', fp);
    }
    return mdx_outfile_commit(&out, err);
}
