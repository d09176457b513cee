/* Benchmark input: a LAMMPS text dump of a UO2 fluorite supercell (U type
 * 1, O type 2, a = 5.47 Å) with thermal noise, as `dump custom ... id type
 * x y z` with `dump_modify format float %.6f` writes it: orthogonal box
 * "pp pp pp" bounds at %.16e, wrapped coordinates, and the rows of each
 * frame in a shuffled id order, as a parallel run writes them.
 * Usage: bench_gen_dump [-n ATOMS] [-f FRAMES] [-s SEED] OUT
 * The supercell is the near-cubic one (axes within 1.3x) whose atom count
 * is nearest to ATOMS (default 100000: 18 x 21 x 22 cells, 99,792 atoms);
 * FRAMES defaults to 100. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define A_UO2 5.47
#define SIGMA_U 0.06   /* Å, each component: ~300 K */
#define SIGMA_O 0.09

static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint64_t next64(void)   /* splitmix64 */
{
    uint64_t z = (rng += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static double uniform(void) { return ((double)(next64() >> 11) + 0.5) * 0x1.0p-53; }

static double gauss(void)   /* Box-Muller, one of the pair */
{
    return sqrt(-2 * log(uniform())) * cos(2 * M_PI * uniform());
}

/* The near-cubic supercell whose 12 * nx * ny * nz is nearest to atoms. */
static void choose_cells(long atoms, int n[3])
{
    double side = cbrt(atoms / 12.0);
    long best = -1;
    for (int x = 1; x <= 2 * side + 2; x++)
        for (int y = x; y <= 2 * side + 2; y++)
            for (int z = y; z <= 2 * side + 2; z++) {
                if (z > 1.3 * x)
                    break;
                long d = labs(12L * x * y * z - atoms);
                if (best < 0 || d < best) {
                    best = d;
                    n[0] = x;
                    n[1] = y;
                    n[2] = z;
                }
            }
}

int main(int argc, char **argv)
{
    long atoms = 100000, frames = 100;
    uint64_t seed = 1;
    int i = 1;
    for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
        if (strcmp(argv[i], "-n") == 0)
            atoms = atol(argv[i + 1]);
        else if (strcmp(argv[i], "-f") == 0)
            frames = atol(argv[i + 1]);
        else if (strcmp(argv[i], "-s") == 0)
            seed = strtoull(argv[i + 1], NULL, 10);
        else
            break;
    }
    if (i != argc - 1 || atoms < 12 || frames < 1) {
        fprintf(stderr, "usage: bench_gen_dump [-n ATOMS] [-f FRAMES] [-s SEED] OUT\n");
        return 2;
    }
    rng ^= seed * 0xd1b54a32d192ed03u;
    int n[3] = {1, 1, 1};
    choose_cells(atoms, n);
    size_t natoms = 12 * (size_t)n[0] * n[1] * n[2];
    double L[3] = {n[0] * A_UO2, n[1] * A_UO2, n[2] * A_UO2};
    /* lattice sites, U (fcc) then O (simple cubic of a/2 at a/4 offsets), by cell */
    double *site = malloc(natoms * 3 * sizeof *site);
    int *type = malloc(natoms * sizeof *type);
    size_t *order = malloc(natoms * sizeof *order);
    if (!site || !type || !order)
        return 1;
    static const double fcc[4][3] = {{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0}};
    size_t k = 0;
    for (int cx = 0; cx < n[0]; cx++)
        for (int cy = 0; cy < n[1]; cy++)
            for (int cz = 0; cz < n[2]; cz++) {
                for (int u = 0; u < 4; u++, k++) {
                    site[3 * k] = (cx + fcc[u][0]) * A_UO2;
                    site[3 * k + 1] = (cy + fcc[u][1]) * A_UO2;
                    site[3 * k + 2] = (cz + fcc[u][2]) * A_UO2;
                    type[k] = 1;
                }
                for (int o = 0; o < 8; o++, k++) {
                    site[3 * k] = (cx + .25 + .5 * (o & 1)) * A_UO2;
                    site[3 * k + 1] = (cy + .25 + .5 * (o >> 1 & 1)) * A_UO2;
                    site[3 * k + 2] = (cz + .25 + .5 * (o >> 2 & 1)) * A_UO2;
                    type[k] = 2;
                }
            }
    for (size_t a = 0; a < natoms; a++)
        order[a] = a;
    FILE *out = fopen(argv[i], "wb");
    if (!out) {
        perror(argv[i]);
        return 1;
    }
    static char buf[1 << 22];
    setvbuf(out, buf, _IOFBF, sizeof buf);
    for (long fr = 0; fr < frames; fr++) {
        fprintf(out, "ITEM: TIMESTEP\n%ld\nITEM: NUMBER OF ATOMS\n%zu\n"
                     "ITEM: BOX BOUNDS pp pp pp\n", fr * 1000, natoms);
        for (int d = 0; d < 3; d++)
            fprintf(out, "%.16e %.16e\n", 0.0, L[d]);
        fputs("ITEM: ATOMS id type x y z\n", out);
        for (size_t a = natoms - 1; a > 0; a--) {   /* a new order each frame */
            size_t b = (size_t)(next64() % (a + 1)), t = order[a];
            order[a] = order[b];
            order[b] = t;
        }
        for (size_t r = 0; r < natoms; r++) {
            size_t a = order[r];
            double sigma = type[a] == 1 ? SIGMA_U : SIGMA_O, x[3];
            for (int d = 0; d < 3; d++) {
                x[d] = site[3 * a + d] + sigma * gauss();
                x[d] -= L[d] * floor(x[d] / L[d]);   /* wrapped, as x y z are */
                if (x[d] >= L[d])
                    x[d] = 0;
            }
            fprintf(out, "%zu %d %.6f %.6f %.6f\n", a + 1, type[a], x[0], x[1], x[2]);
        }
    }
    if (fclose(out) != 0) {
        perror(argv[i]);
        return 1;
    }
    fprintf(stderr, "%s: %ld frames of %zu atoms (%d x %d x %d UO2 cells, %.2f x %.2f x %.2f Å)\n",
            argv[i], frames, natoms, n[0], n[1], n[2], L[0], L[1], L[2]);
    free(site);
    free(type);
    free(order);
    return 0;
}
