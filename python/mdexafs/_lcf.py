"""mdexafs.lcf: measured chi(k) as a mixture of components, as
xraylarch's lincombo_fit, through the C mdx_lcf (mdexafs/lcf.h), as the
Lua API's mdx.lcf."""
from __future__ import annotations

import math
from ctypes import (POINTER, Structure, byref, c_char, c_double, c_int,
                    c_size_t)
from typing import Any, List, Sequence

import numpy

from ._criteria import is_number
from ._lib import (UsageError, array, bind, check, doubles, lib, mdx_error,
                   string)
from ._result import Result

LCF_MAX = 32  # MDX_LCF_MAX


class mdx_lcf_options(Structure):
    _fields_ = [("kmin", c_double), ("kmax", c_double),
                ("kweight", c_double), ("sum_to_one", c_int),
                ("vary_e0", c_int)]


class mdx_lcf_result(Structure):
    _fields_ = [("ncomps", c_size_t), ("fraction", c_double * LCF_MAX),
                ("fraction_err", c_double * LCF_MAX),
                ("e0", c_double * LCF_MAX), ("e0_err", c_double * LCF_MAX),
                ("ndata", c_size_t), ("nvarys", c_size_t),
                ("chi_square", c_double), ("chi2_reduced", c_double),
                ("rfactor", c_double), ("errorbars", c_int),
                ("status", c_int), ("message", c_char * 160),
                ("n", c_size_t), ("k", POINTER(c_double)),
                ("fit", POINTER(c_double))]


bind({
    "mdx_lcf_defaults": (mdx_lcf_options, []),
    "mdx_lcf": (c_int, [POINTER(c_double), POINTER(c_double), c_size_t,
                        POINTER(c_double), c_size_t,
                        POINTER(POINTER(c_double)), c_size_t,
                        POINTER(mdx_lcf_options), POINTER(mdx_lcf_result),
                        POINTER(mdx_error)]),
    "mdx_lcf_result_free": (None, [POINTER(mdx_lcf_result)]),
})


class LcfResult:
    """What lcf found: fractions, stderr, e0, e0_stderr (lists in the
    components' order), chi_square, chi2_reduced, rfactor, ndata, nvarys,
    errorbars, success, message, and fit (the mixture's chi(k) on the
    data's k in the range)."""

    fractions: List[float]
    stderr: List[float]
    e0: List[float]
    e0_stderr: List[float]
    chi_square: float
    chi2_reduced: float
    rfactor: float
    ndata: int
    nvarys: int
    errorbars: bool
    success: bool
    message: str
    fit: Result

    def __repr__(self) -> str:
        return "<mdexafs lcf: fractions %s, R-factor %.4g>" % (
            ", ".join("%.4g" % f for f in self.fractions), self.rfactor)


def _chik(r: Any, what: str) -> Any:
    if not isinstance(r, Result) or r.k_weight != 0:
        raise UsageError("lcf: %s must be chi(k), as an average or "
                         "mdexafs.read_chi gives it%s" % (
                             what, ", not k-weighted"
                             if isinstance(r, Result) else ""))
    return r


def lcf(data: Result, components: Sequence[Result], kmin: float = 3,
        kmax: float = 12, kweight: float = 2, sum_to_one: bool = True,
        vary_e0: bool = False) -> LcfResult:
    """Fit k^kweight chi(k) of data between kmin and kmax as the mixture
    sum f_i c_i of the components (chi(k) Results on one k grid), f_i >= 0
    summing to one (sum_to_one) or free, with an E0 shift per component
    if vary_e0, as xraylarch's lincombo_fit. Returns an LcfResult."""
    _chik(data, "data")
    comps = list(components) if isinstance(components, (list, tuple)) \
        else None
    if comps is None or not 2 <= len(comps) <= LCF_MAX:
        raise UsageError("lcf: give 2 to %d components, not %s" % (
            LCF_MAX, len(comps) if comps is not None else "a %s"
            % type(components).__name__))
    for i, c in enumerate(comps):
        _chik(c, "component %d" % (i + 1))
        if len(c.k) != len(comps[0].k) or \
                not numpy.array_equal(c.k, comps[0].k):
            raise UsageError(
                "lcf: component %d's k grid (%d points, %g .. %g) is not "
                "component 1's (%d points, %g .. %g)" % (
                    i + 1, len(c.k), c.k[0], c.k[-1], len(comps[0].k),
                    comps[0].k[0], comps[0].k[-1]))
    for name, v in (("kmin", kmin), ("kmax", kmax), ("kweight", kweight)):
        if not is_number(v) or not math.isfinite(v):
            raise UsageError("lcf: %s must be a number" % name)
    o = mdx_lcf_options(float(kmin), float(kmax), float(kweight),
                        int(bool(sum_to_one)), int(bool(vary_e0)))
    k, kp = doubles(data.k)
    chi, cp = doubles(data.chi)
    kc, kcp = doubles(comps[0].k)
    kept = [doubles(c.chi) for c in comps]
    ptrs = (POINTER(c_double) * len(comps))(*[p for _, p in kept])
    r, err = mdx_lcf_result(), mdx_error()
    check(lib.mdx_lcf(kp, cp, len(k), kcp, len(kc), ptrs, len(comps),
                      byref(o), byref(r), byref(err)), err)
    try:
        n = len(comps)
        out = LcfResult()
        out.fractions = list(r.fraction[:n])
        out.stderr = list(r.fraction_err[:n])
        out.e0 = list(r.e0[:n])
        out.e0_stderr = list(r.e0_err[:n])
        for key in ("chi_square", "chi2_reduced", "rfactor", "ndata",
                    "nvarys"):
            setattr(out, key, getattr(r, key))
        out.errorbars = bool(r.errorbars)
        out.success = 1 <= r.status <= 4
        out.message = string(r.message)
        out.fit = Result(array(r.k, r.n), array(r.fit, r.n), nfolders=0,
                         nwith=0, label="linear combination of %d "
                         "components fitted to %s" % (n, data.label))
        return out
    finally:
        lib.mdx_lcf_result_free(byref(r))
