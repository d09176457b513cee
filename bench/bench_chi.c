/* Benchmark: read + parse + chi(k) of every path file under the given
 * folders, on one thread and on all, with the parse and chi stages timed
 * apart. Usage: bench_chi [-r REPEAT] DIR... */
#include <ftw.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mdexafs/chi.h"
#include "mdexafs/feff.h"

static char **files;
static size_t nfiles, capfiles;

static int collect(const char *path, const struct stat *sb, int type,
                   struct FTW *ftw)
{
    (void)sb;
    const char *base = path + ftw->base;
    if (type == FTW_F && strncmp(base, "feff", 4) == 0 &&
        strcmp(base + strlen(base) - 4, ".dat") == 0 && strlen(base) > 8) {
        if (nfiles == capfiles) {
            capfiles = capfiles ? 2 * capfiles : 1024;
            files = realloc(files, capfiles * sizeof *files);
        }
        files[nfiles++] = strdup(path);
    }
    return 0;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/* Seconds to run stage 0 (parse only) or 1 (parse + chi) over all files. */
static double run(int threads, int with_chi, double *checksum)
{
    double t0 = now(), sum = 0;
    int failed = 0;
#pragma omp parallel num_threads(threads) reduction(+ : sum, failed)
    {
        mdx_chi_work work = {0};
        mdx_chi_params par = mdx_chi_defaults();
        double k[MDX_NK], chi[MDX_NK];
        mdx_kgrid(k);
#pragma omp for schedule(dynamic, 16)
        for (size_t i = 0; i < nfiles; i++) {
            mdx_path p;
            mdx_error err;
            if (mdx_feff_parse_file(files[i], &p, &err)) {
                failed++;
                continue;
            }
            if (with_chi && mdx_chi(&p, &par, MDX_NK, k, chi, &work, &err) == 0)
                sum += chi[200];
            mdx_path_free(&p);
        }
        mdx_chi_work_free(&work);
    }
    if (failed)
        fprintf(stderr, "bench_chi: %d files failed to parse\n", failed);
    *checksum = sum;
    return now() - t0;
}

int main(int argc, char **argv)
{
    int repeat = 5, first = 1;
    if (argc > 2 && strcmp(argv[1], "-r") == 0) {
        repeat = atoi(argv[2]);
        first = 3;
    }
    if (first >= argc || repeat < 1) {
        fprintf(stderr, "usage: bench_chi [-r REPEAT] DIR...\n");
        return 2;
    }
    for (int i = first; i < argc; i++)
        nftw(argv[i], collect, 16, FTW_PHYS);
    if (!nfiles) {
        fprintf(stderr, "bench_chi: no feffNNNN.dat files found\n");
        return 1;
    }
    int maxth = omp_get_max_threads();
    printf("%zu path files, best of %d runs\n", nfiles, repeat);
    printf("%-8s %-12s %12s %12s\n", "threads", "stage", "us/path", "paths/s");
    for (int threads = 1; threads <= maxth; threads = threads < maxth ? maxth : maxth + 1) {
        for (int with_chi = 0; with_chi <= 1; with_chi++) {
            double best = 1e30, sum;
            for (int r = 0; r < repeat; r++) {
                double t = run(threads, with_chi, &sum);
                best = t < best ? t : best;
            }
            printf("%-8d %-12s %12.2f %12.0f\n", threads,
                   with_chi ? "parse+chi" : "parse", 1e6 * best / nfiles,
                   nfiles / best);
        }
    }
    for (size_t i = 0; i < nfiles; i++)
        free(files[i]);
    free(files);
    return 0;
}
