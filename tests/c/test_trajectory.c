/* Trajectory readers (trajectory.c, xyz.c, lammps.c, lines.c, cell.c):
 * plain, CP2K and extended XYZ; LAMMPS dumps with orthogonal, tilted and
 * general boxes, columns in any order, scaled and unwrapped coordinates,
 * atoms in any id order; stepping over frames; lines across the read
 * buffer; and each malformed frame refused with its file and line. */
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

static char path[4096];

/* Write text to a file in the tests' temporary folder; returns its path. */
static const char *file_with(const char *name, const char *text)
{
    snprintf(path, sizeof path, "%s/%s", group_dir, name);
    write_text(path, text);
    return path;
}

static const mdx_cell cube10 = {{{10, 0, 0}, {0, 10, 0}, {0, 0, 10}}, {1, 1, 1}};

static mdx_trajectory *open_ok(const char *file, const mdx_traj_options *o)
{
    mdx_trajectory *t;
    mdx_error err;
    if (mdx_trajectory_open(file, o, &t, &err) != MDX_OK)
        fail_msg("%s", err.msg);
    return t;
}

static const mdx_frame *next_ok(mdx_trajectory *t, int parse)
{
    mdx_error err;
    int got;
    if (mdx_trajectory_next(t, parse, &got, &err) != MDX_OK)
        fail_msg("%s:%ld: %s", err.file, err.line, err.msg);
    assert_true(got);
    return mdx_trajectory_frame(t);
}

static void assert_end(mdx_trajectory *t)
{
    mdx_error err;
    int got = 1;
    assert_int_equal(mdx_trajectory_next(t, 1, &got, &err), MDX_OK);
    assert_false(got);
}

static void test_plain_xyz(void **state)
{
    (void)state;
    const char *f = file_with("a.xyz", "2\nframe one\nU 0 0 0\nO 1.5 -2.25 3e-1\n"
                                       "\n2\ni = 1, time = 0.5, E = -3\nU 9 9 9\nO 1 2 3\n");
    mdx_traj_options o = {.cell = &cube10};
    mdx_trajectory *t = open_ok(f, &o);
    const mdx_frame *fr = next_ok(t, 1);
    assert_int_equal(fr->index, 0);
    assert_int_equal(fr->line, 1);
    assert_int_equal(fr->natoms, 2);
    assert_int_equal(fr->z[0], 92);
    assert_int_equal(fr->z[1], 8);
    assert_int_equal(fr->id[1], 1);
    assert_true(fr->xyz[3] == 1.5 && fr->xyz[4] == -2.25 && fr->xyz[5] == 0.3);
    assert_true(fr->cell.h[0][0] == 10 && fr->cell.pbc[2] == 1);
    fr = next_ok(t, 1);
    assert_int_equal(fr->index, 1);
    assert_int_equal(fr->line, 6);
    assert_int_equal(fr->z[1], 8);
    assert_true(fr->xyz[0] == 9 && fr->xyz[5] == 3);
    assert_end(t);
    mdx_trajectory_close(t);
}

/* ASE's extended XYZ: the cell, pbc and the columns from the comment
 * line, species anywhere among them. */
static void test_extended_xyz(void **state)
{
    (void)state;
    const char *f = file_with("b.extxyz",
        "2\nLattice=\"5 0 0 1 6 0 0.5 0.5 7\" Properties=id:I:1:pos:R:3:species:S:1"
        " pbc=\"T F T\" energy=-1.5\n"
        "7 0.1 0.2 0.3 Cu\n8 1 2 3 Fe\n");
    mdx_trajectory *t = open_ok(f, NULL);
    const mdx_frame *fr = next_ok(t, 1);
    assert_int_equal(fr->z[0], 29);
    assert_int_equal(fr->z[1], 26);
    assert_true(fr->xyz[0] == 0.1 && fr->xyz[5] == 3);
    assert_true(fr->cell.h[1][0] == 1 && fr->cell.h[1][1] == 6 && fr->cell.h[2][2] == 7);
    assert_true(fr->cell.pbc[0] == 1 && fr->cell.pbc[1] == 0 && fr->cell.pbc[2] == 1);
    mdx_trajectory_close(t);
}

/* Numeric types need a map; labels of the map win over element symbols. */
static void test_type_map(void **state)
{
    (void)state;
    const char *f = file_with("c.xyz", "3\n\n1 0 0 0\n2 1 1 1\nOw 2 2 2\n");
    const char *labels[] = {"1", "2", "Ow"};
    const int zs[] = {92, 8, 8};
    mdx_traj_options o = {.ntypes = 3, .type_label = labels, .type_z = zs, .cell = &cube10};
    mdx_trajectory *t = open_ok(f, &o);
    const mdx_frame *fr = next_ok(t, 1);
    assert_int_equal(fr->z[0], 92);
    assert_int_equal(fr->z[1], 8);
    assert_int_equal(fr->z[2], 8);
    mdx_trajectory_close(t);

    mdx_error err;
    o.ntypes = 2;
    t = open_ok(f, &o);
    int got;
    assert_error(mdx_trajectory_next(t, 1, &got, &err), err, MDX_ERR_FORMAT, f, 5,
                 "atom type \"Ow\" is neither an element nor in the type map");
    mdx_trajectory_close(t);
    o.ntypes = 0;
    t = open_ok(f, &o);
    assert_error(mdx_trajectory_next(t, 1, &got, &err), err, MDX_ERR_FORMAT, f, 3,
                 "atom type 1 is not in the type map");
    mdx_trajectory_close(t);
    const char *twice[] = {"1", "1"};
    o = (mdx_traj_options){.ntypes = 2, .type_label = twice, .type_z = zs};
    assert_int_equal(mdx_trajectory_open(f, &o, &t, &err), MDX_ERR_ARG);
    assert_non_null(strstr(err.msg, "type 1 is given twice"));
}

static const char dump[] =
    "ITEM: TIMESTEP\n100\nITEM: NUMBER OF ATOMS\n3\n"
    "ITEM: BOX BOUNDS xy xz yz pp ff pp\n"
    "-1.0 11.0 1.5\n0.0 8.0 -0.5\n0.0 9.0 0.25\n"
    "ITEM: ATOMS xs type zs ys id\n"
    "0.5 2 0.5 0.5 3\n0 1 0 0 1\n1 2 1 1 2\n"
    "ITEM: TIMESTEP\n200\nITEM: NUMBER OF ATOMS\n2\n"
    "ITEM: BOX BOUNDS pp pp pp\n0 4\n0 5\n0 6\n"
    "ITEM: ATOMS id type xu yu zu\n20 1 -3 12 0.5\n10 2 1 2 3\n";

/* A tilted box: the bounds hold the tilted cell, whose edges are inside
 * them (LAMMPS's Howto triclinic); scaled coordinates through that cell;
 * atoms ordered by id whatever the rows' order. */
static void test_lammps(void **state)
{
    (void)state;
    const char *f = file_with("d.dump", dump);
    const char *labels[] = {"1", "2"};
    const int zs[] = {92, 8};
    mdx_traj_options o = {.ntypes = 2, .type_label = labels, .type_z = zs};
    mdx_trajectory *t = open_ok(f, &o);
    const mdx_frame *fr = next_ok(t, 1);
    assert_int_equal(fr->timestep, 100);
    /* xy 1.5, xz -0.5, yz 0.25: xlo = -1 - min(0, 1.5, -0.5, 1) = -0.5,
     * xhi = 11 - max(0, 1.5, -0.5, 1) = 9.5, ylo = 0, yhi = 8 - 0.25 */
    const double h[3][3] = {{10, 0, 0}, {1.5, 7.75, 0}, {-0.5, 0.25, 9}};
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            assert_close(fr->cell.h[i][j], h[i][j], 1e-15);
    assert_true(fr->cell.pbc[0] && !fr->cell.pbc[1] && fr->cell.pbc[2]);
    assert_int_equal(fr->id[0], 1);
    assert_int_equal(fr->id[2], 3);
    assert_int_equal(fr->z[0], 92);
    assert_int_equal(fr->z[1], 8);
    /* atom 1 at the origin of the box, atom 2 at its far corner */
    assert_close(fr->xyz[0], -0.5, 1e-15);
    assert_close(fr->xyz[1], 0, 1e-15);
    assert_close(fr->xyz[3], -0.5 + 10 + 1.5 - 0.5, 1e-14);
    assert_close(fr->xyz[4], 7.75 + 0.25, 1e-14);
    assert_close(fr->xyz[5], 9, 1e-14);
    fr = next_ok(t, 1);
    assert_int_equal(fr->index, 1);
    assert_int_equal(fr->line, 13);
    assert_int_equal(fr->id[0], 10);
    assert_true(fr->xyz[0] == 1 && fr->xyz[3] == -3 && fr->xyz[4] == 12);
    assert_true(fr->cell.h[2][2] == 6 && fr->cell.h[1][0] == 0);
    assert_end(t);
    mdx_trajectory_close(t);

    /* stepping over the first frame reads the second the same */
    t = open_ok(f, &o);
    fr = next_ok(t, 0);
    assert_int_equal(fr->timestep, 100);
    assert_int_equal(fr->natoms, 0);
    fr = next_ok(t, 1);
    assert_int_equal(fr->index, 1);
    assert_int_equal(fr->id[1], 20);
    assert_true(fr->xyz[3] == -3);
    mdx_trajectory_close(t);
}

/* LAMMPS's general triclinic box: three edge vectors and an origin. */
static void test_lammps_general_box(void **state)
{
    (void)state;
    const char *f = file_with("e.dump",
        "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS abc origin pp pp pp\n"
        "4 1 0 -1\n0 5 0 -2\n1 1 6 -3\nITEM: ATOMS id element xs ys zs\n1 Cu 0.5 0 0\n");
    mdx_trajectory *t = open_ok(f, NULL);
    const mdx_frame *fr = next_ok(t, 1);
    assert_true(fr->cell.h[0][1] == 1 && fr->cell.h[2][0] == 1 && fr->cell.h[2][2] == 6);
    assert_int_equal(fr->z[0], 29);
    assert_close(fr->xyz[0], -1 + 2, 1e-15);
    assert_close(fr->xyz[1], -2 + 0.5, 1e-15);
    assert_close(fr->xyz[2], -3, 1e-15);
    mdx_trajectory_close(t);
}

/* Frames longer than the read buffer, lines across its refills, CRLF. */
static void test_large_frames(void **state)
{
    (void)state;
    enum { N = 60000 };
    snprintf(path, sizeof path, "%s/big.xyz", group_dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    for (int frame = 0; frame < 3; frame++) {
        fprintf(fp, "%d\r\nLattice=\"50 0 0 0 50 0 0 0 50\"\r\n", N);
        for (int i = 0; i < N; i++)
            fprintf(fp, "Ar %d.25 %d.5 %d\r\n", i % 50, frame, i);
    }
    fclose(fp);
    mdx_trajectory *t = open_ok(path, NULL);
    const mdx_frame *fr = next_ok(t, 0);
    fr = next_ok(t, 1);
    assert_int_equal(fr->index, 1);
    assert_int_equal(fr->line, N + 3);
    assert_int_equal(fr->natoms, N);
    for (int i = 0; i < N; i++)
        if (fr->xyz[3 * i] != i % 50 + 0.25 || fr->xyz[3 * i + 1] != 1.5 ||
            fr->xyz[3 * i + 2] != i)
            fail_msg("atom %d: %g %g %g", i, fr->xyz[3 * i], fr->xyz[3 * i + 1],
                     fr->xyz[3 * i + 2]);
    fr = next_ok(t, 0);
    assert_int_equal(fr->index, 2);
    assert_end(t);
    FILE *in = fopen(path, "rb");
    assert_non_null(in);
    fseek(in, 0, SEEK_END);
    assert_int_equal(mdx_trajectory_offset(t), ftell(in));
    fclose(in);
    mdx_trajectory_close(t);
}

/* Each malformed trajectory: one error naming the file and line. */
static void test_refusals(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        long line;
        const char *msg;
    } bad[] = {
        {"3\n\nU 0.000 0.000 0.000\nU 1.000 1.000 1.000\n", 4,
         "the file ends after 2 of its 3 atoms"},
        {"3\n\nU 0 0 0\nU 1 1 1\n", 1, "frame 0: 3 atoms, but the 17 bytes left in the file"
         " hold at most 2"},
        {"4611686018427387904\n\nU 0 0 0\n", 1, "4611686018427387904 atoms, but the"},
        {"99999999999999999999999\n\nU 0 0 0\n", 1, "99999999999999999999999 atoms, but"},
        /* atoms are known by their place: the same count and elements */
        {"2\n\nU 0 0 0\nO 1 1 1\n1\n\nU 0 0 0\n", 5, "frame 1 has 1 atoms, frame 0 2"},
        {"2\n\nU 0 0 0\nO 1 1 1\n2\n\nU 0 0 0\nU 1 1 1\n", 8,
         "atom 1 is U here but O in frame 0"},
        /* a count too small: the next line does not start a frame */
        {"1\n\nU 0 0 0\nO 1 1 1\n", 4, "frame 0 (line 1) has more lines than its 1 atoms:"
         " \"O 1 1 1\" does not start a frame"},
        /* a count too large: the next frame's count among the atoms */
        {"3\n\nU 0.000 0.000 0.000\nU 1.000 1.000 1.000\n3\n\nU 0 0 0\nU 0 0 0\nU 0 0 0\n",
         5, "frame 0 (line 1) says 3 atoms, but line 5, \"3\", starts the next frame after 2"},
        {"2\n\nU 0 0 0\nU 1 x 1\n", 4, "y \"x\" is not a number"},
        {"2\n\nU 0 0 0\nU 1 1\n", 4, "3 columns, 4 expected"},
        {"1\n\nU 0 0 0\ntwo\n\n", 4, "\"two\" does not start a frame"},
        {"1x\n\nU 0 0 0\n", 1, "\"1x\" is not a number of atoms"},
        {"1\nLattice=\"1 0 0 0 1 0 2 2 0\"\nU 0 0 0\n", 2, "lie in a plane"},
        {"1\nLattice=\"1 0 0 0 1 0\"\nU 0 0 0\n", 2, "not nine numbers"},
        {"1\nLattice=\"9 0 0 0 9 0 0 0 9\" Properties=species:S:1\nU 0 0 0\n", 2,
         "Properties has no pos:R:3"},
        {"1\nLattice=\"9 0 0 0 9 0 0 0 9\"\nXx 0 0 0\n", 3, "neither an element"},
        {"ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n2\nITEM: BOX BOUNDS pp pp pp\n0 1\n0 1\n"
         "0 1\nITEM: ATOMS id type x y z\n1 1 0 0 0\n1 1 0.5 0.5 0.5\n", 11, "atom id 1 is given twice"},
        {"ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp pp pp\n0 1\n0 1\n"
         "0 1\nITEM: ATOMS id type y z\n1 1 0 0\n", 9, "no column x y z"},
        {"ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp pp pp\n0 1\n0 1\n"
         "0 1\nITEM: ATOMS id type x y z\n99999999999999999999 1 0 0 0\n", 10,
         "id \"99999999999999999999\" is not a whole number"},
        {"ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp pp pp\n0 1\n0 1\n"
         "0 1\nITEM: ATOMS id type x y z\n1 3 0 0 0\n", 10, "atom type 3 is not in the type map"},
        {"ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: ATOMS id type x y z\n1 1 0 0 0\n",
         5, "ITEM: ATOMS before ITEM: BOX BOUNDS"},
        {"ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp pp pp\n0 1\n0 x\n",
         7, "box bounds: \"0 x\" is not 2 numbers"},
        {"ITEM: TIMESTEP\n0\nITEM: BONDS\n", 3, "ITEM: BONDS: not an item of a dump"},
        {"ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp pp pp\n0 1\n0 1\n"
         "0 1\nITEM: ATOMS id type x y z\n1 1 0 0 0\n2 1 0.5 0.5 0.5\n", 11,
         "frame 0 has more rows than its NUMBER OF ATOMS (1): \"2 1 0.5 0.5 0.5\""},
        {"ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n3\nITEM: BOX BOUNDS pp pp pp\n0 1\n0 1\n"
         "0 1\nITEM: ATOMS id type x y z\n1 1 0 0 0\n2 1 0.5 0.5 0.5\nITEM: TIMESTEP\n1\n"
         "ITEM: NUMBER OF ATOMS\n3\nITEM: BOX BOUNDS pp pp pp\n", 12,
         "its NUMBER OF ATOMS is 3, but an ITEM: line comes after 2 rows"},
        {"ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp pp pp\n0 1\n0 -1\n"
         "0 1\nITEM: ATOMS id type x y z\n1 1 0 0 0\n", 8, "high bound not above its low one"},
        {"ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp pp\n0 1\n0 1\n"
         "0 1\nITEM: ATOMS id type x y z\n1 1 0 0 0\n", 5, "2 boundary flags, not three"},
        {"ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n", 3, "the file ends before its NUMBER"},
        {"hello\n", 1, "neither XYZ"},
    };
    const char *labels[] = {"1"};
    const int zs[] = {29};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *f = file_with("bad.traj", bad[i].text);
        /* a cell for the files that give none */
        int own = !strstr(bad[i].text, "Lattice") && !strstr(bad[i].text, "ITEM:");
        mdx_traj_options o = {.ntypes = 1, .type_label = labels, .type_z = zs,
                              .cell = own ? &cube10 : NULL};
        mdx_trajectory *t;
        mdx_error err;
        mdx_status st = mdx_trajectory_open(f, &o, &t, &err);
        if (st == MDX_OK) {
            int got = 1;
            while (st == MDX_OK && got)
                st = mdx_trajectory_next(t, 1, &got, &err);
            mdx_trajectory_close(t);
        }
        if (st == MDX_OK || err.line != bad[i].line || !strstr(err.msg, bad[i].msg) ||
            strcmp(err.file, f) != 0)
            fail_msg("case %zu: %s:%ld: %s", i, err.file, err.line, err.msg);
    }
}

/* The caller's cell: needed for plain XYZ, and it must agree with the
 * file's where the file has one. */
static void test_cells(void **state)
{
    (void)state;
    const char *f = file_with("c.xyz", "1\n\nU 0 0 0\n");
    mdx_trajectory *t = open_ok(f, NULL);
    mdx_error err;
    int got;
    assert_error(mdx_trajectory_next(t, 1, &got, &err), err, MDX_ERR_FORMAT, f, 2,
                 "the file gives no cell");
    mdx_trajectory_close(t);
    f = file_with("d.xyz", "1\nLattice=\"10 0 0 0 10 0 0 0 10.001\"\nU 0 0 0\n");
    mdx_traj_options o = {.cell = &cube10};
    t = open_ok(f, &o);
    assert_error(mdx_trajectory_next(t, 1, &got, &err), err, MDX_ERR_FORMAT, f, 2,
                 "differs from the file's");
    mdx_trajectory_close(t);
    mdx_cell flat = cube10;
    flat.h[2][2] = 0;
    flat.h[2][0] = 10;
    o.cell = &flat;
    assert_int_equal(mdx_trajectory_open(f, &o, &t, &err), MDX_ERR_ARG);
    assert_non_null(strstr(err.msg, "lie in a plane"));
    flat.h[2][0] = 1e300;
    assert_int_equal(mdx_cell_check(&flat, "cell", &err), MDX_ERR_ARG);
    assert_non_null(strstr(err.msg, "lattice vector c is longer than 1e9 Å"));
    flat.h[2][0] = NAN;
    assert_int_equal(mdx_cell_check(&flat, "cell", &err), MDX_ERR_ARG);
    assert_non_null(strstr(err.msg, "lattice vector c is not finite"));
    assert_int_equal(mdx_trajectory_open("/nonexistent/x.xyz", NULL, &t, &err), MDX_ERR_IO);
    o = (mdx_traj_options){.format = "pdb"};
    assert_int_equal(mdx_trajectory_open(f, &o, &t, &err), MDX_ERR_ARG);
    assert_non_null(strstr(err.msg, "not xyz or lammps"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_xyz),      cmocka_unit_test(test_extended_xyz),
        cmocka_unit_test(test_type_map),       cmocka_unit_test(test_lammps),
        cmocka_unit_test(test_lammps_general_box), cmocka_unit_test(test_large_frames),
        cmocka_unit_test(test_refusals),       cmocka_unit_test(test_cells),
    };
    return cmocka_run_group_tests(tests, group_dir_make, group_dir_remove);
}
