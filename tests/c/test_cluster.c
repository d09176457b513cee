/* Clusters (cluster.c) and feff.inp (feff_input.c): every periodic image
 * within the cutoff, checked against a brute-force walk over images for
 * triclinic cells, unwrapped positions, a non-periodic axis and cutoffs
 * below half a cell, beyond it and beyond a whole cell; atoms too close;
 * the absorber's own images; atoms beyond the cell along a non-periodic
 * axis; feff.inp's text as the reference workflow
 * writes it, with made and given potentials, and each refusal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <mdexafs/mdexafs.h>
#include "expect.h"
#include "testutil.h"

/* A frame of n atoms (ids 0..n-1) that the test fills. */
typedef struct test_frame {
    mdx_frame f;
    long id[128];
    int z[128];
    double xyz[3 * 128];
} test_frame;

static void init_frame(test_frame *t, size_t n, const double h[3][3], const int pbc[3])
{
    memset(t, 0, sizeof *t);
    t->f.natoms = n;
    t->f.id = t->id;
    t->f.z = t->z;
    t->f.xyz = t->xyz;
    t->f.timestep = -1;
    memcpy(t->f.cell.h, h, sizeof t->f.cell.h);
    memcpy(t->f.cell.pbc, pbc, sizeof t->f.cell.pbc);
    for (size_t i = 0; i < n; i++) {
        t->id[i] = (long)i;
        t->z[i] = 29;
    }
}

static int by_atom_image(const void *pa, const void *pb)
{
    const mdx_cluster_atom *a = pa, *b = pb;
    if (a->atom != b->atom)
        return a->atom < b->atom ? -1 : 1;
    for (int k = 0; k < 3; k++)
        if (a->image[k] != b->image[k])
            return a->image[k] < b->image[k] ? -1 : 1;
    return 0;
}

/* Every (atom, image) within rc of atom i, by walking all images up to K
 * cells away along each periodic axis. */
static size_t brute_force(const mdx_frame *f, size_t i, double rc, int K,
                          mdx_cluster_atom *out, size_t cap)
{
    size_t n = 0;
    int lo[3], hi[3];
    for (int k = 0; k < 3; k++) {
        lo[k] = f->cell.pbc[k] ? -K : 0;
        hi[k] = f->cell.pbc[k] ? K : 0;
    }
    for (size_t j = 0; j < f->natoms; j++)
        for (int a = lo[0]; a <= hi[0]; a++)
            for (int b = lo[1]; b <= hi[1]; b++)
                for (int c = lo[2]; c <= hi[2]; c++) {
                    if (j == i && !a && !b && !c)
                        continue;
                    double d[3], r2 = 0;
                    for (int x = 0; x < 3; x++) {
                        d[x] = f->xyz[3 * j + x] - f->xyz[3 * i + x] + a * f->cell.h[0][x]
                               + b * f->cell.h[1][x] + c * f->cell.h[2][x];
                        r2 += d[x] * d[x];
                    }
                    if (r2 > rc * rc)
                        continue;
                    assert_true(n < cap);
                    out[n++] = (mdx_cluster_atom){j, {a, b, c}, {d[0], d[1], d[2]}, sqrt(r2)};
                }
    return n;
}

static void compare_with_brute_force(const mdx_frame *f, double grid_cutoff, double rc)
{
    static mdx_cluster_atom want[200000];
    mdx_grid *g;
    mdx_error err;
    assert_int_equal(mdx_grid_new(f, grid_cutoff, &g, &err), MDX_OK);
    mdx_cluster c = {0};
    for (size_t i = 0; i < f->natoms; i += 7) {
        if (mdx_cluster_build(g, i, rc, 0, &c, &err) != MDX_OK)
            fail_msg("%s", err.msg);
        size_t n = brute_force(f, i, rc, 12, want, sizeof want / sizeof want[0]);
        assert_int_equal(c.n, n + 1);
        assert_int_equal(c.atoms[0].atom, i);
        assert_true(c.atoms[0].r == 0 && c.atoms[0].xyz[0] == 0);
        for (size_t k = 2; k < c.n; k++)
            assert_true(c.atoms[k - 1].r <= c.atoms[k].r);
        qsort(c.atoms + 1, c.n - 1, sizeof *c.atoms, by_atom_image);
        qsort(want, n, sizeof *want, by_atom_image);
        for (size_t k = 0; k < n; k++) {
            const mdx_cluster_atom *got = &c.atoms[k + 1];
            if (by_atom_image(got, &want[k]) != 0)
                fail_msg("absorber %zu: entry %zu: atom %zu image %d %d %d, want atom %zu"
                         " image %d %d %d", i, k, got->atom, got->image[0], got->image[1],
                         got->image[2], want[k].atom, want[k].image[0], want[k].image[1],
                         want[k].image[2]);
            for (int x = 0; x < 3; x++)
                assert_close(got->xyz[x], want[k].xyz[x], 1e-9);
            assert_close(got->r, want[k].r, 1e-9);
        }
    }
    mdx_cluster_free(&c);
    mdx_grid_free(g);
}

/* Random atoms in a triclinic cell, moved by whole cells (unwrapped
 * coordinates): the cluster is every image the brute force finds. */
static void test_against_brute_force(void **state)
{
    (void)state;
    static const double h[3][3] = {{9, 0, 0}, {2.5, 8, 0}, {-1.5, 1.2, 7.5}};
    static const int all[3] = {1, 1, 1}, slab[3] = {1, 0, 1};
    const int *pbcs[] = {all, slab};
    static const double cutoffs[] = {2.5, 5.0, 11.0};
    srand48(2026);
    for (int p = 0; p < 2; p++) {
        test_frame t;
        init_frame(&t, 90, h, pbcs[p]);
        for (size_t i = 0; i < t.f.natoms; i++) {
            double s[3];
            for (int k = 0; k < 3; k++)
                /* off the cell along a non-periodic axis too, below and above */
                s[k] = pbcs[p][k] ? drand48() + (double)(lrand48() % 7 - 3) : 4 * drand48() - 1.5;
            for (int x = 0; x < 3; x++)
                t.xyz[3 * i + x] = s[0] * h[0][x] + s[1] * h[1][x] + s[2] * h[2][x];
        }
        for (size_t c = 0; c < sizeof cutoffs / sizeof cutoffs[0]; c++) {
            compare_with_brute_force(&t.f, cutoffs[c], cutoffs[c]);
            compare_with_brute_force(&t.f, 1.0, cutoffs[c]);   /* bins of another size */
        }
    }
}

/* Along a non-periodic axis an atom above the cell is where it is: no
 * image of it comes nearer. */
static void test_open_axis(void **state)
{
    (void)state;
    static const double h[3][3] = {{30, 0, 0}, {0, 30, 0}, {0, 0, 10}};
    static const int pbc[3] = {1, 1, 0};
    test_frame t;
    init_frame(&t, 2, h, pbc);
    t.xyz[5] = 12;
    mdx_grid *g;
    mdx_error err;
    assert_int_equal(mdx_grid_new(&t.f, 5, &g, &err), MDX_OK);
    mdx_cluster c = {0};
    assert_int_equal(mdx_cluster_build(g, 1, 5, MDX_MIN_DISTANCE, &c, &err), MDX_OK);
    assert_int_equal(c.n, 1);
    assert_int_equal(mdx_cluster_build(g, 1, 12, MDX_MIN_DISTANCE, &c, &err), MDX_OK);
    assert_int_equal(c.n, 2);
    assert_true(c.atoms[1].xyz[2] == -12 && c.atoms[1].image[2] == 0);
    mdx_cluster_free(&c);
    mdx_grid_free(g);
}

/* One atom in a 3 Å cube: with a cutoff beyond the cell, its own six
 * nearest images surround it, nearest first, ties by image. */
static void test_absorber_images(void **state)
{
    (void)state;
    static const double h[3][3] = {{3, 0, 0}, {0, 3, 0}, {0, 0, 3}};
    static const int pbc[3] = {1, 1, 1};
    test_frame t;
    init_frame(&t, 1, h, pbc);
    t.xyz[0] = 1;
    mdx_grid *g;
    mdx_error err;
    assert_int_equal(mdx_grid_new(&t.f, 3.1, &g, &err), MDX_OK);
    mdx_cluster c = {0};
    assert_int_equal(mdx_cluster_build(g, 0, 3.1, MDX_MIN_DISTANCE, &c, &err), MDX_OK);
    assert_int_equal(c.n, 7);
    static const int images[6][3] = {{-1, 0, 0}, {0, -1, 0}, {0, 0, -1},
                                     {0, 0, 1},  {0, 1, 0},  {1, 0, 0}};
    for (int k = 0; k < 6; k++) {
        assert_memory_equal(c.atoms[k + 1].image, images[k], sizeof images[k]);
        for (int x = 0; x < 3; x++)
            assert_true(c.atoms[k + 1].xyz[x] == 3.0 * images[k][x]);
        assert_true(c.atoms[k + 1].r == 3.0);
    }
    mdx_cluster_free(&c);
    mdx_grid_free(g);
}

/* Two atoms closer than FEFF accepts: an error naming them, unless the
 * smallest distance is 0. */
static void test_too_close(void **state)
{
    (void)state;
    static const double h[3][3] = {{10, 0, 0}, {0, 10, 0}, {0, 0, 10}};
    static const int pbc[3] = {1, 1, 1};
    test_frame t;
    init_frame(&t, 3, h, pbc);
    t.id[0] = 11, t.id[1] = 12, t.id[2] = 13;
    t.xyz[3] = 2.0;
    t.xyz[6] = 2.0, t.xyz[7] = 0.5;
    t.f.index = 4;
    t.f.file = "md.xyz";
    t.f.line = 40;
    mdx_grid *g;
    mdx_error err;
    assert_int_equal(mdx_grid_new(&t.f, 5, &g, &err), MDX_OK);
    mdx_cluster c = {0};
    assert_error(mdx_cluster_build(g, 0, 5, MDX_MIN_DISTANCE, &c, &err), err, MDX_ERR_RANGE,
                 "md.xyz", 40, "frame 4: atoms 12 (image 0 0 0) and 13 (image 0 0 0) are"
                 " 0.5000 Å apart, closer than 0.9260 Å");
    assert_int_equal(mdx_cluster_build(g, 0, 5, 0, &c, &err), MDX_OK);
    assert_int_equal(c.n, 3);
    assert_int_equal(mdx_cluster_build(g, 3, 5, 0, &c, &err), MDX_ERR_ARG);
    assert_int_equal(mdx_cluster_build(g, 0, -1, 0, &c, &err), MDX_ERR_ARG);
    assert_int_equal(mdx_cluster_build(g, 0, 5, NAN, &c, &err), MDX_ERR_ARG);
    mdx_cluster_free(&c);
    mdx_grid_free(g);
    t.xyz[7] = NAN;
    assert_int_equal(mdx_grid_new(&t.f, 5, &g, &err), MDX_ERR_ARG);
    assert_non_null(strstr(err.msg, "atom 13: its position is not finite"));
}

/* A U absorber with two O and one U around it in a 20 Å cube. */
static void small_cluster(test_frame *t, mdx_grid **g, mdx_cluster *c)
{
    static const double h[3][3] = {{20, 0, 0}, {0, 20, 0}, {0, 0, 20}};
    static const int pbc[3] = {1, 1, 1};
    init_frame(t, 4, h, pbc);
    static const double xyz[] = {5, 5, 5, 6.5, 5, 5, 5, 3, 5, 5, 5, 7.5};
    static const int z[] = {92, 8, 8, 92};
    memcpy(t->xyz, xyz, sizeof xyz);
    memcpy(t->z, z, sizeof z);
    mdx_error err;
    assert_int_equal(mdx_grid_new(&t->f, 3, g, &err), MDX_OK);
    assert_int_equal(mdx_cluster_build(*g, 0, 3, MDX_MIN_DISTANCE, c, &err), MDX_OK);
}

static void test_feff_input(void **state)
{
    (void)state;
    test_frame t;
    mdx_grid *g;
    mdx_cluster c = {0};
    small_cluster(&t, &g, &c);
    mdx_feff_input_spec spec = {.header = "TITLE t\nEDGE L3"};
    char *text;
    size_t len;
    mdx_error err;
    assert_int_equal(mdx_feff_input(&spec, &t.f, &c, &text, &len, &err), MDX_OK);
    assert_string_equal(text, "TITLE t\nEDGE L3\n\n"
        "POTENTIALS\n*   ipot   z [ label   l_scmt  l_fms  stoichiometry ]\n"
        "    0   92    U     -1      -1       1\n"
        "    1   8    O     -1      -1       2\n"
        "    2   92    U     -1      -1       1\n\n"
        "ATOMS\n"
        "0.000000\t0.000000\t0.000000\t0\tU\n"
        "1.500000\t0.000000\t0.000000\t1\tO\n"
        "0.000000\t-2.000000\t0.000000\t1\tO\n"
        "0.000000\t0.000000\t2.500000\t2\tU\n"
        "END\n");
    assert_int_equal(len, strlen(text));
    free(text);

    /* the header's own potentials: each atom takes its element's */
    spec.header = "TITLE t\n* a comment\npotentials\n 0 92 U\n 1 92 U\n 2 8 O\nRPATH 5";
    assert_int_equal(mdx_feff_input(&spec, &t.f, &c, &text, &len, &err), MDX_OK);
    assert_non_null(strstr(text, "RPATH 5\n\nATOMS\n0.000000\t0.000000\t0.000000\t0\tU\n"
                                 "1.500000\t0.000000\t0.000000\t2\tO\n"));
    assert_non_null(strstr(text, "2.500000\t1\tU\nEND\n"));
    assert_null(strstr(text, "stoichiometry"));
    free(text);

    /* potentials in the caller's order */
    const int order[] = {92, 8};
    spec = (mdx_feff_input_spec){.header = "TITLE t", .npot = 2, .pot_z = order};
    assert_int_equal(mdx_feff_input(&spec, &t.f, &c, &text, &len, &err), MDX_OK);
    assert_non_null(strstr(text, "    1   92    U     -1      -1       1\n"
                                 "    2   8    O     -1      -1       2\n"));
    free(text);

    /* the refusals, those that need no cluster first */
    enum { WITHOUT_CLUSTER = 9 };
    static const struct {
        const char *header;
        size_t npot;
        int pot_z[3];
        const char *msg;
    } bad[] = {
        {"TITLE t\nATOMS\n", 0, {0}, "ATOMS card: the atoms and END are written"},
        {"TITLE t\n  end", 0, {0}, "end card"},
        {"POTENTIALS\n0 92 U\n2 8 O\n", 0, {0}, "ipot 2 where 1 comes next"},
        {"POTENTIALS\n0 92 U\n1 8 O\nPOTENTIALS\n", 0, {0}, "a second POTENTIALS card"},
        {"POTENTIALS\n0 92 U\n1 8 O\n2 92 U\n", 2, {8, 92}, "potentials given twice"},
        {"TITLE t", 2, {8, 8}, "potentials 1 and 2 are both O"},
        {"TITLE t", 2, {8, 0}, "potential 2: 0 is not an atomic number"},
        {"TITLE t", 12, {8}, "12 potentials: FEFF has 0 to 11"},
        {"POTENTIALS\n0 92U\n", 0, {0}, "not \"ipot Z label ...\""},
        {"TITLE t", 1, {8}, "no potential for U (atom 3, 2.500 Å"},
        {"TITLE t", 3, {8, 92, 26}, "ipot 3 (Fe) has no atom in the cluster of atom 0"},
        {"POTENTIALS\n0 8 O\n1 92 U\n", 0, {0}, "ipot 0 is O, the absorber 0 is U"},
        {"POTENTIALS\n0 92 U\n1 8 O\n2 8 O\n3 92 U\n", 0, {0}, "ipot 1 and 2 are both O"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        spec = (mdx_feff_input_spec){.header = bad[i].header, .npot = bad[i].npot,
                                     .pot_z = bad[i].pot_z};
        if (mdx_feff_input(&spec, &t.f, &c, &text, &len, &err) != MDX_ERR_ARG ||
            !strstr(err.msg, bad[i].msg))
            fail_msg("case %zu: %s", i, err.msg);
        assert_null(text);
        /* what needs no cluster is checked without one */
        if (i < WITHOUT_CLUSTER && mdx_feff_input_check(&spec, &err) != MDX_ERR_ARG)
            fail_msg("case %zu: mdx_feff_input_check took it", i);
    }
    spec = (mdx_feff_input_spec){.header = "TITLE t", .npot = 2, .pot_z = order};
    assert_int_equal(mdx_feff_input_check(&spec, &err), MDX_OK);

    /* the absorber alone: FEFF needs neighbours */
    mdx_error err1;
    assert_int_equal(mdx_cluster_build(g, 0, 1.0, MDX_MIN_DISTANCE, &c, &err1), MDX_OK);
    assert_int_equal(c.n, 1);
    spec = (mdx_feff_input_spec){.header = "TITLE t"};
    assert_int_equal(mdx_feff_input(&spec, &t.f, &c, &text, &len, &err), MDX_ERR_RANGE);
    assert_non_null(strstr(err.msg, "frame 0: no atom within the cutoff of atom 0"));
    mdx_cluster_free(&c);
    mdx_grid_free(g);

    /* an atomic number that is none */
    t.z[2] = 0;
    assert_int_equal(mdx_grid_new(&t.f, 3, &g, &err), MDX_ERR_ARG);
    assert_non_null(strstr(err.msg, "frame 0: atom 2: 0 is not an atomic number"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_brute_force), cmocka_unit_test(test_open_axis),
        cmocka_unit_test(test_absorber_images),
        cmocka_unit_test(test_too_close),           cmocka_unit_test(test_feff_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
