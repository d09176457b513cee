"""Statistics of an ensemble, as the Lua API gives them and computed by
the library (mdx_query_stats, mdx_query_histogram, mdx_query_spread,
mdx_chi_distance): the reff moments of each path type, histograms of
path geometry, each folder's distance from the mean, and the distance
between two results."""
from __future__ import annotations

import ctypes
import math
from typing import TYPE_CHECKING, Any, Dict, List, NamedTuple, Optional

import numpy

from . import _options
from ._criteria import check_keys, is_number
from ._lib import (UsageError, array, check, doubles, error, lib, mdx_error,
                   mdx_path_histogram, mdx_spread, mdx_type_stats, string,
                   text)

if TYPE_CHECKING:
    from ._result import Result
    from ._selection import Selection

BINS_MAX = 100000  # MDX_HISTOGRAM_BINS_MAX


class Moments(NamedTuple):
    """Weighted moments: n values of total weight, their mean, variance
    (the MD sigma^2), third cumulant c3, min and max."""
    n: int
    weight: float
    mean: float
    variance: float
    c3: float
    min: float
    max: float


class Histogram(NamedTuple):
    """The weights (degeneracies) of a selection's values in equal bins:
    x the bins' centres, counts, density (counts over weight and bin
    width), the weight outside lo .. hi, what was binned (of) and the
    moments of all the values."""
    of: str
    x: numpy.ndarray
    counts: numpy.ndarray
    density: numpy.ndarray
    outside: float
    lo: float
    hi: float
    moments: Moments


class SpreadRow(NamedTuple):
    """One folder's distance from the ensemble mean."""
    frame: int
    atom: int
    dir: str
    npaths: int
    distance: float
    flagged: bool


class Spread(List[SpreadRow]):
    """The folders, farthest from the mean first; threshold is the
    distance beyond which a folder is flagged."""
    threshold: float = math.nan


def _moments(m) -> Moments:
    return Moments(m.n, m.weight, m.mean, m.variance, m.c3, m.min, m.max)


def _distance_options(options: Dict[str, Any], what: str):
    kmin = _options.number(options, what, "kmin", 3.0)
    kmax = _options.number(options, what, "kmax", 12.0)
    kweight = _options.number(options, what, "kweight", 2.0)
    return kmin, kmax, kweight


def stats(sel: "Selection") -> Dict[str, Moments]:
    """{type: Moments} of reff over the selected paths of each type, each
    path weighted by its degeneracy."""
    s = mdx_type_stats()
    sel._run(lib.mdx_query_stats, ctypes.byref(s))
    try:
        return {string(s.types[i]): _moments(s.moments[i])
                for i in range(s.n)}
    finally:
        lib.mdx_type_stats_free(ctypes.byref(s))


def histogram(sel: "Selection", of: str = "reff", bins: int = 40,
              range: Optional[Any] = None) -> Histogram:  # noqa: A002
    """The histogram of reff, leg lengths ("legs") or angles at the
    scatterers ("angles") of the selected paths, weighted by degeneracy,
    over range=(lo, hi) (default: the values' own)."""
    err = mdx_error()
    kind = ctypes.c_int()
    if not isinstance(of, str):
        raise UsageError("histogram: 'of' must be a string, not %s"
                         % type(of).__name__)
    check(lib.mdx_histogram_of_parse(text(of), ctypes.byref(kind),
                                     ctypes.byref(err)), err)
    if isinstance(bins, bool) or not is_number(bins) or \
            not 1 <= bins <= BINS_MAX or bins != math.floor(bins):
        raise UsageError("histogram: bins must be a whole number 1 .. %d"
                         % BINS_MAX)
    lo = hi = math.nan
    if range is not None:
        if not isinstance(range, (tuple, list)) or len(range) != 2 or \
                not all(is_number(v) for v in range):
            raise UsageError("histogram: range must be (lo, hi)")
        lo, hi = float(range[0]), float(range[1])
    h = mdx_path_histogram()
    sel._run(lib.mdx_query_histogram, kind.value, int(bins), lo, hi,
             ctypes.byref(h))
    try:
        return Histogram(string(lib.mdx_histogram_of_name(h.of)),
                         array(h.x, h.nbins), array(h.counts, h.nbins),
                         array(h.density, h.nbins), h.outside, h.lo, h.hi,
                         _moments(h.moments))
    finally:
        lib.mdx_path_histogram_free(ctypes.byref(h))


def spread(sel: "Selection", **options: Any) -> Spread:
    """Each admitted folder's sum against the selection's average, as
    sum (k^w (chi - mean))^2 / sum (k^w mean)^2 over kmin .. kmax
    (defaults 3, 12, k^2), farthest first; flagged beyond threshold
    (default: 4 times the median distance)."""
    check_keys(options, ("kmin", "kmax", "kweight", "threshold"), "spread",
               "option")
    kmin, kmax, kweight = _distance_options(options, "spread")
    threshold = _options.number(options, "spread", "threshold", math.nan)
    s = mdx_spread()
    sel._run(lib.mdx_query_spread, kmin, kmax, kweight, threshold,
             ctypes.byref(s))
    try:
        out = Spread(SpreadRow(r.frame, r.atom, string(r.dir), r.npaths,
                               r.distance, bool(r.flagged))
                     for r in (s.rows[i] for i in range(s.n)))
        out.threshold = s.threshold
        return out
    finally:
        lib.mdx_spread_free(ctypes.byref(s))


def distance(a: "Result", b: "Result", **options: Any) -> float:
    """sum (k^w (a - b))^2 / sum (k^w b)^2 over kmin .. kmax (defaults 3,
    12, k^2): how far result a is from result b on the same k grid."""
    check_keys(options, ("kmin", "kmax", "kweight"), "distance", "option")
    kmin, kmax, kweight = _distance_options(options, "distance")
    if len(a.k) != len(b.k) or not numpy.all(  # %.6f files: 0.15
            abs(a.k - b.k) <= 1e-6 * numpy.maximum(1, abs(a.k))):
        raise UsageError("distance: the two results are on different k "
                         "grids")
    if a.k_weight != 0 or b.k_weight != 0:
        raise UsageError("distance: give unweighted chi(k): it weights by "
                         "kweight itself")
    k, kp = doubles(a.k)
    chi, chip = doubles(a.chi)
    ref, refp = doubles(b.chi)
    out, err = ctypes.c_double(), mdx_error()
    rc = lib.mdx_chi_distance(kp, chip, refp, len(k), kmin, kmax, kweight,
                              ctypes.byref(out), ctypes.byref(err))
    if rc:
        raise error(rc, err, "distance: ")
    return out.value
