"""mdexafs.figure draws what the Lua API's mdx.figure draws for the same
curves: the same SVG, byte for byte (PLplot through the same C call),
and a PNG of the size asked; the same mistakes are refused with Lua's
messages (in Python's words where Lua's speak of tables)."""
import struct

import numpy
import pytest

import mdexafs
from conftest import run_lua

LUA = r'''
local mdx = require "mdexafs"
local src = assert(mdx.open(arg[1]))
local a = src:select { types = { ["U-O"] = 3.0 } }:average()
local w = a:kweight(2)
local lo, hi = {}, {}
for i = 1, #w.chi do lo[i] = w.chi[i] - w.sem[i]; hi[i] = w.chi[i] + w.sem[i] end
assert(mdx.figure { file = arg[2], size = { 16, 12, "cm" }, legend = "outside",
  panels = {
    { xlabel = "k (Å#u-1#d)", ylabel = "k#u2#d #gx(k)", title = "U-O",
      xrange = { 0, 14 }, xstep = 2,
      curves = { { x = w.k, y = w.chi, label = "U-O", lo = lo, hi = hi } } },
    { xlabel = "x", ylabel = "y", curves = { { x = { 0, 1, 2 }, y = { 1, 3, 2 } },
                                               { x = { 0, 2 }, y = { 0, 1 }, label = "line" } } },
  } })
'''


def draw(db, file, **page):
    a = mdexafs.open(db).select(types={"U-O": 3.0}).average()
    w = a.kweight(2)
    mdexafs.figure(file, [
        {"xlabel": "k (Å#u-1#d)", "ylabel": "k#u2#d #gx(k)", "title": "U-O",
         "xrange": (0, 14), "xstep": 2,
         "curves": [{"x": w.k, "y": w.chi, "label": "U-O",
                     "lo": w.chi - w.sem, "hi": w.chi + w.sem}]},
        {"xlabel": "x", "ylabel": "y",
         "curves": [{"x": [0, 1, 2], "y": [1, 3, 2]},
                    {"x": [0, 2], "y": [0, 1], "label": "line"}]},
    ], **page)


def test_the_same_svg_as_lua(db, tmp_path):
    code, _, err = run_lua(tmp_path, LUA, db, tmp_path / "lua.svg")
    assert code == 0, err
    draw(db, tmp_path / "py.svg", size=(16, 12, "cm"), legend="outside")
    lua = (tmp_path / "lua.svg").read_bytes()
    assert lua.startswith(b"<?xml") and lua.count(b"<polyline") > 10
    assert (tmp_path / "py.svg").read_bytes() == lua


def test_a_png_of_the_size_asked(db, tmp_path):
    draw(db, tmp_path / "f.png", size=(4, 3, "in"), dpi=50)
    head = (tmp_path / "f.png").read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", head[16:24]) == (200, 150)


X = [0, 1, 2]
GOOD = {"x": X, "y": X}
# (Lua's figure options, Python's call, Python's words or None)
MISTAKES = [
    ("panels = {}", lambda f: mdexafs.figure(f, []), None),
    ("panels = 1", lambda f: mdexafs.figure(f, 1), None),
    ("panels = {1}", lambda f: mdexafs.figure(f, [1]),
     "figure: panel 1 must be a dict"),
    ("panels = {{curves = {}}}", lambda f: mdexafs.figure(f, [{"curves": []}]),
     None),
    ("panels = {{curvs = {}}}", lambda f: mdexafs.figure(f, [{"curvs": []}]),
     None),
    ("panels = {{curves = {{x = {1}, y = {1}}}}}",
     lambda f: mdexafs.figure(f, [{"curves": [{"x": [1], "y": [1]}]}]), None),
    ("panels = {{curves = {{x = {0, 1, 2}, y = {0, 1}}}}}",
     lambda f: mdexafs.figure(f, [{"curves": [{"x": X, "y": [0, 1]}]}]), None),
    ("panels = {{curves = {{x = {0, 2, 1}, y = {0, 1, 2}}}}}",
     lambda f: mdexafs.figure(f, [{"curves": [{"x": [0, 2, 1], "y": X}]}]),
     "figure: panel 1, curve 1: x must not decrease (x[2] = 1.0 after 2.0)"),
    ("panels = {{curves = {{x = {0, 1, 2}, y = {0, 0/0, 2}}}}}",
     lambda f: mdexafs.figure(f, [{"curves": [{"x": X,
                                               "y": [0, numpy.nan, 2]}]}]),
     "figure: panel 1, curve 1: y[1] is not a finite number"),
    ("panels = {{curves = {{x = {0, 1, 2}, y = {0, 1, 2}, lo = {0, 1, 2}}}}}",
     lambda f: mdexafs.figure(f, [{"curves": [dict(GOOD, lo=X)]}]), None),
    ("panels = {{curves = {{x = {0, 1, 2}, y = {0, 1, 2}, lo = {0, 1, 2}, hi = {0, 0, 2}}}}}",
     lambda f: mdexafs.figure(f, [{"curves": [dict(GOOD, lo=X,
                                                   hi=[0, 0, 2])]}]), None),
    ("panels = {{curves = {{x = {0, 1, 2}, y = {0, 1, 2}, label = 1}}}}",
     lambda f: mdexafs.figure(f, [{"curves": [dict(GOOD, label=1)]}]), None),
    ("panels = {{xrange = {2, 1}, curves = {{x = {0, 1, 2}, y = {0, 1, 2}}}}}",
     lambda f: mdexafs.figure(f, [{"xrange": (2, 1), "curves": [GOOD]}]),
     "figure: panel 1: xrange must be (lo, hi) with lo < hi"),
    ("panels = {{xstep = -1, curves = {{x = {0, 1, 2}, y = {0, 1, 2}}}}}",
     lambda f: mdexafs.figure(f, [{"xstep": -1, "curves": [GOOD]}]), None),
    ("panels = {{xlabel = 1, curves = {{x = {0, 1, 2}, y = {0, 1, 2}}}}}",
     lambda f: mdexafs.figure(f, [{"xlabel": 1, "curves": [GOOD]}]),
     "figure: 'xlabel' must be a string, not int"),
    ("panels = {{curves = {{x = {0, 0}, y = {0, 1}}}}}",
     lambda f: mdexafs.figure(f, [{"curves": [{"x": [0, 0], "y": [0, 1]}]}]),
     None),
    ("legend = 'top', panels = {{curves = {{x = {0, 1, 2}, y = {0, 1, 2}}}}}",
     lambda f: mdexafs.figure(f, [{"curves": [GOOD]}], legend="top"), None),
    ("size = {1, 2, 'mm'}, panels = {{curves = {{x = {0, 1, 2}, y = {0, 1, 2}}}}}",
     lambda f: mdexafs.figure(f, [{"curves": [GOOD]}], size=(1, 2, "mm")),
     None),
    ("size = {-1, 2}, panels = {{curves = {{x = {0, 1, 2}, y = {0, 1, 2}}}}}",
     lambda f: mdexafs.figure(f, [{"curves": [GOOD]}], size=(-1, 2)), None),
    ("dpi = -1, panels = {{curves = {{x = {0, 1, 2}, y = {0, 1, 2}}}}}",
     lambda f: mdexafs.figure(f, [{"curves": [GOOD]}], dpi=-1), None),
    ("panels = {{map = {x = {0, 1}, y = {0, 1}, z = {{0, 1}}}}}",
     lambda f: mdexafs.figure(f, [{"map": {"x": [0, 1], "y": [0, 1],
                                          "z": [[0, 1]]}}]), None),
    ("panels = {{map = {x = {0, 1}, y = {0, 1}, z = {{0, 1}, {0, 1}}, "
     "zlabel = 'W'}}}",
     lambda f: mdexafs.figure(f, [{"map": {"x": [0, 1], "y": [0, 1],
                                          "z": [[0, 1], [0, 1]],
                                          "zlabel": "W"}}]), None),
    ("panels = {{map = {x = {0, 1}, y = {1, 0}, z = {{0, 1}, {0, 1}}}}}",
     lambda f: mdexafs.figure(f, [{"map": {"x": [0, 1], "y": [1, 0],
                                          "z": [[0, 1], [0, 1]]}}]), None),
]

LUA_MISTAKES = r'''
local mdx = require "mdexafs"
for _, case in ipairs { %s } do
  local options = assert(load("return {" .. case .. "}", "=case"))()
  options.file = arg[1]
  local ok, msg = pcall(mdx.figure, options)
  print(ok and "OK" or (tostring(msg):gsub("\n", " ")))
end
'''


def test_a_map_as_lua_draws_it(tmp_path):
    """A map panel (a wavelet's |W| over k and R) with a curve on it, the
    same file from Python as from Lua."""
    x, y = [0.0, 1.0, 2.0, 3.0], [0.5, 1.0, 1.5]
    z = [[i * j for i in range(4)] for j in range(3)]
    mdexafs.figure(tmp_path / "p.svg", [{"map": {"x": x, "y": y, "z": z,
                                                "label": "|W|"},
                                        "curves": [{"x": x, "y": [1] * 4}]}])
    code, _, err = run_lua(tmp_path, """
local mdx = require "mdexafs"
assert(mdx.figure { file = arg[1], panels = { { map = { x = {0, 1, 2, 3},
  y = {0.5, 1, 1.5}, z = {{0, 0, 0, 0}, {0, 1, 2, 3}, {0, 2, 4, 6}},
  label = "|W|" }, curves = { { x = {0, 1, 2, 3}, y = {1, 1, 1, 1} } } } } })
""", tmp_path / "l.svg")
    assert code == 0, err
    svg = (tmp_path / "p.svg").read_text()
    assert svg == (tmp_path / "l.svg").read_text()
    # the map and its colour bar are drawn: far more than the curve alone
    mdexafs.figure(tmp_path / "c.svg", [{"curves": [{"x": x, "y": [1] * 4}]}])
    assert len(svg) > len((tmp_path / "c.svg").read_text()) + 5000


def test_the_same_mistakes_as_lua(tmp_path):
    file = tmp_path / "f.svg"
    code, out, err = run_lua(tmp_path, LUA_MISTAKES % ", ".join(
        "%r" % lua for lua, _, _ in MISTAKES), file)
    assert code == 0, err
    for (lua, call, python_words), msg in zip(MISTAKES, out.splitlines(),
                                              strict=True):
        assert msg != "OK", lua
        with pytest.raises(mdexafs.UsageError) as e:
            call(file)
        assert str(e.value) == (python_words or msg), lua
    assert not file.exists()
