/* What a database holds, described in lines of text: the report that
 * `mdexafs info` prints, written by the library so that no front end
 * needs the store's insides. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mdexafs/build.h"
#include "store/codec.h"
#include "store/store.h"

#define MAX_VERSIONS 16

/* The FEFF version texts of the folders' runs, with their counts. */
typedef struct version {
    char text[MDX_VERSION_MAX];
    long folders;
} version;

typedef struct versions {
    mdx_codec *codec;
    mdx_error err;
    int failed, n;
    version v[MAX_VERSIONS];
    long others;  /* folders whose version did not fit in v */
} versions;

static int count_version(void *ctx, const void *blob, size_t size)
{
    versions *vs = ctx;
    mdx_path p;
    if (mdx_decode_path(vs->codec, blob, size, NULL, &p, &vs->err)) {
        vs->failed = 1;
        return 1;
    }
    int i = 0;
    while (i < vs->n && strcmp(vs->v[i].text, p.version))
        i++;
    if (i == vs->n && vs->n < MAX_VERSIONS)
        snprintf(vs->v[vs->n++].text, MDX_VERSION_MAX, "%s", p.version);
    if (i < vs->n)
        vs->v[i].folders++;
    else
        vs->others++;
    mdx_path_free(&p);
    return 0;
}

static int most_folders_first(const void *a, const void *b)
{
    long fa = ((const version *)a)->folders, fb = ((const version *)b)->folders;
    return (fa < fb) - (fa > fb);
}

/* "FEFF        Feff 8.50L (4 folders)", a line per version, most folders
 * first. */
static mdx_status print_versions(mdx_store *s, FILE *out, mdx_error *err)
{
    versions vs = {.codec = mdx_codec_new(0)};
    if (!vs.codec)
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    mdx_status st = mdx_store_each_folder_feff(s, count_version, &vs, err);
    if (!st && vs.failed)
        st = mdx_error_copy(err, &vs.err);
    qsort(vs.v, (size_t)vs.n, sizeof vs.v[0], most_folders_first);
    for (int i = 0; !st && i < vs.n; i++) {
        const version *v = &vs.v[i];
        fprintf(out, "%-12s%s (%ld folder%s)\n", i ? "" : "FEFF",
                v->text[0] ? v->text : "no version in the title line",
                v->folders, v->folders == 1 ? "" : "s");
    }
    if (!st && vs.others)
        fprintf(out, "%-12s%ld more folders, with versions beyond these %d\n",
                "", vs.others, MAX_VERSIONS);
    mdx_codec_free(vs.codec);
    return st;
}

static int print_type(void *ctx, const mdx_type_stat *t)
{
    fprintf(ctx, "  %-16s %8lld  nleg %d  reff %.4f .. %.4f\n", t->type,
            (long long)t->count, t->nleg, t->reff_min, t->reff_max);
    return 0;
}

/* The failed folders, under a heading before the first. */
typedef struct failed_list {
    FILE *out;
    int first;
} failed_list;

static int print_failed(void *ctx, long frame, long atom, const char *dir,
                        const char *error)
{
    (void)frame;
    (void)atom;
    failed_list *f = ctx;
    if (f->first)
        fprintf(f->out, "failed folders\n");
    f->first = 0;
    fprintf(f->out, "  %s: %s\n", dir, error);
    return 0;
}

mdx_status mdx_describe(const char *db, FILE *out, mdx_error *err)
{
    mdx_store *s;
    mdx_store_summary sum;
    char root[4096], grid[64], created[64], params[128], layout[64], shard[64],
        prefer[64];
    failed_list failed = {out, 1};
    mdx_status st;
    if ((st = mdx_store_open(db, MDX_STORE_READ, &s, err)) ||
        (st = mdx_store_get_meta(s, "root", root, sizeof root, err)) ||
        (st = mdx_store_get_meta(s, "k_grid", grid, sizeof grid, err)) ||
        (st = mdx_store_get_meta(s, "created_by", created, sizeof created,
                                 err)) ||
        (st = mdx_store_get_meta(s, "chi_parameters", params, sizeof params,
                                 err)) ||
        (st = mdx_store_get_meta(s, "layout", layout, sizeof layout, err)) ||
        (st = mdx_store_get_meta(s, "shard", shard, sizeof shard, err)) ||
        (st = mdx_store_get_meta(s, "prefer", prefer, sizeof prefer, err)) ||
        (st = mdx_store_summary_of(s, &sum, err))) {
        mdx_store_close(s);
        return st;
    }
    double kmin, kstep;
    int nk;
    int64_t bytes = mdx_store_size(s), built = sum.folders - sum.failed_folders;
    int schema = mdx_store_schema(s);
    fprintf(out, "database    %s (schema %d%s, made by %s)\n", db, schema,
            schema < MDX_SCHEMA_VERSION
                ? ", read as it is: a build upgrades it" : "", created);
    fprintf(out, "source tree %s%s%s\n", root, shard[0] ? ", shard " : "",
            shard);
    fprintf(out, "layout      %s\n",
            strcmp(layout, MDX_LAYOUT_TABLES) == 0
                ? "FEFF data only (chi computed when read)"
                : "chi(k) and FEFF data");
    if (sscanf(grid, "%lf %lf %d", &kmin, &kstep, &nk) == 3)
        fprintf(out, "k grid      %g .. %g step %g (%d points)\n", kmin,
                kmin + kstep * (nk - 1), kstep, nk);
    fprintf(out, "chi(k) at   %s\n", params);
    fprintf(out, "folders     %lld (%lld failed)\n", (long long)sum.folders,
            (long long)sum.failed_folders);
    fprintf(out, "read from   %lld folders' feffNNNN.dat files, %lld folders' "
            "feff.bin; folders with both: their %s\n",
            (long long)(built - sum.bin_folders), (long long)sum.bin_folders,
            strcmp(prefer, MDX_META_PREFER_BIN) ? "feffNNNN.dat files"
                                                : "feff.bin");
    char refs[512];
    int64_t shared = mdx_store_shared_potentials(s, refs, sizeof refs);
    if (shared > 0)
        fprintf(out, "potentials  %lld folders on another folder's (from %s), the others "
                "on their own (mdexafs feff --potentials=once)\n", (long long)shared, refs);
    mdx_chi_match worst;
    double e0_min;
    int64_t checked = mdx_store_checks(s, &worst, &e0_min);
    char shifts[64];
    if (checked == 1)
        snprintf(shifts, sizeof shifts, "an E0 shift of %+.2f eV", worst.e0);
    else
        snprintf(shifts, sizeof shifts, "E0 shifts of %+.2f to %+.2f eV", e0_min, worst.e0);
    if (checked > 0)
        fprintf(out, "checked     %lld of them in full (mdexafs feff --check): %sraw "
                "difference %.3g, %sR-factor %.3g after %s (k %g-%g, k^%d; the sources "
                "table's check_ columns)\n", (long long)checked, checked > 1 ? "worst " : "",
                worst.raw, checked > 1 ? "worst " : "", worst.rfactor, shifts,
                MDX_POT_CHECK_KMIN, MDX_POT_CHECK_KMAX, MDX_MATCH_KWEIGHT);
    int64_t dropped = mdx_store_dropped_count(s);
    if (dropped > 0)
        fprintf(out, "only copy   %lld folders' paths: their files were dropped once "
                "stored (mdexafs feff --drop-paths)\n", (long long)dropped);
    fprintf(out, "frames      %lld (%ld .. %ld), atoms %lld\n",
            (long long)sum.frames, sum.frame_min, sum.frame_max,
            (long long)sum.atoms);
    fprintf(out, "paths       %lld (%lld with chi), reff %.4f .. %.4f\n",
            (long long)sum.paths, (long long)sum.paths_with_chi, sum.reff_min,
            sum.reff_max);
    fprintf(out, "size        %.1f MB, %.0f bytes per path\n",
            (double)bytes / 1e6,
            sum.paths ? (double)bytes / (double)sum.paths : 0.0);
    st = print_versions(s, out, err);
    if (!st) {
        fprintf(out, "path types  (count, nleg, reff range in Å)\n");
        st = mdx_store_each_type(s, print_type, out, err);
    }
    if (!st)
        st = mdx_store_each_failed(s, print_failed, &failed, err);
    mdx_store_close(s);
    return st;
}
