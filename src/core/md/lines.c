/* A text file read a line at a time through one large buffer: no line is
 * copied, and stepping over lines only looks for newlines. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "md_private.h"

#define CHUNK (1 << 20)

mdx_status mdx_lines_open(mdx_lines *r, const char *path, mdx_error *err)
{
    memset(r, 0, sizeof *r);
    r->name = path;
    r->fp = fopen(path, "rb");
    if (!r->fp)
        return mdx_error_set(err, MDX_ERR_IO, path, 0, "cannot open: %s", strerror(errno));
    struct stat sb;
    r->size = fstat(fileno(r->fp), &sb) == 0 && S_ISREG(sb.st_mode) ? (long long)sb.st_size : -1;
    if (r->size < 0) {
        fclose(r->fp);
        r->fp = NULL;
        return mdx_error_set(err, MDX_ERR_IO, path, 0, "not a regular file");
    }
    r->cap = CHUNK;
    r->buf = malloc(r->cap + 1);
    if (!r->buf) {
        fclose(r->fp);
        r->fp = NULL;
        return mdx_error_set(err, MDX_ERR_NOMEM, path, 0, "out of memory");
    }
    return MDX_OK;
}

void mdx_lines_close(mdx_lines *r)
{
    if (r->fp)
        fclose(r->fp);
    free(r->buf);
    memset(r, 0, sizeof *r);
}

/* Move the unread bytes to the front, make room (doubling when a line
 * fills the buffer) and read more. Returns 0 at the end of the file. */
static int refill(mdx_lines *r, mdx_error *err, mdx_status *st)
{
    if (r->eof)
        return 0;
    size_t left = r->end - r->start;
    if (left == r->cap) {
        char *bigger = realloc(r->buf, 2 * r->cap + 1);
        if (!bigger) {
            *st = mdx_error_set(err, MDX_ERR_NOMEM, r->name, r->line + 1,
                                "out of memory for a line of %zu bytes", left);
            return 0;
        }
        r->buf = bigger;
        r->cap *= 2;
    }
    memmove(r->buf, r->buf + r->start, left);
    r->start = 0;
    r->end = left;
    size_t got = fread(r->buf + left, 1, r->cap - left, r->fp);
    r->end += got;
    if (got == 0) {
        r->eof = 1;
        if (ferror(r->fp))
            *st = mdx_error_set(err, MDX_ERR_IO, r->name, r->line + 1, "cannot read: %s",
                                strerror(errno));
        return 0;
    }
    return 1;
}

const char *mdx_lines_peek(mdx_lines *r, size_t *avail, mdx_error *err,
                           mdx_status *st)
{
    *st = MDX_OK;
    if (r->end == r->start)
        refill(r, err, st);
    *avail = r->end - r->start;
    return r->buf + r->start;
}

char *mdx_lines_next(mdx_lines *r, mdx_error *err, mdx_status *st)
{
    *st = MDX_OK;
    size_t scanned = 0;
    for (;;) {
        char *s = r->buf + r->start;
        size_t avail = r->end - r->start;
        char *nl = memchr(s + scanned, '\n', avail - scanned);
        if (nl || (r->eof && avail > 0)) {
            size_t n = nl ? (size_t)(nl - s) : avail;
            r->start += nl ? n + 1 : n;
            r->offset += nl ? (long long)n + 1 : (long long)n;
            if (n > 0 && s[n - 1] == '\r')
                n--;
            s[n] = '\0';   /* buf has one byte beyond cap for this */
            r->line++;
            return s;
        }
        scanned = avail;
        if (!refill(r, err, st) && (*st != MDX_OK || r->end == r->start))
            return NULL;
    }
}

const char *mdx_lines_peek_line(mdx_lines *r, size_t *len, mdx_error *err,
                                mdx_status *st)
{
    *st = MDX_OK;
    size_t scanned = 0;
    for (;;) {
        char *s = r->buf + r->start;
        size_t avail = r->end - r->start;
        char *nl = memchr(s + scanned, '\n', avail - scanned);
        if (!nl && !r->eof) {
            scanned = avail;
            if (!refill(r, err, st) && *st != MDX_OK)
                return NULL;
            continue;
        }
        size_t n = nl ? (size_t)(nl - s) : avail;
        if (n == 0 && !nl)
            return NULL;   /* the end of the file */
        size_t k = 0;
        while (k < n && (s[k] == ' ' || s[k] == '\t' || s[k] == '\r'))
            k++;
        if (k < n) {
            *len = n > 0 && s[n - 1] == '\r' ? n - 1 : n;
            return s;
        }
        r->start += nl ? n + 1 : n;   /* a blank line: step over it */
        r->offset += nl ? (long long)n + 1 : (long long)n;
        r->line++;
        scanned = 0;
    }
}

long mdx_lines_skip(mdx_lines *r, long n, mdx_error *err, mdx_status *st)
{
    *st = MDX_OK;
    long done = 0;
    int partial = 0;   /* part of a line stepped over, its newline not yet */
    while (done < n) {
        char *s = r->buf + r->start;
        size_t avail = r->end - r->start;
        char *nl = memchr(s, '\n', avail);
        size_t used = nl ? (size_t)(nl - s) + 1 : avail;
        r->start += used;
        r->offset += (long long)used;
        if (nl) {
            r->line++;
            done++;
            partial = 0;
            continue;
        }
        partial |= used > 0;
        if (!refill(r, err, st)) {
            if (*st == MDX_OK && partial) {   /* a last line without a newline */
                r->line++;
                done++;
            }
            break;
        }
    }
    return done;
}

const char *mdx_word(const char **s, size_t *len)
{
    const char *p = *s;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == '\0') {
        *s = p;
        *len = 0;
        return NULL;
    }
    const char *start = p;
    while (*p && *p != ' ' && *p != '\t')
        p++;
    *s = p;
    *len = (size_t)(p - start);
    return start;
}

int mdx_whole_number(const char *text, size_t len, unsigned long long cap,
                     unsigned long long *v, size_t *from, size_t *to)
{
    size_t i = 0;
    while (i < len && (text[i] == ' ' || text[i] == '\t'))
        i++;
    *from = i;
    *v = 0;
    for (; i < len && text[i] >= '0' && text[i] <= '9'; i++)
        *v = *v > cap ? *v : 10 * *v + (unsigned long long)(text[i] - '0');
    *to = i;
    while (i < len && (text[i] == ' ' || text[i] == '\t'))
        i++;
    return *to > *from && i == len;
}
