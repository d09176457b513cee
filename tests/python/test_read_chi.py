"""mdexafs.read_chi reads the column files the core writes and those
xraylarch writes as numpy.loadtxt reads them (the same numbers, bit for
bit), reads what the Lua API's mdx.read_chi reads from any file (the
same k, chi, sem, k-weight and label), and refuses what it refuses, with
its messages (in Python's words where Lua's speak of tables)."""
import os

import numpy
import pytest

import mdexafs
from conftest import REFERENCE, run_lua

GOLDENS = os.path.join(os.environ["MDX_TEST_DATA"], "goldens")


def same_as_loadtxt(r, path, kcol=0, chicol=1, semcol=None):
    ref = numpy.loadtxt(path, comments="#", ndmin=2)
    assert numpy.array_equal(r.k, ref[:, kcol])
    assert numpy.array_equal(r.chi, ref[:, chicol])
    if semcol is None:
        assert r.sem is None
    else:
        assert numpy.array_equal(r.sem, ref[:, semcol])


@pytest.mark.parametrize("options, semcol, weight", [
    ({}, None, 0), ({"precision": "full"}, None, 0),
    ({"sem": True}, 2, 0), ({"sem": True, "precision": "full"}, 2, 0),
    ({"columns": "athena"}, None, 0),
    ({"xdi": {"element": "U", "edge": "L3"}}, None, 0),
    ({"xdi": True, "sem": True}, 2, 0)])
def test_what_the_core_writes(db, tmp_path, options, semcol, weight):
    avg = mdexafs.open(db).select(types={"U-O": 3.0}).average()
    path = tmp_path / "avg.chik"
    avg.write(path, **options)
    r = mdexafs.read_chi(path)
    same_as_loadtxt(r, path, semcol=semcol)
    assert r.k_weight == weight and r.label == str(path)
    assert (r.nfolders, r.nwith, r.npaths) == (0, 0, 0)
    assert numpy.max(abs(r.chi - avg.chi)) <= 5e-7


def test_a_weighted_curve_the_core_writes(db, tmp_path):
    path = tmp_path / "k2.chik"
    mdexafs.open(db).select(types={"U-O": 3.0}).average().kweight(2) \
        .write(path, precision="full")
    r = mdexafs.read_chi(path)
    same_as_loadtxt(r, path)
    assert r.k_weight == 2
    assert mdexafs.read_chi(path, chi=1).k_weight == 0  # by index: chi
    assert mdexafs.read_chi(path, kweight=0).k_weight == 0


def test_the_goldens():
    """The reference workflow's %.6f columns, the fit's data as numpy's
    savetxt wrote it for larch's feffit, larch's chi(k) of feff.bin paths
    (a column per path, named)."""
    for name in ("mix_file.dat", "uo_file.dat", "chidat.dat"):
        path = os.path.join(REFERENCE, name)
        same_as_loadtxt(mdexafs.read_chi(path), path)
    for name in ("single.chik", "ensemble.chik"):
        path = os.path.join(GOLDENS, "fit", name)
        same_as_loadtxt(mdexafs.read_chi(path), path)
    path = os.path.join(GOLDENS, "feffbin", "reexport_larch.txt")
    same_as_loadtxt(mdexafs.read_chi(path, chi="feff.bin:51"), path,
                    chicol=3)
    same_as_loadtxt(mdexafs.read_chi(path, chi=2), path, chicol=2)


def test_what_larch_writes(tmp_path):
    larch = pytest.importorskip("larch")
    from larch.io import write_ascii, write_group
    from larch.xafs import xftf
    k = numpy.arange(0, 401) * 0.05
    chi = numpy.sin(2 * k) * numpy.exp(-k / 3)
    ascii_file = str(tmp_path / "a.chik")
    write_ascii(ascii_file, k, chi, k * k * chi, label="k chi chik2",
                header=["made by larch"])
    group = larch.Group(k=k, chi=chi)
    xftf(group, kweight=2, kmin=2, kmax=15)
    group_file = str(tmp_path / "g.chik")
    write_group(group_file, group, arrays=["k", "chi", "kwin"])
    for path in (ascii_file, group_file):
        r = mdexafs.read_chi(path)
        same_as_loadtxt(r, path)
        assert r.k_weight == 0
        assert numpy.max(abs(r.chi - chi)) <= 1e-11
    r = mdexafs.read_chi(ascii_file, chi="chik2")
    same_as_loadtxt(r, ascii_file, chicol=2)
    assert r.k_weight == 2


# (file text, Lua's options, Python's keywords): read alike
FILES = [
    ("# k chi kchi k2chi\n1 0.5 0.5 0.5\n2 0.25 0.5 1\n", "", {}),
    ("# k2chi k chi\n7 1 0.5\n8 2 0.25\n", "", {}),
    ("# k2chi k chi\n7 1 0.5\n8 2 0.25\n", "{chi = 1, k = 'k'}",
     {"chi": 0, "k": "k"}),
    ("# k2chi k chi\n7 1 0.5\n8 2 0.25\n", "{chi = 'K2CHI'}",
     {"chi": "K2CHI"}),
    ("# XDI/1.0\n# Column.1: chi\n# Column.2: k\n# Element.symbol: U\n"
     "#----\n# chi k\n0.5 1\n0.25 2\n", "", {}),
    ("1 0.5\n2 0.25\n", "", {}),
    ("# k k2chi\n1 2\n2 3\n", "", {}),
    ("# k k2chi\n1 2\n2 3\n", "{chi = 2}", {"chi": 1}),
    ("# k k2chi\n1 2\n2 3\n", "{chi = 2, kweight = 3}",
     {"chi": 1, "kweight": 3}),
    ("# k k2chi\n1 2\n2 3\n", "{chi = 'k2chi', kweight = 0}",
     {"chi": "k2chi", "kweight": 0}),
    ("# k energy chi(k)\n1 17000 2\n2 17001 3\n", "", {}),
    ("# k chik^3\n1 2\n2 3\n", "", {}),
    ("# k, chi, sem\n1, 0.5, 0.1\n2, 0.3, 0.2\n", "", {}),
    ("# chi, k\n0.5, 1\n0.3, 2\n", "", {}),
]

LUA_READ = r'''
local mdx = require "mdexafs"
local n = 0
for _, case in ipairs { %s } do
  n = n + 1
  local options = assert(load("return " .. (case ~= "" and case or "nil"), "=case"))()
  local r = assert(mdx.read_chi(arg[1] .. "/" .. n .. ".dat", options))
  local function hex(t)
    local out = {}
    for i = 1, #t do out[i] = ("%%a"):format(t[i]) end
    return table.concat(out, " ")
  end
  print(r.k_weight, r.label, r.nfolders, hex(r.k), hex(r.chi), r.sem and hex(r.sem) or "-")
end
'''


def test_the_same_as_lua(tmp_path):
    for i, (content, _, _) in enumerate(FILES):
        (tmp_path / ("%d.dat" % (i + 1))).write_text(content)
    code, out, err = run_lua(tmp_path, LUA_READ % ", ".join(
        "%r" % lua for _, lua, _ in FILES), tmp_path)
    assert code == 0, err
    for i, ((_, lua, options), line) in enumerate(zip(FILES, out.splitlines(),
                                                      strict=True)):
        w, label, nfolders, k, chi, sem = line.split("\t")
        r = mdexafs.read_chi(tmp_path / ("%d.dat" % (i + 1)), **options)
        assert (r.k_weight, r.label, r.nfolders) == \
            (float(w), label, int(nfolders)), lua
        assert list(r.k) == [float.fromhex(v) for v in k.split()], lua
        assert list(r.chi) == [float.fromhex(v) for v in chi.split()], lua
        if sem == "-":
            assert r.sem is None, lua
        else:
            assert list(r.sem) == [float.fromhex(v) for v in sem.split()]


K_MU = "# k mu\n1 2\n2 3\n"
# (file text or None for none at all, Lua's options, Python's keywords,
# the class, Python's words or None for Lua's)
MISTAKES = [
    (None, "", {}, mdexafs.FileError, None),
    ("", "", {}, mdexafs.DataError, None),
    ("1 2\n2 3 4\n", "", {}, mdexafs.DataError, None),
    ("# k chi\n1 0.5\n2 nan\n", "", {}, mdexafs.DataError, None),
    ("1 0.5\n2 0.3 abc\n", "", {}, mdexafs.DataError, None),
    ("1 0.5\n1 0.3\n", "", {}, mdexafs.DataError, None),
    ("# k chi\n1 0.5\n3 0.3\n2 0.1\n", "", {}, mdexafs.DataError, None),
    ("1\n2\n", "", {}, mdexafs.DataError, None),
    ("# energy chi\n17000 2\n17001 3\n", "", {}, mdexafs.DataError,
     "read_chi: {f}: no column labelled k (columns: energy chi): name one: "
     "k=N or k=\"label\""),
    ("# k chi_re\n1 2\n2 3\n", "", {}, mdexafs.DataError,
     "read_chi: {f}: no column labelled chi (columns: k chi_re): name one: "
     "chi=N or chi=\"label\""),
    (K_MU, "{chi = 'chi'}", {"chi": "chi"}, mdexafs.UsageError, None),
    (K_MU, "{chi = 5}", {"chi": 4}, mdexafs.UsageError,
     "read_chi: {f}: chi=4, but it has 2 columns"),
    (K_MU, "{k = 0}", {"k": -1}, mdexafs.UsageError,
     "read_chi: {f}: k=-1, but it has 2 columns"),
    (K_MU, "{k = true}", {"k": True}, mdexafs.UsageError,
     "read_chi: k must be a column label (str) or index (int), not bool"),
    (K_MU, "{chi = 'mu', kweight = 0/0}", {"chi": "mu", "kweight": numpy.nan},
     mdexafs.UsageError, None),
    (K_MU, "{chi = 'mu', kweight = '2'}", {"chi": "mu", "kweight": "2"},
     mdexafs.UsageError, "read_chi: 'kweight' must be a number, not str"),
]

LUA_MISTAKES = r'''
local mdx = require "mdexafs"
local n = 0
for _, case in ipairs { %s } do
  n = n + 1
  local options = assert(load("return " .. (case ~= "" and case or "nil"), "=case"))()
  local ok, r, msg = pcall(mdx.read_chi, arg[1] .. "/" .. n .. ".dat", options)
  print(ok and (r and "OK" or msg) or (tostring(r):gsub("\n", " ")))
end
'''


def test_the_same_mistakes_as_lua(tmp_path):
    for i, (content, *_) in enumerate(MISTAKES):
        if content is not None:
            (tmp_path / ("%d.dat" % (i + 1))).write_text(content)
    code, out, err = run_lua(tmp_path, LUA_MISTAKES % ", ".join(
        "%r" % lua for _, lua, *_ in MISTAKES), tmp_path)
    assert code == 0, err
    for i, ((_, lua, options, kind, words), msg) in enumerate(
            zip(MISTAKES, out.splitlines(), strict=True)):
        f = str(tmp_path / ("%d.dat" % (i + 1)))
        assert msg != "OK", (i, lua)
        with pytest.raises(mdexafs.Error) as e:
            mdexafs.read_chi(f, **options)
        assert type(e.value) is kind, (i, lua, e.value)
        assert str(e.value) == (words.format(f=f) if words else msg), (i, lua)


def test_a_folder_is_not_a_file(tmp_path):
    code, out, _ = run_lua(tmp_path, 'print(select(2, require "mdexafs"'
                           '.read_chi(arg[1])))', tmp_path)
    assert code == 0 and out.strip().endswith("is a directory, not a file")
    with pytest.raises(mdexafs.FileError) as e:
        mdexafs.read_chi(tmp_path)
    assert str(e.value) == out.strip()
    assert e.value.file == str(tmp_path) and e.value.code == "io"
