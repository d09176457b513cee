/* mdexafs error reporting: one small record carried up the stack. */
#ifndef MDEXAFS_ERROR_H
#define MDEXAFS_ERROR_H

#include "mdexafs/api.h"

MDX_BEGIN_DECLS

/* Status codes returned by every fallible mdx_ function. */
typedef enum mdx_status {
    MDX_OK = 0,
    MDX_ERR_IO,      /* a file could not be opened, read or written */
    MDX_ERR_FORMAT,  /* a file was read but its content is not what we expect */
    MDX_ERR_NOMEM,   /* an allocation failed */
    MDX_ERR_RANGE,   /* a valid input for which no result exists (reff < 0.05 Å) */
    MDX_ERR_ARG,     /* a caller passed an invalid argument */
    MDX_ERR_STOPPED  /* a callback or an interrupt stopped the work */
} mdx_status;

/* What a user can do about an error. The library's messages name no
 * front end: each face (the program, Lua, Python) says the remedy in its
 * own words (its options, its arguments). */
typedef enum mdx_remedy {
    MDX_REMEDY_NONE = 0,
    MDX_REMEDY_CHECK,        /* look closer at a damaged database */
    MDX_REMEDY_BUILD,        /* build the database again: it is behind */
    MDX_REMEDY_REBUILD,      /* build the database again from the start */
    MDX_REMEDY_PREFER_BIN,   /* build it preferring folders' feff.bin */
    MDX_REMEDY_PREFER_DAT,   /* build it preferring feffNNNN.dat files */
    MDX_REMEDY_SKIP_FAILED,  /* leave the folders that failed out */
    MDX_REMEDY_MERGE         /* merge the shards into one database */
} mdx_remedy;

/* What went wrong and where. `line` is 0 when no line applies,
 * `file` is empty when no file applies. */
typedef struct mdx_error {
    mdx_status code;
    long line;
    char file[1024];
    char msg[512];
    mdx_remedy remedy;  /* MDX_REMEDY_NONE unless one applies */
} mdx_error;

/* Every function that takes an `mdx_error *err` accepts NULL there: it
 * then reports only its status. */

/* "io", "format", "nomem", "range", "arg", "stopped" ("ok" for MDX_OK,
 * "unknown" for a value not in the enum). */
MDX_API const char *mdx_status_name(mdx_status code);

/* Fill `err` (which may be NULL; its remedy becomes MDX_REMEDY_NONE) and
 * return `code`. `file` may be NULL. */
MDX_API mdx_status mdx_error_set(mdx_error *err, mdx_status code, const char *file,
                                 long line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* Give err (which may be NULL) the remedy r; return its code. */
MDX_API mdx_status mdx_error_advise(mdx_error *err, mdx_remedy r);

/* "check", "build", "rebuild", "prefer feff.bin", "prefer feffNNNN.dat",
 * "skip failed", "merge" ("" for MDX_REMEDY_NONE and unknown values). */
MDX_API const char *mdx_remedy_name(mdx_remedy r);

/* Copy *src into *dst (which may be NULL); return src->code. */
MDX_API mdx_status mdx_error_copy(mdx_error *dst, const mdx_error *src);

/* Write "FILE:LINE: message" (or the parts that apply) into buf. */
MDX_API void mdx_error_format(const mdx_error *err, char *buf, unsigned long size);

MDX_END_DECLS

#endif
