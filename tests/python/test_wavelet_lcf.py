"""Result.wavelet and mdexafs.lcf against the xraylarch goldens the Lua
specs check (goldens/wavelet from tests/tools/larch_wavelet.py,
goldens/lcf from tests/tools/larch_lcf.py), and their mistakes."""
import os

import numpy
import pytest

import mdexafs
from conftest import DATA

WAVELET = os.path.join(DATA, "goldens", "wavelet")
LCF = os.path.join(DATA, "goldens", "lcf")


def golden(path):
    g, points = {}, []
    with open(path) as f:
        for line in f:
            key, *values = line.split()
            if key == "w":
                points.append([float(v) for v in values])
            else:
                g[key] = float(values[0])
    return g, numpy.array(points)


@pytest.mark.parametrize("case,options", [
    ("kw2", dict(kweight=2)), ("kw3", dict(kweight=3, rmax_out=6, nfft=1024))])
def test_the_wavelet_is_larchs(case, options):
    g, points = golden(os.path.join(WAVELET, case + ".txt"))
    data = mdexafs.read_chi(os.path.join(DATA, "goldens", "fit",
                                         "ensemble.chik"))
    w = data.wavelet(**options)
    assert w.wcauchy_mag.shape == (g["nr"], g["nk"])
    assert abs(w.r[-1] - g["r_last"]) <= 1e-12 and w.r[0] == 1e-19
    peak = w.wcauchy_mag.max()
    assert abs(peak - g["peak"]) <= 1e-10 * g["peak"]
    i, j = points[:, 0].astype(int), points[:, 1].astype(int)
    for col, got in ((2, w.wcauchy_re), (3, w.wcauchy_im), (4, w.wcauchy_mag)):
        assert numpy.max(numpy.abs(got[i, j] - points[:, col])) <= \
            1e-10 * g["peak"]
    assert numpy.array_equal(w.wcauchy.real, w.wcauchy_re)


def test_wavelet_mistakes():
    data = mdexafs.read_chi(os.path.join(DATA, "goldens", "fit",
                                         "ensemble.chik"))
    with pytest.raises(mdexafs.UsageError, match="nfft/2 = 256, where larch "
                       "cuts it"):
        data.wavelet(nfft=512)
    with pytest.raises(mdexafs.UsageError, match="power of two"):
        data.wavelet(nfft=1000)


def lcf_golden(case):
    g = {}
    with open(os.path.join(LCF, case + ".txt")) as f:
        for line in f:
            key, value = line.split()
            g[key] = float(value)
    return g


@pytest.mark.parametrize("case,mix,n,sum_to_one", [
    ("two", "mix.chik", 2, True), ("three", "mix3.chik", 3, False)])
def test_lcf_is_larchs(case, mix, n, sum_to_one):
    g = lcf_golden(case)
    comps = [mdexafs.read_chi(os.path.join(LCF, "comp%d.chik" % (i + 1)))
             for i in range(n)]
    r = mdexafs.lcf(mdexafs.read_chi(os.path.join(LCF, mix)), comps,
                    kmin=3, kmax=12, kweight=2, sum_to_one=sum_to_one)
    for i in range(n):
        assert abs(r.fractions[i] - g["weight_%d" % (i + 1)]) <= 1e-7
        assert abs(r.stderr[i] / g["stderr_%d" % (i + 1)] - 1) <= 1e-3
    for key, gkey in (("chi_square", "chisqr"), ("chi2_reduced", "redchi"),
                      ("rfactor", "rfactor")):
        assert abs(getattr(r, key) / g[gkey] - 1) <= 1e-6
    assert (r.ndata, r.nvarys) == (g["ndata"], g["nvarys"])
    assert r.success and r.errorbars and len(r.fit.k) == r.ndata


def test_lcf_mistakes():
    c1 = mdexafs.read_chi(os.path.join(LCF, "comp1.chik"))
    mix = mdexafs.read_chi(os.path.join(LCF, "mix.chik"))
    with pytest.raises(mdexafs.UsageError, match="give 2 to 32 components"):
        mdexafs.lcf(mix, [c1])
    cut = mdexafs.Result(c1.k[:200], c1.chi[:200])
    with pytest.raises(mdexafs.UsageError, match=r"^lcf: component 2's k grid"
                       r" \(200 points, 0 .. 9.95\) is not component 1's "
                       r"\(301 points, 0 .. 15\)$"):
        mdexafs.lcf(mix, [c1, cut])
