"""Fixtures of the Python package's tests: the test data, a database built
once, and the mdexafs program to run the same questions in Lua."""
import os
import shutil
import subprocess

import numpy
import pytest

import mdexafs

DATA = os.environ["MDX_TEST_DATA"]
BIN = os.environ["MDX_BIN"]
TREE = os.path.join(DATA, "uo2_feff85")
REFERENCE = os.path.join(DATA, "goldens", "reference", "uo2_feff85")
SCIENCE = os.path.join(DATA, "goldens", "science")


@pytest.fixture(scope="session")
def db(tmp_path_factory):
    """A database of the FEFF 8.5L sample tree."""
    path = tmp_path_factory.mktemp("db") / "chi.db"
    stats = mdexafs.build(TREE, path)
    assert stats["folders"] == 4 and stats["failed"] == 0
    return str(path)


@pytest.fixture(scope="session")
def failed_db(tmp_path_factory):
    """A copy of the sample tree with one path file cut short, and its
    database, in which that folder is recorded as failed."""
    top = tmp_path_factory.mktemp("failed")
    tree = top / "tree"
    shutil.copytree(TREE, tree)
    bad = tree / "frame_510" / "atom_1" / "feff0003.dat"
    lines = bad.read_text().splitlines(True)
    bad.write_text("".join(lines[:len(lines) // 2]))
    db = top / "chi.db"
    stats = mdexafs.build(tree, db)
    assert stats["failed"] == 1
    return str(db), str(tree)


def run_lua(tmp_path, script, *args):
    """Run a Lua script with the mdexafs program: (exit code, stdout,
    stderr)."""
    path = tmp_path / "script.lua"
    path.write_text(script)
    p = subprocess.run([BIN, str(path), *map(str, args)],
                       capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def lua_error(stderr):
    """The message of a Lua error as mdexafs prints it, without the
    program's prefix and the script's position."""
    line = stderr.strip().splitlines()[0]
    line = line.removeprefix("mdexafs: ")
    parts = line.split(": ", 1)
    if parts[0].endswith(".lua") or ".lua:" in parts[0]:
        line = parts[1]
    return line


def rows(path):
    """The data lines of a column file (not its '#' lines)."""
    with open(path) as f:
        return [line for line in f if not line.startswith("#")]


def columns(path):
    """The columns of numbers of a golden file."""
    return numpy.loadtxt(path, comments="#", ndmin=2).T
