/* Finding the (frame, atom) folders of a FEFF tree and their files. */
#define _DEFAULT_SOURCE  /* d_type in struct dirent */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <xxhash.h>

#include "feff/feff_private.h"
#include "util/file.h"
#include "util/grow.h"
#include "mdexafs/feff.h"
#include "scan.h"

typedef struct walker {
    mdx_tree *tree;
    size_t cap;
    mdx_error *err;
    int folders_only;  /* mdx_scan_folders: atom folders are not listed */
    int nested;        /* walking a frame_N folder inside another */
    struct {
        dev_t dev;
        ino_t ino;
    } up[64];          /* the folders being walked: links back are loops */
    size_t depth;
} walker;

int64_t mdx_mtime_ns(const struct stat *sb)
{
    return (int64_t)sb->st_mtim.tv_sec * 1000000000 + sb->st_mtim.tv_nsec;
}

/* buf = a/b; 0 when it does not fit (paths are limited to PATH_MAX). */
static int join(char *buf, size_t size, const char *a, const char *b)
{
    int n = snprintf(buf, size, "%s%s%s", a, *a ? "/" : "", b);
    return n >= 0 && (size_t)n < size;
}

static int by_path_number(const void *a, const void *b)
{
    long x = mdx_path_file_number(((const mdx_source_file *)a)->name);
    long y = mdx_path_file_number(((const mdx_source_file *)b)->name);
    return (x > y) - (x < y);
}

static int by_frame_atom(const void *a, const void *b)
{
    const mdx_folder *x = a, *y = b;
    if (x->frame != y->frame)
        return (x->frame > y->frame) - (x->frame < y->frame);
    if (x->atom != y->atom)
        return (x->atom > y->atom) - (x->atom < y->atom);
    return strcmp(x->dir, y->dir);
}

/* Keep a note of something passed over (the first MDX_SCAN_NOTES). */
static void add_note(mdx_tree *t, const char *fmt, const char *a,
                     const char *b)
{
    char text[PATH_MAX + 200];
    if (t->nnotes < MDX_SCAN_NOTES) {
        char **notes = realloc(t->notes, (t->nnotes + 1) * sizeof *notes);
        if (!notes)
            return;
        t->notes = notes;
        snprintf(text, sizeof text, fmt, a, b);
        if (!(t->notes[t->nnotes] = strdup(text)))
            return;
    }
    t->nnotes++;
}

/* Record the folder's first problem (later ones add nothing). */
static void set_problem(mdx_folder *f, const char *fmt, const char *a,
                        const char *b)
{
    char text[600];
    if (f->problem)
        return;
    snprintf(text, sizeof text, fmt, a, b);
    f->problem = strdup(text);
}

static mdx_status io_error(walker *w, const char *path)
{
    return mdx_error_set(w->err, MDX_ERR_IO, path, 0, "%s", strerror(errno));
}

/* Is d (in the folder `abs`) a directory, or a link to one? */
static int is_dir(const char *abs, const struct dirent *d)
{
    if (d->d_type != DT_UNKNOWN && d->d_type != DT_LNK)
        return d->d_type == DT_DIR;
    char path[PATH_MAX];
    struct stat sb;
    return join(path, sizeof path, abs, d->d_name) && stat(path, &sb) == 0 &&
           S_ISDIR(sb.st_mode);
}

/* The files of a folder besides its path files that a build may read,
 * in name order: FEFF's chi.dat, feff.bin (or larch's feff.pad), feff.inp,
 * the chi.dat of a check in full and the note of whose potentials FEFF
 * used, and the list.dat, paths.dat and xsect.bin that go with feff.bin. */
static const char *const other_files[] = {"chi.dat", "feff.bin", "feff.inp",
                                          "feff.pad", "list.dat", MDX_POT_CHECK,
                                          MDX_POT_NOTE, "paths.dat", "xsect.bin"};
#define NOTHER (sizeof other_files / sizeof other_files[0])

/* The files read only with feff.bin. */
static int goes_with_bin(const char *name)
{
    return !strcmp(name, "feff.bin") || !strcmp(name, "feff.pad") ||
           !strcmp(name, "list.dat") || !strcmp(name, "paths.dat") ||
           !strcmp(name, "xsect.bin");
}

static int tracked(const char *name)
{
    if (mdx_path_file_number(name) >= 0)
        return 1;
    for (size_t i = 0; i < NOTHER; i++)
        if (!strcmp(name, other_files[i]))
            return 1;
    return 0;
}

/* feff*.dat but not feffNNNN.dat: a name a user may have meant as one. */
static int path_file_lookalike(const char *name)
{
    size_t n = strlen(name);
    return n >= 8 && !strncmp(name, "feff", 4) &&
           !strcmp(name + n - 4, ".dat") && mdx_path_file_number(name) < 0;
}

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void add_witness(mdx_source_file *w, size_t *n,
                        const mdx_source_file *file)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp(w[i].name, file->name))
            return;
    w[(*n)++] = *file;
}

/* Choose f's witnesses among its listed files (chi.dat, the first path
 * file or the feff.bin, the newest) and stamp them with the folder's
 * mtime, unless any of them is racy. */
static void set_quick(mdx_folder *f)
{
    mdx_source_file w[MDX_WITNESSES];
    size_t n = 0;
    const mdx_source_file *newest = NULL;
    for (size_t i = 0; i < f->nfiles; i++) {
        if (!newest || f->files[i].mtime_ns > newest->mtime_ns)
            newest = &f->files[i];
        if (i >= f->npaths && !strcmp(f->files[i].name, "chi.dat"))
            add_witness(w, &n, &f->files[i]);
    }
    long bin = mdx_folder_bin(f);
    if (f->npaths)
        add_witness(w, &n, &f->files[0]);
    else if (bin >= 0)
        add_witness(w, &n, &f->files[bin]);
    if (newest)
        add_witness(w, &n, newest);
    int64_t racy = now_ns() - MDX_RACY_NS;
    size_t used = 0;
    f->witnesses[0] = '\0';
    if (f->dir_mtime_ns >= racy)
        return;
    for (size_t i = 0; i < n; i++) {
        if (w[i].mtime_ns >= racy)
            return;
        used += (size_t)snprintf(f->witnesses + used,
                                 sizeof f->witnesses - used, "%s%s",
                                 i ? "/" : "", w[i].name);
    }
    f->quick = mdx_quick_stamp(f->dir_mtime_ns, w, n);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const mdx_source_file *)a)->name,
                  ((const mdx_source_file *)b)->name);
}

/* Keep in f->files what the folder is read from: its path files, or,
 * when it has none or prefer_bin, its feff.bin (with list.dat and
 * xsect.bin); chi.dat and feff.inp either way. The others are not read
 * and so not part of its stamp. */
static void choose_source(mdx_folder *f, mdx_source_file *other,
                          size_t nother, int prefer_bin)
{
    int bins = 0;
    for (size_t i = 0; i < nother; i++)
        bins += !strcmp(other[i].name, "feff.bin") ||
                !strcmp(other[i].name, "feff.pad");
    if (bins == 2)
        set_problem(f, "both feff.bin and feff.pad: which run is it?%s%s",
                    "", "");
    f->from_bin = bins > 0 && (prefer_bin || f->npaths == 0);
    if (f->from_bin)
        f->npaths = 0;
    size_t kept = 0;
    for (size_t i = 0; i < nother; i++)
        if (f->from_bin || !goes_with_bin(other[i].name))
            f->files[f->npaths + kept++] = other[i];
    f->nfiles = f->npaths + kept;
}

/* FEFF's files.dat and the path files must agree: a listed file missing
 * is a run cut short or a file lost, an unlisted one left from another
 * run (again with a smaller rmax); a sum with either is wrong. So is one
 * of a run of more than 9999 paths, which FEFF names feff****.dat. */
static void check_listed(mdx_folder *f, const char *abs)
{
    char path[PATH_MAX], *text = NULL;
    char *listed = calloc(f->npaths ? f->npaths : 1, 1);
    size_t len;
    mdx_source_file key;
    if (!listed || !join(path, sizeof path, abs, "files.dat") ||
        mdx_read_file(path, &text, &len, NULL))
        set_problem(f, "files.dat: cannot be read%s%s", "", "");
    for (const char *p = text; p && mdx_filesdat_next(&p, key.name,
                                                      sizeof key.name);) {
        mdx_source_file *at = strchr(key.name, '*') ? NULL
                            : bsearch(&key, f->files, f->npaths, sizeof key,
                                      by_path_number);
        if (strchr(key.name, '*'))  /* Fortran's i4.4 past 9999 */
            set_problem(f, "files.dat lists %s: FEFF wrote more than 9999 "
                        "paths and those past 9999 overwrote each other in "
                        "that one file; build the database from the folder's "
                        "feff.bin or feff.pad if FEFF wrote one (preferring "
                        "feff.bin to feffNNNN.dat files)%s",
                        key.name, "");
        else if (!at && f->npaths == 0)
            set_problem(f, "%s is listed in files.dat but no path file is "
                        "here: dropped once stored in a database (mdexafs feff "
                        "--drop-paths; read them from there), or a FEFF run "
                        "cut short?%s", key.name, "");
        else if (!at)
            set_problem(f, "%s is listed in files.dat but missing (a FEFF run "
                        "cut short, or a file lost?)%s", key.name, "");
        else
            listed[at - f->files] = 1;
    }
    for (size_t i = 0; listed && text && i < f->npaths; i++)
        if (!listed[i])
            set_problem(f, "%s is not listed in files.dat (left from another "
                        "FEFF run?)%s", f->files[i].name, "");
    free(listed);
    free(text);
}

/* List the tracked files of one atom folder into f->files, with their
 * counts, stamp and problem; notes for names passed over go to t (NULL:
 * none). */
static mdx_status list_files(mdx_tree *t, const char *abs, int prefer_bin,
                             mdx_folder *f, mdx_error *err)
{
    free(f->problem);
    f->problem = NULL;
    f->npaths = f->nfiles = 0;
    f->from_bin = 0;
    f->marked = f->dropped = 0;
    f->stamp = 0;
    f->quick = 0;
    f->witnesses[0] = '\0';
    DIR *dp = opendir(abs);
    struct stat dsb;
    if (!dp || fstat(dirfd(dp), &dsb) != 0) {
        set_problem(f, "cannot read the folder: %s%s", strerror(errno), "");
        if (dp)
            closedir(dp);
        return MDX_OK;
    }
    f->dir_mtime_ns = mdx_mtime_ns(&dsb);
    size_t cap = 0;
    struct dirent *d;
    mdx_source_file other[NOTHER];
    size_t nother = 0;
    f->filesdat = 0;
    f->marked = 0;
    while ((d = readdir(dp)) != NULL) {
        f->filesdat |= !strcmp(d->d_name, "files.dat");
        f->marked |= !strcmp(d->d_name, MDX_DROPPED);
        if (t && path_file_lookalike(d->d_name))
            add_note(t, "%s/%s: not a feffNNNN.dat name: passed over", f->dir,
                     d->d_name);
        if (t && (!strncmp(d->d_name, "atom_", 5) ||
                  !strncmp(d->d_name, "frame_", 6)) && is_dir(abs, d))
            add_note(t, "%s/%s: a folder inside an atom folder: passed over",
                     f->dir, d->d_name);
        if (!tracked(d->d_name))
            continue;
        char path[PATH_MAX];
        struct stat sb;
        if (strlen(d->d_name) >= MDX_NAME_MAX || !join(path, sizeof path, abs,
                                                        d->d_name)) {
            set_problem(f, "%s: name too long%s", d->d_name, "");
            continue;
        }
        if (stat(path, &sb) != 0) {
            set_problem(f, "%s: %s (a dangling symbolic link?)", d->d_name,
                        strerror(errno));
            continue;
        }
        if (!S_ISREG(sb.st_mode)) {
            set_problem(f, "%s: not a regular file%s", d->d_name, "");
            continue;
        }
        mdx_source_file sf;
        memcpy(sf.name, d->d_name, strlen(d->d_name) + 1);  /* fits: see above */
        sf.size = sb.st_size;
        sf.mtime_ns = mdx_mtime_ns(&sb);
        if (mdx_path_file_number(d->d_name) < 0) {
            other[nother++] = sf;
            continue;
        }
        mdx_source_file *files = mdx_grow(f->files, &cap, f->npaths + 1,
                                          sizeof *files, 512);
        if (!files) {
            closedir(dp);
            return mdx_error_set(err, MDX_ERR_NOMEM, abs, 0, "out of memory");
        }
        f->files = files;
        f->files[f->npaths++] = sf;
    }
    closedir(dp);
    mdx_source_file *files = mdx_grow(f->files, &cap, f->npaths + NOTHER,
                                      sizeof *files, NOTHER);
    if (!files)
        return mdx_error_set(err, MDX_ERR_NOMEM, abs, 0, "out of memory");
    f->files = files;
    qsort(f->files, f->npaths, sizeof *f->files, by_path_number);
    qsort(other, nother, sizeof *other, by_name);
    choose_source(f, other, nother, prefer_bin);
    f->dropped = f->marked && mdx_folder_only_dropped(f, abs);
    if (f->nested)
        set_problem(f, "a frame_N folder inside another: which frame is it?"
                    "%s%s", "", "");
    for (size_t i = 1; i < f->npaths; i++)
        if (mdx_path_file_number(f->files[i].name) ==
            mdx_path_file_number(f->files[i - 1].name))
            set_problem(f, "%s and %s are the same path number",
                        f->files[i - 1].name, f->files[i].name);

    XXH3_state_t *h = XXH3_createState();
    if (!h)
        return mdx_error_set(err, MDX_ERR_NOMEM, abs, 0, "out of memory");
    XXH3_64bits_reset(h);
    for (size_t i = 0; i < f->nfiles; i++) {
        XXH3_64bits_update(h, f->files[i].name, strlen(f->files[i].name) + 1);
        XXH3_64bits_update(h, &f->files[i].size, sizeof f->files[i].size);
        XXH3_64bits_update(h, &f->files[i].mtime_ns, sizeof f->files[i].mtime_ns);
    }
    f->stamp = XXH3_64bits_digest(h);
    XXH3_freeState(h);
    if (!f->problem)
        set_quick(f);
    return MDX_OK;
}

static mdx_status add_folder(walker *w, const char *abs, const char *rel,
                             long frame, long atom)
{
    mdx_tree *t = w->tree;
    mdx_folder *folders = mdx_grow(t->folders, &w->cap, t->nfolders + 1,
                                   sizeof *folders, 64);
    if (!folders)
        return mdx_error_set(w->err, MDX_ERR_NOMEM, abs, 0, "out of memory");
    t->folders = folders;
    mdx_folder *f = &t->folders[t->nfolders];
    memset(f, 0, sizeof *f);
    f->frame = frame;
    f->nested = w->nested;
    f->atom = atom;
    if (!(f->dir = strdup(rel)))
        return mdx_error_set(w->err, MDX_ERR_NOMEM, abs, 0, "out of memory");
    t->nfolders++;
    if (w->folders_only) {
        struct stat sb;
        if (stat(abs, &sb) != 0)
            return io_error(w, abs);
        f->dir_mtime_ns = mdx_mtime_ns(&sb);
        return MDX_OK;
    }
    /* keep the stamp and counts, not the list: 80 bytes a file would be
     * ~300 MB for a tree of 3.6 million path files */
    mdx_status rc = list_files(t, abs, t->prefer_bin, f, w->err);
    mdx_folder_unload(f);
    return rc;
}

mdx_status mdx_folder_load(const mdx_tree *t, mdx_folder *f, mdx_error *err)
{
    char abs[PATH_MAX];
    if (!join(abs, sizeof abs, t->root, f->dir))
        return mdx_error_set(err, MDX_ERR_IO, f->dir, 0, "path too long");
    mdx_folder_unload(f);
    mdx_status rc = list_files(NULL, abs, t->prefer_bin, f, err);
    if (rc == MDX_OK && f->filesdat && !f->from_bin)  /* when read, not in */
        check_listed(f, abs);                         /* every scan */
    if (rc == MDX_OK && f->problem)
        rc = mdx_error_set(err, MDX_ERR_FORMAT, abs, 0, "%s", f->problem);
    if (rc)
        mdx_folder_unload(f);
    return rc;
}

mdx_status mdx_folder_restamp(const mdx_tree *t, mdx_folder *f, mdx_error *err)
{
    char abs[PATH_MAX];
    if (!join(abs, sizeof abs, t->root, f->dir))
        return mdx_error_set(err, MDX_ERR_IO, f->dir, 0, "path too long");
    mdx_status rc = list_files(NULL, abs, t->prefer_bin, f, err);
    mdx_folder_unload(f);
    return rc;
}

void mdx_folder_unload(mdx_folder *f)
{
    free(f->files);
    f->files = NULL;
}

/* Walk folder `abs` (`rel` below the root); frame is -1 until a frame_N
 * folder has been passed. */
static mdx_status walk(walker *w, const char *abs, const char *rel, long frame)
{
    struct stat sb;
    if (stat(abs, &sb) != 0)
        return io_error(w, abs);
    for (size_t i = 0; i < w->depth; i++)
        if (w->up[i].dev == sb.st_dev && w->up[i].ino == sb.st_ino) {
            add_note(w->tree, "%s%s: a symbolic link to a folder above it: "
                     "passed over", rel, "");
            return MDX_OK;
        }
    if (w->depth == sizeof w->up / sizeof w->up[0])
        return mdx_error_set(w->err, MDX_ERR_IO, abs, 0, "folders nested "
                             "too deep");
    DIR *dp = opendir(abs);
    if (!dp)
        return io_error(w, abs);
    w->up[w->depth].dev = sb.st_dev;
    w->up[w->depth++].ino = sb.st_ino;
    mdx_status st = MDX_OK;
    struct dirent *d;
    while (st == MDX_OK && (d = readdir(dp)) != NULL) {
        if (d->d_name[0] == '.' || !is_dir(abs, d))
            continue;
        char sub_abs[PATH_MAX], sub_rel[PATH_MAX];
        if (!join(sub_abs, sizeof sub_abs, abs, d->d_name) ||
            !join(sub_rel, sizeof sub_rel, rel, d->d_name)) {
            st = mdx_error_set(w->err, MDX_ERR_IO, abs, 0,
                               "path too long below this folder");
            break;
        }
        long atom = mdx_scan_number(d->d_name, "atom_");
        long fr = mdx_scan_number(d->d_name, "frame_");
        if ((atom < 0 && !strncmp(d->d_name, "atom_", 5)) ||
            (fr < 0 && !strncmp(d->d_name, "frame_", 6))) {
            add_note(w->tree, "%s: not frame_N or atom_M with N, M whole "
                     "numbers: passed over%s", sub_rel, "");
            continue;
        }
        int nested = w->nested;
        w->nested |= fr >= 0 && frame >= 0;  /* frame_520 in frame_500 */
        if (frame >= 0 && atom >= 0)
            st = add_folder(w, sub_abs, sub_rel, frame, atom);
        else
            st = walk(w, sub_abs, sub_rel, fr >= 0 ? fr : frame);
        w->nested = nested;
    }
    closedir(dp);
    w->depth--;
    return st;
}

/* A tree without a single frame_N/.../atom_M folder is the wrong folder:
 * say what is there instead. */
static mdx_status no_folders(const char *root, mdx_error *err)
{
    DIR *dp = opendir(root);
    struct dirent *d;
    long paths = 0;
    char sub[MDX_NAME_MAX] = "", bin[MDX_NAME_MAX] = "";
    while (dp && (d = readdir(dp)) != NULL) {
        if (mdx_path_file_number(d->d_name) >= 0)
            paths++;
        else if (!strcmp(d->d_name, "feff.bin") ||
                 !strcmp(d->d_name, "feff.pad"))
            snprintf(bin, sizeof bin, "%.8s", d->d_name);
        else if (!sub[0] && d->d_name[0] != '.' && is_dir(root, d))
            snprintf(sub, sizeof sub, "%.*s", (int)sizeof sub - 1, d->d_name);
    }
    if (dp)
        closedir(dp);
    if (paths)
        return mdx_error_set(err, MDX_ERR_ARG, root, 0,
                             "%ld feffNNNN.dat files directly in this folder, "
                             "which is one run: point at the tree above it "
                             "(frame_N/.../atom_M folders)", paths);
    if (bin[0])
        return mdx_error_set(err, MDX_ERR_ARG, root, 0,
                             "a %s directly in this folder, which is one "
                             "run: point at the tree above it "
                             "(frame_N/.../atom_M folders)", bin);
    return mdx_error_set(err, MDX_ERR_ARG, root, 0,
                         "no frame_N/.../atom_M folder below it%s%s%s: a "
                         "tree has one atom_M folder per absorber below a "
                         "frame_N folder per snapshot",
                         sub[0] ? " (it holds '" : "", sub, sub[0] ? "', ...)"
                                                               : "");
}

/* mdx_scan, or with folders_only mdx_scan_folders. */
static mdx_status scan(const char *root, int prefer_bin, mdx_tree *tree,
                       int folders_only, mdx_error *err)
{
    walker w = {.tree = tree, .err = err, .folders_only = folders_only};
    struct stat sb;
    memset(tree, 0, sizeof *tree);
    tree->prefer_bin = prefer_bin;
    if (stat(root, &sb) != 0)
        return mdx_error_set(err, MDX_ERR_IO, root, 0, "%s", strerror(errno));
    if (!S_ISDIR(sb.st_mode))
        return mdx_error_set(err, MDX_ERR_IO, root, 0, "not a folder");
    if (!(tree->root = strdup(root)))
        return mdx_error_set(err, MDX_ERR_NOMEM, root, 0, "out of memory");
    /* a root that is itself frame_N counts */
    const char *base = strrchr(root, '/');
    mdx_status st = walk(&w, root, "",
                         mdx_scan_number(base ? base + 1 : root, "frame_"));
    if (!st && tree->nfolders == 0)
        st = no_folders(root, err);
    if (st) {
        mdx_tree_free(tree);
        return st;
    }
    qsort(tree->folders, tree->nfolders, sizeof *tree->folders, by_frame_atom);
    return MDX_OK;
}

mdx_status mdx_scan(const char *root, int prefer_bin, mdx_tree *tree,
                    mdx_error *err)
{
    return scan(root, prefer_bin, tree, 0, err);
}

mdx_status mdx_scan_folders(const char *root, mdx_tree *tree, mdx_error *err)
{
    return scan(root, 0, tree, 1, err);
}

void mdx_tree_free(mdx_tree *tree)
{
    for (size_t i = 0; i < tree->nfolders; i++) {
        free(tree->folders[i].dir);
        free(tree->folders[i].files);
        free(tree->folders[i].problem);
    }
    for (size_t i = 0; i < tree->nnotes && i < MDX_SCAN_NOTES; i++)
        free(tree->notes[i]);
    free(tree->notes);
    free(tree->folders);
    free(tree->root);
    memset(tree, 0, sizeof *tree);
}

void mdx_tree_shard(mdx_tree *tree, unsigned index, unsigned count)
{
    size_t kept = 0;
    for (size_t i = 0; i < tree->nfolders; i++) {
        mdx_folder *f = &tree->folders[i];
        if (mdx_shard_of(f->frame, f->atom, count) == index) {
            tree->folders[kept++] = *f;
        } else {
            free(f->dir);
            free(f->files);
            free(f->problem);
        }
    }
    tree->nfolders = kept;
}
