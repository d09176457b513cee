/* Writing a path back as a feffNNNN.dat that FEFF's readers (xraylarch,
 * mdexafs) take: the header lines they need and the table, each number
 * in the fewest digits that read back to the same bits, so the file gives
 * the same chi(k) as the one the path came from. */
#include <stdio.h>
#include <stdlib.h>

#include "mdexafs/feff.h"
#include "util/file.h"

/* Write each of v[0..n) after a blank as "%.*g" with the fewest digits
 * that parse back to it exactly. */
static void put_numbers(FILE *fp, const double *v, size_t n)
{
    char num[32];
    for (size_t i = 0; i < n; i++) {
        for (int digits = 1; digits <= 17; digits++) {
            snprintf(num, sizeof num, "%.*g", digits, v[i]);
            if (strtod(num, NULL) == v[i])
                break;
        }
        fprintf(fp, " %s", num);
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
    const double head[] = {p->deg, p->reff, p->rnrmav, p->edge};
    /* larch reads the version from column 65 on of the first line */
    fprintf(fp, " %-63.63s %s\n", title, p->version);
    fprintf(fp, " Path %4d      icalc       2\n", p->index);
    fprintf(fp, " -----------------------------------------------------------"
                "------------\n");
    fprintf(fp, " %3d", p->nleg);
    put_numbers(fp, head, 4);
    fprintf(fp, " nleg, deg, reff, rnrmav(bohr), edge\n");
    fprintf(fp, "        x         y         z   pot at#\n");
    for (int l = 0; l < p->nleg; l++) {
        const mdx_leg *g = &p->legs[l];
        const double xyz[] = {g->x, g->y, g->z};
        put_numbers(fp, xyz, 3);
        fprintf(fp, " %2d %3d %-6s%s\n", g->ipot, g->iz, g->label,
                l == 0 ? "   absorbing atom" : "");
    }
    fprintf(fp, "    k   real[2*phc]   mag[feff]  phase[feff] red factor"
                "   lambda     real[p]@#\n");
    for (size_t i = 0; i < p->nrows; i++) {
        double row[MDX_NCOLUMNS];
        for (int c = 0; c < MDX_NCOLUMNS; c++)
            row[c] = p->col[c][i];
        put_numbers(fp, row, MDX_NCOLUMNS);
        fputc('\n', fp);
    }
    return mdx_outfile_commit(&out, err);
}
