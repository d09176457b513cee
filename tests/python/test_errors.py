"""The same bad inputs give the same errors in Python as in Lua: the
messages come from one place (the core's query, or the same words), and
nothing bad gives an answer."""
import math
import os
import re
import shutil

import pytest

import mdexafs
from conftest import DATA, run_lua

CHIK = DATA + "/goldens/fit/single.chik"

# (name, Lua call on src, Python call on src): the same mistake in each.
CASES = [
    ("unknown key", 'src:select{typs = "U-O"}',
     lambda s: s.select(typs="U-O")),
    ("type typo", 'src:select{types = "U-0"}:average()',
     lambda s: s.select(types="U-0").average()),
    ("type typo in a table", 'src:select{types = {["U-O"] = 3, ["U-UU"] = 4}}:average()',
     lambda s: s.select(types={"U-O": 3, "U-UU": 4}).average()),
    ("type twice", 'src:select{types = {"U-O", "U-O"}}',
     lambda s: s.select(types=["U-O", "U-O"])),
    ("negative limit", 'src:select{types = {["U-O"] = -1}}',
     lambda s: s.select(types={"U-O": -1})),
    ("empty types", 'src:select{types = {}}',
     lambda s: s.select(types=[])),
    ("element typo", 'src:select{elements = "U-Q"}:average()',
     lambda s: s.select(elements="U-Q").average()),
    ("nothing passes", 'src:select{types = "U-O", reff = 1.0}:average()',
     lambda s: s.select(types="U-O", reff=1.0).average()),
    ("no frame", 'src:select{frames = {700, 800}}:average()',
     lambda s: s.select(frames=(700, 800)).average()),
    ("empty range", 'src:select{frames = {520, 500}}',
     lambda s: s.select(frames=(520, 500))),
    ("fractional frame", 'src:select{frames = 500.5}',
     lambda s: s.select(frames=500.5)),
    ("empty atoms", 'src:select{atoms = {}}',
     lambda s: s.select(atoms=[])),
    ("bad absorber", 'src:select{absorber = "Xx"}',
     lambda s: s.select(absorber="Xx")),
    ("bad empty rule", 'src:select{empty = "none"}',
     lambda s: s.select(empty="none")),
    ("unknown parameter", 'src:select{params = {sgima2 = 0.1}}',
     lambda s: s.select(params={"sgima2": 0.1})),
    ("parameter type typo", 'src:select{params = {sigma2 = {["U-Q"] = 0.1}}}:average()',
     lambda s: s.select(params={"sigma2": {"U-Q": 0.1}}).average()),
    ("parameter twice", 'src:select{params = {c3 = 0.1, third = 0.1}}',
     lambda s: s.select(params={"c3": 0.1, "third": 0.1})),
    ("infinite parameter", 'src:select{params = {sigma2 = math.huge}}',
     lambda s: s.select(params={"sigma2": math.inf})),
    ("negative degeneracy", 'src:select{params = {degen = -1}}',
     lambda s: s.select(params={"degen": -1})),
    ("huge frame", 'src:select{frames = math.maxinteger}',
     lambda s: s.select(frames=2**63 - 1)),
    ("huge nleg", 'src:select{nleg = {2^60, false}}',
     lambda s: s.select(nleg=(2**60, None))),
    ("infinite atom", 'src:select{atoms = math.huge}',
     lambda s: s.select(atoms=math.inf)),
    ("empty parameter table", 'src:select{params = {sigma2 = {}}}',
     lambda s: s.select(params={"sigma2": {}})),
    ("kw and kweight", 'src:select{types = "U-O"}:average():xftf{kw = 2, kweight = 3}',
     lambda s: s.select(types="U-O").average().xftf(kw=2, kweight=3)),
    ("failed option", 'mdx.source(arg[1], {failed = "skipp"})',
     lambda s: mdexafs.source(s.path, failed="skipp")),
    ("where returns a number", 'src:select{where = function(p) return 1 end}:average()',
     lambda s: s.select(where=lambda p: 1).average()),
    ("folders returns nothing", 'src:select{folders = function(f) end}:average()',
     lambda s: s.select(folders=lambda f: None).average()),
    ("build flag", 'mdx.source(arg[1], {build = "no"})',
     lambda s: mdexafs.source(s.path, build="no")),
    ("NaN limit", 'src:select{types = {["U-O"] = 0/0}}',
     lambda s: s.select(types={"U-O": math.nan})),
    ("NaN parameter", 'src:select{params = {sigma2 = 0/0}}',
     lambda s: s.select(params={"sigma2": math.nan})),
    ("chidat key", 'src:chidat{types = "U-O"}',
     lambda s: s.chidat(types="U-O")),
    ("xftf option", 'src:select{types = "U-O"}:average():xftf{kwieght = 2}',
     lambda s: s.select(types="U-O").average().xftf(kwieght=2)),
    ("xftf window", 'src:select{types = "U-O"}:average():xftf{window = "square"}',
     lambda s: s.select(types="U-O").average().xftf(window="square")),
    ("write sem flag", 'src:select{types = "U-O"}:average():write("/nowhere/x.dat", {sem = "no"})',
     lambda s: s.select(types="U-O").average().write("/nowhere/x.dat", sem="no")),
    ("write sem number", 'src:select{types = "U-O"}:average():write("/nowhere/x.dat", {sem = 1})',
     lambda s: s.select(types="U-O").average().write("/nowhere/x.dat", sem=1)),
    ("a data file as the source", 'mdx.source("%s")' % CHIK,
     lambda s: mdexafs.source(CHIK)),
    ("where returns a numpy number", 'src:select{where = function(p) return 1 end}:average()',
     lambda s: s.select(where=lambda p: __import__("numpy").int64(1)).average()),
]

LUA = r'''
local mdx = require "mdexafs"
local src = assert(mdx.open(arg[1]))
local cases = {
%s
}
for i, f in ipairs(cases) do
  local ok, err = pcall(f)
  print(i, ok and "OK" or (tostring(err):gsub("\n", " ")))
end
'''


def strip_position(msg):
    """Lua's "script.lua:12: " before a message."""
    return re.sub(r"^\S*\.lua:\d+: ", "", msg)


@pytest.fixture(scope="module")
def lua_messages(db, tmp_path_factory):
    calls = ",\n".join("function() return %s end" % lua for _, lua, _ in CASES)
    code, out, err = run_lua(tmp_path_factory.mktemp("lua"), LUA % calls, db)
    assert code == 0, err
    messages = {}
    for line in out.splitlines():
        i, msg = line.split("\t", 1)
        messages[CASES[int(i) - 1][0]] = strip_position(msg)
    assert len(messages) == len(CASES)
    return messages


# Where Lua's message speaks of Lua's values, Python's says the same in
# Python's words: {case: (Lua's message, Python's)}.
IN_PYTHON_WORDS = {
    "empty parameter table": (
        "path parameter 'sigma2' is an empty table",
        "path parameter 'sigma2' is an empty dict"),
    "where returns a number": (
        "select: the where function returned number, not true or false",
        "select: the where function returned int, not True or False"),
    "where returns a numpy number": (
        "select: the where function returned number, not true or false",
        "select: the where function returned int64, not True or False"),
    "folders returns nothing": (
        "select: the folders function returned nil, not true or false",
        "select: the folders function returned NoneType, not True or False"),
    "build flag": (
        "source: 'build' must be true or false, not 'no'",
        "source: 'build' must be True or False, not 'no'"),
    "write sem flag": (
        "write: 'sem' must be true or false, not a string",
        "write: 'sem' must be True or False, not str"),
    "write sem number": (
        "write: 'sem' must be true or false, not a number",
        "write: 'sem' must be True or False, not int"),
}


@pytest.mark.parametrize("name,lua,call", CASES, ids=[c[0] for c in CASES])
def test_same_error_as_lua(db, lua_messages, name, lua, call):
    src = mdexafs.open(db)
    with pytest.raises(mdexafs.Error) as raised:
        call(src)
    lua_msg, want = IN_PYTHON_WORDS.get(name, (lua_messages[name],) * 2)
    assert lua_messages[name] == lua_msg != "OK"
    assert str(raised.value) == want


def test_failed_folders_stop_or_are_left_out_saying_so(failed_db, capsys):
    db, tree = failed_db
    with pytest.raises(mdexafs.Error, match="frame_510/atom_1") as stop:
        mdexafs.open(db).select(types="U-O").average()
    # the library names the remedy, the package says it in Python's words
    assert str(stop.value).endswith('or leave them out (failed="skip")')
    avg = mdexafs.open(db, failed="skip").select(types="U-O").average()
    assert avg.nfolders == 3
    assert "1 failed folder left out" in avg.label
    assert "left out 1 folder that failed to build" in capsys.readouterr().err
    with pytest.raises(mdexafs.Error, match="feff0003.dat"):
        mdexafs.open(tree).select(types="U-O").average()


def test_a_where_that_raises_stops_the_query(db):
    def where(p):
        raise ZeroDivisionError("boom at %d" % p.num)
    with pytest.raises(ZeroDivisionError, match="boom at 1"):
        mdexafs.open(db).select(where=where).average()
    with pytest.raises(AttributeError):
        mdexafs.open(db).select(where=lambda p: p.rmax < 3).average()


def test_a_parameter_function_must_return_a_number(db):
    with pytest.raises(mdexafs.Error, match="path parameter 'sigma2': the "
                       "function returned str, not a number, for path 1"):
        mdexafs.open(db).select(params={"sigma2": lambda p: "0.003"}).average()
    with pytest.raises(mdexafs.Error, match="path parameter 'sigma2' is inf"):
        mdexafs.open(db).select(params={"sigma2": lambda p: math.inf}).average()


@pytest.mark.parametrize("kind", ["int64", "float32", "float64", "int8"])
def test_a_parameter_function_may_return_any_real_number(db, kind):
    import numpy
    src = mdexafs.open(db)
    cast = getattr(numpy, kind)
    want = src.select(types="U-O", params={"s02": 0.5, "degen": 2}).average()
    got = src.select(types="U-O", params={"s02": lambda p: cast(0.5) if "float" in kind
                                          else 0.5,
                                          "degen": lambda p: cast(2)}).average()
    assert (got.chi == want.chi).all()


def test_a_parameter_function_returning_what_is_no_number_is_refused(db):
    import numpy
    for bad, name in ((True, "bool"), (numpy.bool_(True), "bool_"),
                      (1j, "complex"), (None, "NoneType")):
        with pytest.raises(mdexafs.Error, match="path parameter 's02': the "
                           "function returned %s, not a number" % name):
            mdexafs.open(db).select(params={"s02": lambda p, b=bad: b}
                                    ).average()


def test_a_closed_source_is_refused(db):
    src = mdexafs.open(db)
    sel = src.select(types="U-O")
    src.close()
    with pytest.raises(mdexafs.Error, match="source is closed"):
        sel.average()


def test_missing_and_damaged_files(tmp_path):
    with pytest.raises(mdexafs.Error, match="nowhere.db"):
        mdexafs.open(tmp_path / "nowhere.db")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database" * 100)
    with pytest.raises(mdexafs.Error, match="junk.db"):
        mdexafs.open(junk)
    with pytest.raises(mdexafs.Error, match="and no tree was given"):
        mdexafs.source(db=junk)


def test_threads_share_a_source(db):
    """Two threads asking one source take turns: the same numbers as one
    thread, no crash, no mixed-up sums."""
    import threading
    src = mdexafs.open(db)
    want = {t: src.select(types=t).average() for t in ("U-O", "U-U")}
    bad = []

    def work(t):
        for _ in range(5):
            got = src.select(types=t).average()
            if not (got.nfolders == 4 and got.npaths == want[t].npaths
                    and (got.chi == want[t].chi).all()):
                bad.append(t)
    threads = [threading.Thread(target=work, args=(t,))
               for t in ("U-O", "U-U", "U-O", "U-U")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert bad == []


@pytest.mark.parametrize("hook", ["where", "folders", "params"])
def test_closing_a_source_from_its_own_query_is_refused(db, hook):
    src = mdexafs.open(db)

    def close(_):
        src.close()
        return True
    criteria = {"params": {"sigma2": close}} if hook == "params" \
        else {hook: close}
    with pytest.raises(mdexafs.Error, match="a query of this source is "
                       "running; close it after"):
        src.select(**criteria).average()
    assert src.select(types="U-O").average().npaths > 0  # still open
    src.close()


def test_one_folder_has_no_standard_error(db, tmp_path):
    avg = mdexafs.open(db).select(frames=500, atoms=0, types="U-O").average()
    assert avg.nfolders == 1 and avg.sem is None
    with pytest.raises(mdexafs.Error, match="no standard error"):
        avg.write(tmp_path / "one.dat", sem=True)
    two = mdexafs.open(db).select(frames=500, types="U-O").average()
    assert two.nfolders == 2 and (two.sem > 0).any()


def test_write_refuses_arrays_that_are_not_a_curve(db, tmp_path):
    avg = mdexafs.open(db).select(types="U-O").average()
    avg.chi = avg.chi * 1j
    with pytest.raises(mdexafs.Error, match="chi must be a one-dimensional "
                       "array of real numbers"):
        avg.write(tmp_path / "c.dat")
    avg = mdexafs.open(db).select(types="U-O").average()
    avg.k = avg.k[::-1]
    with pytest.raises(mdexafs.Error, match="write: k must increase"):
        avg.write(tmp_path / "k.dat")
    with pytest.raises(mdexafs.Error, match="xftf: k must increase"):
        avg.xftf(kweight=2)
    assert not (tmp_path / "c.dat").exists() and not (tmp_path / "k.dat").exists()


def test_flags_are_booleans(db):
    with pytest.raises(mdexafs.Error, match="'quiet' must be True or False"):
        mdexafs.source(db, quiet="false")


def test_errors_say_their_kind_code_file_and_line(tmp_path, db):
    """UsageError for arguments, DataError for content (with the file and
    line at fault), FileError for what cannot be opened; all are Error."""
    with pytest.raises(mdexafs.UsageError) as e:
        mdexafs.source(db, verify="all")
    assert e.value.code == "arg" and isinstance(e.value, mdexafs.Error)
    with pytest.raises(mdexafs.UsageError) as e:
        mdexafs.open(db).select(types="U-0").average()  # the core's check
    assert e.value.code == "arg"
    tree = tmp_path / "tree"
    shutil.copytree(os.path.join(DATA, "uo2_feff85", "frame_500"),
                    tree / "frame_500")
    bad = tree / "frame_500" / "atom_0" / "feff0003.dat"
    lines = bad.read_text().splitlines(True)
    lines[40] = " 1.000 not numbers here\n"
    bad.write_text("".join(lines))
    with pytest.raises(mdexafs.DataError) as e:
        mdexafs.open(tree).select().average()
    assert e.value.code == "format"
    assert e.value.file == str(bad) and e.value.line == 41
    assert str(e.value).startswith("%s:41: " % bad)
    missing = tmp_path / "none" / "chi.db"
    with pytest.raises(mdexafs.FileError) as e:
        mdexafs.open(missing)
    assert e.value.code == "io" and e.value.file == str(missing)


def test_import_star_leaves_the_builtin_open_alone():
    scope = {}
    exec("from mdexafs import *", scope)
    assert "open" not in scope and "Error" in scope
    assert mdexafs.open is not open
