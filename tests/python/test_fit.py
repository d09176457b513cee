"""mdexafs.fit against xraylarch's feffit (tests/data/goldens/fit, made by
tests/tools/larch_feffit.py, as the Lua spec checks mdx.fit), against the
Lua API's fit of the same data, and its model against the average with
the best values; then bad input, with the Lua API's messages."""
import os
import re

import numpy
import pytest

import mdexafs
from conftest import DATA, TREE, run_lua

GOLDENS = os.path.join(DATA, "goldens", "fit")


def golden(case):
    g = {}
    with open(os.path.join(GOLDENS, case + ".txt")) as f:
        for line in f:
            key, *values = line.split()
            g[key] = float(values[0]) if len(values) == 1 else \
                [float(v) for v in values]
    return g


def chik(name):
    """A .chik of the goldens (k chi columns) as a Result."""
    k, chi = numpy.loadtxt(os.path.join(GOLDENS, name), ndmin=2).T[:2]
    return mdexafs.Result(k, chi, label=name)


def rel(a, b):
    return abs(a - b) / abs(b)


def agrees(fit, g):
    """The Lua spec's tolerances: best values within 2e-5 relative or
    1e-7 absolute, uncertainties and correlations within 1e-3,
    statistics within 1e-6."""
    for n in fit.names:
        v, want = fit.values[n], g["value_" + n]
        assert rel(v, want) <= 2e-5 or abs(v - want) <= 1e-7, n
        assert rel(fit.stderr[n], g["stderr_" + n]) <= 1e-3, n
        for m in fit.names:
            c = g.get("correl_%s_%s" % (n, m))
            if c is not None:
                assert rel(fit.correl[n][m], c) <= 1e-3, (n, m)
                assert fit.correl[n][m] == fit.correl[m][n]
    for key, gkey in (("n_idp", "n_independent"), ("chi_square", "chi_square"),
                      ("chi2_reduced", "chi2_reduced"), ("rfactor", "rfactor"),
                      ("aic", "aic"), ("bic", "bic")):
        assert rel(getattr(fit, key), g[gkey]) <= 1e-6, key
    assert fit.ndata == g["ndata"]
    eps = fit.epsilon_k if isinstance(fit.epsilon_k, list) else [fit.epsilon_k]
    want = g["epsilon_k"] if isinstance(g["epsilon_k"], list) \
        else [g["epsilon_k"]]
    assert len(eps) == len(want)
    assert all(rel(e, w) <= 1e-6 for e, w in zip(eps, want))


def single(src, space, kweight):
    return mdexafs.fit(
        chik("single.chik"),
        src.select(frames=(500, 500), atoms=[0], where=lambda p: p.num == 1),
        {"amp": 1.0, "de0": 0.0, "ss2": 0.003, "dr": 0.0},
        lambda p, v: {"s02": v.amp, "e0": v.de0, "sigma2": v.ss2,
                      "deltar": v.dr},
        dict(kmin=3, kmax=14, kweight=kweight, dk=1, window="hanning",
             rmin=1.2, rmax=2.6, fitspace=space))


ENSEMBLE_TRANSFORM = dict(kmin=3, kmax=13, kweight=2, dk=2, window="kaiser",
                          rmin=1.4, rmax=4.2)


def ensemble(src):
    return mdexafs.fit(
        chik("ensemble.chik"), src.select(reff=4.0),
        {"amp": 1.0, "e0": {"value": 0.0, "min": -10, "max": 10},
         "ss2": 0.003},
        lambda p, v: {"s02": v.amp, "e0": v.e0, "sigma2": v.ss2},
        ENSEMBLE_TRANSFORM)


@pytest.mark.parametrize("case,space,kweight", [
    ("single_r", "r", 2), ("single_k", "k", 2), ("single_q", "q", 2),
    ("single_w", "w", 2),
    ("single_kw123", "r", [1, 2, 3])])
def test_one_path_agrees_with_feffit(case, space, kweight):
    agrees(single(mdexafs.open(TREE), space, kweight), golden(case))


def test_two_data_sets_agree_with_feffit():
    """A temperature series of the single path: amp, de0 and dr shared,
    ss2_1 and ss2_2 one per data set, told apart by params' d."""
    src = mdexafs.open(TREE)

    def one(i, kmax, kweight):
        return {"data": chik("two_set%d.chik" % i),
                "model": src.select(frames=(500, 500), atoms=[0],
                                    where=lambda p: p.num == 1),
                "transform": dict(kmin=3, kmax=kmax, kweight=kweight, dk=1,
                                  window="hanning", rmin=1.2, rmax=2.6)}
    fit = mdexafs.fit(
        datasets=[one(1, 14, 2), one(2, 12, 3)],
        vars={"amp": 1.0, "de0": 0.0, "dr": 0.0, "ss2_1": 0.003,
              "ss2_2": 0.003},
        params=lambda p, v, d: {"s02": v.amp, "e0": v.de0, "deltar": v.dr,
                                "sigma2": v["ss2_%d" % d]})
    g = golden("two_sets")
    fit.epsilon_k = fit.datasets[0].epsilon_k  # the golden's is set 1's
    agrees(fit, g)
    for i, d in enumerate(fit.datasets, 1):
        assert rel(d.epsilon_k, g["epsilon_k_%d" % i]) <= 1e-6
        assert rel(d.n_idp, g["n_idp_%d" % i]) <= 1e-12
    assert "[[Datasets (2)]]" in str(fit)
    with pytest.raises(mdexafs.UsageError, match="^fit: give data in each "
                       "of the datasets, not beside them$"):
        mdexafs.fit(chik("two_set1.chik"), datasets=[], vars={"a": 1},
                    params=lambda p, v, d: {})


def test_the_md_average_agrees_with_feffit(db):
    fit = ensemble(mdexafs.open(db))
    agrees(fit, golden("ensemble_r"))
    assert fit.success and fit.errorbars
    assert "[[Correlations]]" in str(fit)
    # the model at the best values is the average with those parameters
    v = fit.values
    avg = mdexafs.open(db).select(reff=4.0, params={
        "s02": v["amp"], "e0": v["e0"], "sigma2": v["ss2"]}).average()
    n = len(fit.model)
    assert numpy.max(numpy.abs(fit.model.chi - avg.chi[:n])) <= 1e-12
    assert fit.model.npaths == avg.npaths and fit.model.nfolders == 4
    assert numpy.array_equal(fit.model.k, avg.k[:n])


LUA_FIT = r'''
local mdx = require "mdexafs"
local src = assert(mdx.open(arg[1]))
local fit = mdx.fit {
  data = assert(mdx.read_chi(arg[2])),
  model = { src:select { types = { ["U-O"] = 3.0 } },
            src:select { types = { ["U-U"] = 4.5 } } },
  vars = { amp = 1.0, e0 = { 0.0, min = -10, max = 10 }, ss2 = 0.003 },
  params = function(p, v)
    return { s02 = v.amp, e0 = v.e0, sigma2 = p.nleg == 2 and v.ss2 or 0.006 }
  end,
  transform = { kmin = 3, kmax = 13, kweight = { 2, 3 }, dk = 2,
                window = "kaiser", rmin = 1.4, rmax = 4.2 },
}
print(fit.report)
for _, n in ipairs(fit.names) do
  print(n, ("%a"):format(fit.values[n]), ("%a"):format(fit.stderr[n]))
end
'''


NUMBER = re.compile(r"-?\d+\.?\d*(?:e[-+]\d+)?")


def same_text(got, want, tolerance):
    """The same text but for numbers, which agree within tolerance
    (relative, or absolute near zero)."""
    assert NUMBER.sub("#", got) == NUMBER.sub("#", want)
    for a, b in zip(NUMBER.findall(got), NUMBER.findall(want), strict=True):
        a, b = float(a), float(b)
        assert abs(a - b) <= tolerance * max(abs(b), 1e-3), (a, b)


def test_the_same_fit_as_lua(db, tmp_path):
    """A model of two selections and two k-weights: the values agree with
    the Lua API's to 1e-7 (the two sum the same paths in another order,
    and the finite-difference Jacobian carries the last bits' difference
    a little further), and the report is the same text."""
    chik_file = os.path.join(GOLDENS, "ensemble.chik")
    code, out, err = run_lua(tmp_path, LUA_FIT, db, chik_file)
    assert code == 0, err
    src = mdexafs.open(db)
    fit = mdexafs.fit(
        chik("ensemble.chik"),
        [src.select(types={"U-O": 3.0}), src.select(types={"U-U": 4.5})],
        {"amp": 1.0, "e0": {"value": 0.0, "min": -10, "max": 10},
         "ss2": 0.003},
        lambda p, v: {"s02": v.amp, "e0": v.e0,
                      "sigma2": v.ss2 if p.nleg == 2 else 0.006},
        dict(ENSEMBLE_TRANSFORM, kweight=[2, 3]))
    lines = out.splitlines()
    for line in lines[-3:]:
        name, value, stderr = line.split("\t")
        assert rel(fit.values[name], float.fromhex(value)) < 1e-7, name
        assert rel(fit.stderr[name], float.fromhex(stderr)) < 1e-6, name
    report = str(fit).replace("ensemble.chik", chik_file)
    same_text(report, "\n".join(lines[:-3]), 1e-6)
    assert isinstance(fit.epsilon_k, list) and len(fit.epsilon_k) == 2


# (Lua's fit options, Python's call on src and data, and Python's message
# where Lua's speaks of Lua's values): the same mistake in each.
def py_fit(src, chi, **kw):
    args = dict(data=chi, model=src.select(types={"U-O": 3.0}),
                vars={"a": 1.0}, params=lambda p, v: {"s02": v.a},
                transform={"kmin": 3, "kmax": 14})
    args.update(kw)
    return mdexafs.fit(**args)


MISTAKES = [
    ("data = 1", lambda s, d: py_fit(s, d, data=1),
     "fit: data must be chi(k), as mdexafs.read_chi(file) gives it, not int"),
    ("data = data:kweight(2)", lambda s, d: py_fit(s, d, data=d.kweight(2)),
     None),
    ("vars = {}", lambda s, d: py_fit(s, d, vars={}), None),
    ("vars = {[('x'):rep(32)] = 1}",
     lambda s, d: py_fit(s, d, vars={"x" * 32: 1}), None),
    ("vars = {a = {1, mn = 0}}",
     lambda s, d: py_fit(s, d, vars={"a": {"value": 1, "mn": 0}}),
     "fit: variable 'a': unknown key 'mn' (known: value min max)"),
    ("vars = {a = {1, min = 2}}",
     lambda s, d: py_fit(s, d, vars={"a": {"value": 1, "min": 2}}), None),
    ("params = 1", lambda s, d: py_fit(s, d, params=1),
     "fit: params must be a function (p, v) returning the path parameters "
     "of path p for the variables' values v, not int"),
    ("model = {}", lambda s, d: py_fit(s, d, model=[]), None),
    ("model = src:select{where = function() return false end}",
     lambda s, d: py_fit(s, d, model=s.select(where=lambda p: False)), None),
    ("model = src:select{params = {s02 = 0.9}}",
     lambda s, d: py_fit(s, d, model=s.select(params={"s02": 0.9})), None),
    ("params = function(p, v) return {s02 = v.b} end",
     lambda s, d: py_fit(s, d, params=lambda p, v: {"s02": v.b}), None),
    ("params = function(p, v) v.a = 2 return {} end",
     lambda s, d: py_fit(s, d, params=lambda p, v: setattr(v, "a", 2)), None),
    ("params = function(p, v) return 1 end",
     lambda s, d: py_fit(s, d, params=lambda p, v: 1),
     "fit: params returned int, not a dict (path 1, U-O, of frame_500/atom_0)"),
    ("params = function(p, v) return {sgima2 = 1} end",
     lambda s, d: py_fit(s, d, params=lambda p, v: {"sgima2": 1}), None),
    ("params = function(p, v) return {sigma2 = 1/0} end",
     lambda s, d: py_fit(s, d, params=lambda p, v: {"sigma2": float("inf")}),
     None),
    ("transform = {kmn = 3}",
     lambda s, d: py_fit(s, d, transform={"kmn": 3}), None),
    ("transform = {kweight = 11}",
     lambda s, d: py_fit(s, d, transform={"kweight": 11}), None),
    ("transform = {fitspace = 'x'}",
     lambda s, d: py_fit(s, d, transform={"fitspace": "x"}), None),
    ("transform = {window = 'square'}",
     lambda s, d: py_fit(s, d, transform={"window": "square"}), None),
    ("transform = {dk2 = 0/0}",
     lambda s, d: py_fit(s, d, transform={"dk2": float("nan")}), None),
    ("transform = {kmin = 'x'}",
     lambda s, d: py_fit(s, d, transform={"kmin": "x"}),
     "fit: transform: 'kmin' must be a number, not str"),
]

LUA_MISTAKES = r'''
local mdx = require "mdexafs"
local src = assert(mdx.open(arg[1]))
local data = assert(mdx.read_chi(arg[2]))
for _, case in ipairs { %s } do
  local options = { data = data, model = src:select { types = { ["U-O"] = 3.0 } },
                    vars = { a = 1.0 }, params = function(p, v) return { s02 = v.a } end,
                    transform = { kmin = 3, kmax = 14 } }
  for k, v in pairs(assert(load("local src, data = ... return {" .. case .. "}", "=case"))(src, data)) do
    options[k] = v
  end
  local ok, msg = pcall(mdx.fit, options)
  print(ok and "OK" or (tostring(msg):gsub("\n", " "):gsub("case:%%d+: ", "")))
end
'''


def test_the_same_mistakes_as_lua(db, tmp_path):
    chik_file = os.path.join(GOLDENS, "single.chik")
    code, out, err = run_lua(tmp_path, LUA_MISTAKES % ", ".join(
        "%r" % lua for lua, _, _ in MISTAKES), db, chik_file)
    assert code == 0, err
    src = mdexafs.open(db)
    data = chik("single.chik")
    data.label = chik_file
    for (lua, call, python_words), msg in zip(MISTAKES, out.splitlines(),
                                              strict=True):
        assert msg != "OK", lua
        with pytest.raises(mdexafs.Error) as e:
            call(src, data)
        assert str(e.value) == (python_words or msg), lua
