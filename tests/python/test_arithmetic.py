"""Result arithmetic and k-weighting give what the Lua API gives for the
same results, bit for bit (numbers, standard errors, counts, labels), and
what numpy gives; the same mistakes are refused with Lua's messages."""
import numpy
import pytest

import mdexafs
from conftest import run_lua

# Each operation on a = the U-O average and b = the U-U average, printed
# as: name, k_weight, nfolders, folders_with_paths, npaths, label, then
# chi and sem (or "-") in hex. The Python side does the same below.
LUA = r'''
local mdx = require "mdexafs"
local src = assert(mdx.open(arg[1]))
local a = src:select { types = { ["U-O"] = 3.0 } }:average()
local b = src:select { types = { ["U-U"] = 4.5 }, frames = 500 }:average()
local ops = {
  { "add", a + b }, { "sub", a - b }, { "mul", a * 2.5 }, { "rmul", 0.5 * b },
  { "div", a / 3 }, { "neg", -a }, { "kw2", a:kweight(2) },
  { "kw_half", b:kweight(0.5) }, { "kw_neg", a:kweight(-1) },
  { "kw_sum", a:kweight(1) + b:kweight(1) }, { "kw_twice", a:kweight(1):kweight(2) },
}
for _, op in ipairs(ops) do
  local r = op[2]
  print(op[1], r.k_weight, r.nfolders, r.folders_with_paths, r.npaths, r.label)
  local chi, sem = {}, {}
  for i = 1, #r.chi do chi[i] = ("%a"):format(r.chi[i]) end
  print(table.concat(chi, " "))
  if r.sem then
    for i = 1, #r.sem do sem[i] = ("%a"):format(r.sem[i]) end
    print(table.concat(sem, " "))
  else
    print("-")
  end
end
'''


def python_ops(src):
    a = src.select(types={"U-O": 3.0}).average()
    b = src.select(types={"U-U": 4.5}, frames=500).average()
    return a, b, {
        "add": a + b, "sub": a - b, "mul": a * 2.5, "rmul": 0.5 * b,
        "div": a / 3, "neg": -a, "kw2": a.kweight(2),
        "kw_half": b.kweight(0.5), "kw_neg": a.kweight(-1),
        "kw_sum": a.kweight(1) + b.kweight(1),
        "kw_twice": a.kweight(1).kweight(2)}


def lua_ops(tmp_path, db):
    code, out, err = run_lua(tmp_path, LUA, db)
    assert code == 0, err
    lines, ops = out.splitlines(), {}
    for i in range(0, len(lines), 3):
        name, w, nf, nwith, npaths, label = lines[i].split("\t")
        hexes = [lines[i + 1].split(), lines[i + 2]]
        sem = None if hexes[1] == "-" else \
            numpy.array([float.fromhex(v) for v in hexes[1].split()])
        ops[name] = (float(w), int(nf), int(nwith), int(npaths), label,
                     numpy.array([float.fromhex(v) for v in hexes[0]]), sem)
    return ops


def test_the_same_as_lua_bit_for_bit(db, tmp_path):
    want = lua_ops(tmp_path, db)
    _, _, got = python_ops(mdexafs.open(db))
    assert set(got) == set(want)
    for name, r in got.items():
        w, nf, nwith, npaths, label, chi, sem = want[name]
        assert (r.k_weight, r.nfolders, r.nwith, r.npaths, r.label) == \
            (w, nf, nwith, npaths, label), name
        assert numpy.array_equal(r.chi, chi, equal_nan=True), name
        if sem is None:
            assert r.sem is None, name
        else:
            assert numpy.array_equal(r.sem, sem, equal_nan=True), name


def test_what_numpy_gives(db):
    a, b, got = python_ops(mdexafs.open(db))
    k = a.k
    assert numpy.array_equal(got["add"].chi, a.chi + b.chi)
    assert numpy.array_equal(got["sub"].chi, a.chi - b.chi)
    assert numpy.allclose(got["mul"].sem, 2.5 * a.sem, rtol=1e-15, atol=0)
    assert numpy.allclose(got["div"].chi, a.chi / 3, rtol=1e-15, atol=0)
    assert numpy.array_equal(got["neg"].sem, a.sem)  # |f|: never negative
    assert numpy.allclose(got["kw2"].chi, k * k * a.chi, rtol=1e-15, atol=0)
    assert numpy.allclose(got["kw_twice"].chi, k ** 3 * a.chi, rtol=1e-14,
                          atol=0)
    assert got["kw_twice"].k_weight == 3
    assert got["add"].sem is None and a.sem is not None
    # numpy's own numbers scale a result, they do not make an array of it
    assert isinstance(numpy.float64(2) * a, mdexafs.Result)
    assert numpy.array_equal((numpy.float64(2) * a).chi, (a * 2).chi)


def test_a_weighted_result_is_written_as_weighted(db, tmp_path):
    """The header says k^2 chi(k) (the Lua API writes the same file);
    Athena's columns, of an unweighted chi(k), are refused."""
    a, _, _ = python_ops(mdexafs.open(db))
    a.kweight(2).write(tmp_path / "py.dat", xdi=True)
    code, _, err = run_lua(tmp_path, r'''
local mdx = require "mdexafs"
local src = assert(mdx.open(arg[1]))
local a = src:select { types = { ["U-O"] = 3.0 } }:average()
assert(a:kweight(2):write(arg[2], { xdi = true }))
''', db, tmp_path / "lua.dat")
    assert code == 0, err
    text = (tmp_path / "py.dat").read_text()
    assert text == (tmp_path / "lua.dat").read_text()
    assert "k^2" in text
    with pytest.raises(mdexafs.UsageError) as e:
        a.kweight(2).write(tmp_path / "athena.dat", columns="athena")
    assert str(e.value).endswith("not written: Athena's columns are k^n "
                                 "chi(k) of an unweighted chi(k); this one "
                                 "is k^2 chi(k)")


# (Lua expression, Python call) on a, b as above and c, a shorter grid
# read from a file both read.
MISTAKES = [
    ("a:kweight(2) + a", lambda a, c: a.kweight(2) + a),
    ("a - a:kweight(1)", lambda a, c: a - a.kweight(1)),
    ("a + c", lambda a, c: a + c),
    ("c - a", lambda a, c: c - a),
    ("a / 0", lambda a, c: a / 0),
    ("a:kweight(2):xftf{kweight = 2}", lambda a, c: a.kweight(2).xftf(kweight=2)),
]


def test_the_same_mistakes_as_lua(db, tmp_path):
    src = mdexafs.open(db)
    a = src.select(types={"U-O": 3.0}).average()
    mdexafs.Result(a.k[:200], a.chi[:200]).write(tmp_path / "c.dat",
                                                 precision="full")
    code, out, err = run_lua(tmp_path, r'''
local mdx = require "mdexafs"
local src = assert(mdx.open(arg[1]))
local a = src:select { types = { ["U-O"] = 3.0 } }:average()
local c = assert(mdx.read_chi(arg[2]))
for _, e in ipairs { %s } do
  local ok, msg = pcall(load("local a, c = ... return " .. e, "=mistake"), a, c)
  print((tostring(msg):gsub("^mistake:%%d+: ", "")))
end
''' % ", ".join("%r" % lua for lua, _ in MISTAKES), db, tmp_path / "c.dat")
    assert code == 0, err
    want = out.splitlines()
    c = mdexafs.Result(*numpy.loadtxt(tmp_path / "c.dat").T)
    for (lua, call), msg in zip(MISTAKES, want, strict=True):
        with pytest.raises(mdexafs.UsageError) as e:
            call(a, c)
        assert str(e.value) == msg.replace(":kweight()", ".kweight()"), lua


def test_what_is_no_number_or_result_is_python_s_type_error(db):
    a = mdexafs.open(db).select(types={"U-O": 3.0}).average()
    for call in (lambda: a + 1, lambda: a * a, lambda: a * True,
                 lambda: 2 / a, lambda: a - "b"):
        with pytest.raises(TypeError, match="unsupported operand"):
            call()
    with pytest.raises(mdexafs.UsageError) as e:
        a.kweight("2")
    assert str(e.value) == "kweight: the weight must be a number, not str"
