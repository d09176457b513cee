"""mdexafs.reweight (the C mdx_reweight) against scipy's SLSQP on the
same objective written out here with numpy: chi^2 / 2 - theta S(w) over
the simplex, chi^2 the k-space residual with a given noise scaled to
n_idp as feffit does. Then synthetic data made from a
known subset of folders, the theta -> inf limit, the Lua API on a real
tree, and bad input."""
import math

import numpy
import pytest
from scipy.optimize import minimize

import mdexafs
from conftest import TREE, run_lua

NOISE = 0.002
KMIN, KMAX, RMIN, RMAX = 3.0, 14.0, 1.0, 3.0
TRANSFORM = dict(kmin=KMIN, kmax=KMAX, rmin=RMIN, rmax=RMAX, kweight=2,
                 fitspace="k", epsilon_k=NOISE)


def ensemble(nfolders=30, subset=8, seed=5, apart=False):
    """Damped sines of random distances (2.2 .. 2.5 Å; apart: the subset
    at 2.24 .. 2.27 Å, the others at 2.32 .. 2.6 Å), amplitudes and
    sigma^2; data the mean of the first `subset` plus noise of NOISE in
    k^2 chi."""
    rng = numpy.random.default_rng(seed)
    k = mdexafs.kgrid()
    r = rng.uniform(2.2, 2.5, nfolders) if not apart else numpy.concatenate(
        [rng.uniform(2.24, 2.27, subset),
         rng.uniform(2.32, 2.6, nfolders - subset)])
    s2 = rng.uniform(0.003, 0.006, nfolders)
    amp = rng.uniform(0.8, 1.2, nfolders)
    with numpy.errstate(divide="ignore", invalid="ignore"):
        folders = numpy.where(k > 0, amp[:, None] * numpy.exp(
            -2 * k * k * s2[:, None]) * numpy.sin(2 * k * r[:, None])
            / (k * r[:, None] ** 2), 0.0)
        noise = numpy.where(k > 0, NOISE * rng.normal(size=len(k)) / k ** 2,
                            0.0)
    data = folders[:subset].mean(axis=0) + noise
    return k, folders, data


def scipy_weights(k, folders, data, theta):
    """The minimum by scipy's SLSQP over the simplex, from L-BFGS-B's
    over w = softmax(z) (SLSQP alone stops at equal weights when theta is
    large): feffit's k-space
    slice int(0.01 + k / 0.05), each point times k^2 / NOISE, all times
    sqrt(n_idp / m)."""
    lo, hi = int(0.01 + KMIN / 0.05), int(0.01 + KMAX / 0.05)
    m = hi - lo
    n_idp = 1 + 2 * (RMAX - RMIN) * (KMAX - KMIN) / math.pi
    scale = math.sqrt(n_idp / m) / NOISE
    a = folders[:, lo:hi] * k[lo:hi] ** 2 * scale     # folders x m
    b = data[lo:hi] * k[lo:hi] ** 2 * scale
    n = len(folders)

    def f(w):
        r = w @ a - b
        logs = numpy.log(n * w)
        return 0.5 * r @ r + theta * (w @ logs), a @ r + theta * (logs + 1)

    def softmax(z):
        w = numpy.exp(z - z.max())
        return w / w.sum()

    def fz(z):  # f of w = softmax(z), for L-BFGS-B's start
        w = softmax(z)
        value, dw = f(w)
        return value, w * (dw - w @ dw)
    start = minimize(fz, numpy.zeros(n), jac=True, method="L-BFGS-B").x
    out = minimize(f, softmax(start), jac=True, method="SLSQP",
                   bounds=[(1e-12, 1)] * n,
                   constraints=[dict(type="eq", fun=lambda w: w.sum() - 1,
                                     jac=lambda w: numpy.ones(n))],
                   options=dict(ftol=1e-16, maxiter=10000))
    assert out.success, out.message
    return out.x, n_idp


@pytest.mark.filterwarnings("ignore:Values in x were outside bounds")
@pytest.mark.parametrize("theta", [0.3, 3.0, 30.0])
def test_the_weights_are_scipys(theta):
    k, folders, data = ensemble()
    got = mdexafs.reweight(mdexafs.Result(k, data), folders, TRANSFORM, theta)
    want, n_idp = scipy_weights(k, folders, data, theta)
    assert got.theta == theta and got.n_idp == pytest.approx(n_idp, 1e-14)
    assert numpy.max(numpy.abs(got.weights - want)) <= 1e-6
    assert got.weights.sum() == pytest.approx(1, abs=1e-12)
    assert numpy.all(got.weights >= 0)
    kish = 1 / numpy.sum(got.weights ** 2)
    assert got.n_eff == pytest.approx(kish, rel=1e-12)
    entropy = -numpy.sum(got.weights * numpy.log(len(folders) * got.weights))
    assert got.entropy == pytest.approx(entropy, rel=1e-9)
    assert numpy.allclose(got.average.chi, got.weights @ folders,
                          rtol=0, atol=1e-14)


def test_the_known_subset_gets_most_of_the_weight():
    k, folders, data = ensemble(nfolders=40, subset=10, seed=9, apart=True)
    got = mdexafs.reweight(mdexafs.Result(k, data), folders, TRANSFORM,
                           "scan")
    assert got.noise_reached
    assert 0.5 * got.n_idp <= got.chi2_after <= got.n_idp
    assert got.chi2_before > 1000 * got.n_idp
    assert got.weights[:10].sum() > 0.95
    assert got.scan[0][0] == 10 ** 4 and len(got.scan) == 15
    # chi-square falls with theta, so does the entropy
    chi2 = [s[1] for s in got.scan]
    assert all(b <= a * (1 + 1e-9) for a, b in zip(chi2, chi2[1:]))


def test_theta_infinite_gives_equal_weights_exactly():
    k, folders, data = ensemble()
    got = mdexafs.reweight(mdexafs.Result(k, data), folders, TRANSFORM,
                           math.inf)
    assert numpy.all(got.weights == 1 / len(folders))
    assert got.entropy == 0 and got.chi2_after == got.chi2_before
    sem = folders.std(axis=0, ddof=1) / math.sqrt(len(folders))
    assert numpy.allclose(got.average.sem, sem, rtol=1e-12, atol=1e-300)


LUA = r'''
local mdx = require "mdexafs"
local src = assert(mdx.open(arg[1]))
local r = src:select { reff = 4.0 }:reweight {
  data = assert(mdx.read_chi(arg[2])), theta = 2,
  transform = { kmin = 3, kmax = 13, kweight = 2, rmin = 1.4, rmax = 4.2 } }
for _, f in ipairs(r.folders) do print(f.frame, f.atom, ("%a"):format(f.weight)) end
print(("%a %a"):format(r.chi2_after, r.average.sem[100]))
'''


def test_lua_and_python_agree_on_a_real_tree(tmp_path):
    import os
    from conftest import DATA
    data = os.path.join(DATA, "goldens", "fit", "ensemble.chik")
    code, out, err = run_lua(tmp_path, LUA, TREE, data)
    assert code == 0, err
    lines = out.split("\n")
    src = mdexafs.open(TREE)
    got = mdexafs.reweight(mdexafs.read_chi(data), src.select(reff=4.0),
                           dict(kmin=3, kmax=13, kweight=2, rmin=1.4,
                                rmax=4.2), 2)
    for i, line in enumerate(lines[:4]):
        frame, atom, w = line.split()
        assert (int(frame), int(atom)) == (got.frames[i], got.atoms[i])
        assert float.fromhex(w) == got.weights[i]
    chi2, sem = lines[4].split()
    assert float.fromhex(chi2) == got.chi2_after
    assert float.fromhex(sem) == got.average.sem[99]


def test_bad_input():
    k, folders, data = ensemble()
    d = mdexafs.Result(k, data)
    with pytest.raises(mdexafs.UsageError, match=r"^reweight: theta 0 must "
                       r"be above 0 \(the entropy's weight; inf: equal "
                       r"weights\)$"):
        mdexafs.reweight(d, folders, TRANSFORM, [1, 0])
    with pytest.raises(mdexafs.UsageError, match="every folder's chi.k. is "
                       "the same in the fit's range"):
        mdexafs.reweight(d, numpy.tile(folders[0], (5, 1)), TRANSFORM, 1)
    with pytest.raises(mdexafs.UsageError, match="one row per folder"):
        mdexafs.reweight(d, folders[:, :200], TRANSFORM, 1)
