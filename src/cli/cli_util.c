/* Helpers shared by the subcommands: messages, option values, numbers. */
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "mdexafs/feff.h"
#include "util/number.h"

/* The remedies in the words of the program's options. */
static const char *remedy_words(mdx_remedy r)
{
    switch (r) {
    case MDX_REMEDY_CHECK: return "mdexafs check tells more";
    case MDX_REMEDY_BUILD: return "mdexafs build";
    case MDX_REMEDY_REBUILD: return "mdexafs build --rebuild";
    case MDX_REMEDY_PREFER_BIN: return "mdexafs build --prefer feff.bin";
    case MDX_REMEDY_PREFER_DAT: return "mdexafs build --prefer feffNNNN.dat";
    case MDX_REMEDY_SKIP_FAILED: return "a recipe's --skip-failed";
    case MDX_REMEDY_MERGE: return "mdexafs merge";
    default: return NULL;
    }
}

void cli_report(const mdx_error *err)
{
    char buf[2048];
    mdx_error_format(err, buf, sizeof buf);
    const char *words = remedy_words(err->remedy);
    if (words)
        fprintf(stderr, "mdexafs: %s (%s)\n", buf, words);
    else
        fprintf(stderr, "mdexafs: %s\n", buf);
}

void cli_fail(const char *fmt, ...)
{
    va_list ap;
    fputs("mdexafs: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_number(const char *opt, const char *text, double *out)
{
    const char *end;
    if (mdx_parse_double(text, &end, out) && *end == '\0')
        return 1;
    cli_fail("%s: '%s' is not a finite number", opt, text);
    return 0;
}

int cli_parse_whole(const char *text, long lo, long hi, long *out)
{
    const char *end;
    double v;
    if (!mdx_parse_double(text, &end, &v) || *end != '\0' || v != floor(v) ||
        v < (double)lo || v > (double)hi)
        return 0;
    *out = (long)v;
    return 1;
}

int cli_whole(const char *opt, const char *text, long lo, long hi, long *out)
{
    if (cli_parse_whole(text, lo, hi, out))
        return 1;
    cli_fail("%s: '%s' is not a whole number from %ld to %ld", opt, text, lo,
             hi);
    return 0;
}

int cli_bad_option(const char *command, int opt, char **argv)
{
    const char *word = argv[optind - 1];
    if (opt == ':')
        cli_fail("%s: %s needs a value (see mdexafs %s --help)", command,
                 word, command);
    else
        cli_fail("%s: unknown option '%s' (see mdexafs %s --help)", command,
                 word, command);
    return CLI_USAGE;
}

void cli_print_double(FILE *fp, double v, int digits)
{
    char buf[32];
    if (digits > 0)
        fprintf(fp, "%.*g", digits, v);
    else
        fputs(mdx_format_shortest(v, buf), fp);
}

int cli_wants_help(int argc, char **argv)
{
    return argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"));
}

int cli_feffbin_arg(const char *arg, char *file, size_t size, long *path)
{
    const char *colon = strrchr(arg, ':');
    *path = -1;
    snprintf(file, size, "%s", arg);
    if (mdx_feffbin_sniff(file))
        return 1;
    if (!colon)
        return 0;
    snprintf(file, size, "%.*s", (int)(colon - arg), arg);
    if (!mdx_feffbin_sniff(file))
        return 0;
    if (!cli_parse_whole(colon + 1, 0, 99999999, path) ||
        strspn(colon + 1, "0123456789") != strlen(colon + 1)) {
        cli_fail("%s: '%s' is not a path number", arg, colon + 1);
        return -1;
    }
    return 1;
}

int cli_same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

int cli_shard(const char *arg, unsigned *index, unsigned *count)
{
    char i_text[32], n_text[32], end;
    long i, n;
    if (sscanf(arg, "%31[^/]/%31s%c", i_text, n_text, &end) != 2 ||
        !cli_parse_whole(n_text, 1, 1000000, &n) || !cli_parse_whole(i_text, 0, n - 1, &i)) {
        cli_fail("--shard: expected I/N with 0 <= I < N <= 1000000, not '%s'", arg);
        return 0;
    }
    *index = (unsigned)i;
    *count = (unsigned)n;
    return 1;
}
