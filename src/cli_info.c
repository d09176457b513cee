/* mdexafs info: what a database holds. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "mdexafs/store.h"

static const char usage[] =
    "usage: mdexafs info DB\n"
    "\n"
    "Show what DB holds: schema, source tree, k grid, folders, frames,\n"
    "atoms and paths, each path type with its count and reff range, size\n"
    "on disk and bytes per path, and folders that failed to build.\n";

static int print_type(void *ctx, const mdx_type_stat *t)
{
    (void)ctx;
    printf("  %-16s %8lld  nleg %d  reff %.4f .. %.4f\n", t->type,
           (long long)t->count, t->nleg, t->reff_min, t->reff_max);
    return 0;
}

static int print_failed(void *ctx, const char *dir, const char *error)
{
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
    char root[4096], grid[64], created[64], params[128], layout[64], shard[64];
    int first = 1;
    if (mdx_store_open(argv[1], MDX_STORE_READ, &s, &err) ||
        mdx_store_get_meta(s, "root", root, sizeof root, &err) ||
        mdx_store_get_meta(s, "k_grid", grid, sizeof grid, &err) ||
        mdx_store_get_meta(s, "created_by", created, sizeof created, &err) ||
        mdx_store_get_meta(s, "chi_parameters", params, sizeof params, &err) ||
        mdx_store_get_meta(s, "layout", layout, sizeof layout, &err) ||
        mdx_store_get_meta(s, "shard", shard, sizeof shard, &err) ||
        mdx_store_summary_of(s, &sum, &err)) {
        cli_report(&err);
        mdx_store_close(s);
        return CLI_FAILED;
    }
    double kmin, kstep;
    int nk;
    int64_t bytes = mdx_store_size(s);
    printf("database    %s (schema %d, made by %s)\n", argv[1],
           MDX_SCHEMA_VERSION, created);
    printf("source tree %s%s%s\n", root, shard[0] ? ", shard " : "", shard);
    printf("layout      %s\n", strcmp(layout, MDX_LAYOUT_TABLES) == 0
                                     ? "FEFF data only (chi computed when read)"
                                     : "chi(k) and FEFF data");
    if (sscanf(grid, "%lf %lf %d", &kmin, &kstep, &nk) == 3)
        printf("k grid      %g .. %g step %g (%d points)\n", kmin,
               kmin + kstep * (nk - 1), kstep, nk);
    printf("chi(k) at   %s\n", params);
    printf("folders     %lld (%lld failed)\n", (long long)sum.folders,
           (long long)sum.failed_folders);
    printf("frames      %lld (%ld .. %ld), atoms %lld\n", (long long)sum.frames,
           sum.frame_min, sum.frame_max, (long long)sum.atoms);
    printf("paths       %lld (%lld with chi), reff %.4f .. %.4f\n",
           (long long)sum.paths, (long long)sum.paths_with_chi, sum.reff_min,
           sum.reff_max);
    printf("size        %.1f MB, %.0f bytes per path\n", (double)bytes / 1e6,
           sum.paths ? (double)bytes / (double)sum.paths : 0.0);
    printf("path types  (count, nleg, reff range in Å)\n");
    if (mdx_store_each_type(s, print_type, NULL, &err) ||
        mdx_store_each_failed(s, print_failed, &first, &err)) {
        cli_report(&err);
        mdx_store_close(s);
        return CLI_FAILED;
    }
    mdx_store_close(s);
    return CLI_OK;
}
