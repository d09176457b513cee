"""mdexafs.figure: any curves in stacked panels (averages, fits and their
residuals...) as a PNG, SVG or PDF through PLplot (mdexafs/plot.h), as
the Lua API's mdx.figure, with its page options: size, dpi, legend."""
from __future__ import annotations

import ctypes
import math
import os
from ctypes import (POINTER, Structure, byref, c_char_p, c_double, c_int,
                    c_size_t, c_void_p)
from typing import Any, List, Mapping, Optional, Sequence, Union

import numpy

from . import _options
from ._criteria import check_keys, is_number
from ._lib import UsageError, bind, check, doubles, lib, mdx_error, text

PANELS_MAX, CURVES_MAX = 8, 16
LEGENDS = ("inside", "outside", "none")
FIGURE_KEYS = ("file", "panels", "size", "dpi", "legend")
PANEL_KEYS = ("xlabel", "ylabel", "title", "xrange", "xstep", "curves",
              "map")
CURVE_KEYS = ("x", "y", "label", "lo", "hi")
MAP_KEYS = ("x", "y", "z", "label")


class mdx_curve(Structure):
    _fields_ = [("n", c_size_t), ("x", POINTER(c_double)),
                ("y", POINTER(c_double)), ("label", c_char_p),
                ("lo", POINTER(c_double)), ("hi", POINTER(c_double))]


class mdx_panel(Structure):
    _fields_ = [("xlabel", c_char_p), ("ylabel", c_char_p),
                ("title", c_char_p), ("xmin", c_double), ("xmax", c_double),
                ("xstep", c_double), ("ncurves", c_size_t),
                ("curves", POINTER(mdx_curve)), ("map", c_void_p)]


class mdx_map(Structure):
    _fields_ = [("nx", c_size_t), ("ny", c_size_t),
                ("x", POINTER(c_double)), ("y", POINTER(c_double)),
                ("z", POINTER(c_double)), ("zlabel", c_char_p)]


class mdx_page(Structure):
    _fields_ = [("width", c_double), ("height", c_double), ("dpi", c_double),
                ("legend", c_int)]


bind({"mdx_plot_page": (c_int, [c_char_p, POINTER(mdx_panel), c_size_t,
                                POINTER(mdx_page), POINTER(mdx_error)])})


def page(options: Mapping[str, Any], what: str) -> mdx_page:
    """The page: size (width, height, "cm" or "in"), dpi, legend."""
    p = mdx_page(0, 0, 0, _options.choice(options, what, "legend", LEGENDS,
                                          0))
    p.dpi = _options.number(options, what, "dpi", 0)
    if p.dpi < 0 or not math.isfinite(p.dpi):
        raise UsageError("%s: dpi must be a positive number" % what)
    size = options.get("size")
    if size is not None:
        if not isinstance(size, (list, tuple)) or len(size) not in (2, 3) \
                or not all(is_number(v) for v in size[:2]):
            raise UsageError("%s: size must be (width, height, \"cm\" or "
                             "\"in\")" % what)
        unit = size[2] if len(size) == 3 else "cm"
        if unit not in ("cm", "in"):
            raise UsageError("%s: size's unit must be \"cm\" or \"in\", not "
                             "'%s'" % (what, unit))
        per_inch = 2.54 if unit == "cm" else 1
        p.width, p.height = size[0] / per_inch, size[1] / per_inch
        if not (p.width > 0 and p.height > 0):
            raise UsageError("%s: size must be positive" % what)
    return p


class _Arrays:
    """The C arrays of a figure, kept alive until it is drawn."""

    def __init__(self) -> None:
        self.kept: List[Any] = []

    def numbers(self, curve: Mapping[str, Any], key: str, n: int,
                where: str) -> Any:
        """curve[key], n finite numbers (any number when n is 0), as a
        double *; None when absent."""
        v = curve.get(key)
        if v is None:
            return None, 0
        a = numpy.asarray(v)
        if a.ndim != 1 or a.dtype.kind not in "iuf":
            raise UsageError("figure: %s: %s must be a list of numbers"
                             % (where, key))
        if n and len(a) != n:
            raise UsageError("figure: %s: %s has %d numbers, x has %d"
                             % (where, key, len(a), n))
        bad = numpy.flatnonzero(~numpy.isfinite(a))
        if len(bad):
            raise UsageError("figure: %s: %s[%d] is not a finite number"
                             % (where, key, bad[0]))
        a, p = doubles(a)
        self.kept.append(a)
        return p, len(a)

    def curve(self, c: Any, where: str) -> mdx_curve:
        if not isinstance(c, Mapping):
            raise UsageError("figure: %s must be a dict {\"x\": ..., \"y\": "
                             "..., \"label\": ...}" % where)
        check_keys(c, CURVE_KEYS, "figure: curve", "key")
        x, n = self.numbers(c, "x", 0, where)
        if x is None or n < 2:
            raise UsageError("figure: %s needs x, two numbers or more"
                             % where)
        y, _ = self.numbers(c, "y", n, where)
        if y is None:
            raise UsageError("figure: %s needs y" % where)
        lo, _ = self.numbers(c, "lo", n, where)
        hi, _ = self.numbers(c, "hi", n, where)
        if (lo is None) != (hi is None):
            raise UsageError("figure: %s: a band needs both lo and hi"
                             % where)
        for i in range(1, n):  # equal: a vertical line
            if x[i] < x[i - 1]:
                raise UsageError("figure: %s: x must not decrease (x[%d] = "
                                 "%r after %r)" % (where, i, x[i], x[i - 1]))
        for i in range(n if lo else 0):
            if lo[i] > hi[i]:
                raise UsageError("figure: %s: the band's lo is above its hi "
                                 "at x = %r" % (where, x[i]))
        label = c.get("label")
        if label is not None and not isinstance(label, str):
            raise UsageError("figure: %s: label must be a string" % where)
        return mdx_curve(n, x, y, None if label is None else text(label),
                         lo, hi)

    def map(self, m: Any, where: str) -> mdx_map:
        """A panel's map: x, y, and z's rows (one per y, #x numbers
        each)."""
        if not isinstance(m, Mapping):
            raise UsageError("figure: %s: map must be a dict {\"x\": ..., "
                             "\"y\": ..., \"z\": ...}" % where)
        check_keys(m, MAP_KEYS, "figure: map", "key")
        x, nx = self.numbers(m, "x", 0, where)
        y, ny = self.numbers(m, "y", 0, where)
        if x is None or y is None or nx < 2 or ny < 2:
            raise UsageError("figure: %s: map needs x and y, two numbers or "
                             "more each" % where)
        z = numpy.asarray(m.get("z"), dtype=float) \
            if m.get("z") is not None else None
        if z is None or z.shape != (ny, nx):
            raise UsageError("figure: %s: map's z must be a list of %d rows, "
                             "one per y" % (where, ny))
        if not numpy.all(numpy.isfinite(z)):
            raise UsageError("figure: %s: map's z has a number that is not "
                             "finite" % where)
        z, zp = doubles(z.ravel())
        self.kept.append(z)
        label = m.get("label")
        if label is not None and not isinstance(label, str):
            raise UsageError("figure: %s: the map's label must be a string"
                             % where)
        out = mdx_map(nx, ny, x, y, zp, None if label is None else text(label))
        self.kept.append(out)
        return out

    def panel(self, p: Any, i: int) -> mdx_panel:
        where = "panel %d" % (i + 1)
        if not isinstance(p, Mapping):
            raise UsageError("figure: %s must be a dict" % where)
        check_keys(p, PANEL_KEYS, "figure: panel", "key")
        out = mdx_panel(*[text(_options.string(p, "figure", key, ""))
                          for key in ("xlabel", "ylabel", "title")])
        out.xstep = _options.number(p, "figure", "xstep", 0)
        if not (out.xstep >= 0) or not math.isfinite(out.xstep):
            raise UsageError("figure: %s: xstep must be a number >= 0 (0: "
                             "chosen)" % where)
        m = self.map(p["map"], where) if p.get("map") is not None else None
        curves = p.get("curves")
        if curves is None and m is not None:
            curves = []
        if not isinstance(curves, (list, tuple)):
            raise UsageError("figure: %s needs curves, a list (or a map)"
                             % where)
        if not (1 if m is None else 0) <= len(curves) <= CURVES_MAX:
            raise UsageError("figure: %s needs 1 to %d curves"
                             % (where, CURVES_MAX))
        cs = (mdx_curve * max(len(curves), 1))(*[
            self.curve(c, "%s, curve %d" % (where, j + 1))
            for j, c in enumerate(curves)])
        self.kept.append(cs)
        out.curves, out.ncurves = cs, len(curves)
        xs = [c.x[j] for c in cs[:len(curves)] for j in range(c.n)]
        if m is not None:
            out.map = ctypes.cast(ctypes.pointer(m), c_void_p)
            xs += [m.x[0], m.x[m.nx - 1]]
        out.xmin, out.xmax = min(xs), max(xs)
        xrange = p.get("xrange")
        if xrange is not None:
            if not isinstance(xrange, (list, tuple)) or len(xrange) != 2 or \
                    not all(is_number(v) for v in xrange) or \
                    not xrange[0] < xrange[1]:
                raise UsageError("figure: %s: xrange must be (lo, hi) with "
                                 "lo < hi" % where)
            out.xmin, out.xmax = xrange
        if not out.xmin < out.xmax:
            raise UsageError("figure: %s: its curves span no x range" % where)
        return out


def figure(file: Union[str, os.PathLike],
           panels: Sequence[Mapping[str, Any]],
           size: Optional[Sequence[Union[float, str]]] = None,
           dpi: Optional[float] = None, legend: str = "inside") -> None:
    """Draw panels one above the other into `file`, a .png, .svg or .pdf
    (by its extension), whole or not at all. Each panel is a dict of
    xlabel, ylabel, title (PLplot text: #gx is chi), xrange (lo, hi),
    xstep (tick interval; 0: chosen) and curves, a list of 1 to 16 dicts
    of x, y, label and a band lo, hi (shaded in the curve's colour), or
    (and) a map, a dict of x, y, z (rows, one per y) and label, drawn as
    an image with a colour bar.
    size is (width, height, "cm" or "in"), dpi a PNG's resolution, legend
    "inside", "outside" or "none"."""
    pg = page({"size": size, "dpi": dpi, "legend": legend}, "figure")
    if not isinstance(panels, (list, tuple)):
        raise UsageError("figure: panels must be a list of panels")
    if not 1 <= len(panels) <= PANELS_MAX:
        raise UsageError("figure: give 1 to %d panels" % PANELS_MAX)
    arrays = _Arrays()
    ps = (mdx_panel * len(panels))(*[arrays.panel(p, i)
                                     for i, p in enumerate(panels)])
    err = mdx_error()
    check(lib.mdx_plot_page(text(os.fspath(file)), ps, len(ps), byref(pg),
                            byref(err)), err)
