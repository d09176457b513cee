"""mdexafs.plot: k-weighted chi(k) and |chi(R)| of one or more results,
overlaid, as a PNG, SVG or PDF: the Lua API's mdx.plot with its options,
defaults and messages, on the panels of mdexafs.figure (mdexafs/plot.h).
|chi(R)| is each result's xftf; sem shades its standard error; window
draws the transform's k window, scaled to the curves."""
from __future__ import annotations

import math
import os
from ctypes import byref
from typing import Any, List, Mapping, Optional, Sequence, Union

import numpy

from . import _options
from ._chir import ftwindow, xft_options
from ._criteria import is_number
from ._figure import mdx_curve, mdx_panel, page
from ._lib import UsageError, check, doubles, lib, mdx_error, string, text
from ._result import Result, _pow
from ._write import curve, real

RESULTS_MAX = 16
PANELS = ("both", "k", "r")


def axis_range(value: Any, key: str,
               default: Sequence[float]) -> Sequence[float]:
    """An axis range (lo, hi), lo < hi, or default when None."""
    if value is None:
        return default
    if not isinstance(value, (list, tuple)) or len(value) != 2 or \
            not all(is_number(v) for v in value) or \
            not value[0] < value[1]:
        raise UsageError("plot: %s must be (lo, hi) with lo < hi" % key)
    return value


class _Curves:
    """The k and R curves of the results, their C arrays kept alive until
    the page is drawn."""

    def __init__(self) -> None:
        self.kept: List[Any] = []
        self.k: List[mdx_curve] = []
        self.r: List[mdx_curve] = []

    def array(self, values: Any) -> Any:
        a, p = doubles(values)
        self.kept.append(a)
        return p

    def add(self, i: int, r: Any, label: Optional[bytes], kweight: float,
            xftf: Mapping[str, Any], want_r: bool, sem: bool) -> None:
        """Result r, the (i+1)th, weighted by k^kweight; its band and its
        |chi(R)| when asked."""
        if not isinstance(r, Result):
            raise UsageError("plot: results must be chi(k) results")
        if r.k_weight != 0:
            raise UsageError("plot: results must be unweighted chi(k): the "
                             "plot weights them itself (kweight)")
        (k, _), (chi, _) = curve(r.k, r.chi, "plot", ("k", "chi"))
        w = numpy.array([_pow(x, kweight) for x in k])  # C's pow, as Lua's
        y = w * chi
        bad = numpy.flatnonzero(~numpy.isfinite(y))
        if len(bad):  # a curve must not just stop
            raise UsageError("plot: result %d is not finite at k = %r "
                             "(kweight %r)"
                             % (i + 1, float(k[bad[0]]), kweight))
        c = mdx_curve(len(k), self.array(k), self.array(y), label, None,
                      None)
        if sem and r.sem is None:
            raise UsageError("plot: sem=True, but result %d has no standard "
                             "error (an average has one)" % (i + 1))
        if sem:
            s, _ = real(r.sem, "plot", "sem")
            if len(s) != len(k):
                raise UsageError("plot: k and sem must have the same length")
            bad = numpy.flatnonzero(~(s >= 0) | ~numpy.isfinite(s))
            if len(bad):
                j = bad[0]
                raise UsageError("plot: result %d's standard error is %r at "
                                 "k = %r: not a number >= 0"
                                 % (i + 1, float(s[j]), float(k[j])))
            c.lo, c.hi = self.array(w * (chi - s)), self.array(w * (chi + s))
        self.k.append(c)
        if want_r:
            ft = r.xftf(**xftf)
            self.r.append(mdx_curve(len(ft.r), self.array(ft.r),
                                    self.array(ft.chir_mag), label, None,
                                    None))

    def window(self, o: Any) -> None:
        """The transform's k window on the first result's grid, scaled to
        the largest |y| of the k curves, its range in the legend."""
        first = self.k[0]
        k = numpy.ctypeslib.as_array(first.x, (first.n,))
        top = max(float(numpy.max(numpy.abs(
            numpy.ctypeslib.as_array(c.y, (c.n,))))) for c in self.k)
        dk2 = o.dk if math.isnan(o.dk2) else o.dk2
        win = ftwindow(k, o.kmin, o.kmax, o.dk, dk2, o.window) * top
        label = "%s window %g-%g Å#u-1#d" % (
            string(lib.mdx_window_name(o.window)), o.kmin, o.kmax)
        self.k.append(mdx_curve(first.n, first.x, self.array(win),
                                text(label), None, None))

    def panel(self, which: str, **fields: Any) -> mdx_panel:
        curves = (mdx_curve * len(getattr(self, which)))(
            *getattr(self, which))
        self.kept.append(curves)
        return mdx_panel(ncurves=len(curves), curves=curves, **fields)


def plot(file: Union[str, os.PathLike], results: Sequence[Result],
         labels: Optional[Sequence[str]] = None, kweight: float = 2,
         panels: str = "both", xftf: Optional[Mapping[str, Any]] = None,
         title: str = "", sem: bool = False,
         krange: Optional[Sequence[float]] = None,
         rrange: Optional[Sequence[float]] = None, window: bool = False,
         size: Optional[Sequence[Union[float, str]]] = None,
         dpi: Optional[float] = None, legend: str = "inside") -> None:
    """Plot k^kweight chi(k) of 1 to 16 results (unweighted chi(k)) and
    their |chi(R)| into `file`, a .png, .svg or .pdf, whole or not at all:
    panels "both" (k above R), "k" or "r"; labels, one per result, in the
    legends; |chi(R)| is each result's xftf(**xftf), whose kweight is the
    plot's unless xftf gives one; title above the first panel; sem=True
    shades each result's standard error in the k panel; window=True draws
    the transform's k window there, scaled to the curves; krange and
    rrange (lo, hi) the axes (default 0 to the first result's last k, 0 to
    xftf's rmax_out); size, dpi and legend as mdexafs.figure's."""
    options = {"panels": panels, "title": title, "kweight": kweight,
               "sem": sem, "window": window}
    which = PANELS[_options.choice(options, "plot", "panels", PANELS, 0)]
    title = _options.string(options, "plot", "title", "")
    kweight = _options.number(options, "plot", "kweight", 2)
    if xftf is None:
        xftf = {}
    if not isinstance(xftf, Mapping):
        raise UsageError("plot: xftf must be a dict of xftf's options, not %s"
                         % type(xftf).__name__)
    xo = xft_options(xftf)
    if "kweight" not in xftf and "kw" not in xftf:
        xftf = dict(xftf, kweight=kweight)
        xo.kweight = kweight
    sem = _options.boolean(options, "plot", "sem", False)
    if not isinstance(results, (list, tuple)):
        raise UsageError("plot: results must be a list of chi(k) results")
    if not 1 <= len(results) <= RESULTS_MAX:
        raise UsageError("plot: give 1 to %d results" % RESULTS_MAX)
    if labels is not None and (
            not isinstance(labels, (list, tuple)) or
            len(labels) != len(results) or
            not all(isinstance(s, str) for s in labels)):
        raise UsageError("plot: labels must be a list of as many names as "
                         "results")
    curves = _Curves()
    for i, r in enumerate(results):
        curves.add(i, r, None if labels is None else text(labels[i]),
                   kweight, xftf, which != "k", sem)
    kmax = curves.k[0].x[curves.k[0].n - 1]
    if _options.boolean(options, "plot", "window", False):
        curves.window(xo)
    krange = axis_range(krange, "krange", (0, kmax))
    rrange = axis_range(rrange, "rrange", (0, xo.rmax_out))
    pg = page({"size": size, "dpi": dpi, "legend": legend}, "plot")
    ps = []
    if which != "r":
        ps.append(curves.panel(
            "k", xlabel=text("k (Å#u-1#d)"),
            ylabel=text("k#u%g#d #gx(k) (Å#u-%g#d)" % (kweight, kweight)),
            title=text(title), xmin=krange[0], xmax=krange[1]))
    if which != "k":
        ps.append(curves.panel(
            "r", xlabel=text("R (Å)"),
            ylabel=text("|#gx(R)| (Å#u-%g#d)" % (xo.kweight + 1)),
            title=text(title if which == "r" else ""), xmin=rrange[0],
            xmax=rrange[1]))
    err = mdx_error()
    check(lib.mdx_plot_page(text(os.fspath(file)), (mdx_panel * len(ps))(*ps),
                            len(ps), byref(pg), byref(err)), err)
