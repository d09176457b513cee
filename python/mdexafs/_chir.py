"""chi(R): xraylarch's xftf of a chi(k) curve through the C transform,
with larch's names for what it gives (r, chir, chir_mag, chir_re,
chir_im, chir_pha, kwin), and its file in the columns Athena exports."""
from __future__ import annotations

import ctypes
import math
import numbers
import os
from typing import Any, Union

import numpy

from ._criteria import check_keys
from ._lib import (UsageError, array, bind, check, doubles, lib, mdx_chir,
                   mdx_error, string, text)
from ._write import curve, output, real

bind({"mdx_ftwindow": (None, [ctypes.POINTER(ctypes.c_double), ctypes.c_size_t,
                            ctypes.c_double, ctypes.c_double, ctypes.c_double,
                            ctypes.c_double, ctypes.c_int,
                            ctypes.POINTER(ctypes.c_double)])})

XFTF_KEYS = ("kmin", "kmax", "dk", "dk2", "kweight", "kw", "window",
             "rmax_out", "nfft", "kstep")


def xft_options(options: dict, what: str = "xftf") -> Any:
    """The C transform options (mdx_xft_options) of xftf's keywords."""
    check_keys(options, XFTF_KEYS, what, "option")
    if "kw" in options and "kweight" in options:
        raise UsageError("%s: 'kw' and 'kweight' are the same: give one"
                         % what)
    o = lib.mdx_xft_defaults()
    for key in ("kmin", "kmax", "dk", "dk2", "kw", "kweight", "rmax_out",
                "kstep", "nfft"):
        if key not in options:
            continue
        v = options[key]
        if not isinstance(v, numbers.Real) or isinstance(v, bool):
            raise UsageError("%s: '%s' must be a number, not %s"
                             % (what, key, type(v).__name__))
        if key == "nfft":
            if not (2 <= v <= 1 << 24) or v != math.floor(v):
                raise UsageError("%s: nfft must be a whole number from 2 to "
                                 "2^24" % what)
            o.nfft = int(v)
        else:
            setattr(o, "kweight" if key == "kw" else key, float(v))
    if "window" in options:
        if not isinstance(options["window"], str):
            raise UsageError("%s: 'window' must be a string, not %s"
                             % (what, type(options["window"]).__name__))
        window, err = ctypes.c_int(), mdx_error()
        check(lib.mdx_window_parse(text(options["window"]),
                                   ctypes.byref(window), ctypes.byref(err)),
              err)
        o.window = window.value
    return o


def ftwindow(x: numpy.ndarray, xmin: float, xmax: float, dx: float,
             dx2: float, window: int) -> numpy.ndarray:
    """larch's ftwindow on the uniform grid x."""
    xa, xp = doubles(x)
    out, outp = doubles(numpy.empty(len(xa)))
    lib.mdx_ftwindow(xp, len(xa), xmin, xmax, dx, dx2, window, outp)
    return out


def complex_phase(z: numpy.ndarray) -> numpy.ndarray:
    """The phase of z without its jumps of 2 pi, as larch's complex_phase
    (larch/math/utils.py) gives chir_pha."""
    phase = numpy.arctan2(z.imag, z.real)
    d = numpy.diff(phase) / numpy.pi
    out = phase.copy()
    out[1:] -= numpy.pi * (numpy.round(abs(d)) * numpy.sign(d)).cumsum()
    return out


class ChiR:
    """chi(R) of k^kweight chi(k), with xraylarch's names: r, chir
    (complex), chir_mag, chir_re, chir_im, chir_pha (its phase) and kwin
    (the k window on the transform's grid, as long as chi), numpy arrays;
    kweight, label, element and edge."""

    r: numpy.ndarray
    chir: numpy.ndarray
    chir_mag: numpy.ndarray
    chir_re: numpy.ndarray
    chir_im: numpy.ndarray
    chir_pha: numpy.ndarray
    kwin: numpy.ndarray
    kweight: float
    label: str
    element: str
    edge: str

    def __init__(self, k: numpy.ndarray, chi: numpy.ndarray, label: str,
                 element: str, edge: str, options: dict) -> None:
        o = xft_options(options)
        (k, kp), (chi, chip) = curve(k, chi, "xftf", ("k", "chi"))
        c, err = mdx_chir(), mdx_error()
        check(lib.mdx_xftf(kp, chip, len(k), ctypes.byref(o),
                           ctypes.byref(c), ctypes.byref(err)), err)
        try:
            self.r = array(c.r, c.n)
            self.chir_re, self.chir_im = array(c.re, c.n), array(c.im, c.n)
            self.chir_mag = array(c.mag, c.n)
        finally:
            lib.mdx_chir_free(ctypes.byref(c))
        self.chir = self.chir_re + 1j * self.chir_im
        self.chir_pha = complex_phase(self.chir)
        grid = o.kstep * numpy.arange(int(1.01 + k[-1] / o.kstep))
        dk2 = o.dk if math.isnan(o.dk2) else o.dk2
        self.kwin = ftwindow(grid, o.kmin, o.kmax, o.dk, dk2,
                             o.window)[:len(chi)]
        self.kweight = o.kweight
        self.label = "chi(R) of k^%g chi(k), %s window %g..%g dk %g: %s" % (
            o.kweight, string(lib.mdx_window_name(o.window)), o.kmin, o.kmax,
            o.dk, label)
        self.element, self.edge = element, edge

    def __len__(self) -> int:
        return len(self.r)

    def __repr__(self) -> str:
        return "<mdexafs chi(R), %d points: %s>" % (len(self.r), self.label)

    def write(self, file: Union[str, os.PathLike], **options: Any) -> None:
        """Write the columns Athena exports (r, Re, Im, |chi(R)|), with
        xdi=True (or a dict of element, edge, comment) an XDI header."""
        o = output(options)
        if o.sem or o.athena:
            raise UsageError("write: chi(R) has %s" % (
                "no standard error" if o.sem else "no Athena k columns"))
        names = ("r", "chir_re", "chir_im", "chir_mag")
        arrays = [real(getattr(self, n), "write", n) for n in names]
        if len({len(a) for a, _ in arrays}) != 1:
            raise UsageError("write: r, chir_re, chir_im and chir_mag must "
                             "have the same length")
        c = mdx_chir(len(arrays[0][0]), *[p for _, p in arrays])
        err = mdx_error()
        check(lib.mdx_write_chir(text(os.fspath(file)), ctypes.byref(o),
                                 ctypes.byref(c), self.kweight,
                                 text(self.label), text(self.element or ""),
                                 text(self.edge or ""), ctypes.byref(err)),
              err)
