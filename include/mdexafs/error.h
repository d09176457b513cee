/* mdexafs error reporting: one small record carried up the stack. */
#ifndef MDEXAFS_ERROR_H
#define MDEXAFS_ERROR_H

/* Status codes returned by every fallible mdx_ function. */
typedef enum mdx_status {
    MDX_OK = 0,
    MDX_ERR_IO,      /* a file could not be opened, read or written */
    MDX_ERR_FORMAT,  /* a file was read but its content is not what we expect */
    MDX_ERR_NOMEM,   /* an allocation failed */
    MDX_ERR_RANGE,   /* a valid input for which no result exists (reff < 0.05 Å) */
    MDX_ERR_ARG      /* a caller passed an invalid argument */
} mdx_status;

/* What went wrong and where. `line` is 0 when no line applies,
 * `file` is empty when no file applies. */
typedef struct mdx_error {
    mdx_status code;
    long line;
    char file[1024];
    char msg[512];
} mdx_error;

/* Fill `err` (which may be NULL) and return `code`. `file` may be NULL. */
mdx_status mdx_error_set(mdx_error *err, mdx_status code, const char *file,
                         long line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* Write "FILE:LINE: message" (or the parts that apply) into buf. */
void mdx_error_format(const mdx_error *err, char *buf, unsigned long size);

#endif
