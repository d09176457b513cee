"""mdexafs.reweight: weights of a selection's folders (or of any folders'
chi(k)) that bring their average toward measured chi(k), with
maximum-entropy regularisation toward equal weights, through the C
mdx_reweight (mdexafs/reweight.h), as the Lua API's sel:reweight."""
from __future__ import annotations

import ctypes
from ctypes import POINTER, Structure, byref, c_double, c_int, c_size_t
from typing import Any, List, Mapping, Optional, Sequence, Union

import numpy

from ._fit import _data, _transform, mdx_fit_transform
from ._lib import (NK, UsageError, array, bind, check, lib, mdx_error)
from ._result import Result
from ._selection import Selection, kgrid

SCAN = [10 ** (-3 + 0.5 * i) for i in range(15)]  # theta="scan", as Lua's


class mdx_reweight_result(Structure):
    _fields_ = [("nfolders", c_size_t), ("weights", POINTER(c_double)),
                ("theta", c_double), ("chi2_before", c_double),
                ("chi2_after", c_double), ("n_idp", c_double),
                ("ndata", c_size_t), ("entropy", c_double),
                ("n_eff", c_double), ("nk", c_size_t),
                ("average", POINTER(c_double)), ("sem", POINTER(c_double)),
                ("nscan", c_size_t), ("scan_theta", POINTER(c_double)),
                ("scan_chi2", POINTER(c_double)),
                ("scan_entropy", POINTER(c_double)),
                ("scan_n_eff", POINTER(c_double)),
                ("noise_reached", c_int)]


bind({
    "mdx_reweight": (c_int, [POINTER(c_double), POINTER(c_double), c_size_t,
                             POINTER(mdx_fit_transform), POINTER(c_double),
                             c_size_t, c_size_t, POINTER(c_double), c_size_t,
                             POINTER(mdx_reweight_result),
                             POINTER(mdx_error)]),
    "mdx_reweight_result_free": (None, [POINTER(mdx_reweight_result)]),
})


class Reweighting:
    """What reweight found: theta (the one kept), weights (numpy, one per
    folder), frames and atoms (of a selection's folders), chi2_before,
    chi2_after (feffit's chi-square of the equal and the found weights),
    n_idp, ndata, entropy (relative to equal weights: 0 there), n_eff
    (Kish's effective folders), noise_reached, average (a Result with its
    standard error) and scan (a list of (theta, chi2, entropy, n_eff),
    largest theta first)."""

    theta: float
    weights: numpy.ndarray
    frames: Optional[List[int]]
    atoms: Optional[List[int]]
    chi2_before: float
    chi2_after: float
    n_idp: float
    ndata: int
    entropy: float
    n_eff: float
    noise_reached: bool
    average: Result
    scan: List[tuple]

    def __repr__(self) -> str:
        return ("<mdexafs reweighting: theta %g, chi2 %g -> %g, %.1f "
                "effective of %d folders>" % (
                    self.theta, self.chi2_before, self.chi2_after,
                    self.n_eff, len(self.weights)))


def _thetas(theta: Any) -> List[float]:
    if isinstance(theta, str) and theta == "scan":
        return SCAN
    values = list(theta) if isinstance(theta, (list, tuple)) else [theta]
    if not values or not all(isinstance(v, (int, float)) for v in values):
        raise UsageError("reweight: theta must be a number above 0, a list "
                         "of them, or \"scan\"")
    return [float(v) for v in values]


def reweight(data: Result, folders: Union[Selection, Any],
             transform: Optional[Mapping[str, Any]] = None,
             theta: Union[float, Sequence[float], str] = "scan"
             ) -> Reweighting:
    """Weights w >= 0, sum w = 1, of the folders (a Selection: its sums,
    as sel.sums() gives them; or an array of chi(k), one row per folder on
    kgrid()) minimising chi^2 / 2 - theta S(w): chi^2 feffit's of the
    weighted average against data (chi(k)) with transform (mdexafs.fit's
    options), S the relative entropy to equal weights. theta: a number
    (inf: equal weights), a list to scan (the largest whose chi-square
    reaches n_idp is kept), or "scan" (10^-3 .. 10^4)."""
    k, chi = _data(data, "reweight")
    t = _transform(transform)
    thetas = _thetas(theta)
    frames = atoms = None
    if isinstance(folders, Selection):
        sums = folders.sums()
        frames = [r.frame for r in sums]
        atoms = [r.atom for r in sums]
        matrix = numpy.array([r.chi for r in sums], dtype=numpy.float64)
        label = folders.label
    else:
        matrix = numpy.asarray(folders, dtype=numpy.float64)
        label = "%d folders" % len(matrix)
    if matrix.ndim != 2 or matrix.shape[1] != NK:
        raise UsageError("reweight: folders must be a Selection or an array "
                         "of %d-point chi(k), one row per folder" % NK)
    matrix = numpy.ascontiguousarray(matrix)
    dp = ctypes.POINTER(c_double)
    r, err = mdx_reweight_result(), mdx_error()
    check(lib.mdx_reweight(k.ctypes.data_as(dp), chi.ctypes.data_as(dp),
                           len(k), byref(t), matrix.ctypes.data_as(dp),
                           matrix.shape[0], NK,
                           (c_double * len(thetas))(*thetas), len(thetas),
                           byref(r), byref(err)), err)
    try:
        out = Reweighting()
        out.weights = array(r.weights, r.nfolders)
        out.frames, out.atoms = frames, atoms
        for key in ("theta", "chi2_before", "chi2_after", "n_idp", "ndata",
                    "entropy", "n_eff"):
            setattr(out, key, getattr(r, key))
        out.noise_reached = bool(r.noise_reached)
        out.scan = [(r.scan_theta[i], r.scan_chi2[i], r.scan_entropy[i],
                     r.scan_n_eff[i]) for i in range(r.nscan)]
        out.average = Result(kgrid(), array(r.average, r.nk),
                             sem=array(r.sem, r.nk), nfolders=r.nfolders,
                             nwith=r.nfolders,
                             label="reweighted average (theta %g, %.1f "
                             "effective of %d folders): %s" % (
                                 r.theta, r.n_eff, r.nfolders, label))
        return out
    finally:
        lib.mdx_reweight_result_free(byref(r))
