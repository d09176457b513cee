/* Is a database up to date with its tree? The quick check (folders and
 * their witness files) and the full one (every file's size and
 * time), and the classification of folders the build plans with. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build_private.h"
#include "mdexafs/build.h"

int mdx_source_row_by_dir(const void *key, const void *row)
{
    return strcmp(key, ((const mdx_source_row *)row)->dir);
}

enum folder_state mdx_classify_folder(const mdx_tree *t, size_t i,
                                  mdx_source_row *rows, size_t nrows,
                                  int retry_failed, char *seen,
                                  mdx_source_row **row)
{
    const mdx_folder *f = &t->folders[i];
    if (i > 0 && f->frame == f[-1].frame && f->atom == f[-1].atom)
        return FOLDER_DUPLICATE;
    mdx_source_row *r = nrows ? bsearch(f->dir, rows, nrows, sizeof *rows,
                                        mdx_source_row_by_dir) : NULL;
    *row = r;
    if (!r)
        return FOLDER_NEW;
    seen[r - rows] = 1;
    return r->stamp == f->stamp && r->frame == f->frame && r->atom == f->atom &&
                   !(retry_failed && r->failed)
               ? FOLDER_UNCHANGED : FOLDER_CHANGED;
}

/* The stamp of folder dir (its mtime given) and its witnesses now, or 0
 * when a witness is gone or cannot be stat'ed. */
static uint64_t stamp_now(const char *root, const char *dir,
                          int64_t dir_mtime_ns, const char *witnesses)
{
    mdx_source_file w[MDX_WITNESSES];
    size_t n = 0;
    for (const char *p = witnesses; *p && n < MDX_WITNESSES;) {
        size_t len = strcspn(p, "/");
        char file[PATH_MAX];
        struct stat sb;
        if (len >= MDX_NAME_MAX ||
            snprintf(file, sizeof file, "%s/%s/%.*s", root, dir, (int)len,
                     p) >= (int)sizeof file ||
            stat(file, &sb) != 0)
            return 0;
        snprintf(w[n].name, sizeof w[n].name, "%.*s", (int)len, p);
        w[n].size = sb.st_size;
        w[n++].mtime_ns = mdx_mtime_ns(&sb);
        p += len + (p[len] == '/');
    }
    return mdx_quick_stamp(dir_mtime_ns, w, n);
}

/* Is folder i of t as the build recorded it in r? By its quick stamp
 * when it has one that matches; else by listing its files and comparing
 * their stamp, as a build would (*listed counts those). -1 when it cannot
 * be listed at all (out of memory). */
static int folder_same(mdx_tree *t, size_t i, const mdx_source_row *r,
                       size_t *listed)
{
    mdx_folder *tf = &t->folders[i];
    mdx_error err;
    if (r->frame != tf->frame || r->atom != tf->atom)
        return 0;
    if (r->quick && r->witnesses &&
        stamp_now(t->root, tf->dir, tf->dir_mtime_ns, r->witnesses) == r->quick)
        return 1;
    ++*listed;
    mdx_status rc = mdx_folder_load(t, tf, &err);  /* a problem: its stamp */
    mdx_folder_unload(tf);
    if (rc == MDX_ERR_NOMEM || rc == MDX_ERR_IO)
        return -1;
    return tf->stamp == r->stamp;
}

/* The check by folders: the tree's folders listed, each compared by its
 * quick stamp, and only those whose stamp is missing or differs compared
 * file by file. 1 and f filled, or 0 when the tree needs the full check
 * (it cannot be listed, or holds a frame and atom twice). */
static int quick_check(const char *root, int prefer_bin,
                       const mdx_source_row *rows, size_t nrows,
                       mdx_freshness *f)
{
    mdx_tree t;
    mdx_error err;
    if (mdx_scan_folders(root, &t, &err))
        return 0;
    t.prefer_bin = prefer_bin;
    char *seen = calloc(nrows ? nrows : 1, 1);
    size_t changed = 0, added = 0, gone = 0, listed = 0;
    int ok = seen != NULL;
    for (size_t i = 0; ok && i < t.nfolders; i++) {
        const mdx_folder *tf = &t.folders[i];
        if (i > 0 && tf->frame == tf[-1].frame && tf->atom == tf[-1].atom) {
            ok = 0;  /* two folders for one frame and atom */
            break;
        }
        const mdx_source_row *r = bsearch(tf->dir, rows, nrows, sizeof *rows,
                                          mdx_source_row_by_dir);
        if (!r) {
            added++;
            continue;
        }
        seen[r - rows] = 1;
        int same = folder_same(&t, i, r, &listed);
        ok = same >= 0;
        changed += same == 0;
    }
    for (size_t i = 0; ok && i < nrows; i++)
        gone += !seen[i];
    free(seen);
    mdx_tree_free(&t);
    if (!ok)
        return 0;
    f->state = changed || added || gone ? MDX_STALE : MDX_FRESH;
    if (f->state == MDX_FRESH && listed == 0)
        snprintf(f->detail, sizeof f->detail, "%zu folders as built (their "
                 "times and those of chi.dat, the first and the newest "
                 "file; verify = \"files\" compares every file)", nrows);
    else
        snprintf(f->detail, sizeof f->detail, "%zu folders changed, %zu new, "
                 "%zu gone since the build (%zu folders compared file by "
                 "file)", changed, added, gone, listed);
    return 1;
}

void mdx_check_freshness(const char *db, const char *tree,
                         enum mdx_verify verify, mdx_freshness *f)
{
    mdx_store *s;
    mdx_error err;
    mdx_tree t;
    mdx_source_row *rows = NULL;
    size_t nrows = 0;
    char root[PATH_MAX], shard[64] = "", prefer[64] = "";
    unsigned index, count;
    memset(f, 0, sizeof *f);
    if (access(db, F_OK) != 0) {
        f->state = MDX_MISSING;
        snprintf(f->detail, sizeof f->detail, "no such file");
        if (tree)
            snprintf(f->tree, sizeof f->tree, "%s", tree);
        return;
    }
    if (mdx_store_open(db, MDX_STORE_READ, &s, &err) ||
        mdx_store_get_meta(s, "root", root, sizeof root, &err) ||
        mdx_store_get_meta(s, "shard", shard, sizeof shard, &err) ||
        mdx_store_get_meta(s, "prefer", prefer, sizeof prefer, &err) ||
        mdx_store_sources(s, &rows, &nrows, &err)) {
        f->state = MDX_DAMAGED;
        snprintf(f->detail, sizeof f->detail, "%s", err.msg);
        snprintf(f->tree, sizeof f->tree, "%s", tree ? tree : "");
        mdx_store_close(s);
        return;
    }
    mdx_store_close(s);
    snprintf(f->tree, sizeof f->tree, "%s", tree ? tree : root);
    if (sscanf(shard, "%u/%u", &index, &count) == 2 && index < count) {
        /* a shard holds part of its tree: never the whole answer */
        f->state = MDX_STALE;
        snprintf(f->detail, sizeof f->detail, "shard %s of its tree, not all "
                 "of it: merge the shards to query it whole",
                 shard);
        mdx_store_free_sources(rows, nrows);
        return;
    }
    if (!realpath(f->tree, root)) {
        f->state = MDX_UNKNOWN;
        snprintf(f->detail, sizeof f->detail, "its tree %.300s %s", f->tree,
                 errno == ENOENT ? "is not there" : strerror(errno));
        mdx_store_free_sources(rows, nrows);
        return;
    }
    int prefer_bin = strcmp(prefer, MDX_META_PREFER_BIN) == 0;
    f->prefer = prefer_bin ? MDX_PREFER_BIN : MDX_PREFER_DAT;
    if (verify == MDX_VERIFY_FOLDERS &&
        quick_check(root, prefer_bin, rows, nrows, f)) {
        mdx_store_free_sources(rows, nrows);
        return;
    }
    if (mdx_scan(root, prefer_bin, &t, &err)) {
        f->state = MDX_UNKNOWN;
        snprintf(f->detail, sizeof f->detail, "its tree cannot be read: "
                 "%.300s: %.150s", err.file, err.msg);
        mdx_store_free_sources(rows, nrows);
        return;
    }
    char *seen = calloc(nrows ? nrows : 1, 1);
    size_t changed = 0, added = 0, gone = 0;
    for (size_t i = 0; seen && i < t.nfolders; i++) {
        mdx_source_row *r;
        enum folder_state state = mdx_classify_folder(&t, i, rows, nrows, 0, seen, &r);
        changed += state == FOLDER_CHANGED;
        added += state == FOLDER_NEW;
    }
    for (size_t i = 0; seen && i < nrows; i++)
        gone += !seen[i];
    f->state = changed || added || gone ? MDX_STALE : MDX_FRESH;
    snprintf(f->detail, sizeof f->detail,
             "%zu folders changed, %zu new, %zu gone since the build",
             changed, added, gone);
    free(seen);
    mdx_tree_free(&t);
    mdx_store_free_sources(rows, nrows);
}
