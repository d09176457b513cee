/* mdexafs tree scanning: find the frame_N/.../atom_M folders of a FEFF tree
 * and the files in each that a build reads. */
#ifndef MDEXAFS_SCAN_H
#define MDEXAFS_SCAN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include "mdexafs/error.h"
#include "util/shard.h"

#define MDX_NAME_MAX 64  /* longest file name kept in a folder listing */
/* The witnesses of a folder for the quick freshness check: chi.dat (FEFF
 * rewrites it at the end of every run), the first path file, and the
 * newest file; their names joined by '/'. */
#define MDX_WITNESSES 3
#define MDX_WITNESS_MAX (MDX_WITNESSES * MDX_NAME_MAX)
/* A folder or witness modified this close to its listing may change again
 * within the same timestamp tick (a second on some file systems): no
 * quick evidence is kept for it (as git treats "racy" index entries). */
#define MDX_RACY_NS 2000000000LL

/* The file in a folder that lists the path files (or feff.bin) dropped
 * from it once they were stored in a database, one "name size mtime_ns"
 * line each: the database holds their only copy. */
#define MDX_DROPPED ".mdexafs-dropped"

/* One file a build reads, as found on disk. */
typedef struct mdx_source_file {
    char name[MDX_NAME_MAX];
    int64_t size;
    int64_t mtime_ns;
} mdx_source_file;

/* One (frame, absorbing atom) folder. */
typedef struct mdx_folder {
    char *dir;                /* relative to the tree root */
    long frame, atom;         /* from the frame_N and atom_M folder names */
    size_t npaths;            /* files[0..npaths): feffNNNN.dat by number */
    size_t nfiles;            /* then the other files read, by name:
                                 chi.dat, feff.inp, and with from_bin
                                 feff.bin (or feff.pad), list.dat,
                                 paths.dat and xsect.bin, when present */
    int from_bin;             /* the paths come from feff.bin, not from
                                 path files (npaths is 0) */
    mdx_source_file *files;   /* NULL until mdx_folder_load */
    uint64_t stamp;           /* hash of the files' names, sizes and mtimes */
    int64_t dir_mtime_ns;     /* the folder's own mtime: a file added,
                                 removed or renamed in it changes it */
    char witnesses[MDX_WITNESS_MAX];  /* the files whose size and mtime
                                 the quick check compares, '/'-separated */
    uint64_t quick;           /* mdx_quick_stamp of the folder and its
                                 witnesses; 0 when there is no evidence
                                 (a folder not listed whole, or one that
                                 changed within MDX_RACY_NS of its
                                 listing) */
    int filesdat;             /* it has FEFF's files.dat, which
                                 mdx_folder_load checks the path files
                                 against */
    int marked;               /* it has an MDX_DROPPED: its paths were
                                 dropped once */
    int dropped;              /* and any path file or feff.bin left is one
                                 of those it lists, not from a new run */
    int nested;               /* below a frame_N folder inside another:
                                 which frame it is cannot be told */
    char *problem;            /* why the folder cannot be read whole (an
                                 unreadable folder, a dangling link or a
                                 folder named as a path file, two files
                                 for one path number), or NULL */
} mdx_folder;

/* All folders of a tree, sorted by frame, atom, then dir, and what the
 * scan passed over that a user should hear of. */
typedef struct mdx_tree {
    char *root;
    int prefer_bin;           /* folders with both read from feff.bin */
    size_t nfolders;
    mdx_folder *folders;
    size_t nnotes;            /* notes[] keeps the first MDX_SCAN_NOTES */
    char **notes;             /* "frame_1/atom_0/feff12a.dat: not ..." */
} mdx_tree;

#define MDX_SCAN_NOTES 50

/* Scan `root`: every folder named atom_M below a folder named frame_N (any
 * folders may sit between the root and frame_N, or between frame_N and
 * atom_M). Symbolic links are followed, to folders too; a link back to a
 * folder above it is passed over with a note, as are feff*.dat names that
 * are not feffNNNN.dat. A folder is read from its path files, or from its
 * feff.bin when it has no path files or when prefer_bin. Folders with
 * neither are listed with npaths = 0 and from_bin = 0. Each folder gets its counts, stamp and problem but not its
 * file list, which would take ~300 MB for millions of files: see
 * mdx_folder_load. A root with no such folder is an error (MDX_ERR_ARG)
 * that says what it holds; an unreadable folder above the atom_M folders
 * is an error too (what is below it is unknown). */
mdx_status mdx_scan(const char *root, int prefer_bin, mdx_tree *tree,
                    mdx_error *err);

/* The same walk without listing the atom folders: each folder gets its
 * frame, atom, dir and dir_mtime_ns only (no counts, stamp or quick), at
 * the cost of one stat per folder: the quick freshness check. */
mdx_status mdx_scan_folders(const char *root, mdx_tree *tree, mdx_error *err);

/* What the quick check compares for one folder: its own mtime and the
 * names, sizes and mtimes of its witnesses (a FEFF run again in place
 * rewrites them without changing the folder's mtime). Never 0. */
uint64_t mdx_quick_stamp(int64_t dir_mtime_ns, const mdx_source_file *w,
                         size_t n);

/* List folder f's files into f->files (again: its counts, stamp and
 * problem are those of this listing); its problem is an error
 * (MDX_ERR_FORMAT) naming the folder. Free with mdx_folder_unload or
 * mdx_tree_free. */
mdx_status mdx_folder_load(const mdx_tree *t, mdx_folder *f, mdx_error *err);
void mdx_folder_unload(mdx_folder *f);

/* List folder f again as mdx_scan does: its counts, stamp, quick evidence
 * and problem as they are now, its file list not kept. */
mdx_status mdx_folder_restamp(const mdx_tree *t, mdx_folder *f, mdx_error *err);

void mdx_tree_free(mdx_tree *tree);

/* Keep only shard `index` of `count` (0 <= index < count): the folders
 * whose (frame, atom) hash to it, so that every folder belongs to exactly
 * one shard however the tree grows. */
void mdx_tree_shard(mdx_tree *tree, unsigned index, unsigned count);

/* The index in f->files of the file `name` (not a path file), or -1;
 * mdx_folder_bin finds the feff.bin (or feff.pad) of a from_bin folder. */
long mdx_folder_find(const mdx_folder *f, const char *name);
long mdx_folder_bin(const mdx_folder *f);

/* Why a loaded folder read from path files has none (it would count as
 * zero in every average): FEFF found no path, or did not finish. */
const char *mdx_folder_empty(const mdx_folder *f);

/* The files dropped from a folder, as its MDX_DROPPED lists them: one
 * "name size mtime_ns" line each, sorted (so by name). */
typedef struct mdx_dropped {
    char *text;
    char **line;
    size_t n;
} mdx_dropped;

/* Read the MDX_DROPPED of folder abs into d: 1, or 0 when it has none
 * that reads (d then empty). Free with mdx_dropped_free. */
int mdx_dropped_read(const char *abs, mdx_dropped *d);
void mdx_dropped_free(mdx_dropped *d);

/* Is file sf listed in d: by name alone (1), or with its size and mtime
 * too when whole (1)? 0 otherwise. */
int mdx_dropped_lists(const mdx_dropped *d, const mdx_source_file *sf, int whole);

/* Write the MDX_DROPPED of folder abs, listing the n files of sf, and
 * sync it. */
mdx_status mdx_dropped_write(const char *abs, const mdx_source_file *sf, size_t n,
                             mdx_error *err);

/* Are the path files and feff.bin of the listed folder f (at abs) all
 * among those its MDX_DROPPED lists, with their sizes and mtimes (none
 * left, or the leftovers of a drop cut short; none from a later run)? */
int mdx_folder_only_dropped(const mdx_folder *f, const char *abs);

/* The full path of file i of folder f (loaded) in tree t, into buf. */
void mdx_folder_file(const mdx_tree *t, const mdx_folder *f, size_t i,
                     char *buf, size_t size);

/* A file's mtime from its stat, in nanoseconds. */
int64_t mdx_mtime_ns(const struct stat *sb);

/* The number N of a path file "feffN.dat", or -1 for any other name. */
long mdx_path_file_number(const char *name);

/* Does a file of this name hold a folder's paths: a feffNNNN.dat, a
 * feff.bin or a feff.pad? */
int mdx_holds_paths(const char *name);


#endif
