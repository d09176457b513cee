/* Benchmark: a trajectory read through mdx_trajectory_*, one thread.
 *   read      every frame parsed (parse=1): MB/s and frames/s
 *   skip      every frame stepped over (parse=0)
 *   clusters  every frame parsed (not timed), then its cell list
 *             (mdx_grid_new), and for A absorbers the cluster
 *             (mdx_cluster_build) and its feff.inp (mdx_feff_input), each
 *             timed per call
 * Usage: bench_traj [-r REPEAT] [-m all|read|skip|clusters] [-c CUTOFF]
 *                   [-a ABSORBERS] DUMP
 * Types 1 and 2 of a LAMMPS dump are U and O (bench_gen_dump's UO2);
 * absorbers are U atoms spread over the frame (any atom when there is no
 * U). read and skip report the median of REPEAT passes (default 3). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mdexafs/md.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, by_value);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static double mean(const double *v, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += v[i];
    return n ? s / n : 0;
}

static const char *const labels[] = {"1", "2"};
static const int zs[] = {92, 8};
static const mdx_traj_options options = {NULL, 2, labels, zs, NULL};

static void die(const mdx_error *err)
{
    fprintf(stderr, "bench_traj: %s:%ld: %s\n", err->file, err->line, err->msg);
    exit(1);
}

/* One pass over the file; returns its seconds, and the frames, atoms of
 * the last frame and bytes read. */
static double pass(const char *path, int parse, long *frames, size_t *natoms,
                   long long *bytes)
{
    mdx_error err;
    mdx_trajectory *t;
    double t0 = now();
    if (mdx_trajectory_open(path, &options, &t, &err) != MDX_OK)
        die(&err);
    int got;
    mdx_status st;
    *frames = 0;
    while ((st = mdx_trajectory_next(t, parse, &got, &err)) == MDX_OK && got) {
        ++*frames;
        *natoms = mdx_trajectory_frame(t)->natoms;
    }
    if (st != MDX_OK)
        die(&err);
    *bytes = mdx_trajectory_offset(t);
    mdx_trajectory_close(t);
    return now() - t0;
}

static void rates(const char *path, int parse, int repeat)
{
    double *sec = calloc(repeat, sizeof *sec);
    long frames = 0;
    size_t natoms = 0;
    long long bytes = 0;
    for (int r = 0; r < repeat; r++)
        sec[r] = pass(path, parse, &frames, &natoms, &bytes);
    double lo = sec[0], hi = sec[0];
    for (int r = 1; r < repeat; r++) {
        lo = sec[r] < lo ? sec[r] : lo;
        hi = sec[r] > hi ? sec[r] : hi;
    }
    double s = median(sec, repeat);
    if (parse)
        printf("%ld frames, %zu atoms a frame, %.1f MB (%.1f bytes an atom line)\n\n",
               frames, natoms, bytes / 1e6, frames && natoms ? (double)bytes / frames / natoms : 0);
    printf("%-22s %8.3f s (%.3f-%.3f) %8.1f MB/s %8.1f frames/s", parse ? "read+parse (parse=1)"
           : "skip (parse=0)", s, lo, hi, bytes / s / 1e6, frames / s);
    if (parse && frames && natoms)
        printf(" %7.1f ns/atom", 1e9 * s / frames / natoms);
    printf("\n");
    free(sec);
}

static void clusters(const char *path, double cutoff, int nabs)
{
    mdx_error err;
    mdx_trajectory *t;
    if (mdx_trajectory_open(path, &options, &t, &err) != MDX_OK)
        die(&err);
    size_t cap = 1024, ngrid = 0, ncl = 0, *uranium = NULL, nu = 0;
    double *grid_s = malloc(cap * sizeof *grid_s);
    double *cl_s = malloc(cap * nabs * sizeof *cl_s), *feff_s = malloc(cap * nabs * sizeof *feff_s);
    double atoms = 0, bytes = 0;
    mdx_cluster c = {0};
    mdx_feff_input_spec spec = {"TITLE bench_traj\nEDGE L3\nS02 1.0\nCONTROL 1 1 1 1 1 1\n"
                                "PRINT 1 0 0 0 0 0\nEXCHANGE 0\nSCF 5.0\nRPATH 5.0\n",
                                0, NULL};
    int got;
    mdx_status st;
    while ((st = mdx_trajectory_next(t, 1, &got, &err)) == MDX_OK && got) {
        const mdx_frame *f = mdx_trajectory_frame(t);
        if (!uranium) {
            uranium = malloc(f->natoms * sizeof *uranium);
            for (size_t i = 0; i < f->natoms; i++)
                if (f->z[i] == 92)
                    uranium[nu++] = i;
            if (nu == 0)
                for (; nu < f->natoms; nu++)
                    uranium[nu] = nu;
        }
        if (ngrid == cap) {
            cap *= 2;
            grid_s = realloc(grid_s, cap * sizeof *grid_s);
            cl_s = realloc(cl_s, cap * nabs * sizeof *cl_s);
            feff_s = realloc(feff_s, cap * nabs * sizeof *feff_s);
        }
        mdx_grid *g;
        double t0 = now();
        if (mdx_grid_new(f, cutoff, &g, &err) != MDX_OK)
            die(&err);
        grid_s[ngrid++] = now() - t0;
        for (int a = 0; a < nabs; a++) {
            /* spread over the frame, shifted from frame to frame */
            size_t absorber = uranium[(a * nu / nabs + 7919 * (size_t)f->index) % nu];
            char *text;
            size_t len;
            t0 = now();
            if (mdx_cluster_build(g, absorber, cutoff, MDX_MIN_DISTANCE, &c, &err) != MDX_OK)
                die(&err);
            double t1 = now();
            if (mdx_feff_input(&spec, f, &c, &text, &len, &err) != MDX_OK)
                die(&err);
            double t2 = now();
            cl_s[ncl] = t1 - t0;
            feff_s[ncl++] = t2 - t1;
            atoms += c.n;
            bytes += len;
            free(text);
        }
        mdx_grid_free(g);
    }
    if (st != MDX_OK)
        die(&err);
    mdx_trajectory_close(t);
    printf("\n%zu frames, %d absorbers each, cutoff %.2f Å: %.1f atoms a cluster,"
           " %.0f bytes a feff.inp\n", ngrid, nabs, cutoff, ncl ? atoms / ncl : 0,
           ncl ? bytes / ncl : 0);
    printf("%-22s %-9s %10s %10s %10s\n", "stage", "per", "median", "mean", "max");
    double mg = mean(grid_s, ngrid), mc = mean(cl_s, ncl), mf = mean(feff_s, ncl);
    double xg = ngrid ? grid_s[ngrid - 1] : 0, xc = 0, xf = 0;
    for (size_t i = 0; i < ngrid; i++)
        xg = grid_s[i] > xg ? grid_s[i] : xg;
    for (size_t i = 0; i < ncl; i++) {
        xc = cl_s[i] > xc ? cl_s[i] : xc;
        xf = feff_s[i] > xf ? feff_s[i] : xf;
    }
    printf("%-22s %-9s %8.2f ms %7.2f ms %7.2f ms\n", "mdx_grid_new", "frame",
           1e3 * median(grid_s, ngrid), 1e3 * mg, 1e3 * xg);
    printf("%-22s %-9s %8.1f us %7.1f us %7.1f us\n", "mdx_cluster_build", "absorber",
           1e6 * median(cl_s, ncl), 1e6 * mc, 1e6 * xc);
    printf("%-22s %-9s %8.1f us %7.1f us %7.1f us\n", "mdx_feff_input", "absorber",
           1e6 * median(feff_s, ncl), 1e6 * mf, 1e6 * xf);
    printf("%-22s %-9s %8.1f us (means: grid / A + cluster + feff.inp)\n", "all three", "absorber",
           1e6 * (mg / nabs + mc + mf));
    mdx_cluster_free(&c);
    free(uranium);
    free(grid_s);
    free(cl_s);
    free(feff_s);
}

int main(int argc, char **argv)
{
    int repeat = 3, nabs = 10, i = 1;
    double cutoff = 10.0;
    const char *mode = "all";
    for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
        if (strcmp(argv[i], "-r") == 0)
            repeat = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "-m") == 0)
            mode = argv[i + 1];
        else if (strcmp(argv[i], "-c") == 0)
            cutoff = atof(argv[i + 1]);
        else if (strcmp(argv[i], "-a") == 0)
            nabs = atoi(argv[i + 1]);
        else
            break;
    }
    int all = strcmp(mode, "all") == 0;
    if (i != argc - 1 || repeat < 1 || nabs < 1 || !(cutoff > 0) ||
        (!all && strcmp(mode, "read") && strcmp(mode, "skip") && strcmp(mode, "clusters"))) {
        fprintf(stderr, "usage: bench_traj [-r REPEAT] [-m all|read|skip|clusters]"
                        " [-c CUTOFF] [-a ABSORBERS] DUMP\n");
        return 2;
    }
    const char *path = argv[i];
    if (all || strcmp(mode, "read") == 0)
        rates(path, 1, repeat);
    if (all || strcmp(mode, "skip") == 0)
        rates(path, 0, repeat);
    if (all || strcmp(mode, "clusters") == 0)
        clusters(path, cutoff, nabs);
    return 0;
}
