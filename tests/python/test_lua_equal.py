"""The same questions asked in Python and in Lua give the same numbers,
bit for bit: per-path chi(k) (as one-path sums), with and without path
parameters, and averages; and per-path chi(k) matches xraylarch."""
import os

import numpy
import pytest

import mdexafs
from conftest import DATA, TREE, columns, run_lua

# Print, in hex, the chi(k) of every path of one folder, each selected
# alone, and the average of a selection: the Lua side.
LUA = r'''
local mdx = require "mdexafs"
local src = assert(mdx.open(arg[1]))
-- per path "*" only: a path type the table names must be selected
local with = arg[2] == "params"
local params = with and { s02 = 0.9, sigma2 = { ["*"] = 0.005 },
                          deltar = function(p) return 0.01 * p.reff end } or nil
local by_type = with and { s02 = 0.9, sigma2 = { ["U-O"] = 0.003, ["*"] = 0.005 },
                           deltar = function(p) return 0.01 * p.reff end } or nil
local folder = { frames = 500, atoms = 0 }
for _, p in ipairs(src:select(folder):paths()) do
  local r = src:select { frames = 500, atoms = 0, params = params,
                         where = function(q) return q.num == p.num end }:sums()[1]
  local out = { p.num }
  for i = 1, #r.chi do out[#out + 1] = ("%a"):format(r.chi[i]) end
  print(table.concat(out, " "))
end
local avg = src:select { types = { ["U-O"] = 3.0, ["U-U"] = 4.5 },
                         params = by_type }:average()
local out = { "avg" }
for i = 1, #avg.chi do out[#out + 1] = ("%a"):format(avg.chi[i]) end
for i = 1, #avg.sem do out[#out + 1] = ("%a"):format(avg.sem[i]) end
print(table.concat(out, " "))
'''

PARAMS = {"s02": 0.9, "sigma2": {"*": 0.005},
          "deltar": lambda p: 0.01 * p.reff}
BY_TYPE = {"s02": 0.9, "sigma2": {"U-O": 0.003, "*": 0.005},
           "deltar": lambda p: 0.01 * p.reff}


def lua_values(tmp_path, source, params):
    code, out, err = run_lua(tmp_path, LUA, source,
                             "params" if params else "none")
    assert code == 0, err
    table = {}
    for line in out.splitlines():
        key, *values = line.split()
        table[key] = numpy.array([float.fromhex(v) for v in values])
    return table


@pytest.mark.parametrize("kind", ["database", "files"])
@pytest.mark.parametrize("params", [None, PARAMS], ids=["default", "params"])
def test_bit_equal_to_lua(db, tmp_path, kind, params):
    source = db if kind == "database" else TREE
    want = lua_values(tmp_path, source, params)
    src = mdexafs.open(source)
    paths = src.select(frames=500, atoms=0).paths()
    assert len(paths) == len(want) - 1 > 300
    for p in paths:
        got = src.select(frames=500, atoms=0, params=params,
                         where=lambda q, n=p.num: q.num == n).sums()
        assert len(got) == 1 and got[0].npaths == 1
        assert numpy.array_equal(got[0].chi, want[str(p.num)]), p
    avg = src.select(types={"U-O": 3.0, "U-U": 4.5},
                     params=params and BY_TYPE).average()
    assert numpy.array_equal(numpy.concatenate([avg.chi, avg.sem]),
                             want["avg"])


def test_paths_match_xraylarch(db):
    """Every path of a folder, default parameters, against xraylarch's
    path2chi (tests/data/goldens)."""
    folder = os.path.join(DATA, "goldens", "uo2_feff85", "frame_500",
                          "atom_0", "larch_paths.txt")
    with open(folder) as f:
        names = next(line for line in f if line.startswith("# k ")).split()[2:]
    want = columns(folder)
    src = mdexafs.open(db)
    for i, name in enumerate(names):
        num = int(name[4:8])
        got = src.select(frames=500, atoms=0,
                         where=lambda q, n=num: q.num == n).sums()[0]
        assert numpy.max(numpy.abs(got.chi - want[i + 1])) < 1e-10, name
