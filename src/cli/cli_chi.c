/* mdexafs chi: chi(k) of path files on the standard grid, like path2chi. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mdexafs/version.h"
#include "cli.h"
#include "mdexafs/chi.h"
#include "mdexafs/feff.h"
#include "file.h"

static const char usage[] =
    "usage: mdexafs chi [options] FEFFNNNN.DAT...\n"
    "\n"
    "chi(k) of each path on k = 0, 0.05, ..., 20 1/Å, as xraylarch's\n"
    "feffpath + path2chi: a k column, then one chi column per file.\n"
    "\n"
    "  -o, --output FILE  write FILE (whole or not at all), not standard output\n"
    "  -d, --digits N     N significant digits (default: the fewest that\n"
    "                     read back as exactly the same double)\n"
    "      --s02 X        amplitude reduction factor (default 1)\n"
    "      --e0 X         energy shift, eV (default 0)\n"
    "      --sigma2 X     mean-square displacement, Å² (default 0)\n"
    "      --deltar X     change of half path length, Å (default 0)\n"
    "      --c3 X         third cumulant, Å³ (default 0)\n"
    "      --c4 X         fourth cumulant, Å⁴ (default 0)\n"
    "      --ei X         imaginary energy shift, eV (default 0)\n"
    "      --degen X      degeneracy (default: the file's)\n"
    "  -h, --help         this text\n";

enum { OPT_S02 = 256, OPT_E0, OPT_SIGMA2, OPT_DELTAR, OPT_C3, OPT_C4, OPT_EI,
       OPT_DEGEN };

/* Where each parameter option stores its value. */
static double *param_slot(mdx_chi_params *p, int opt)
{
    switch (opt) {
    case OPT_S02: return &p->s02;
    case OPT_E0: return &p->e0;
    case OPT_SIGMA2: return &p->sigma2;
    case OPT_DELTAR: return &p->deltar;
    case OPT_C3: return &p->c3;
    case OPT_C4: return &p->c4;
    case OPT_EI: return &p->ei;
    case OPT_DEGEN: return &p->degen;
    default: return NULL;
    }
}

/* chi of each file into chi[f * MDX_NK ...]. */
static int compute_all(int nfiles, char **files, const mdx_chi_params *par,
                       const double *k, double *chi)
{
    mdx_chi_work work = {0};
    mdx_error err;
    int status = CLI_OK;
    for (int f = 0; f < nfiles && status == CLI_OK; f++) {
        mdx_path path;
        if (mdx_feff_parse_file(files[f], &path, &err) ||
            mdx_chi(&path, par, MDX_NK, k, chi + (size_t)f * MDX_NK, &work,
                    &err)) {
            if (!err.file[0])
                snprintf(err.file, sizeof err.file, "%s", files[f]);
            cli_report(&err);
            status = CLI_FAILED;
        }
        mdx_path_free(&path);
    }
    mdx_chi_work_free(&work);
    return status;
}

static void print_param(FILE *fp, const char *name, double v)
{
    fprintf(fp, " %s=", name);
    cli_print_double(fp, v, 0);
}

static void write_table(FILE *fp, int nfiles, char **files,
                        const mdx_chi_params *par, const double *k,
                        const double *chi, int digits)
{
    fputs("# chi(k) by mdexafs " MDX_VERSION_STRING ":", fp);
    print_param(fp, "s02", par->s02);
    print_param(fp, "e0", par->e0);
    print_param(fp, "sigma2", par->sigma2);
    print_param(fp, "deltar", par->deltar);
    print_param(fp, "c3", par->c3);
    print_param(fp, "c4", par->c4);
    print_param(fp, "ei", par->ei);
    if (!isnan(par->degen))
        print_param(fp, "degen", par->degen);
    fputs("\n# k", fp);
    for (int f = 0; f < nfiles; f++) {
        const char *base = strrchr(files[f], '/');
        fprintf(fp, " %s", base ? base + 1 : files[f]);
    }
    fputc('\n', fp);
    for (int i = 0; i < MDX_NK; i++) {
        cli_print_double(fp, k[i], digits);
        for (int f = 0; f < nfiles; f++) {
            fputc(' ', fp);
            cli_print_double(fp, chi[(size_t)f * MDX_NK + i], digits);
        }
        fputc('\n', fp);
    }
}

/* Write the table to `output`, or to standard output when it is NULL. */
static int emit(const char *output, int nfiles, char **files,
                const mdx_chi_params *par, const double *k, const double *chi,
                int digits)
{
    mdx_outfile out;
    mdx_error err;
    if (!output) {
        write_table(stdout, nfiles, files, par, k, chi, digits);
        if (fflush(stdout) == 0)
            return CLI_OK;
        cli_fail("cannot write standard output");
        return CLI_FAILED;
    }
    if (mdx_outfile_open(&out, output, &err) == MDX_OK) {
        write_table(out.fp, nfiles, files, par, k, chi, digits);
        if (mdx_outfile_commit(&out, &err) == MDX_OK)
            return CLI_OK;
    }
    cli_report(&err);
    return CLI_FAILED;
}

/* The long name of the option whose getopt value is `val`. */
static const char *option_name(const struct option *o, int val)
{
    while (o->name && o->val != val)
        o++;
    return o->name;
}

int mdx_cli_chi(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"digits", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {"s02", required_argument, NULL, OPT_S02},
        {"e0", required_argument, NULL, OPT_E0},
        {"sigma2", required_argument, NULL, OPT_SIGMA2},
        {"deltar", required_argument, NULL, OPT_DELTAR},
        {"c3", required_argument, NULL, OPT_C3},
        {"c4", required_argument, NULL, OPT_C4},
        {"ei", required_argument, NULL, OPT_EI},
        {"degen", required_argument, NULL, OPT_DEGEN},
        {NULL, 0, NULL, 0},
    };
    mdx_chi_params par = mdx_chi_defaults();
    const char *output = NULL;
    long digits = 0;
    int opt;

    unsigned char seen[512] = {0};  /* an option given twice is a mistake */
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":o:d:h", longopts, NULL)) != -1) {
        if (opt > 0 && opt < 512 && opt != '?' && opt != ':' && seen[opt]++) {
            cli_fail("chi: --%s given twice", option_name(longopts, opt));
            return CLI_USAGE;
        }
        switch (opt) {
        case 'o':
            output = optarg;
            break;
        case 'd':
            if (!cli_whole("--digits", optarg, 1, 17, &digits))
                return CLI_USAGE;
            break;
        case 'h':
            fputs(usage, stdout);
            return CLI_OK;
        case '?':
        case ':':
            return cli_bad_option("chi", opt, argv);
        default:
            if (!cli_number(option_name(longopts, opt), optarg,
                            param_slot(&par, opt)))
                return CLI_USAGE;
        }
    }
    if (!isnan(par.degen) && par.degen < 0) {
        cli_fail("--degen: %g is negative: a degeneracy counts paths", par.degen);
        return CLI_USAGE;
    }
    int nfiles = argc - optind;
    char **files = argv + optind;
    if (nfiles < 1) {
        cli_fail("chi: no path file given (see mdexafs chi --help)");
        return CLI_USAGE;
    }

    double k[MDX_NK];
    double *chi = malloc((size_t)nfiles * MDX_NK * sizeof *chi);
    if (!chi) {
        cli_fail("out of memory");
        return CLI_FAILED;
    }
    mdx_kgrid(k);
    int status = compute_all(nfiles, files, &par, k, chi);
    if (status == CLI_OK)
        status = emit(output, nfiles, files, &par, k, chi, (int)digits);
    free(chi);
    return status;
}
