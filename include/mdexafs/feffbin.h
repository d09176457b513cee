/* mdexafs: FEFF's feff.bin (version v03, FEFF 8.5L and 10; larch's
 * feff.pad): every path of one absorber in one file, converted to the
 * same mdx_path a feffNNNN.dat gives, with ~13 significant digits. */
#ifndef MDEXAFS_FEFFBIN_H
#define MDEXAFS_FEFFBIN_H

#include <stddef.h>
#include "mdexafs/error.h"
#include "mdexafs/feff.h"
#include "mdexafs/api.h"

MDX_BEGIN_DECLS

/* Which files a folder that has both feffNNNN.dat files and a feff.bin
 * is read from. A folder with only one of them is read from that. */
enum mdx_prefer {
    MDX_PREFER_RECORDED,  /* what the database records (for a new one:
                             MDX_PREFER_DAT) */
    MDX_PREFER_DAT,       /* the path files: the same numbers xraylarch
                             reads */
    MDX_PREFER_BIN        /* the feff.bin: one file, ~13 digits */
};

/* The preference named "feff.bin" or "feffNNNN.dat" into *p: 1, or 0 for
 * any other name. */
MDX_API int mdx_prefer_from_name(const char *name, enum mdx_prefer *p);


/* The paths of one feff.bin. */
typedef struct mdx_feffbin {
    size_t npaths;
    mdx_path *paths;     /* in file order; index is FEFF's path number */
    double *importance;  /* FEFF's curved-wave importance, %, per path */
    size_t npoints;      /* rows of each path's table (ne1) */
} mdx_feffbin;

/* Parse `len` bytes of feff.bin text (NUL after them), `name` in errors.
 * The table keeps the first `ne1` energy points, or, when ne1 is 0, those
 * up to where k stops increasing (FEFF's extra points follow). When
 * `keep` is not NULL only the paths whose numbers are among keep[0..nkeep)
 * are kept (list.dat's). On failure *fb holds nothing to free. */
MDX_API mdx_status mdx_feffbin_parse(const char *text, size_t len,
                                     const char *name, size_t ne1,
                                     const int *keep, size_t nkeep,
                                     mdx_feffbin *fb, mdx_error *err);

/* Read the feff.bin `file` with what lies beside it: ne1 from xsect.bin
 * and the paths of list.dat, when they are there. */
MDX_API mdx_status mdx_feffbin_read(const char *file, mdx_feffbin *fb,
                                    mdx_error *err);

/* Does `file` begin as a feff.bin does, "#_feff.bin " (or larch's
 * "#_feff.pad ")? Whatever its name (FEFF.BIN, run1_feff.bin, full.bin);
 * 0 when it does not or cannot be read. */
MDX_API int mdx_feffbin_sniff(const char *file);

MDX_API void mdx_feffbin_free(mdx_feffbin *fb);

MDX_END_DECLS

#endif
