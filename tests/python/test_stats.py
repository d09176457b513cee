"""Ensemble statistics from Python against numpy (goldens/stats, made by
tests/tools/numpy_stats.py), from the tree and from a database: reff
cumulants per path type, a histogram, leg lengths and angles of a
multiple-scattering type, each folder's distance from the mean; and the
refusals, with their messages."""
import math
import os

import pytest

import mdexafs
from conftest import DATA, TREE

GOLDENS = os.path.join(DATA, "goldens", "stats")
NAMES = ("n", "weight", "mean", "variance", "c3", "min", "max")


def rows(name):
    with open(os.path.join(GOLDENS, name)) as f:
        return [[float(w) if w[0] in "-.0123456789" else w for w in line.split()]
                for line in f if not line.startswith("#")]


def near(a, b, what):
    assert abs(a - b) <= 1e-10 * max(1, abs(b)), "%s: %r, numpy %r" % (what, a, b)


def same_moments(m, row, what):
    for i, name in enumerate(NAMES):
        near(getattr(m, name), row[i], "%s %s" % (what, name))


@pytest.fixture(params=["tree", "database"])
def src(request, db):
    return mdexafs.open(TREE if request.param == "tree" else db)


def test_reff_cumulants_of_every_type(src):
    stats = src.select().stats()
    for row in rows("reff_moments.txt"):
        same_moments(stats[row[0]], row[1:], row[0])


def test_histogram_of_reff(src):
    h = src.select(types="U-O").histogram(bins=20, range=(2.0, 3.2))
    want = rows("histogram_UO.txt")
    assert h.of == "reff" and len(h.counts) == len(want) == 20
    for i, (centre, weight) in enumerate(want):
        near(h.x[i], centre, "centre %d" % i)
        near(h.counts[i], weight, "bin %d" % i)
    near(h.counts.sum() + h.outside, h.moments.weight, "all weight")
    near(h.density.sum() * (3.2 - 2.0) / 20, h.counts.sum() / h.moments.weight,
         "density")


def test_legs_and_angles_of_a_multiple_scattering_type(src):
    sel = src.select(types="U-O-U")
    for row in rows("geometry_UOU.txt"):
        same_moments(sel.histogram(of=row[0]).moments, row[1:], row[0])


def test_spread_and_distance(src):
    want = {(int(f), int(a)): d for f, a, d in rows("spread_UO.txt")}
    sel = src.select(types={"U-O": 3.0})
    spread = sel.spread(kmin=3, kmax=12)
    assert len(spread) == 4
    for i, f in enumerate(spread):
        near(f.distance, want[f.frame, f.atom], f.dir)
        assert i == 0 or spread[i - 1].distance >= f.distance
        assert f.flagged == (f.distance > spread.threshold)
    mean = sel.average()
    for s in sel.sums():
        near(mdexafs.distance(s, mean, kmin=3, kmax=12), want[s.frame, s.atom],
             "distance")
    strict = sel.spread(threshold=0.1)
    assert [f.flagged for f in strict] == [True, True, False, False]


@pytest.mark.parametrize("call, message", [
    (lambda s: s.histogram(of="angle"),
     "histogram: of must be one of: reff legs angles, not 'angle'"),
    (lambda s: s.histogram(bins=0),
     "histogram: bins must be a whole number 1 .. 100000"),
    (lambda s: s.histogram(bins=2.5),
     "histogram: bins must be a whole number 1 .. 100000"),
    (lambda s: s.histogram(range=(3, 2)),
     "histogram: need at least one bin and lo < hi (40 bins, 3 .. 2)"),
    (lambda s: s.histogram(range=3),
     "histogram: range must be (lo, hi)"),
    (lambda s: s.spread(kmin=12, kmax=3),
     "spread: kmin 12, kmax 3: need 0 <= kmin < kmax <= 20"),
    (lambda s: s.spread(threshold=-1),
     "spread: threshold -1.000000: a distance is never negative"),
    (lambda s: s.spread(kmim=3),
     "spread: unknown option 'kmim' (known: kmin kmax kweight threshold)"),
])
def test_refusals(call, message):
    sel = mdexafs.open(TREE).select(types="U-O")
    with pytest.raises(mdexafs.UsageError) as e:
        call(sel)
    assert str(e.value).startswith(message)


def test_nothing_to_count_and_results_that_do_not_compare():
    src = mdexafs.open(TREE)
    with pytest.raises(mdexafs.Error, match="no folder is in the selection"):
        src.select(frames=(900, 901)).histogram()
    avg = src.select(types="U-O").average()
    with pytest.raises(mdexafs.UsageError, match="unweighted"):
        mdexafs.distance(avg.kweight(2), avg)
    short = mdexafs.Result(avg.k[:10], avg.chi[:10])
    with pytest.raises(mdexafs.UsageError, match="different k grids"):
        mdexafs.distance(short, avg)
    assert math.isfinite(mdexafs.distance(avg, avg * 2))
