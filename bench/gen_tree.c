/* Make a synthetic FEFF tree of N folders for the scale benchmarks: each
 * folder a clone of a sample folder whose path files have their atom
 * positions and table values perturbed by a seeded ~0.1 % (k stays, so the
 * files stay valid), feff.inp and chi.dat copied.
 * Usage: bench_gen_tree SAMPLE_TREE OUT N [SEED] */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/file.h"
#include "build/scan.h"

static uint64_t rng;

static double jitter(void)  /* uniform in [-1, 1] */
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return (double)(rng >> 11) / (double)(1ull << 52) - 1.0;
}

static void mkdirs(char *path)
{
    for (char *p = path + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0755);
            *p = '/';
        }
    mkdir(path, 0755);
}

/* Copy a path file, perturbing atom positions and table values. */
static void write_perturbed(FILE *out, const char *text)
{
    enum { HEADER, ATOMS, TABLE } part = HEADER;
    for (const char *line = text; *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line + 1) : strlen(line);
        double v[7];
        char *end;
        if (part == ATOMS && strstr(line, "real[p]") && strstr(line, "real[p]") < line + len)
            part = TABLE, fwrite(line, 1, len, out);
        else if (part == TABLE && sscanf(line, "%lf %lf %lf %lf %lf %lf %lf", &v[0],
                                         &v[1], &v[2], &v[3], &v[4], &v[5], &v[6]) == 7) {
            for (int c = 1; c < 7; c++)
                v[c] *= 1 + 1e-3 * jitter();
            fprintf(out, "%7.3f %11.4E %11.4E %11.4E %10.3E %11.4E %11.4E\n", v[0],
                    v[1], v[2], v[3], v[4], v[5], v[6]);
        } else if (part == ATOMS && (v[0] = strtod(line, &end), end != line)) {
            v[1] = strtod(end, &end);
            v[2] = strtod(end, &end);
            fprintf(out, "%11.4f%11.4f%11.4f", v[0] + 1e-3 * jitter(),
                    v[1] + 1e-3 * jitter(), v[2] + 1e-3 * jitter());
            fwrite(end, 1, len - (size_t)(end - line), out);
        } else {
            if (strstr(line, "pot at#") && strstr(line, "pot at#") < line + len)
                part = ATOMS;
            fwrite(line, 1, len, out);
        }
        line += len;
    }
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: bench_gen_tree SAMPLE_TREE OUT N [SEED]\n");
        return 2;
    }
    long n = atol(argv[3]);
    uint64_t seed = argc > 4 ? strtoull(argv[4], NULL, 10) : 1;
    mdx_tree t;
    mdx_error err;
    if (mdx_scan(argv[1], 0, &t, &err) || t.nfolders == 0) {
        fprintf(stderr, "bench_gen_tree: %s: %s\n", argv[1], err.msg);
        return 1;
    }
    for (long i = 0; i < n; i++) {
        mdx_folder *f = &t.folders[i % (long)t.nfolders];
        char dir[PATH_MAX];
        if (!f->files && mdx_folder_load(&t, f, &err)) {
            fprintf(stderr, "bench_gen_tree: %s: %s\n", f->dir, err.msg);
            return 1;
        }
        snprintf(dir, sizeof dir, "%s/batch_%03ld/frame_%ld/atom_%ld", argv[2],
                 i / 1000, i / 2, i % 2);
        mkdirs(dir);
        for (size_t j = 0; j < f->nfiles; j++) {
            char src[PATH_MAX], dst[PATH_MAX + 64], *text;
            size_t len;
            mdx_folder_file(&t, f, j, src, sizeof src);
            snprintf(dst, sizeof dst, "%s/%s", dir, f->files[j].name);
            if (mdx_read_file(src, &text, &len, &err)) {
                fprintf(stderr, "bench_gen_tree: %s: %s\n", src, err.msg);
                return 1;
            }
            FILE *out = fopen(dst, "w");
            if (!out) {
                fprintf(stderr, "bench_gen_tree: %s: %s\n", dst, strerror(errno));
                return 1;
            }
            rng = seed * 0x9e3779b97f4a7c15u ^ (uint64_t)i << 20 ^ j;
            rng = rng ? rng : 1;
            if (j < f->npaths)
                write_perturbed(out, text);
            else
                fwrite(text, 1, len, out);
            fclose(out);
            free(text);
        }
    }
    mdx_tree_free(&t);
    return 0;
}
