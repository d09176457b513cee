/* mdexafs parse: show what a path file holds, to check the reader. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "mdexafs/feff.h"

static const char usage[] =
    "usage: mdexafs parse FEFFNNNN.DAT...\n"
    "\n"
    "Print what each path file holds as mdexafs reads it: FEFF version, path\n"
    "number and type, nleg, degeneracy, reff, absorber and edge, the leg\n"
    "atoms and the size of the table.\n";

static void show(FILE *fp, const char *file, const mdx_path *p)
{
    char type[MDX_TYPE_MAX];
    mdx_path_type(p, type, sizeof type);
    fprintf(fp, "file      %s\n", file);
    fprintf(fp, "version   %s\n",
            p->version[0] ? p->version : "(none in the title line)");
    fprintf(fp, "path      %d\n", p->index);
    fprintf(fp, "type      %s\n", type);
    fprintf(fp, "nleg      %d\n", p->nleg);
    fprintf(fp, "deg       %g\n", p->deg);
    fprintf(fp, "reff      %g Å\n", p->reff);
    fprintf(fp, "absorber  %s (Z=%d), edge %s\n", mdx_element_symbol(p->abs_iz),
            p->abs_iz, p->edge_label[0] ? p->edge_label : "?");
    fprintf(fp, "rows      %zu, k = %g .. %g 1/Å\n", p->nrows,
            p->col[MDX_COL_K][0], p->col[MDX_COL_K][p->nrows - 1]);
    fprintf(fp, "legs      %10s %10s %10s %4s %4s  %s\n", "x", "y", "z", "ipot",
            "Z", "label");
    for (int i = 0; i < p->nleg; i++) {
        const mdx_leg *l = &p->legs[i];
        fprintf(fp, "          %10.4f %10.4f %10.4f %4d %4d  %s\n", l->x, l->y,
                l->z, l->ipot, l->iz, l->label);
    }
}

int mdx_cli_parse(int argc, char **argv)
{
    int status = CLI_OK;
    if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        fputs(usage, stdout);
        return CLI_OK;
    }
    if (argc < 2) {
        cli_fail("parse: no path file given (see mdexafs parse --help)");
        return CLI_USAGE;
    }
    for (int i = 1; i < argc; i++) {
        mdx_path path;
        mdx_error err;
        if (mdx_feff_parse_file(argv[i], &path, &err) != MDX_OK) {
            cli_report(&err);
            status = CLI_FAILED;
            continue;
        }
        if (i > 1)
            putchar('\n');
        show(stdout, argv[i], &path);
        mdx_path_free(&path);
    }
    return status;
}
