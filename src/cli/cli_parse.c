/* mdexafs parse: show what a path file or a feff.bin holds, to check the
 * readers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mdexafs/feff.h"

static const char usage[] =
    "usage: mdexafs parse FEFFNNNN.DAT... | FEFF.BIN[:N]...\n"
    "\n"
    "Print what each path file holds as mdexafs reads it: FEFF version, path\n"
    "number and type, nleg, degeneracy, reff, absorber and edge, the leg\n"
    "atoms and the size of the table. A feff.bin (FEFF's file of all paths,\n"
    "known by its first line whatever its name; read with the xsect.bin and\n"
    "list.dat beside it) is listed one path a line: number, nleg,\n"
    "degeneracy, reff, importance and type; FEFF.BIN:N shows its path N as\n"
    "a path file is shown.\n"
    "\n"
    "Exit status: 0 all read, 1 a file could not be read, 2 bad usage.\n";

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

/* The paths of a feff.bin, one line each. */
static void list(FILE *fp, const char *file, const mdx_feffbin *fb)
{
    const mdx_path *p0 = &fb->paths[0];
    fprintf(fp, "file      %s\n", file);
    fprintf(fp, "version   %s\n", p0->version[0] ? p0->version : "(none)");
    fprintf(fp, "absorber  %s (Z=%d), edge %s\n",
            mdx_element_symbol(p0->abs_iz), p0->abs_iz,
            p0->edge_label[0] ? p0->edge_label : "?");
    fprintf(fp, "paths     %zu, %zu rows each, k = %g .. %g 1/Å\n", fb->npaths,
            fb->npoints, p0->col[MDX_COL_K][0],
            p0->col[MDX_COL_K][fb->npoints - 1]);
    fprintf(fp, "%6s %4s %8s %9s %10s  %s\n", "path", "nleg", "deg", "reff",
            "importance", "type");
    for (size_t i = 0; i < fb->npaths; i++) {
        char type[MDX_TYPE_MAX];
        const mdx_path *p = &fb->paths[i];
        mdx_path_type(p, type, sizeof type);
        fprintf(fp, "%6d %4d %8.3f %9.5f %9.2f%%  %s\n", p->index, p->nleg,
                p->deg, p->reff, fb->importance[i], type);
    }
}

/* Show a feff.bin ("FILE" or "FILE:N"): 1 when shown, 0 when it could not
 * be read (said why), -1 when the argument is not a feff.bin, -2 for a
 * bad path number (said why). */
static int show_feffbin(const char *arg)
{
    char file[4096];
    long n;
    int kind = cli_feffbin_arg(arg, file, sizeof file, &n);
    if (kind <= 0)
        return kind == 0 ? -1 : -2;
    mdx_feffbin fb;
    mdx_error err;
    if (mdx_feffbin_read(file, &fb, &err)) {
        cli_report(&err);
        return 0;
    }
    int shown = 1;
    if (n < 0) {
        list(stdout, file, &fb);
    } else {
        size_t i = 0;
        while (i < fb.npaths && fb.paths[i].index != n)
            i++;
        if (i < fb.npaths) {
            show(stdout, arg, &fb.paths[i]);
        } else {
            cli_fail("%s: no path %ld in it", file, n);
            shown = 0;
        }
    }
    mdx_feffbin_free(&fb);
    return shown;
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
        if (i > 1)
            putchar('\n');
        int bin = show_feffbin(argv[i]);
        if (bin == -2)
            return CLI_USAGE;
        if (bin >= 0) {
            status = bin ? status : CLI_FAILED;
            continue;
        }
        if (mdx_feff_parse_file(argv[i], &path, &err) != MDX_OK) {
            cli_report(&err);
            status = CLI_FAILED;
            continue;
        }
        show(stdout, argv[i], &path);
        mdx_path_free(&path);
    }
    return status;
}
