"""Results: chi(k) as numpy arrays with what was averaged, and chi(R) of
one; both write the files existing tools read (through the C writers, so
that the bytes are those of the Lua API and the command line)."""
import ctypes
import math
import os
import numbers

import numpy

from ._criteria import check_keys, flag
from ._lib import (UsageError, array, check, doubles, lib, mdx_chik, mdx_chir,
                   mdx_error, mdx_output, string, text)

XFTF_KEYS = ("kmin", "kmax", "dk", "dk2", "kweight", "kw", "window",
             "rmax_out", "nfft", "kstep")
WRITE_KEYS = ("sem", "precision", "columns", "xdi")
XDI_KEYS = ("element", "edge", "comment")


def _real(values, what, name):
    """(array, double *) of a one-dimensional array of real numbers."""
    if values is None:
        return None, None
    a = numpy.asarray(values)
    if a.ndim != 1 or a.dtype.kind not in "iuf":
        raise UsageError("%s: %s must be a one-dimensional array of real numbers, "
                    "not %s of shape %s" % (what, name, a.dtype, a.shape))
    return doubles(a)


def _curve(x, y, what, names):
    """The grid x (increasing) and y, of the same length."""
    (x, xp), (y, yp) = _real(x, what, names[0]), _real(y, what, names[1])
    if len(x) != len(y):
        raise UsageError("%s: %s and %s must have the same length (%d and %d)"
                    % (what, names[0], names[1], len(x), len(y)))
    if len(x) > 1 and not numpy.all(numpy.diff(x) > 0):
        raise UsageError("%s: %s must increase" % (what, names[0]))
    return (x, xp), (y, yp)


def _output(options, what="write"):
    """The write options, checked as the Lua API checks them."""
    check_keys(options, WRITE_KEYS, what, "option")
    o = mdx_output()
    o.sem = int(flag(options.get("sem", False), what, "sem"))
    precision = options.get("precision", "reference")
    columns = options.get("columns", "plain")
    if precision not in ("reference", "full"):
        raise UsageError("%s: precision must be one of: reference full" % what)
    if columns not in ("plain", "athena"):
        raise UsageError("%s: columns must be one of: plain athena" % what)
    o.full = int(precision == "full")
    o.athena = int(columns == "athena")
    xdi = options.get("xdi", False)
    if isinstance(xdi, dict):
        check_keys(xdi, XDI_KEYS, "write: xdi", "field")
        for key, size in (("element", 8), ("edge", 8), ("comment", 512)):
            v = xdi.get(key)
            if v is None:
                continue
            if not isinstance(v, str):
                raise UsageError("write: xdi: '%s' must be a string, not a %s"
                            % (key, type(v).__name__))
            raw = text(v)
            if len(raw) >= size or "\n" in v or "\r" in v:
                raise UsageError("write: xdi.%s must be one line of at most %d "
                            "characters" % (key, size - 1))
            setattr(o, key, raw)
        o.xdi = 1
    elif isinstance(xdi, bool):
        o.xdi = int(xdi)
    else:
        raise UsageError("write: xdi must be true, false or a table of element, "
                    "edge and comment")
    return o


class Result:
    """chi(k) on a k grid: k, chi and sem (the standard error of the mean
    across folders, or None) as numpy float64 arrays; nfolders (folders
    averaged), nwith (of those, folders with selected paths), npaths
    (paths summed), frame and atom (of one folder's sum, else None),
    label (what was averaged), element and edge (of the absorber, "" when
    not known), mean (a mean over folders) and chidat (a mean of FEFF's
    chi.dat). Result(k, chi) makes one of arrays read elsewhere."""

    def __init__(self, k, chi, sem=None, nfolders=1, nwith=1, npaths=0,
                 frame=None, atom=None, label="", element="", edge="",
                 chidat=False, mean=False):
        self.k, self.chi, self.sem = k, chi, sem
        self.nfolders, self.nwith, self.npaths = nfolders, nwith, npaths
        self.frame, self.atom = frame, atom
        self.label, self.element, self.edge = label, element, edge
        self.chidat = chidat
        self.mean = mean  # a mean over folders (of one, too)

    def __len__(self):
        return len(self.k)

    def __repr__(self):
        return "<mdexafs chi(k), %d points, %d folders, %d paths: %s>" % (
            len(self.k), self.nfolders, self.npaths, self.label)

    def _what(self):
        """One line for file headers, as the Lua API writes it."""
        buf = ctypes.create_string_buffer(1400)
        lib.mdx_chik_describe(buf, len(buf), text(self.label), self.nfolders,
                              self.nwith, self.npaths,
                              int(self.mean or self.sem is not None),
                              int(self.chidat))
        return buf.value

    def write(self, file, **options):
        """Write the curve to `file`: the plain "k chi" columns at %.6f (the
        reference workflow's form) unless options say otherwise:
        sem=True adds the standard-error column; precision="full" writes
        the fewest digits that read back exactly; columns="athena" writes
        xraylarch's k chi kchi k2chi k3chi; xdi=True (or a dict of element,
        edge, comment) adds an XDI header. The file is written whole or
        not at all. precision="reference" (the default) is %.6f."""
        o = _output(options)
        (k, kp), (chi, chip) = _curve(self.k, self.chi, "write", ("k", "chi"))
        sem, semp = _real(self.sem, "write", "sem")
        if sem is not None and len(sem) != len(k):
            raise UsageError("write: k and sem must have the same length")
        c = mdx_chik(len(k), kp, chip, semp, 0.0, self._what(),
                     text(self.element or ""), text(self.edge or ""))
        err = mdx_error()
        check(lib.mdx_write_chik(text(os.fspath(file)), ctypes.byref(o),
                                 ctypes.byref(c), ctypes.byref(err)), err)

    def xftf(self, **options):
        """chi(R) as xraylarch's xftf: options kmin (0), kmax (20), dk (1),
        dk2 (= dk), kweight or kw (0), window ("kaiser"; "hanning",
        "fhanning", "gaussian", "parzen", "welch", "sine", "bessel"),
        rmax_out (10), nfft (2048), kstep (0.05). Returns a ChiR with r,
        re, im and mag (numpy)."""
        check_keys(options, XFTF_KEYS, "xftf", "option")
        if "kw" in options and "kweight" in options:
            raise UsageError("xftf: 'kw' and 'kweight' are the same: give one")
        o = lib.mdx_xft_defaults()
        for key in ("kmin", "kmax", "dk", "dk2", "kw", "kweight", "rmax_out",
                    "kstep", "nfft"):
            if key not in options:
                continue
            v = options[key]
            if not isinstance(v, numbers.Real) or isinstance(v, bool):
                raise UsageError("xftf: '%s' must be a number, not a %s"
                            % (key, type(v).__name__))
            if key == "nfft":
                if not (2 <= v <= 1 << 24) or v != math.floor(v):
                    raise UsageError("xftf: nfft must be a whole number from 2 to "
                                "2^24")
                o.nfft = int(v)
            else:
                setattr(o, "kweight" if key == "kw" else key, float(v))
        err = mdx_error()
        if "window" in options:
            window = ctypes.c_int()
            if not isinstance(options["window"], str):
                raise UsageError("xftf: 'window' must be a string, not a %s"
                            % type(options["window"]).__name__)
            check(lib.mdx_window_parse(text(options["window"]),
                                       ctypes.byref(window),
                                       ctypes.byref(err)), err)
            o.window = window.value
        (k, kp), (chi, chip) = _curve(self.k, self.chi, "xftf", ("k", "chi"))
        c = mdx_chir()
        check(lib.mdx_xftf(kp, chip, len(k), ctypes.byref(o), ctypes.byref(c),
                           ctypes.byref(err)), err)
        try:
            label = "chi(R) of k^%g chi(k), %s window %g..%g dk %g: %s" % (
                o.kweight, string(lib.mdx_window_name(o.window)), o.kmin,
                o.kmax, o.dk, self.label)
            return ChiR(array(c.r, c.n), array(c.re, c.n), array(c.im, c.n),
                        array(c.mag, c.n), o.kweight, label, self.element,
                        self.edge)
        finally:
            lib.mdx_chir_free(ctypes.byref(c))

    def to_larch(self):
        """A larch Group with k, chi (and sem, label) for xraylarch's own
        functions (xftf, feffit); needs xraylarch installed."""
        try:
            from larch import Group
        except ImportError as e:
            raise ImportError("to_larch: xraylarch is not installed (Debian: "
                              "python3-xraylarch): %s" % e) from e
        group = Group(k=numpy.array(self.k), chi=numpy.array(self.chi),
                      label=self.label)
        if self.sem is not None:
            group.sem = numpy.array(self.sem)
        return group


class ChiR:
    """chi(R) of a chi(k) Result: r, re, im and mag (numpy), of
    k^kweight chi(k)."""

    def __init__(self, r, re, im, mag, kweight, label, element, edge):
        self.r, self.re, self.im, self.mag = r, re, im, mag
        self.kweight, self.label = kweight, label
        self.element, self.edge = element, edge

    def __len__(self):
        return len(self.r)

    def __repr__(self):
        return "<mdexafs chi(R), %d points: %s>" % (len(self.r), self.label)

    def write(self, file, **options):
        """Write the columns Athena exports (r, Re, Im, |chi(R)|), with
        xdi=True (or a dict of element, edge, comment) an XDI header."""
        o = _output(options)
        if o.sem or o.athena:
            raise UsageError("write: chi(R) has %s" % (
                "no standard error" if o.sem else "no Athena k columns"))
        names = ("r", "re", "im", "mag")
        arrays = [_real(getattr(self, n), "write", n) for n in names]
        if len({len(a) for a, _ in arrays}) != 1:
            raise UsageError("write: r, re, im and mag must have the same length")
        c = mdx_chir(len(arrays[0][0]), *[p for _, p in arrays])
        err = mdx_error()
        check(lib.mdx_write_chir(text(os.fspath(file)), ctypes.byref(o),
                                 ctypes.byref(c), self.kweight,
                                 text(self.label), text(self.element or ""),
                                 text(self.edge or ""), ctypes.byref(err)),
              err)
