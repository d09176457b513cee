/* What feffbin.c (the file's format) and feffbin_read.c (the files
 * beside it) share: a line reader and number checks. */
#ifndef MDX_FEFFBIN_PRIVATE_H
#define MDX_FEFFBIN_PRIVATE_H

#include <stddef.h>
#include "mdexafs/error.h"
#include "mdexafs/feff.h"

/* A file's text as read whole (NUL after len bytes), with its name. */
typedef struct mdx_text {
    const char *name;
    char *text;
    size_t len;
} mdx_text;

/* The files FEFF writes beside a feff.bin that reading it uses, each
 * NULL when the folder lacks it. */
typedef struct mdx_feffbin_beside {
    const mdx_text *xsect;      /* xsect.bin: the number of points */
    const mdx_text *list_dat;   /* list.dat: the paths ff2x writes */
    const mdx_text *paths_dat;  /* paths.dat: without list.dat, the paths
                                   feff.bin must hold (all of them) */
} mdx_feffbin_beside;

/* mdx_feffbin_read on texts already read. */
mdx_status mdx_feffbin_from_texts(const mdx_text *bin,
                                  const mdx_feffbin_beside *beside,
                                  mdx_feffbin *fb, mdx_error *err);

typedef struct mdx_fb_reader {
    const char *name;
    const char *p, *end;     /* the text not yet read */
    const char *line;        /* the current line, len bytes */
    size_t len;
    long lineno;
    int npack;
    mdx_error *err;
} mdx_fb_reader;

/* Move to the next line (its '\r' dropped); 0 at the end. */
int mdx_fb_next_line(mdx_fb_reader *r);

/* Does the current line hold `word`? */
int mdx_fb_contains(const mdx_fb_reader *r, const char *word);

/* Split the current line, after its first `skip` characters, into at most
 * max words (copied into buf); their number, or -1 when the line is too
 * long for buf or has more words. */
int mdx_fb_words(const mdx_fb_reader *r, size_t skip, char *buf, size_t size,
                 char **w, int max);

/* The whole text s as a number in lo..hi, or a finite double: 0 if not. */
int mdx_fb_to_int(const char *s, long lo, long hi, long *out);
int mdx_fb_to_double(const char *s, double *out);

#endif
