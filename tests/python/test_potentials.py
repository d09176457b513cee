"""mdexafs feff --potentials=once on real FEFF runs (Debian's feff8l, the
bundled UO2 trajectory's six folders): a folder run on its group's
potentials gives the very files of a FEFF run by hand with the
reference's potential files copied in and CONTROL 0 0 1 1 1 1; --check's
numbers are numpy's and scipy's of the two chi.dat files, the full one
that of a FEFF run by hand; reruns follow the choice; what cannot be
shared is refused, naming the culprit."""
import filecmp
import glob
import os
import re
import shutil
import sqlite3
import subprocess

import pytest

from chi_compare import compare
from conftest import BIN, DATA
from test_real_feff import clean_env

CONFIG = os.path.join(DATA, "md", "uo2_config.lua")
POTENTIAL_FILES = ["pot.pad", "phase.pad", "xsect.json"]
CHECK = re.compile(r"checked (\S+) in full: raw difference (\S+) of max \|k\^2 chi\|; "
                   r"R-factor (\S+) after an E0 shift of (\S+) eV and amplitude (\S+)")


def run(*args):
    p = subprocess.run([BIN, *map(str, args)], capture_output=True, text=True,
                       env=clean_env())
    return p.returncode, p.stdout, p.stderr


def folders(tree):
    return sorted(glob.glob(os.path.join(str(tree), "frame_*", "atom_*")))


def ran_now(err):
    m = re.search(r"(\d+) run now", err)
    assert m, err
    return int(m.group(1))


def feff_by_hand(folder, inp, potentials_from=None):
    """FEFF run by hand in a new folder: feff.inp as given, and the
    potential files of potentials_from copied in."""
    os.makedirs(folder)
    with open(os.path.join(folder, "feff.inp"), "w") as f:
        f.write(inp)
    for name in POTENTIAL_FILES if potentials_from else []:
        shutil.copy(os.path.join(potentials_from, name), folder)
    subprocess.run(["feff8l", "-q"], cwd=folder, check=True, capture_output=True,
                   env=clean_env())


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    """The six folders run with --potentials=once --check 2, and what the
    run said."""
    assert shutil.which("feff8l"), \
        "feff8l not found: scripts/install-deps installs feff85exafs"
    top = tmp_path_factory.mktemp("potentials")
    status, out, err = run("feff_inputs", CONFIG, f"--output={top}/tree")
    assert status == 0, out + err
    status, out, err = run("feff", top / "tree", "-j", "2", "--potentials=once",
                           "--check", "2", "--db", top / "run.db")
    assert status == 0, out + err
    return top, err


def test_one_group_its_first_folder_the_reference(tree):
    top, err = tree
    dirs = folders(top / "tree")
    assert f"potentials of {dirs[0]} (0 U, 1 O, 2 U) shared by 6 folders" in err
    assert not os.path.exists(os.path.join(dirs[0], "mdexafs-potentials.txt"))
    for d in dirs[1:]:
        with open(os.path.join(d, "mdexafs-potentials.txt")) as f:
            note = f.read()
        assert f"\nfrom = {os.path.relpath(dirs[0], d)}\n" in note


def test_shared_run_is_feff_by_hand_with_the_reference_potentials(tree, tmp_path):
    top, _ = tree
    ref, *members = folders(top / "tree")
    for d in members[:3]:
        with open(os.path.join(d, "feff.inp")) as f:
            inp = re.sub(r"(?m)^CONTROL.*$", "CONTROL 0 0 1 1 1 1", f.read())
        by_hand = tmp_path / os.path.basename(d)
        feff_by_hand(by_hand, inp, potentials_from=ref)
        names = sorted(os.path.basename(p) for p in glob.glob(str(by_hand / "feff0*.dat")))
        assert len(names) > 50
        assert sorted(os.path.basename(p) for p in glob.glob(os.path.join(d, "feff0*.dat"))) \
            == names
        match, mismatch, errors = filecmp.cmpfiles(d, by_hand, names + ["chi.dat", "files.dat"],
                                                   shallow=False)
        assert not mismatch and not errors, (d, mismatch, errors)


def test_check_is_numpy_of_the_two_chidat(tree, tmp_path):
    top, err = tree
    said = CHECK.findall(err)
    assert len(said) == 2, err
    with sqlite3.connect(top / "run.db") as db:
        stored = {row[0]: row[1:] for row in db.execute(
            "SELECT dir, check_raw, check_rfactor, check_e0, check_amplitude FROM sources "
            "WHERE check_raw IS NOT NULL")}
    assert sorted(stored) == sorted(os.path.relpath(d, top / "tree") for d, *_ in said)
    for d, raw, r, e0, amp in said:
        # the full run kept aside is FEFF's own run of the folder by hand
        with open(os.path.join(d, "feff.inp")) as f:
            by_hand = tmp_path / os.path.basename(d)
            feff_by_hand(by_hand, f.read())
        with open(os.path.join(d, "mdexafs-check-chi.dat")) as f:
            kept = f.read().split("\n", 1)[1]
        with open(by_hand / "chi.dat") as f:
            assert f.read() == kept
        want = compare(os.path.join(d, "chi.dat"), by_hand / "chi.dat")
        got = stored[os.path.relpath(d, top / "tree")]
        assert got[0] == pytest.approx(want[0], rel=1e-9)
        assert got[1] == pytest.approx(want[1], rel=1e-6)
        assert got[2] == pytest.approx(want[2], abs=1e-5)
        assert got[3] == pytest.approx(want[3], rel=1e-7)
        # as said on stderr, to the digits it says
        assert [float(raw), float(r), float(e0), float(amp)] == pytest.approx(
            [float(f"{got[0]:.3g}"), float(f"{got[1]:.3g}"), round(got[2], 3), round(got[3], 4)])
        assert 0.01 < want[0] < 0.5 and want[1] < 1e-2   # sharing costs something, not much


def test_database_records_whose_potentials(tree):
    top, _ = tree
    dirs = folders(top / "tree")
    with sqlite3.connect(top / "run.db") as db:
        rows = dict(db.execute("SELECT dir, potentials FROM sources"))
    ref = os.path.relpath(dirs[0], top / "tree")
    assert rows[ref] is None
    for d in dirs[1:]:
        assert rows[os.path.relpath(d, top / "tree")] == ref
    status, out, err = run("info", top / "run.db")
    assert status == 0, out + err
    assert f"potentials  5 folders on another folder's (from {ref})" in out
    assert "checked     2 of them in full (mdexafs feff --check)" in out


def test_info_tree_says_whose_and_the_checks(tree):
    top, err = tree
    status, out, _ = run("info", top / "tree")
    assert status == 0, out
    assert "potentials  5 finished folders ran on another folder's" in out
    for d, raw, r, e0, amp in CHECK.findall(err):
        assert (f"checked     {d} in full: raw difference {raw}, R-factor {r} after an E0 "
                f"shift of {e0} eV and amplitude {amp}") in out, out


def test_reruns_follow_the_choice(tree, tmp_path):
    top, _ = tree
    work = tmp_path / "tree"
    shutil.copytree(top / "tree", work)
    dirs = folders(work)
    status, out, err = run("feff", work, "-j", "2", "--potentials=once")
    assert status == 0 and ran_now(err) == 0, err
    status, out, err = run("feff", work, "-j", "2")   # each its own again
    assert status == 0 and ran_now(err) == 5, err
    assert not glob.glob(os.path.join(str(work), "*", "*", "mdexafs-potentials.txt"))
    status, out, err = run("feff", work, "-j", "2")
    assert status == 0 and ran_now(err) == 0, err
    status, out, err = run("feff", work, "-j", "2", "--potentials=once",
                           "--potentials-from", dirs[3])
    assert status == 0 and ran_now(err) == 5, err
    assert not os.path.exists(os.path.join(dirs[3], "mdexafs-potentials.txt"))
    with open(os.path.join(dirs[0], "mdexafs-potentials.txt")) as f:
        assert f"\nfrom = {os.path.relpath(dirs[3], dirs[0])}\n" in f.read()


def test_potentials_follow_the_reference_feff_inp(tree, tmp_path):
    """The reference's feff.inp changed and run without the option: the
    next run with it shares the new potentials, never the kept old ones."""
    top, _ = tree
    work = tmp_path / "tree"
    shutil.copytree(top / "tree", work)
    ref, *members = folders(work)
    for d in [ref, *members]:
        inp = os.path.join(d, "feff.inp")
        with open(inp) as f:
            text = f.read()
        with open(inp, "w") as f:
            f.write(re.sub(r"(?m)^EXCHANGE.*$", "EXCHANGE  0  0.3  0", text))
    status, out, err = run("feff", work, "-j", "2")
    assert status == 0 and ran_now(err) == 6, err
    status, out, err = run("feff", work, "-j", "2", "--potentials=once")
    assert status == 0 and ran_now(err) == 5, err
    with open(os.path.join(members[1], "feff.inp")) as f:
        inp = re.sub(r"(?m)^CONTROL.*$", "CONTROL 0 0 1 1 1 1", f.read())
    feff_by_hand(tmp_path / "by_hand", inp, potentials_from=ref)
    assert filecmp.cmp(tmp_path / "by_hand" / "chi.dat", os.path.join(members[1], "chi.dat"),
                       shallow=False)


def test_a_card_that_makes_potentials_must_be_alike(tree, tmp_path):
    top, _ = tree
    work = tmp_path / "tree"
    shutil.copytree(top / "tree", work)
    dirs = folders(work)
    texts = {}
    for d, old, new in [(dirs[4], r"(?m)^EXCHANGE.*$", "EXCHANGE  0  0.5  0"),
                        (dirs[2], r"(?m)^EDGE.*$", "EDGE K")]:
        with open(os.path.join(d, "feff.inp")) as f:
            texts[d] = f.read()
        with open(os.path.join(d, "feff.inp"), "w") as f:
            f.write(re.sub(old, new, texts[d]))
    # each odd folder refused, naming both folders and the cards; the rest run
    status, out, err = run("feff", work, "-j", "2", "--potentials=once")
    assert status == 1, err
    assert re.search(f"{re.escape(dirs[4])}: failed: not run: its feff.inp has \"EXCH 0 0.5 "
                     f"0\" where {re.escape(dirs[0])}, .* has \"EXCH 0 0 0\"", err), err
    assert re.search(f"{re.escape(dirs[2])}: failed: not run: its feff.inp has \"EDGE K\" "
                     f"where {re.escape(dirs[0])}, .* has \"EDGE L3\"", err), err
    assert "shared by 4 folders" in err and ran_now(err) == 2, err
    # a later module's card may differ, and so may a comment
    with open(os.path.join(dirs[4], "feff.inp"), "w") as f:
        f.write(re.sub(r"(?m)^RPATH.*$", "RPATH 4.5", texts[dirs[4]]))
    with open(os.path.join(dirs[2], "feff.inp"), "w") as f:
        f.write(re.sub(r"(?m)^EDGE.*$", "EDGE  L3   * the U L3 edge", texts[dirs[2]]))
    status, out, err = run("feff", work, "-j", "2", "--potentials=once")
    assert status == 0, err
    assert "shared by 6 folders" in err and ran_now(err) == 2, err


def test_kept_potentials_cut_are_made_whole(tree, tmp_path):
    top, _ = tree
    work = tmp_path / "tree"
    shutil.copytree(top / "tree", work)
    ref = folders(work)[0]
    kept = os.path.join(ref, ".mdexafs-potentials")
    with open(os.path.join(kept, "phase.pad"), "rb") as f:
        phase = f.read()
    os.remove(os.path.join(kept, "phase.pad"))
    status, out, err = run("feff", work, "-j", "2", "--potentials=once")
    assert status == 0 and ran_now(err) == 0, err   # taken again from the reference's run
    with open(os.path.join(kept, "phase.pad"), "rb") as f:
        assert f.read() == phase


def test_other_potential_lists_make_other_groups(tree, tmp_path):
    top, _ = tree
    work = tmp_path / "tree"
    shutil.copytree(top / "tree", work)
    dirs = folders(work)
    inp = os.path.join(dirs[2], "feff.inp")
    with open(inp) as f:
        text = f.read()
    with open(inp, "w") as f:
        f.write(text.replace("    2   92    U ", "    2   92    Ux"))
    status, out, err = run("feff", work, "-j", "2", "--potentials=once")
    assert status == 0, err
    assert f"potentials of {dirs[0]} (0 U, 1 O, 2 U) shared by 5 folders" in err
    assert f"potentials of {dirs[2]} (0 U, 1 O, 2 Ux) shared by 1 folder" in err
    assert not os.path.exists(os.path.join(dirs[2], "mdexafs-potentials.txt"))


def test_a_feff_that_ignores_control_fails(tree, tmp_path):
    top, _ = tree
    work = tmp_path / "tree"
    shutil.copytree(top / "tree", work)
    for d in folders(work):   # unrun
        for name in os.listdir(d):
            if name not in ("feff.inp", "atom.txt"):
                p = os.path.join(d, name)
                shutil.rmtree(p) if os.path.isdir(p) else os.remove(p)
    wrapper = tmp_path / "feff_all_modules"
    wrapper.write_text("#!/bin/sh\nsed -i 's/^CONTROL.*/CONTROL 1 1 1 1 1 1/' feff.inp\n"
                       "exec feff8l\n")
    wrapper.chmod(0o755)
    status, out, err = run("feff", work, "-j", "2", "--potentials=once", "--feff", wrapper)
    assert status == 1, err
    assert err.count("FEFF changed the group's potential files") == 5, err


@pytest.mark.parametrize("args, message", [
    (["--check", "2"], "--check and --potentials-from need --potentials=once"),
    (["--potentials=once", "--seed", "3"], "--seed needs --check"),
    (["--potentials=twice"], "--potentials must be once or own"),
    (["--potentials=once", "--feff", "feff6l"], "feff6l cannot share potentials"),
    (["--potentials=once", "--potentials-from", "/"], "/: not a folder with a feff.inp"),
])
def test_usage(tree, args, message):
    top, _ = tree
    status, out, err = run("feff", top / "tree", *args)
    assert status == 2 and message in err, err
