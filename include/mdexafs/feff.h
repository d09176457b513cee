/* mdexafs FEFF path files: read one feffNNNN.dat into an mdx_path. */
#ifndef MDEXAFS_FEFF_H
#define MDEXAFS_FEFF_H

#include <stddef.h>
#include <stdint.h>
#include "mdexafs/error.h"
#include "mdexafs/api.h"

MDX_BEGIN_DECLS

#define MDX_LABEL_MAX 16    /* longest atom label kept, with its NUL */
#define MDX_NLEG_MAX 32     /* most legs a path may have (FEFF stops at 7) */
/* The longest path type ("U-O-O") or elements string, with its NUL: every
 * buffer for one is this long, so none is ever cut short. */
#define MDX_TYPE_MAX (MDX_NLEG_MAX * MDX_LABEL_MAX)
#define MDX_VERSION_MAX 64  /* longest FEFF version text kept, with its NUL */
#define MDX_MIN_ROWS 4      /* a not-a-knot spline needs four points */

/* The seven columns of a path file's table, in file order. */
enum mdx_column {
    MDX_COL_K,         /* k, 1/Å */
    MDX_COL_REAL_PHC,  /* real[2*phc] */
    MDX_COL_MAG,       /* mag[feff] */
    MDX_COL_PHASE,     /* phase[feff] */
    MDX_COL_RED,       /* red factor */
    MDX_COL_LAM,       /* lambda, Å */
    MDX_COL_REP,       /* real[p], 1/Å */
    MDX_NCOLUMNS
};

/* One atom of the path: the absorber first, then each scatterer in order. */
typedef struct mdx_leg {
    double x, y, z;               /* Å */
    int ipot;                     /* FEFF potential index */
    int iz;                       /* atomic number */
    char label[MDX_LABEL_MAX];    /* FEFF's tag, or the element symbol */
} mdx_leg;

/* Everything a path file holds that later stages need. */
typedef struct mdx_path {
    char version[MDX_VERSION_MAX];  /* "Feff 8.50L", "Feff 6L.02", "" */
    int index;                      /* N of "Path N" */
    int nleg;                       /* number of legs = number of atoms */
    double deg;                     /* degeneracy */
    double reff;                    /* half path length, Å */
    double rnrmav;                  /* average norman radius, bohr */
    double edge;                    /* energy shift of the edge, eV */
    int abs_iz;                     /* absorber Z from the "Abs Z=" line */
    char edge_label[8];             /* "K", "L3", "LIII", ... or "" */
    mdx_leg *legs;                  /* nleg atoms, legs[0] the absorber */
    size_t nrows;                   /* rows of the table */
    double *col[MDX_NCOLUMNS];      /* the table, column by column */
    int col_exp10[MDX_NCOLUMNS];    /* power of ten of the finest digit
                                       written in each column: -4 for a
                                       column of "1.4900E+01"-like numbers */
} mdx_path;

/* Parse the path file `filename` into *path (which must be zeroed or
 * freed). On failure *path holds nothing to free and err names the file and
 * line. The caller frees a parsed path with mdx_path_free. */
MDX_API mdx_status mdx_feff_parse_file(const char *filename, mdx_path *path,
                                       mdx_error *err);

/* Parse `len` bytes of path-file text, which must be followed by a NUL
 * (text[len] == '\0'); `name` is used in error messages. */
MDX_API mdx_status mdx_feff_parse(const char *text, size_t len, const char *name,
                                  mdx_path *path, mdx_error *err);

/* Write `path` to `file` as a path file with `title` on its first line:
 * the header lines xraylarch and mdx_feff_parse need (not FEFF's
 * potential lines, which are not kept) and the table in numbers that read
 * back to the same bits, so that the file gives the same chi(k). */
MDX_API mdx_status mdx_feff_write(const mdx_path *path, const char *file,
                                  const char *title, mdx_error *err);

/* Free what mdx_feff_parse allocated and zero *path. NULL-safe. */
MDX_API void mdx_path_free(mdx_path *path);

/* Write the path type, the legs' labels joined by '-' ("U-O-O"), into buf.
 * Returns the length it needs (as snprintf does). */
MDX_API size_t mdx_path_type(const mdx_path *path, char *buf, size_t size);

/* The same with the legs' element symbols ("U-O-O" for U1-O2-O3). */
MDX_API size_t mdx_path_elements(const mdx_path *path, char *buf,
                                 size_t size);

/* The k and chi columns of FEFF's chi.dat ('#' lines are comments): *kchi
 * is malloc'd with k in [0, n) and chi in [n, 2n). `text` must be
 * NUL-terminated. */
MDX_API mdx_status mdx_chidat_parse(const char *text, const char *name, double **kchi,
                                    size_t *n, mdx_error *err);

/* A folder's note that its FEFF run used another folder's potentials
 * (mdexafs feff --potentials=once writes it among the run's outputs;
 * none: its own). */
#define MDX_POT_NOTE "mdexafs-potentials.txt"

/* FEFF's chi.dat of a folder's run in full, beside its run on shared
 * potentials, to measure what sharing them costs (mdexafs feff --check);
 * its first line ends in the hash of the feff.inp run (MDX_POT_CHECK_HEAD
 * then 16 hex digits), then chi.dat as FEFF wrote it. */
#define MDX_POT_CHECK "mdexafs-check-chi.dat"
#define MDX_POT_CHECK_KMIN 3.0    /* the k range compared, 1/Å */
#define MDX_POT_CHECK_KMAX 14.0
#define MDX_POT_CHECK_HEAD "# mdexafs feff --check: FEFF's chi.dat of this folder's run " \
                           "in full (on its own potentials), feff.inp "

/* The hash of a feff.inp's text as FEFF runs' records keep it: XXH3, 16
 * hex digits, into hex. */
MDX_API void mdx_feffinp_hash(const char *text, size_t len, char hex[17]);

/* The folder whose potentials the run of folder dir used, as its note's
 * text (NUL-terminated) names it, relative to dir, and resolved against
 * dir into ref ("frame_0/atom_12" for "../../frame_0/atom_12" in
 * "frame_1/atom_2"); its potentials' hash into hash when not NULL (17
 * bytes). MDX_ERR_FORMAT when the note names none (err's file is name). */
MDX_API mdx_status mdx_potentials_note_parse(const char *text, const char *name,
                                             const char *dir, char *ref, size_t size,
                                             char *hash, mdx_error *err);

/* The atomic number of an element symbol ("U": 92), or 0 if none. */
MDX_API int mdx_element_z(const char *symbol);

/* The element symbol for atomic number iz ("U" for 92), or "?" */
MDX_API const char *mdx_element_symbol(int iz);

/* ---- FEFF's feff.bin (version v03, FEFF 8.5L and 10; larch's
 * feff.pad): every path of one absorber in one file, converted to the
 * same mdx_path a feffNNNN.dat gives, with ~13 significant digits. */
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
