"""The reference workflow's outputs, from Python: identical at %.6f to the
shipped goldens, from a database and from the FEFF files."""
import os

import pytest

import mdexafs
from conftest import REFERENCE, TREE, rows

# Each reference output and the selection that reproduces it (the
# reference's settings, in tests/data/README.md).
CASES = {
    "uo_file.dat": dict(types={"U-O": 3.0}, frames=(500, 519)),
    "uo_db.dat": dict(types={"U-O": 3.0}, reff=(1.0, None),
                      frames=(500, 520)),
    "mix_file.dat": dict(types=["U-O", "U-U", "U-O-O"], reff=5.0,
                         frames=(500, 519)),
    "mix_db.dat": dict(types={"U-O": 3.0, "U-U": 4.5, "U-O-O": 5.0},
                       reff=(1.0, None), frames=(500, 520)),
}


@pytest.fixture(params=["database", "files"])
def src(request, db):
    with mdexafs.open(db if request.param == "database" else TREE) as s:
        yield s


@pytest.mark.parametrize("name", sorted(CASES))
def test_reference_outputs(src, name, tmp_path):
    out = tmp_path / name
    avg = src.select(**CASES[name]).average()
    avg.write(out)
    assert rows(out) == rows(os.path.join(REFERENCE, name))
    assert avg.k.dtype == avg.chi.dtype == avg.sem.dtype == "float64"
    assert avg.nfolders == 4 and avg.npaths > 0


def test_chidat_reference(src, tmp_path):
    out = tmp_path / "chidat.dat"
    src.chidat(frames=(500, 519)).write(out)
    assert rows(out) == rows(os.path.join(REFERENCE, "chidat.dat"))


def test_source_falls_back_to_the_files(db, tmp_path, capsys):
    """mdexafs.source says which it used: the fresh database, or the files
    when the database is missing."""
    with mdexafs.source(db) as s:
        assert s.kind == "database"
    assert "using the database" in capsys.readouterr().err
    missing = tmp_path / "none.db"
    with mdexafs.source(db=missing, tree=TREE) as s:
        assert s.kind == "tree"
        avg = s.select(**CASES["uo_file.dat"]).average()
    assert "missing" in capsys.readouterr().err
    avg.write(tmp_path / "u.dat")
    assert rows(tmp_path / "u.dat") == rows(os.path.join(REFERENCE,
                                                         "uo_file.dat"))
    with mdexafs.source(db=missing, tree=TREE, build=True, quiet=True) as s:
        assert s.kind == "database"
    assert missing.exists()
