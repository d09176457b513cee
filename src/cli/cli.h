/* mdexafs command line: the subcommands and their shared helpers. */
#ifndef MDX_CLI_H
#define MDX_CLI_H

#include <stdio.h>
#include "mdexafs/build.h"
#include "mdexafs/error.h"

/* Each subcommand takes argc/argv from its own name on and returns the
 * process exit status. */
int mdx_cli_chi(int argc, char **argv);
int mdx_cli_parse(int argc, char **argv);
int mdx_cli_build(int argc, char **argv);
int mdx_cli_info(int argc, char **argv);
int mdx_cli_check(int argc, char **argv);
int mdx_cli_merge(int argc, char **argv);
int mdx_cli_feff(int argc, char **argv);
int mdx_cli_recipe(int argc, char **argv);  /* argv[0]: the recipe */
int mdx_cli_recipes(int argc, char **argv);

/* Are a and b the same existing file (by device and inode)? */
int cli_same_file(const char *a, const char *b);

/* Split "FILE" or "FILE:N", where FILE is a feff.bin by its content
 * (whatever its name), into file and path number (-1 for none): 1; 0
 * when arg names no feff.bin; -1 (said why) when N is not a path number. */
int cli_feffbin_arg(const char *arg, char *file, size_t size, long *path);

/* Does name end in ".lua" (and have more before it)? */
int cli_is_lua_name(const char *name);

/* Is path a regular file (following links)? */
int cli_is_file(const char *path);

/* The installed recipe library, from where the program lies, into buf; 0
 * when that cannot be known. */
int cli_recipe_library(char *buf, size_t size);

/* The folders a recipe name is looked up in, in order: each folder of
 * MDX_RECIPE_PATH, then the library. Their names are kept in store;
 * returns their number (at most max). */
size_t cli_recipe_folders(const char **dirs, size_t max, char *store,
                          size_t size);

/* The file of recipe `name` into path, 0 when there is none. A path (with
 * a '/') is taken only as given, with or without .lua; a name
 * ("multipath" or "multipath.lua") is NAME.lua in the current folder
 * (which says so when it hides another), else in the recipe folders. */
int cli_find_recipe(const char *name, char *path, size_t size);

/* The commands, for main and for what `mdexafs recipes` says of a recipe
 * a command hides; ends with {NULL, NULL}. */
typedef struct cli_command {
    const char *name;
    int (*run)(int argc, char **argv);
} cli_command;
extern const cli_command cli_commands[];

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

/* Parse a whole number from lo to hi; 0 (and nothing said) if it is not. */
int cli_parse_whole(const char *text, long lo, long hi, long *out);

/* Parse --shard's I/N (0 <= I < N <= 1000000); complains in one line and
 * returns 0 on failure. */
int cli_shard(const char *arg, unsigned *index, unsigned *count);

/* Parse a whole number from lo to hi given to option `opt`; complains in
 * one line and returns 0 on failure. */
int cli_whole(const char *opt, const char *text, long lo, long hi, long *out);

/* The one line for an option getopt_long refused (run it with opterr = 0
 * and an optstring that starts with ':'); returns CLI_USAGE. */
int cli_bad_option(const char *command, int opt, char **argv);

/* Write v with `digits` significant digits, or with the fewest digits that
 * read back as exactly v when digits is 0. */
void cli_print_double(FILE *fp, double v, int digits);

/* Does argv[1] ask for help? */
int cli_wants_help(int argc, char **argv);

/* Progress on stderr. */
typedef struct cli_progress {
    int quiet, tty, drawn;
    double last;
} cli_progress;

void cli_progress_init(cli_progress *p, int quiet);
/* Redraw a bar at frac (0..1) followed by `what` and the ETA (a
 * terminal), or print "mdexafs: COMMAND: what, ETA ..." (every 5 s
 * otherwise, and when `final`). Nothing when quiet. */
void cli_progress_show(cli_progress *p, const char *command, double frac, double seconds,
                       const char *what, int final);
/* Redraw (a terminal) or print a line (every 5 s otherwise, and when
 * `final`). Nothing when quiet. */
void cli_progress_update(cli_progress *p, const mdx_build_stats *st, int final);
/* Erase a bar drawn on the terminal, before printing something else. */
void cli_progress_clear(cli_progress *p);

/* Say e on a line of its own, the progress line (ctx) cleared first: a
 * problem hook. */
void cli_progress_report(void *ctx, const mdx_error *e);

#endif
