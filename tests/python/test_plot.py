"""mdexafs.plot draws what the Lua API's mdx.plot draws for the same
results and options: the same SVG, byte for byte (k and R panels,
standard-error bands, the window curve, ranges, page options); a PNG of
the size asked; the same mistakes are refused with Lua's messages (in
Python's words where Lua's speak of tables) and the same class."""
import html
import os
import re
import struct

import pytest

import mdexafs
from conftest import REFERENCE, run_lua

MIX = os.path.join(REFERENCE, "mix_file.dat")
UO = os.path.join(REFERENCE, "uo_file.dat")

# name: (Lua's options, Python's keywords); a and b are the reference
# workflow's files as read_chi reads them, x and y averages of the tree
# with their standard error.
CASES = {
    "both": ("results = {a, b}, labels = {'mix', 'U-O'}, kweight = 3, "
             "xftf = {kmin = 2, kmax = 14, window = 'hanning'}, "
             "window = true, title = 'two files'",
             lambda a, b, x, y: dict(
                 results=[a, b], labels=["mix", "U-O"], kweight=3,
                 xftf={"kmin": 2, "kmax": 14, "window": "hanning"},
                 window=True, title="two files")),
    "sem": ("results = {x, y}, labels = {'U-O', 'U-U'}, sem = true, "
            "krange = {2, 12}, rrange = {0, 6}, size = {16, 10, 'cm'}, "
            "legend = 'outside'",
            lambda a, b, x, y: dict(
                results=(x, y), labels=("U-O", "U-U"), sem=True,
                krange=(2, 12), rrange=[0, 6], size=(16, 10, "cm"),
                legend="outside")),
    "r": ("results = {a, x}, panels = 'r', title = 'R only', "
          "xftf = {kw = 1, kmin = 3, kmax = 12, rmax_out = 8}",
          lambda a, b, x, y: dict(
              results=[a, x], panels="r", title="R only",
              xftf={"kw": 1, "kmin": 3, "kmax": 12, "rmax_out": 8})),
    "k": ("results = {y}, panels = 'k', kweight = 0.5, window = true, "
          "sem = true, xftf = {kmin = 3, kmax = 15, dk = 2, dk2 = 4}, "
          "legend = 'none'",
          lambda a, b, x, y: dict(
              results=[y], panels="k", kweight=0.5, window=True, sem=True,
              xftf={"kmin": 3, "kmax": 15, "dk": 2, "dk2": 4},
              legend="none")),
}

LUA = r'''
local mdx = require "mdexafs"
local src = assert(mdx.open(arg[1]))
local env = { a = assert(mdx.read_chi(arg[2])), b = assert(mdx.read_chi(arg[3])),
              x = src:select { types = { ["U-O"] = 3.0 } }:average(),
              y = src:select { types = { ["U-U"] = 4.5 } }:average() }
for _, case in ipairs { %s } do
  local options = assert(load("return {" .. case[2] .. "}", "=case", "t", env))()
  options.file = arg[4] .. "/lua_" .. case[1] .. ".svg"
  assert(mdx.plot(options))
end
'''


def inputs(db):
    src = mdexafs.open(db)
    return (mdexafs.read_chi(MIX), mdexafs.read_chi(UO),
            src.select(types={"U-O": 3.0}).average(),
            src.select(types={"U-U": 4.5}).average())


def svg_texts(svg):
    """The text of each <text> element of PLplot's SVG, decoded."""
    return [html.unescape(re.sub(r"<[^>]*>|\s*\n\s*", "",
                                 block.split(">", 1)[1]))
            for block in re.findall(r"<text(.*?)</text>", svg, re.S)]


def test_the_same_svg_as_lua(db, tmp_path):
    code, _, err = run_lua(tmp_path, LUA % ", ".join(
        "{%r, %r}" % (name, lua) for name, (lua, _) in CASES.items()),
        db, MIX, UO, tmp_path)
    assert code == 0, err
    results = inputs(db)
    for name, (_, keywords) in CASES.items():
        mdexafs.plot(tmp_path / ("py_%s.svg" % name), **keywords(*results))
        lua = (tmp_path / ("lua_%s.svg" % name)).read_bytes()
        assert lua.startswith(b"<?xml") and lua.count(b"<polyline") > 3
        assert (tmp_path / ("py_%s.svg" % name)).read_bytes() == lua, name
    texts = svg_texts((tmp_path / "py_both.svg").read_text())
    assert {"two files", "k3 χ(k) (Å-3)", "|χ(R)| (Å-4)",
            "hanning window 2-14 Å-1", "mix", "U-O"} <= set(texts)
    assert (tmp_path / "py_sem.svg").read_text().count(
        'fill-opacity="0.25') == 2  # a band per average, in the k panel


def test_a_png_of_the_size_asked(tmp_path):
    a = mdexafs.read_chi(MIX)
    for size, dpi, want in ((None, None, (900, 420)),
                            ((4, 3, "in"), 50, (200, 150))):
        mdexafs.plot(tmp_path / "p.png", [a], panels="k", size=size, dpi=dpi)
        head = (tmp_path / "p.png").read_bytes()[:24]
        assert head[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", head[16:24]) == want


# (Lua's options after results, Python's call on a and b, the class,
# Python's words or None for Lua's); b is "k chi sem" with a sem < 0
MISTAKES = [
    ("results = {}", lambda f, a, b: mdexafs.plot(f, []),
     mdexafs.UsageError, None),
    ("results = 3", lambda f, a, b: mdexafs.plot(f, 3),
     mdexafs.UsageError, None),
    ("results = {3}", lambda f, a, b: mdexafs.plot(f, [3]),
     mdexafs.UsageError, None),
    ("results = {a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a}",
     lambda f, a, b: mdexafs.plot(f, [a] * 17), mdexafs.UsageError, None),
    ("results = {a:kweight(1)}",
     lambda f, a, b: mdexafs.plot(f, [a.kweight(1)]),
     mdexafs.UsageError, None),
    ("results = {a}, labels = {}",
     lambda f, a, b: mdexafs.plot(f, [a], labels=[]),
     mdexafs.UsageError, None),
    ("results = {a}, labels = 'a'",
     lambda f, a, b: mdexafs.plot(f, [a], labels="a"),
     mdexafs.UsageError, None),
    ("results = {a}, kweight = -1",
     lambda f, a, b: mdexafs.plot(f, [a], kweight=-1),
     mdexafs.UsageError, None),
    ("results = {a}, kweight = '2'",
     lambda f, a, b: mdexafs.plot(f, [a], kweight="2"),
     mdexafs.UsageError, "plot: 'kweight' must be a number, not str"),
    ("results = {a}, sem = true",
     lambda f, a, b: mdexafs.plot(f, [a], sem=True), mdexafs.UsageError,
     "plot: sem=True, but result 1 has no standard error (an average has "
     "one)"),
    ("results = {b}, sem = true",
     lambda f, a, b: mdexafs.plot(f, [b], sem=True),
     mdexafs.UsageError, None),
    ("results = {a}, sem = 1",
     lambda f, a, b: mdexafs.plot(f, [a], sem=1), mdexafs.UsageError,
     "plot: 'sem' must be True or False, not int"),
    ("results = {a}, window = 'yes'",
     lambda f, a, b: mdexafs.plot(f, [a], window="yes"), mdexafs.UsageError,
     "plot: 'window' must be True or False, not str"),
    ("results = {a}, panels = 'x'",
     lambda f, a, b: mdexafs.plot(f, [a], panels="x"),
     mdexafs.UsageError, None),
    ("results = {a}, title = 3",
     lambda f, a, b: mdexafs.plot(f, [a], title=3), mdexafs.UsageError,
     "plot: 'title' must be a string, not int"),
    ("results = {a}, krange = {5, 2}",
     lambda f, a, b: mdexafs.plot(f, [a], krange=(5, 2)), mdexafs.UsageError,
     "plot: krange must be (lo, hi) with lo < hi"),
    ("results = {a}, rrange = {1}",
     lambda f, a, b: mdexafs.plot(f, [a], rrange=[1]), mdexafs.UsageError,
     "plot: rrange must be (lo, hi) with lo < hi"),
    ("results = {a}, xftf = 3",
     lambda f, a, b: mdexafs.plot(f, [a], xftf=3), mdexafs.UsageError,
     "plot: xftf must be a dict of xftf's options, not int"),
    ("results = {a}, xftf = {kw = 1, kweight = 2}",
     lambda f, a, b: mdexafs.plot(f, [a], xftf={"kw": 1, "kweight": 2}),
     mdexafs.UsageError, None),
    ("results = {a}, xftf = {foo = 1}",
     lambda f, a, b: mdexafs.plot(f, [a], xftf={"foo": 1}),
     mdexafs.UsageError, None),
    ("results = {a}, xftf = {window = 'foo'}",
     lambda f, a, b: mdexafs.plot(f, [a], xftf={"window": "foo"}),
     mdexafs.UsageError, None),
    ("results = {a}, xftf = {kmin = 30}",
     lambda f, a, b: mdexafs.plot(f, [a], xftf={"kmin": 30}),
     mdexafs.UsageError, None),
    ("results = {a}, dpi = -1",
     lambda f, a, b: mdexafs.plot(f, [a], dpi=-1), mdexafs.UsageError, None),
    ("results = {a}, legend = 'top'",
     lambda f, a, b: mdexafs.plot(f, [a], legend="top"),
     mdexafs.UsageError, None),
    ("results = {a}, size = {1, 2, 'mm'}",
     lambda f, a, b: mdexafs.plot(f, [a], size=(1, 2, "mm")),
     mdexafs.UsageError, None),
]

LUA_MISTAKES = r'''
local mdx = require "mdexafs"
local env = { a = assert(mdx.read_chi(arg[1])), b = assert(mdx.read_chi(arg[2])) }
for _, case in ipairs { %s } do
  local options = assert(load("return {" .. case .. "}", "=case", "t", env))()
  options.file = arg[3]
  local ok, r, msg = pcall(mdx.plot, options)
  print(ok and (r and "OK" or msg) or (tostring(r):gsub("\n", " ")))
end
'''


def test_the_same_mistakes_as_lua(tmp_path):
    negative = tmp_path / "negative.chik"
    negative.write_text("# k chi sem\n1 0.5 0.1\n2 0.25 -0.2\n")
    file = tmp_path / "f.svg"
    code, out, err = run_lua(tmp_path, LUA_MISTAKES % ", ".join(
        "%r" % lua for lua, *_ in MISTAKES), MIX, negative, file)
    assert code == 0, err
    a, b = mdexafs.read_chi(MIX), mdexafs.read_chi(negative)
    for (lua, call, kind, words), msg in zip(MISTAKES, out.splitlines(),
                                             strict=True):
        assert msg != "OK", lua
        with pytest.raises(mdexafs.Error) as e:
            call(file, a, b)
        assert type(e.value) is kind, (lua, e.value)
        assert str(e.value) == (words or msg), lua
    assert not file.exists()


@pytest.mark.parametrize("file, kind", [
    ("plot.txt", mdexafs.UsageError),
    ("no/such/folder/plot.svg", mdexafs.FileError)])
def test_a_file_it_cannot_write(tmp_path, file, kind):
    """The file name Lua refuses (an error) and the folder it cannot
    write in (nil and the message): the same words, as an exception."""
    path = tmp_path / file
    code, out, _ = run_lua(tmp_path, 'local mdx = require "mdexafs"\n'
                           'print(select(2, pcall(mdx.plot, {file = arg[1], '
                           'results = {assert(mdx.read_chi(arg[2]))}})))',
                           path, MIX)
    assert code == 0
    with pytest.raises(kind) as e:
        mdexafs.plot(path, [mdexafs.read_chi(MIX)])
    assert str(e.value) == out.strip().split("\t")[-1]
    assert not path.exists()
