"""Trees that FEFF itself wrote: Debian's feff8l and feff6l run here on
thermally disordered UO2 (tests/tools/feff_md_tree.py), and a folder in
which FEFF wrote two listed path files alike but for their "Path N" line
(tests/data/uo2_feff8l_pair). Every check mdexafs makes must pass on
them: they build with no failed folder, and their sums and averages,
from a database and from the files, equal xraylarch's of the same files.
"""
import glob
import os
import re
import shutil
import subprocess
import sys

import numpy
import pytest

import mdexafs
from conftest import BIN, DATA

TOOLS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools")
PAIR = os.path.join(DATA, "uo2_feff8l_pair")
# (frames, absorbers per frame): a few dozen folders of ~300 paths each
TREES = {"feff8l": (5, 4), "feff6l": (4, 3)}
K = 0.05 * numpy.arange(401)


def clean_env():
    """The environment without the sanitizer runtimes the ASan build
    preloads (FEFF is not built with them)."""
    return {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}


def path_files(folder):
    return sorted(glob.glob(os.path.join(folder, "feff[0-9]*.dat")))


def larch_chi(name):
    """xraylarch's chi(k) of one path file, on k = 0, 0.05, ..., 20
    (feffpath, then path2chi)."""
    from larch.xafs import feffpath, path2chi
    path = feffpath(name)
    path2chi(path, k=K)
    return path.chi


def larch_sums(tree):
    """{(frame, atom): the sum of larch_chi over the folder's path
    files}."""
    sums = {}
    for folder in sorted(glob.glob(os.path.join(tree, "frame_*", "atom_*"))):
        frame, atom = map(int, re.findall(r"_(\d+)", folder)[-2:])
        sums[frame, atom] = sum(larch_chi(f) for f in path_files(folder))
    return sums


def run(*args):
    p = subprocess.run([BIN, *map(str, args)], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


@pytest.fixture(scope="module", params=sorted(TREES))
def real_tree(request, tmp_path_factory):
    """(FEFF program, tree, database, xraylarch's sums) of a tree FEFF
    made here."""
    code = request.param
    assert shutil.which(code), \
        "%s not found: scripts/install-deps installs feff85exafs" % code
    tree = tmp_path_factory.mktemp(code) / "tree"
    frames, atoms = TREES[code]
    subprocess.run([sys.executable, os.path.join(TOOLS, "feff_md_tree.py"),
                    str(tree), "--code", code, "--frames", str(frames),
                    "--atoms", str(atoms), "--jobs", "2"],
                   check=True, env=clean_env())
    db = tree.parent / "chi.db"
    status, _, err = run("build", "-q", tree, "-o", db)
    assert (status, err) == (0, "")
    return code, str(tree), str(db), larch_sums(tree)


def path_line(name):
    """The N of the "Path N" line of a path file."""
    with open(name) as f:
        return int(re.search(r"(?m)^ Path +(\d+)", f.read()).group(1))


def test_feff_8_numbers_files_and_paths_apart(real_tree):
    """FEFF 8.5 names a file by the path's index and writes its rank
    among the paths it kept as "Path N": the tree must show it, or it
    does not test what FEFF writes."""
    code, tree, _, _ = real_tree
    apart = 0
    for name in glob.glob(os.path.join(tree, "frame_*", "atom_*",
                                       "feff[0-9]*.dat")):
        number = int(re.search(r"(\d+)\.dat$", name).group(1))
        apart += path_line(name) != number
    if code == "feff8l":
        assert apart > 0
    else:  # FEFF 6 writes the index in both
        assert apart == 0


def test_a_tree_feff_made_builds_with_no_failed_folder(real_tree):
    _, tree, db, want = real_tree
    status, out, err = run("info", db)
    assert status == 0, err
    assert "folders     %d (0 failed)" % len(want) in out
    npaths = sum(len(path_files(f)) for f in
                 glob.glob(os.path.join(tree, "frame_*", "atom_*")))
    assert npaths >= 200 * len(want)  # several hundred paths a folder
    assert re.search(r"paths\s+%d " % npaths, out), out
    status, out, err = run("check", "--recompute", 100, "--tree", db)
    assert status == 0, out + err
    assert "copies      0" in out


@pytest.mark.parametrize("kind", ["database", "files"])
def test_sums_and_average_equal_xraylarch(real_tree, kind):
    _, tree, db, want = real_tree
    sel = mdexafs.open(db if kind == "database" else tree).select()
    sums = sel.sums()
    assert sorted((r.frame, r.atom) for r in sums) == sorted(want)
    for r in sums:
        ref = want[r.frame, r.atom]
        assert r.npaths == len(path_files(os.path.join(
            tree, "frame_%d" % r.frame, "atom_%d" % r.atom)))
        assert numpy.max(numpy.abs(r.chi - ref)) < 1e-10 * numpy.max(
            numpy.abs(ref))
    mean = numpy.mean(list(want.values()), axis=0)
    avg = sel.average()
    assert avg.nfolders == len(want)
    assert numpy.max(numpy.abs(avg.chi - mean)) < 1e-10 * numpy.max(
        numpy.abs(mean))


def the_pair():
    """The two path files of the pair folder alike but for "Path N"."""
    folder, = glob.glob(os.path.join(PAIR, "frame_*", "atom_*"))
    seen = {}
    for name in path_files(folder):
        with open(name) as f:
            text = re.sub(r"(?m)^ Path +\d+", " Path", f.read())
        if text in seen:
            return folder, seen[text], name
        seen[text] = name
    raise AssertionError("no pair of path files alike in " + folder)


def test_feffs_pair_of_identical_listed_paths_is_two_paths(tmp_path):
    folder, one, other = the_pair()
    with open(os.path.join(folder, "files.dat")) as f:
        listed = f.read()
    for name in (one, other):
        assert os.path.basename(name) in listed  # FEFF listed both
    want, = larch_sums(PAIR).values()
    db = tmp_path / "chi.db"
    status, _, err = run("build", "-q", PAIR, "-o", db)
    assert (status, err) == (0, "")
    for source in (str(db), PAIR):
        r, = mdexafs.open(source).select().sums()
        assert r.npaths == len(path_files(folder))
        assert numpy.max(numpy.abs(r.chi - want)) < 1e-10 * numpy.max(
            numpy.abs(want))
        # the pair alone: both files, each once
        nums = [int(re.search(r"(\d+)\.dat$", n).group(1)) for n in
                (one, other)]
        pair, = mdexafs.open(source).select(
            where=lambda p, nums=nums: p.num in nums).sums()
        assert pair.npaths == 2
        both = larch_chi(one) + larch_chi(other)
        assert numpy.max(numpy.abs(pair.chi - both)) < 1e-12 * numpy.max(
            numpy.abs(both))


def test_a_feff_run_that_found_no_path_fails_its_folder_saying_so(tmp_path):
    """RPATH below the nearest neighbour: FEFF ends well, with no path. A
    folder that would count as zero in every average fails, naming why."""
    folder = tmp_path / "tree" / "frame_0" / "atom_0"
    folder.mkdir(parents=True)
    atoms = [(0, 0, 0, 0)] + [(x, y, z, 1) for x in (-1.805, 0, 1.805)
                              for y in (-1.805, 0, 1.805)
                              for z in (-1.805, 0, 1.805)
                              if sorted(map(abs, (x, y, z)))[0] == 0
                              and sorted(map(abs, (x, y, z)))[1] > 0]
    (folder / "feff.inp").write_text(
        "TITLE Cu fcc\nEDGE K\nCONTROL 1 1 1 1 1 1\nPRINT 1 0 0 0 0 3\n"
        "EXAFS 20\nRPATH 1.5\nPOTENTIALS\n 0 29 Cu\n 1 29 Cu\nATOMS\n"
        + "".join("%g %g %g %d Cu\n" % a for a in atoms) + "END\n")
    assert len(atoms) == 13
    subprocess.run(["feff8l"], cwd=folder, check=True, env=clean_env(),
                   capture_output=True)
    assert (folder / "files.dat").exists() and not path_files(str(folder))
    # as FEFF left it (read from its feff.pad), then as a tree of path
    # files keeps it (feff.pad and list.dat removed)
    for left, said in ((True, "list.dat: no path listed after its "
                              "'pathindex' line: FEFF found none"),
                       (False, "frame_0/atom_0: FEFF found no path (its "
                               "files.dat lists none)")):
        if not left:
            (folder / "feff.pad").unlink()
            (folder / "list.dat").unlink()
        status, _, err = run("build", "-q", tmp_path / "tree", "-o",
                             tmp_path / "chi.db")
        assert status == 1
        assert said in err
        with pytest.raises(mdexafs.Error, match="FEFF found no"):
            mdexafs.open(str(tmp_path / "tree")).select().average()
