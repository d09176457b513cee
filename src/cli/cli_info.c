/* mdexafs info: what a database holds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "store/codec.h"
#include "mdexafs/feff.h"
#include "store/store.h"

static const char usage[] =
    "usage: mdexafs info DB\n"
    "\n"
    "Show what DB holds: schema, source tree, k grid, folders (and how many\n"
    "were read from feffNNNN.dat files, how many from feff.bin), frames,\n"
    "atoms and paths, the FEFF versions that made them, each path type with\n"
    "its count and reff range, size on disk and bytes per path, and folders\n"
    "that failed to build.\n";

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
static mdx_status print_versions(mdx_store *s, mdx_error *err)
{
    versions vs = {.codec = mdx_codec_new(0)};
    if (!vs.codec)
        return mdx_error_set(err, MDX_ERR_NOMEM, NULL, 0, "out of memory");
    mdx_status st = mdx_store_each_folder_feff(s, count_version, &vs, err);
    if (!st && vs.failed) {
        *err = vs.err;
        st = vs.err.code;
    }
    qsort(vs.v, (size_t)vs.n, sizeof vs.v[0], most_folders_first);
    for (int i = 0; !st && i < vs.n; i++)
        printf("%-12s%s (%ld folder%s)\n", i ? "" : "FEFF",
               vs.v[i].text[0] ? vs.v[i].text : "no version in the title line",
               vs.v[i].folders, vs.v[i].folders == 1 ? "" : "s");
    if (!st && vs.others)
        printf("%-12s%ld more folders, with versions beyond these %d\n", "",
               vs.others, MAX_VERSIONS);
    mdx_codec_free(vs.codec);
    return st;
}

static int print_type(void *ctx, const mdx_type_stat *t)
{
    (void)ctx;
    printf("  %-16s %8lld  nleg %d  reff %.4f .. %.4f\n", t->type,
           (long long)t->count, t->nleg, t->reff_min, t->reff_max);
    return 0;
}

static int print_failed(void *ctx, long frame, long atom, const char *dir,
                        const char *error)
{
    (void)frame;
    (void)atom;
    int *first = ctx;
    if (*first)
        printf("failed folders\n");
    *first = 0;
    printf("  %s: %s\n", dir, error);
    return 0;
}

int mdx_cli_info(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(usage, stdout);
        return CLI_OK;
    }
    if (argc != 2) {
        cli_fail("info: need one DB (see mdexafs info --help)");
        return CLI_USAGE;
    }
    mdx_store *s;
    mdx_store_summary sum;
    mdx_error err;
    char root[4096], grid[64], created[64], params[128], layout[64], shard[64],
        prefer[64];
    int first = 1;
    if (mdx_store_open(argv[1], MDX_STORE_READ, &s, &err) ||
        mdx_store_get_meta(s, "root", root, sizeof root, &err) ||
        mdx_store_get_meta(s, "k_grid", grid, sizeof grid, &err) ||
        mdx_store_get_meta(s, "created_by", created, sizeof created, &err) ||
        mdx_store_get_meta(s, "chi_parameters", params, sizeof params, &err) ||
        mdx_store_get_meta(s, "layout", layout, sizeof layout, &err) ||
        mdx_store_get_meta(s, "shard", shard, sizeof shard, &err) ||
        mdx_store_get_meta(s, "prefer", prefer, sizeof prefer, &err) ||
        mdx_store_summary_of(s, &sum, &err)) {
        cli_report(&err);
        mdx_store_close(s);
        return CLI_FAILED;
    }
    double kmin, kstep;
    int nk;
    int64_t bytes = mdx_store_size(s);
    int schema = mdx_store_schema(s);
    printf("database    %s (schema %d%s, made by %s)\n", argv[1], schema,
           schema < MDX_SCHEMA_VERSION ? ", read as it is: a build upgrades "
                                         "it" : "", created);
    printf("source tree %s%s%s\n", root, shard[0] ? ", shard " : "", shard);
    printf("layout      %s\n", strcmp(layout, MDX_LAYOUT_TABLES) == 0
                                     ? "FEFF data only (chi computed when read)"
                                     : "chi(k) and FEFF data");
    if (sscanf(grid, "%lf %lf %d", &kmin, &kstep, &nk) == 3)
        printf("k grid      %g .. %g step %g (%d points)\n", kmin,
               kmin + kstep * (nk - 1), kstep, nk);
    printf("chi(k) at   %s\n", params);
    int64_t built = sum.folders - sum.failed_folders;
    printf("folders     %lld (%lld failed)\n", (long long)sum.folders,
           (long long)sum.failed_folders);
    printf("read from   %lld folders' feffNNNN.dat files, %lld folders' "
           "feff.bin; folders with both: their %s\n",
           (long long)(built - sum.bin_folders), (long long)sum.bin_folders,
           strcmp(prefer, MDX_META_PREFER_BIN) ? "feffNNNN.dat files"
                                                : "feff.bin");
    printf("frames      %lld (%ld .. %ld), atoms %lld\n", (long long)sum.frames,
           sum.frame_min, sum.frame_max, (long long)sum.atoms);
    printf("paths       %lld (%lld with chi), reff %.4f .. %.4f\n",
           (long long)sum.paths, (long long)sum.paths_with_chi, sum.reff_min,
           sum.reff_max);
    printf("size        %.1f MB, %.0f bytes per path\n", (double)bytes / 1e6,
           sum.paths ? (double)bytes / (double)sum.paths : 0.0);
    mdx_status st = print_versions(s, &err);
    if (!st) {
        printf("path types  (count, nleg, reff range in Å)\n");
        st = mdx_store_each_type(s, print_type, NULL, &err);
    }
    if (!st)
        st = mdx_store_each_failed(s, print_failed, &first, &err);
    if (st)
        cli_report(&err);
    mdx_store_close(s);
    return st ? CLI_FAILED : CLI_OK;
}
