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
#include "util/file.h"

static const char usage[] =
    "usage: mdexafs chi [options] FEFFNNNN.DAT... | FEFF.BIN[:N]...\n"
    "\n"
    "chi(k) of each path on k = 0, 0.05, ..., 20 1/Å, as xraylarch's\n"
    "feffpath + path2chi: a k column, then one chi column per path file, or\n"
    "per path of a feff.bin (FEFF's file of all paths, known by its first\n"
    "line whatever its name; FEFF.BIN:N its path N), named feff.bin:N.\n"
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
    "      --paths LIST   of a feff.bin, only these paths: 1,5-9\n"
    "  -h, --help         this text\n";

enum { OPT_S02 = 256, OPT_E0, OPT_SIGMA2, OPT_DELTAR, OPT_C3, OPT_C4, OPT_EI,
       OPT_DEGEN, OPT_PATHS };

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

/* The chi columns being made: a label and MDX_NK values each. */
typedef struct table {
    size_t n, cap;
    char **label;
    double *chi;
} table;

static double *add_column(table *t, const char *label)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 16;
        char **labels = realloc(t->label, cap * sizeof *labels);
        if (labels)
            t->label = labels;
        double *chi = labels ? realloc(t->chi, cap * MDX_NK * sizeof *chi)
                             : NULL;
        if (!chi)
            return NULL;
        t->chi = chi;
        t->cap = cap;
    }
    if (!(t->label[t->n] = strdup(label)))
        return NULL;
    return t->chi + MDX_NK * t->n++;
}

static void free_table(table *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->label[i]);
    free(t->label);
    free(t->chi);
}

/* The next range "A" or "A-B" of a --paths list at *p ("1,5-9"), moving
 * *p past it and its comma: 1; 0 at the end; -1 when the list is not
 * numbers and ranges, comma-separated, each range in increasing order. */
static int next_range(const char **p, long *lo, long *hi)
{
    const char *s = *p;
    if (!*s)
        return 0;
    size_t d = strspn(s, "0123456789");
    if (d == 0 || d > 9)
        return -1;
    *lo = *hi = strtol(s, NULL, 10);
    s += d;
    if (*s == '-') {
        d = strspn(++s, "0123456789");
        if (d == 0 || d > 9 || (*hi = strtol(s, NULL, 10)) < *lo)
            return -1;
        s += d;
    }
    if (*s == ',' && s[1])
        s++;
    else if (*s)
        return -1;
    *p = s;
    return 1;
}

/* Is the --paths list well formed (and not empty)? */
static int list_ok(const char *list)
{
    long lo, hi;
    int r, n = 0;
    while ((r = next_range(&list, &lo, &hi)) == 1)
        n++;
    return r == 0 && n > 0;
}

/* Is path number n in the (well-formed) --paths list (NULL: all)? */
static int listed(const char *list, long n)
{
    long lo, hi;
    if (!list)
        return 1;
    while (next_range(&list, &lo, &hi) == 1)
        if (n >= lo && n <= hi)
            return 1;
    return 0;
}

/* The chi of path p as a new column; 0 and said why when it fails. */
static int add_path(table *t, const char *label, const mdx_path *p,
                    const mdx_chi_params *par, const double *k,
                    mdx_chi_work *work)
{
    mdx_error err;
    double *chi = add_column(t, label);
    if (!chi) {
        cli_fail("out of memory");
        return 0;
    }
    if (mdx_chi(p, par, MDX_NK, k, chi, work, &err)) {
        if (!err.file[0])
            snprintf(err.file, sizeof err.file, "%s", label);
        cli_report(&err);
        return 0;
    }
    return 1;
}

/* The columns of a feff.bin: its path `only` (all when -1), of those in
 * the --paths list. */
static int add_feffbin(table *t, const char *file, long only,
                       const char *paths, const mdx_chi_params *par,
                       const double *k, mdx_chi_work *work)
{
    char label[64];
    mdx_feffbin fb;
    mdx_error err;
    if (mdx_feffbin_read(file, &fb, &err)) {
        cli_report(&err);
        return 0;
    }
    int ok = 1;
    size_t used = 0;
    for (size_t i = 0; ok && i < fb.npaths; i++) {
        int n = fb.paths[i].index;
        if ((only >= 0 && n != only) || !listed(paths, n))
            continue;
        snprintf(label, sizeof label, "feff.bin:%d", n);
        ok = add_path(t, label, &fb.paths[i], par, k, work);
        used++;
    }
    if (ok && used == 0) {
        if (only >= 0)
            cli_fail("%s: no path %ld in it%s", file, only,
                     paths ? " among --paths" : "");
        else
            cli_fail("%s: no path %s in it", file, paths);
        ok = 0;
    }
    mdx_feffbin_free(&fb);
    return ok;
}

/* chi of each argument's paths: a path file, or a feff.bin's paths. */
static int compute_all(int nfiles, char **files, const char *paths,
                       const mdx_chi_params *par, const double *k, table *t)
{
    mdx_chi_work work = {0};
    int ok = 1;
    for (int f = 0; f < nfiles && ok; f++) {
        char file[4096];
        long only;
        if (cli_feffbin_arg(files[f], file, sizeof file, &only)) {
            ok = add_feffbin(t, file, only, paths, par, k, &work);
            continue;
        }
        mdx_path path;
        mdx_error err;
        const char *base = strrchr(files[f], '/');
        if (mdx_feff_parse_file(files[f], &path, &err)) {
            cli_report(&err);
            ok = 0;
            continue;
        }
        ok = add_path(t, base ? base + 1 : files[f], &path, par, k, &work);
        mdx_path_free(&path);
    }
    mdx_chi_work_free(&work);
    return ok ? CLI_OK : CLI_FAILED;
}

static void print_param(FILE *fp, const char *name, double v)
{
    fprintf(fp, " %s=", name);
    cli_print_double(fp, v, 0);
}

static void write_table(FILE *fp, const table *t, const mdx_chi_params *par,
                        const double *k, int digits)
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
    for (size_t c = 0; c < t->n; c++)
        fprintf(fp, " %s", t->label[c]);
    fputc('\n', fp);
    for (int i = 0; i < MDX_NK; i++) {
        cli_print_double(fp, k[i], digits);
        for (size_t c = 0; c < t->n; c++) {
            fputc(' ', fp);
            cli_print_double(fp, t->chi[c * MDX_NK + i], digits);
        }
        fputc('\n', fp);
    }
}

/* Write the table to `output`, or to standard output when it is NULL. */
static int emit(const char *output, const table *t,
                const mdx_chi_params *par, const double *k, int digits)
{
    mdx_outfile out;
    mdx_error err;
    if (!output) {
        write_table(stdout, t, par, k, digits);
        if (fflush(stdout) == 0)
            return CLI_OK;
        cli_fail("cannot write standard output");
        return CLI_FAILED;
    }
    if (mdx_outfile_open(&out, output, &err) == MDX_OK) {
        write_table(out.fp, t, par, k, digits);
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
        {"paths", required_argument, NULL, OPT_PATHS},
        {NULL, 0, NULL, 0},
    };
    mdx_chi_params par = mdx_chi_defaults();
    const char *output = NULL, *paths = NULL;
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
        case OPT_PATHS:
            if (!list_ok(optarg)) {
                cli_fail("--paths: '%s' is not a list of path numbers and "
                         "ranges (1,5-9)", optarg);
                return CLI_USAGE;
            }
            paths = optarg;
            break;
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

    int any_bin = 0;
    for (int f = 0; f < nfiles; f++) {
        char file[4096];
        long only;
        int kind = cli_feffbin_arg(files[f], file, sizeof file, &only);
        if (kind < 0)
            return CLI_USAGE;
        any_bin |= kind;
        if (output && cli_same_file(output, file)) {
            cli_fail("%s: the output is one of the inputs", output);
            return CLI_USAGE;
        }
    }
    if (paths && !any_bin) {
        cli_fail("--paths chooses paths of a feff.bin, and none is given");
        return CLI_USAGE;
    }
    double k[MDX_NK];
    table t = {0};
    mdx_kgrid(k);
    int status = compute_all(nfiles, files, paths, &par, k, &t);
    if (status == CLI_OK)
        status = emit(output, &t, &par, k, (int)digits);
    free_table(&t);
    return status;
}
