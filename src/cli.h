/* mdexafs command line: the subcommands and their shared helpers. */
#ifndef MDX_CLI_H
#define MDX_CLI_H

#include <stdio.h>
#include "mdexafs/error.h"

/* Each subcommand takes argc/argv from its own name on and returns the
 * process exit status. */
int mdx_cli_chi(int argc, char **argv);
int mdx_cli_parse(int argc, char **argv);

/* Exit statuses. */
enum { CLI_OK = 0, CLI_FAILED = 1, CLI_USAGE = 2 };

/* Print "mdexafs: FILE:LINE: message" to stderr. */
void cli_report(const mdx_error *err);

/* Print "mdexafs: message" to stderr, printf-style. */
void cli_fail(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* Parse a finite number given to option `opt`; complains and returns 0 on
 * failure. */
int cli_number(const char *opt, const char *text, double *out);

/* Write v with `digits` significant digits, or with the fewest digits that
 * read back as exactly v when digits is 0. */
void cli_print_double(FILE *fp, double v, int digits);

#endif
