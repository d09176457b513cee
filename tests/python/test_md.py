"""mdexafs.cluster, feff_input and read_trajectory against references the
library has no part in: ASE's neighbour list (primitive_neighbor_list) and
a numpy sum over periodic images give the same clusters atom for atom
(the same (atom, image) pairs, xyz and distances to 1e-6 Å) in orthogonal,
triclinic and partly periodic cells, wrapped or not, with cutoffs below
and beyond half the cell; ASE reads the same extended XYZ; a LAMMPS dump
of the same MD run (rotated into LAMMPS's orientation) gives the same
clusters, and so do its frames written as DCD by MDAnalysis."""
import itertools
import os
import re

import numpy
import pytest
from ase.build import bulk
from ase.io import read
from ase.neighborlist import primitive_neighbor_list

import mdexafs
from conftest import DATA

MD = os.path.join(DATA, "md")
TOL = 1e-6


def perturbed(atoms, seed, sigma=0.08):
    """A copy of atoms moved at random (a thermal-like snapshot, no two
    atoms near each other, no ties of distance)."""
    atoms = atoms.copy()
    rng = numpy.random.default_rng(seed)
    atoms.positions += rng.normal(0, sigma, atoms.positions.shape)
    return atoms


def unwrapped(atoms, seed):
    """A copy with about half the atoms moved by whole cell vectors (-2 to
    2 along each periodic axis): the same crystal, as an MD code's
    unwrapped coordinates give it."""
    atoms = atoms.copy()
    rng = numpy.random.default_rng(seed)
    shift = rng.integers(-2, 3, (len(atoms), 3)) * atoms.pbc
    shift[rng.random(len(atoms)) < 0.5] = 0
    atoms.positions += shift @ atoms.cell.array
    return atoms


def brute_force(pos, cell, pbc, i, cutoff):
    """The cluster of atom i by numpy: every (atom, image) within cutoff,
    as {(j, image): xyz}, the absorber's own (i, 0 0 0) left out."""
    frac = pos @ numpy.linalg.inv(cell)
    d = frac - frac[i]
    width = abs(numpy.linalg.det(cell)) / numpy.linalg.norm(
        numpy.cross(cell[[1, 2, 0]], cell[[2, 0, 1]]), axis=1)
    ranges = []
    for k in range(3):
        ext = cutoff / width[k] + 1e-9
        ranges.append(range(int(numpy.floor(-ext - d[:, k].max())),
                            int(numpy.ceil(ext - d[:, k].min())) + 1)
                      if pbc[k] else range(0, 1))
    out = {}
    for m in itertools.product(*ranges):
        xyz = pos - pos[i] + numpy.array(m) @ cell
        r = numpy.linalg.norm(xyz, axis=1)
        for j in numpy.nonzero(r <= cutoff)[0]:
            if j != i or any(m):
                out[(int(j), m)] = xyz[j]
    return out


def ase_cluster(atoms, i, cutoff):
    """The cluster of atom i by ASE's neighbour list, as brute_force's."""
    a, b, D, S = primitive_neighbor_list(
        "ijDS", atoms.pbc, atoms.cell.array, atoms.positions, cutoff,
        self_interaction=False)
    return {(int(j), tuple(int(v) for v in s)): d
            for a_, j, d, s in zip(a, b, D, S) if a_ == i}


def as_dict(c):
    """A cluster of mdexafs without its absorber, as brute_force's."""
    return {(int(row["index"]), tuple(int(v) for v in row["image"])):
            row["xyz"] for row in c[1:]}


def check_cluster(c, atoms, i, cutoff, reference):
    """c is the absorber then reference's atoms, nearest first, with the
    same images, xyz and distances."""
    assert c[0]["index"] == i and c[0]["r"] == 0 and not c[0]["xyz"].any()
    assert list(c[0]["image"]) == [0, 0, 0]
    got = as_dict(c)
    assert len(got) == len(c) - 1            # no (atom, image) twice
    assert set(got) == set(reference)
    for key, xyz in reference.items():
        assert numpy.allclose(got[key], xyz, rtol=0, atol=TOL)
    assert numpy.allclose(c["r"], numpy.linalg.norm(c["xyz"], axis=1),
                          rtol=0, atol=1e-12)
    assert (numpy.diff(c["r"]) >= 0).all()
    ref_r = sorted(numpy.linalg.norm(x) for x in reference.values())
    assert numpy.allclose(c["r"][1:], ref_r, rtol=0, atol=TOL)
    assert (c["z"] == atoms.numbers[c["index"]]).all()
    assert (c["element"] == numpy.array(atoms.get_chemical_symbols())
            [c["index"]]).all()


CUBIC = bulk("Cu", "fcc", a=3.61, cubic=True) * (3, 3, 3)   # 10.83 Å
PRIMITIVE = bulk("Cu", "fcc", a=3.61) * (4, 4, 4)           # widths 8.34 Å


def skewed(atoms):
    """The same crystal in a far more oblique cell (an integer change of
    basis of determinant 1)."""
    atoms = atoms.copy()
    m = numpy.array([[1, 0, 0], [2, 1, 0], [1, -1, 1]])
    atoms.set_cell(m @ atoms.cell.array, scale_atoms=False)
    return atoms


SYSTEMS = {
    "cubic": perturbed(CUBIC, 1),
    "cubic unwrapped": unwrapped(perturbed(CUBIC, 1), 2),
    "triclinic": perturbed(PRIMITIVE, 3),
    "triclinic unwrapped": unwrapped(perturbed(PRIMITIVE, 3), 4),
    "triclinic skewed": skewed(perturbed(PRIMITIVE, 3)),
}


@pytest.mark.parametrize("name", sorted(SYSTEMS))
@pytest.mark.parametrize("cutoff", [4.0, 7.0, 11.0])
def test_clusters_are_ases_and_numpys(name, cutoff):
    atoms = SYSTEMS[name]
    for i in (0, 5, len(atoms) - 1):
        c = mdexafs.cluster(atoms, i, cutoff)
        ref = brute_force(atoms.positions, atoms.cell.array, atoms.pbc, i,
                          cutoff)
        assert set(ref) == set(ase_cluster(atoms, i, cutoff))
        check_cluster(c, atoms, i, cutoff, ref)
        if cutoff > 10.9:  # beyond the shortest lattice vector: own images
            assert (c["index"][1:] == i).any()


def test_wrapping_and_the_basis_change_no_distance():
    for cutoff in (4.0, 7.0):
        r = [mdexafs.cluster(SYSTEMS[n], 7, cutoff)["r"]
             for n in ("triclinic", "triclinic unwrapped", "triclinic skewed")]
        assert len(r[0]) > 12
        assert numpy.allclose(r[0], r[1], rtol=0, atol=TOL)
        assert numpy.allclose(r[0], r[2], rtol=0, atol=TOL)


def slab(seed, above=0.0, below=-30.0):
    """The cubic crystal periodic along a and b only, unwrapped along
    them, atoms 0-9 moved `above` along c and 10-19 `below` (outside the
    cell: no image of them there)."""
    atoms = perturbed(CUBIC, seed)
    atoms.pbc = (True, True, False)
    atoms = unwrapped(atoms, seed + 1)   # whole cells along a and b only
    atoms.positions[:10, 2] += above
    atoms.positions[10:20, 2] += below
    return atoms


def check_slab(atoms, absorbers):
    for i in absorbers:
        for cutoff in (4.0, 7.0):
            c = mdexafs.cluster(atoms, i, cutoff)
            ref = brute_force(atoms.positions, atoms.cell.array, atoms.pbc,
                              i, cutoff)
            check_cluster(c, atoms, i, cutoff, ref)
            assert (c["image"][:, 2] == 0).all()


def test_a_non_periodic_axis():
    atoms = slab(5)
    check_slab(atoms, (0, 12, 50))
    # the same slab as arrays, ids of its own
    ids = numpy.arange(len(atoms)) * 3 + 7
    c = mdexafs.cluster(positions=atoms.positions, numbers=atoms.numbers,
                        cell=atoms.cell.array, pbc=atoms.pbc, ids=ids,
                        index=50, cutoff=7.0)
    assert (c["id"] == ids[c["index"]]).all()
    assert numpy.array_equal(c["xyz"],
                             mdexafs.cluster(atoms, 50, 7.0)["xyz"])


def test_atoms_beyond_a_non_periodic_cell():
    """Atoms at or past the top of the cell along a non-periodic axis (as
    ASE leaves a molecule or a slab's vacuum) have no image there."""
    two = mdexafs.cluster(positions=[[0, 0, 0], [0, 0, 12]], numbers=[29, 29],
                          cell=numpy.eye(3) * 10, pbc=(True, True, False),
                          index=1, cutoff=5.0)
    assert len(two) == 1                 # the atom 12 Å away is not at 2 Å
    check_slab(slab(5, above=25.0, below=0.0), (0, 12, 50))


def test_many_absorbers_at_once():
    atoms = SYSTEMS["cubic"]
    many = mdexafs.cluster(atoms, [3, 0, 3], 5.0)
    assert len(many) == 3
    for i, c in zip([3, 0, 3], many):
        assert numpy.array_equal(c, mdexafs.cluster(atoms, i, 5.0))


def frames(name):
    """The frames of tests/data/md/name, through the library."""
    kw = {"types": {1: "Cu"}} if name.endswith(".dump") else {}
    return list(mdexafs.read_trajectory(os.path.join(MD, name), **kw))


@pytest.mark.parametrize("name", ["cu_cubic", "cu_tri"])
def test_extxyz_reads_as_in_ase(name):
    ours = frames(name + ".extxyz")
    ase = read(os.path.join(MD, name + ".extxyz"), index=":")
    assert len(ours) == len(ase) == 4
    for k, (f, a) in enumerate(zip(ours, ase)):
        assert f.index == k and f.timestep == -1
        assert numpy.array_equal(f.ids, numpy.arange(len(a)))
        assert numpy.array_equal(f.numbers, a.numbers)
        assert numpy.allclose(f.positions, a.positions, rtol=0, atol=1e-12)
        assert numpy.allclose(f.cell, a.cell.array, rtol=0, atol=1e-12)
        assert list(f.pbc) == list(a.pbc)
        assert f.file.endswith(name + ".extxyz") and f.line == 1 + k * (
            len(a) + 2)


def rotation(h_from, h_to):
    """R with h_to = h_from R (rows lattice vectors), checked to be a
    rotation."""
    r = numpy.linalg.solve(h_from, h_to)
    assert numpy.allclose(r.T @ r, numpy.eye(3), rtol=0, atol=1e-9)
    assert numpy.isclose(numpy.linalg.det(r), 1.0)
    return r


@pytest.mark.parametrize("name", ["cu_cubic", "cu_tri"])
def test_dump_and_extxyz_give_the_same_clusters(name):
    xyz, dump = frames(name + ".extxyz"), frames(name + ".dump")
    assert len(xyz) == len(dump) == 4
    for f, g in zip(xyz, dump):
        assert g.timestep == 10 * g.index
        assert numpy.array_equal(g.ids, f.ids + 1)   # ids = ASE index + 1
        assert (g.numbers == 29).all()
        rot = rotation(f.cell, g.cell)
        if name == "cu_cubic":
            assert numpy.allclose(rot, numpy.eye(3), rtol=0, atol=1e-12)
        else:
            assert not numpy.allclose(rot, numpy.eye(3), atol=1e-3)
        assert numpy.allclose(f.positions @ rot, g.positions, rtol=0,
                              atol=TOL)
        for i in (0, 17, len(f.ids) - 1):
            a, b = mdexafs.cluster(f, i, 6.0), mdexafs.cluster(g, i, 6.0)
            assert len(a) == len(b) > 40
            assert numpy.allclose(a["r"], b["r"], rtol=0, atol=TOL)
            assert set(as_dict(a)) == set(as_dict(b))
            assert (b["id"] == a["id"] + 1).all()
            da, db = as_dict(a), as_dict(b)
            for key in da:
                assert numpy.allclose(da[key] @ rot, db[key], rtol=0,
                                      atol=TOL)


@pytest.mark.parametrize("name", ["cu_cubic", "cu_tri"])
def test_mdanalysis_reads_the_same_frames(name, tmp_path):
    """The dump's frames written by MDAnalysis as DCD (float32 positions,
    the box as lengths and angles) and read back through
    mdanalysis_frames: the same clusters to float32's precision."""
    import MDAnalysis as mda  # scripts/install-deps test installs it
    from MDAnalysis.lib.mdamath import triclinic_box
    dump = frames(name + ".dump")
    n = len(dump[0].ids)
    dcd = str(tmp_path / "md.dcd")
    u = mda.Universe.empty(n, trajectory=True)
    with mda.Writer(dcd, n) as w:
        for g in dump:
            u.atoms.positions = g.positions
            u.dimensions = triclinic_box(*g.cell)
            w.write(u.atoms)
    v = mda.Universe.empty(n)
    v.add_TopologyAttr("types", ["1"] * n)
    v.add_TopologyAttr("ids", dump[0].ids)
    v.load_new(dcd)
    got = list(mdexafs.mdanalysis_frames(v, types={1: "Cu"}, frames=(1, 3)))
    assert [f.index for f in got] == [1, 2, 3]
    for f, g in zip(got, dump[1:]):
        assert numpy.array_equal(f.ids, g.ids) and (f.numbers == 29).all()
        assert numpy.allclose(f.cell, g.cell, rtol=0, atol=1e-5)
        a, b = mdexafs.cluster(f, 5, 6.0), mdexafs.cluster(g, 5, 6.0)
        assert len(a) == len(b)
        assert set(as_dict(a)) == set(as_dict(b))
        assert numpy.allclose(a["r"], b["r"], rtol=0, atol=2e-5)
    with pytest.raises(mdexafs.UsageError, match="4 frames: no frame 7"):
        next(mdexafs.mdanalysis_frames(v, types={1: "Cu"}, frames=(7, None)))
    with pytest.raises(mdexafs.UsageError, match="Zz"):
        next(mdexafs.mdanalysis_frames(v, types={1: "Zz"}))


def test_frames_are_stepped_over():
    path = os.path.join(MD, "cu_tri.dump")
    every = frames("cu_tri.dump")
    some = list(mdexafs.read_trajectory(path, types={1: "Cu"},
                                        frames=(1, None, 2)))
    assert [f.index for f in some] == [1, 3]
    assert [f.timestep for f in some] == [10, 30]
    for f in some:
        assert numpy.array_equal(f.positions, every[f.index].positions)
    last = list(mdexafs.read_trajectory(path, types={1: "Cu"},
                                        frames=(2, 2)))
    assert [f.index for f in last] == [2]
    with pytest.raises(mdexafs.UsageError, match="4 frames: no frame 7"):
        list(mdexafs.read_trajectory(path, types={1: "Cu"}, frames=(0, 7)))
    with pytest.raises(mdexafs.UsageError, match="step"):
        list(mdexafs.read_trajectory(path, frames=(0, None, 0)))


def test_trajectory_errors_name_the_file_and_line(tmp_path):
    with pytest.raises(mdexafs.DataError, match="atom type 1 is not in"):
        next(mdexafs.read_trajectory(os.path.join(MD, "cu_tri.dump")))
    bad = tmp_path / "bad.xyz"
    bad.write_text("2\nplain\nCu 0 0 0\nCu 1.8 x 0\n")
    with pytest.raises(mdexafs.DataError) as e:
        list(mdexafs.read_trajectory(bad, cell=numpy.eye(3) * 10))
    assert str(e.value).startswith(str(bad) + ":4:") and e.value.line == 4
    with pytest.raises(mdexafs.DataError, match="gives no cell"):
        list(mdexafs.read_trajectory(bad))
    with pytest.raises(mdexafs.FileError):
        list(mdexafs.read_trajectory(tmp_path / "none.xyz"))


def test_too_close_atoms_are_named():
    atoms = SYSTEMS["cubic"].copy()
    atoms.positions[40] = atoms.positions[3] + [0.5, 0.2, 0.0]
    ids = numpy.arange(len(atoms)) + 1000
    with pytest.raises(mdexafs.DataError) as e:
        mdexafs.cluster(atoms, 3, 4.0, ids=ids)
    assert re.search(r"atoms 1003 \(image 0 0 0\) and 1040 \(image 0 0 0\)"
                     r" are 0\.5385 Å apart", str(e.value))
    # the pair away from the absorber, in other images, is found too
    with pytest.raises(mdexafs.DataError, match=r"1003 .*1040 |1040 .*1003 "):
        mdexafs.cluster(atoms, 0, 8.0, ids=ids)
    c = mdexafs.cluster(atoms, 3, 4.0, min_distance=0)
    assert c["index"][1] == 40 and numpy.isclose(c["r"][1], 0.29 ** 0.5)


def test_a_singular_cell_is_refused():
    atoms = SYSTEMS["cubic"]
    h = atoms.cell.array.copy()
    h[2] = h[0] + h[1]
    with pytest.raises(mdexafs.UsageError, match="lie in a plane"):
        mdexafs.cluster(atoms, 0, 4.0, cell=h)
    with pytest.raises(mdexafs.UsageError, match="3x3"):
        mdexafs.cluster(atoms, 0, 4.0, cell=h[:2])
    with pytest.raises(mdexafs.UsageError, match="no atom 108"):
        mdexafs.cluster(atoms, 108, 4.0)


def l12(seed):
    """Cu3Au (L1_2, a = 3.75 Å) 3x3x3, perturbed: Au at the cubes'
    corners, Cu at their faces."""
    atoms = bulk("Au", "fcc", a=3.75, cubic=True)
    atoms.numbers[1:] = 29
    return perturbed(atoms * (3, 3, 3), seed, 0.05)


def atoms_block(text):
    """The ATOMS card's rows: (x, y, z, ipot, element) as written."""
    block = text.split("\nATOMS\n", 1)[1]
    assert block.endswith("\nEND\n")
    rows = [line.split("\t") for line in block[:-len("END\n")].splitlines()]
    for row in rows:
        assert len(row) == 5
        assert all(re.fullmatch(r"-?\d+\.\d{6}", v) for v in row[:3])
    return rows


@pytest.mark.parametrize("potentials", [None, ["Cu", "Au"]])
def test_feff_input_is_the_numpy_cluster(potentials):
    atoms, i, cutoff = l12(7), 1, 5.5        # a Cu absorber
    header = "TITLE Cu3Au\nEDGE K\nS02 1.0"
    text = mdexafs.feff_input(atoms, i, cutoff, header,
                              potentials=potentials)
    assert text.startswith(header + "\n\nPOTENTIALS\n")
    ref = brute_force(atoms.positions, atoms.cell.array, atoms.pbc, i, cutoff)
    order = sorted(ref, key=lambda k: numpy.linalg.norm(ref[k]))
    rows = atoms_block(text)
    assert len(rows) == len(ref) + 1
    assert rows[0] == ["0.000000"] * 3 + ["0", "Cu"]
    pot = potentials or ["Au", "Cu"]         # by default by symbol
    symbols = atoms.get_chemical_symbols()
    for row, key in zip(rows[1:], order):
        assert numpy.allclose([float(v) for v in row[:3]], ref[key],
                              rtol=0, atol=5e-7 + 1e-12)
        assert row[4] == symbols[key[0]]
        assert int(row[3]) == 1 + pot.index(row[4])
    card = re.search(r"POTENTIALS\n\*.*\n((?:    \d.*\n)+)", text).group(1)
    lines = [line.split() for line in card.splitlines()]
    count = {s: sum(symbols[j] == s for j, _ in ref) for s in ("Au", "Cu")}
    assert count["Au"] > 0 and count["Cu"] > 0
    assert lines == [["0", "29", "Cu", "-1", "-1", "1"]] + [
        [str(k + 1), str({"Au": 79, "Cu": 29}[s]), s, "-1", "-1",
         str(count[s])] for k, s in enumerate(pot)]


def test_feff_input_errors():
    atoms = l12(8)
    with pytest.raises(mdexafs.UsageError, match="ATOMS card"):
        mdexafs.feff_input(atoms, 0, 4.0, "TITLE x\nATOMS")
    with pytest.raises(mdexafs.UsageError, match="no potential for Au"):
        mdexafs.feff_input(atoms, 1, 4.0, "", potentials=["Cu"])
    with pytest.raises(mdexafs.UsageError, match="'Xx' is not an element"):
        mdexafs.feff_input(atoms, 1, 4.0, "", potentials=["Xx"])
    with pytest.raises(mdexafs.UsageError, match="no option position"):
        mdexafs.feff_input(atoms, 1, 4.0, "", position=atoms.positions)


def test_a_frames_errors_name_its_file_line_and_ids():
    f = frames("cu_tri.dump")[2]
    with pytest.raises(mdexafs.DataError) as e:
        mdexafs.cluster(f, 9, 6.0, min_distance=2.6)  # Cu-Cu is 2.55 Å
    assert e.value.file == f.file and e.value.line == f.line > 1
    assert re.search(r"frame 2: atoms 10 \(image 0 0 0\) and \d+ ",
                     str(e.value))                   # id 10: atom 9
