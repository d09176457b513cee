/* Progress on stderr (a build's, FEFF runs'): a redrawn bar on a
 * terminal, a plain line every few seconds otherwise. */
#include <stdio.h>
#include <unistd.h>

#include "cli.h"
#include "util/clock.h"

void cli_progress_init(cli_progress *p, int quiet)
{
    p->quiet = quiet;
    p->tty = isatty(STDERR_FILENO);
    p->last = 0;
    p->drawn = 0;
}

static void format_eta(char *buf, size_t size, double seconds)
{
    long s = (long)(seconds + 0.5);
    if (s >= 3600)
        snprintf(buf, size, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(buf, size, "%ld:%02ld", s / 60, s % 60);
}

void cli_progress_show(cli_progress *p, const char *command, double frac, double seconds,
                       const char *what, int final)
{
    double t = mdx_seconds();
    if (p->quiet || (!final && t - p->last < (p->tty ? 0.1 : 5.0)))
        return;
    p->last = t;
    char eta[32] = "-";
    if (frac > 0 && frac < 1)
        format_eta(eta, sizeof eta, seconds * (1 - frac) / frac);
    if (p->tty) {
        char bar[31];
        int fill = (int)(frac * 30);
        for (int i = 0; i < 30; i++)
            bar[i] = i < fill ? '#' : '.';
        bar[30] = '\0';
        fprintf(stderr, "\r[%s] %s  ETA %s ", bar, what, eta);
        p->drawn = 1;
        if (final) {
            fputc('\n', stderr);
            p->drawn = 0;
        }
    } else {
        fprintf(stderr, "mdexafs: %s: %s, ETA %s\n", command, what, eta);
    }
    fflush(stderr);
}

void cli_progress_update(cli_progress *p, const mdx_build_stats *st, int final)
{
    char what[160];
    double rate = st->seconds > 0 ? (double)st->paths / st->seconds : 0;
    snprintf(what, sizeof what, "%zu/%zu folders, %zu paths, %.0f paths/s", st->done,
             st->todo, st->paths, rate);
    cli_progress_show(p, "build", st->todo ? (double)st->done / (double)st->todo : 1.0,
                      st->seconds, what, final);
}

void cli_progress_clear(cli_progress *p)
{
    if (p->drawn) {
        fputs("\r\033[K", stderr);
        p->drawn = 0;
    }
}

void cli_progress_report(void *ctx, const mdx_error *e)
{
    cli_progress_clear(ctx);
    cli_report(e);
}
