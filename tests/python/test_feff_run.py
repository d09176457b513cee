"""From a trajectory to a database with mdexafs alone, FEFF run on the
way: the bundled UO2 trajectory -> mdexafs feff_inputs -> mdexafs feff
--db (Debian's feff8l) gives a database equal to what mdexafs build makes
of the same tree afterwards, whose sums and average are xraylarch's of
the same path files; with --drop-paths the tree keeps a handful of files
a folder, every recipe gives what it gave before the drop, export_paths
gives paths of the same chi(k) back, and the database stays fresh."""
import filecmp
import glob
import os
import re
import shutil
import subprocess

import numpy
import pytest

import mdexafs
from conftest import BIN, DATA
from test_real_feff import clean_env, larch_sums, path_files

CONFIG = os.path.join(DATA, "md", "uo2_config.lua")
# Recipes and their arguments after SOURCE OUT, with every output's name
RECIPES = [
    ("multipath", ["U-O:3.0", "U-U:4.5", "--full-precision"]),
    ("first_shell", []),
    ("path_params", ["U-O:3.0", "--sigma2=0.003"]),
    ("outliers", ["U-O:3.0"]),
    ("chidat_average", []),
    ("decompose", []),
    ("chir", ["U-O:3.0", "U-U:4.5"]),
    ("path_stats", []),
    ("convergence", ["U-O:3.0"]),
    ("export_paths", []),
]


def run(*args, env=None):
    p = subprocess.run([BIN, *map(str, args)], capture_output=True,
                       text=True, env=env)
    return p.returncode, p.stdout, p.stderr


def digest(db):
    status, out, err = run("check", db)
    assert status == 0, out + err
    return [line for line in out.splitlines() if line.startswith("digest")]


def folders(tree):
    return sorted(glob.glob(os.path.join(tree, "frame_*", "atom_*")))


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    """(tree, database) of the UO2 example's six folders, FEFF run
    into the database, and xraylarch's sums of the path files."""
    assert shutil.which("feff8l"), \
        "feff8l not found: scripts/install-deps installs feff85exafs"
    top = tmp_path_factory.mktemp("feffdb")
    tree, db = str(top / "tree"), str(top / "chi.db")
    status, _, err = run("feff_inputs", "-q", CONFIG, "--output=" + tree)
    assert status == 0, err
    # FEFF is not built with the sanitizers the ASan build preloads
    status, _, err = run("feff", tree, "--db", db, "-j", "2", "-q",
                         env=clean_env())
    assert (status, err) == (0, "")
    return tree, db, larch_sums(tree)


def data_rows(path):
    """The lines of an output file, or of every file of an output folder,
    that are not comments."""
    files = sorted(glob.glob(os.path.join(path, "**", "*"), recursive=True)
                   ) if os.path.isdir(path) else [path]
    rows = []
    for name in files:
        if os.path.isfile(name):
            with open(name, errors="replace") as f:
                rows += [line for line in f if not line.startswith("#")]
    return rows


def recipes(source, out):
    """Run every recipe of RECIPES on source, writing under out."""
    os.makedirs(out)
    for name, args in RECIPES:
        status, _, err = run(name, "-q", source,
                             os.path.join(out, name), *args)
        assert status == 0, name + ": " + err


def test_database_equals_a_later_build_and_xraylarch(ran, tmp_path):
    tree, db, want = ran
    assert len(want) == 6
    status, out, err = run("info", db)
    assert status == 0, err
    assert "folders     6 (0 failed)" in out
    built = str(tmp_path / "built.db")
    status, _, err = run("build", "-q", tree, "-o", built)
    assert (status, err) == (0, "")
    assert digest(db) == digest(built)
    # a build over the database finds nothing to do: it is fresh
    status, _, err = run("build", tree, "-o", db)
    assert status == 0, err
    assert "0 added, 0 replaced, 0 touched, 6 unchanged" in err
    for source in (db, built):
        recipes(source, str(tmp_path / ("out-" + os.path.basename(source))))
    for name, _ in RECIPES:  # the data rows; headers name their source
        got, want_ = (data_rows(str(tmp_path / ("out-" + base) / name))
                      for base in ("chi.db", "built.db"))
        assert got == want_, name
    sel = mdexafs.open(db).select()
    sums = sel.sums()
    assert sorted((r.frame, r.atom) for r in sums) == sorted(want)
    for r in sums:
        ref = want[r.frame, r.atom]
        assert numpy.max(numpy.abs(r.chi - ref)) < 1e-10 * numpy.max(
            numpy.abs(ref))
    mean = numpy.mean(list(want.values()), axis=0)
    assert numpy.max(numpy.abs(sel.average().chi - mean)) < 1e-10 * \
        numpy.max(numpy.abs(mean))


def test_drop_paths_keeps_every_answer(ran, tmp_path):
    tree, _, want = ran
    copy = str(tmp_path / "tree")
    shutil.copytree(tree, copy)  # times kept: the runs stay finished
    db = str(tmp_path / "chi.db")
    status, _, err = run("build", "-q", copy, "-o", db)
    assert (status, err) == (0, "")
    before = str(tmp_path / "before")
    recipes(db, before)
    nfiles = sum(len(os.listdir(f)) for f in folders(copy))

    # no run left: the finished folders are stored again, then dropped
    status, _, err = run("feff", copy, "--db", db, "--drop-paths", "-q",
                         env=clean_env())
    assert (status, err) == (0, "")
    for f in folders(copy):
        names = sorted(n for n in os.listdir(f) if not n.startswith("."))
        assert not path_files(f) and "feff.pad" not in names
        assert {"feff.inp", "files.dat", "paths.dat", "chi.dat",
                "feff.log"} <= set(names)
        assert len(names) <= 8, names
    assert sum(len(os.listdir(f)) for f in folders(copy)) < nfiles / 10
    status, out, err = run("info", db)
    assert "only copy   6 folders' paths" in out, out + err

    after = str(tmp_path / "after")
    recipes(db, after)
    cmp = filecmp.dircmp(before, after)
    assert not (cmp.diff_files or cmp.left_only or cmp.right_only)
    for sub in ("export_paths",):
        _, mismatch, errors = filecmp.cmpfiles(
            os.path.join(before, sub), os.path.join(after, sub),
            [os.path.relpath(p, os.path.join(before, sub)) for p in
             glob.glob(os.path.join(before, sub, "*", "*", "*"))],
            shallow=False)
        assert not (mismatch or errors)

    # the exported paths give the same database, and xraylarch's sums of
    # the files dropped
    exported = str(tmp_path / "exported.db")
    status, _, err = run("build", "-q", os.path.join(after, "export_paths"),
                         "-o", exported)
    assert (status, err) == (0, "")
    assert digest(exported) == digest(db)
    got = larch_sums(os.path.join(after, "export_paths"))
    assert sorted(got) == sorted(want)
    for key, ref in want.items():
        assert numpy.max(numpy.abs(got[key] - ref)) < 1e-10 * numpy.max(
            numpy.abs(ref))

    # fresh: a build keeps it whole, a check says why it recomputes none
    status, _, err = run("build", copy, "-o", db)
    assert status == 0, err
    assert "0 added, 0 replaced" in err and "0 failed" in err
    status, out, err = run("check", "--recompute", 20, "--tree", db)
    assert status == 0, out + err
    assert "recomputed  0, 0 differ" in out
    assert re.search(r"dropped +\d+ chosen paths not recomputed", out), out
    assert "tree        " in out and ": fresh" in out
    # a drop cut short leaves path files the folder's list names: the
    # stored paths are kept; a file written anew is read, and as the
    # folder does not build then, the stored paths are kept, and said so
    folder = folders(copy)[0]
    name = os.path.join(folder, "feff0001.dat")
    shutil.copy2(os.path.join(tree, os.path.relpath(name, copy)), name)
    status, _, err = run("build", copy, "-o", db)
    assert status == 0, err
    assert "0 added, 0 replaced" in err and "0 failed" in err
    # ... and the next drop finishes the drop, the stored paths untouched
    status, _, err = run("feff", copy, "--db", db, "--drop-paths", "-q",
                         env=clean_env())
    assert (status, err) == (0, "")
    assert not os.path.exists(name)
    assert digest(db) == digest(exported)
    shutil.copy2(os.path.join(tree, os.path.relpath(name, copy)), name)
    os.utime(name)
    status, _, err = run("build", copy, "-o", db)
    assert "1 failed" in err and "listed in files.dat but missing" in err
    assert "kept the paths stored for " + os.path.relpath(folder, copy) in err
    os.remove(name)
    status, _, err = run("build", copy, "-o", db)
    assert status == 0, err
    assert "0 added, 0 replaced" in err and "0 failed" in err
    assert digest(db) == digest(exported)
    # a rebuild would lose the paths: refused, as the lists of dropped
    # files say, and as the database says without them
    status, _, err = run("build", "--rebuild", copy, "-o", db)
    assert status != 0 and "will not rebuild" in err, err
    hidden = [os.path.join(f, ".mdexafs-dropped") for f in folders(copy)]
    for name in hidden:
        os.rename(name, name + ".aside")
    status, _, err = run("build", "--rebuild", copy, "-o", db)
    assert status != 0 and "will not rebuild: it holds the only copy" in err
    for name in hidden:
        os.rename(name + ".aside", name)
    assert digest(db) == digest(exported)
    # a folder moved away is kept, said, until it is back
    aside = str(tmp_path / "aside")
    shutil.move(folders(copy)[-1], aside)
    status, _, err = run("build", copy, "-o", db)
    assert status == 1 and "1 gone but kept" in err, err
    assert "no longer in the tree, but its paths were dropped" in err
    status, _, err = run("feff", copy, "--db", db, "--drop-paths", "-q",
                         env=clean_env())
    assert status == 1 and "no longer in the tree" in err, err
    shutil.move(aside, os.path.join(copy, os.path.relpath(
        folders(tree)[-1], tree)))
    status, _, err = run("build", copy, "-o", db)
    assert status == 0, err
    assert digest(db) == digest(exported)
    # a tree moved: the database refuses it, saying what it holds
    moved = str(tmp_path / "moved")
    os.rename(copy, moved)
    status, _, err = run("build", moved, "-o", db)
    assert status == 1 and "holds the only copy of the paths of 6" in err
    status, _, err = run("feff", moved, "--db", db, env=clean_env())
    assert status == 1 and "holds the only copy of the paths of 6" in err
    os.rename(moved, copy)
    # a database lost: its folders cannot be stored again, and it says so
    status, _, err = run("feff", copy, "--db", str(tmp_path / "new.db"),
                         "--drop-paths", "-q", env=clean_env())
    assert status == 1 and "dropped once stored in a database" in err, err
    # the files alone cannot answer, and say why
    status, _, err = run("multipath", "-q", copy, str(tmp_path / "m.dat"),
                         "U-O:3.0")
    assert status == 1
    assert "dropped once stored in a database" in err
