"""chi(k) results: numpy arrays with what was averaged; arithmetic on
them (+, -, scalar *, /, unary -) and k-weighting as the Lua API does
them; chi(R) of one (ChiR); and the files existing tools read (through
the C writers, so that the bytes are those of the Lua API and the
command line)."""
from __future__ import annotations

import ctypes
import ctypes.util
import os
from typing import Any, Optional, Union

import numpy

from ._chir import ChiR
from ._criteria import is_number
from ._lib import UsageError, check, lib, mdx_chik, mdx_error, text
from ._write import curve, output, real

# C's pow, as the Lua API weights with: numpy's power is not correctly
# rounded (its k^2 differs in the last bit), Python's raises for 0^-1.
_pow = ctypes.CDLL(ctypes.util.find_library("m")).pow
_pow.restype, _pow.argtypes = ctypes.c_double, [ctypes.c_double] * 2


class Result:
    """chi(k) on a k grid: k, chi and sem (the standard error of the mean
    across folders, or None) as numpy float64 arrays; k_weight (chi holds
    k^k_weight chi(k): 0 but after kweight()), nfolders (folders
    averaged), nwith (of those, folders with selected paths), npaths
    (paths summed), frame and atom (of one folder's sum, else None),
    label (what was averaged), element and edge (of the absorber, ""
    when not known), mean (a mean over folders) and chidat (a mean of
    FEFF's chi.dat). Result(k, chi) makes one of arrays read elsewhere.

    Results on the same k grid and k-weight add and subtract (the
    standard error is dropped: the two are not independent); a result
    times or divided by a number scales chi and its standard error."""

    __array_ufunc__ = None  # numpy's numbers leave `x * result` to Result

    def __init__(self, k: Any, chi: Any, sem: Any = None, nfolders: int = 1,
                 nwith: int = 1, npaths: int = 0, frame: Optional[int] = None,
                 atom: Optional[int] = None, label: str = "",
                 element: str = "", edge: str = "", chidat: bool = False,
                 mean: bool = False, k_weight: float = 0.0) -> None:
        self.k: numpy.ndarray = k
        self.chi: numpy.ndarray = chi
        self.sem: Optional[numpy.ndarray] = sem
        self.nfolders, self.nwith, self.npaths = nfolders, nwith, npaths
        self.frame, self.atom = frame, atom
        self.label, self.element, self.edge = label, element, edge
        self.chidat = chidat
        self.mean = mean  # a mean over folders (of one, too)
        self.k_weight = k_weight

    def __len__(self) -> int:
        return len(self.k)

    def __repr__(self) -> str:
        return "<mdexafs chi(k), %d points, %d folders, %d paths: %s>" % (
            len(self.k), self.nfolders, self.npaths, self.label)

    def _copy(self, label: str, chi: numpy.ndarray,
              sem: Optional[numpy.ndarray]) -> "Result":
        return Result(numpy.array(self.k), chi, sem, self.nfolders,
                      self.nwith, self.npaths, self.frame, self.atom, label,
                      self.element, self.edge, self.chidat, self.mean,
                      self.k_weight)

    # ---- arithmetic, as the Lua API's results ----

    def _combine(self, other: Any, sign: int, op: str) -> "Result":
        if not isinstance(other, Result):
            return NotImplemented
        if len(self.k) != len(other.k) or \
                not numpy.array_equal(self.k, other.k):
            raise UsageError("cannot %s results on different k grids" % op)
        if self.k_weight != other.k_weight:
            raise UsageError("cannot %s k^%g chi(k) and k^%g chi(k)"
                             % (op, self.k_weight, other.k_weight))
        c = self._copy("(%s) %s (%s)" % (self.label, "+" if sign > 0 else "-",
                                         other.label),
                       self.chi + sign * other.chi, None)
        c.npaths = self.npaths + other.npaths
        c.nfolders = max(self.nfolders, other.nfolders)
        c.nwith = max(self.nwith, other.nwith)
        return c

    def __add__(self, other: "Result") -> "Result":
        return self._combine(other, 1, "add")

    def __sub__(self, other: "Result") -> "Result":
        return self._combine(other, -1, "subtract")

    def _scale(self, f: float) -> "Result":
        return self._copy("%g * (%s)" % (f, self.label), self.chi * f,
                          None if self.sem is None else self.sem * abs(f))

    def __mul__(self, x: float) -> "Result":
        if not is_number(x):
            return NotImplemented
        return self._scale(float(x))

    __rmul__ = __mul__

    def __truediv__(self, x: float) -> "Result":
        if not is_number(x):
            return NotImplemented
        if x == 0:
            raise UsageError("division of a result by zero")
        return self._scale(1 / float(x))

    def __neg__(self) -> "Result":
        return self._scale(-1.0)

    def kweight(self, w: float) -> "Result":
        """A result with chi (and sem) times k^w; its k_weight grows by w."""
        if not is_number(w):
            raise UsageError("kweight: the weight must be a number, not %s"
                             % type(w).__name__)
        w = float(w)
        f = numpy.array([_pow(k, w) for k in self.k], dtype=numpy.float64)
        c = self._copy("k^%g * (%s)" % (w, self.label), self.chi * f,
                       None if self.sem is None else self.sem * f)
        c.k_weight = self.k_weight + w
        return c

    # ---- files and transforms ----

    def _what(self) -> bytes:
        """One line for file headers, as the Lua API writes it."""
        buf = ctypes.create_string_buffer(1400)
        lib.mdx_chik_describe(buf, len(buf), text(self.label), self.nfolders,
                              self.nwith, self.npaths,
                              int(self.mean or self.sem is not None),
                              int(self.chidat))
        return buf.value

    def write(self, file: Union[str, os.PathLike], **options: Any) -> None:
        """Write the curve to `file`: the plain "k chi" columns at %.6f (the
        reference workflow's form) unless options say otherwise:
        sem=True adds the standard-error column; precision="full" writes
        the fewest digits that read back exactly; columns="athena" writes
        xraylarch's k chi kchi k2chi k3chi; xdi=True (or a dict of element,
        edge, comment) adds an XDI header. The file is written whole or
        not at all. precision="reference" (the default) is %.6f."""
        o = output(options)
        (k, kp), (chi, chip) = curve(self.k, self.chi, "write", ("k", "chi"))
        sem, semp = real(self.sem, "write", "sem")
        if sem is not None and len(sem) != len(k):
            raise UsageError("write: k and sem must have the same length")
        c = mdx_chik(len(k), kp, chip, semp, self.k_weight, self._what(),
                     text(self.element or ""), text(self.edge or ""))
        err = mdx_error()
        check(lib.mdx_write_chik(text(os.fspath(file)), ctypes.byref(o),
                                 ctypes.byref(c), ctypes.byref(err)), err)

    def xftf(self, **options: Any) -> ChiR:
        """chi(R) as xraylarch's xftf: options kmin (0), kmax (20), dk (1),
        dk2 (= dk), kweight or kw (0), window ("kaiser"; "hanning",
        "fhanning", "gaussian", "parzen", "welch", "sine", "bessel"),
        rmax_out (10), nfft (2048), kstep (0.05). Returns a ChiR with
        larch's r, chir, chir_mag, chir_re, chir_im, chir_pha and kwin."""
        if self.k_weight != 0:
            raise UsageError("xftf: this result is k^%g chi(k); xftf weights "
                             "chi(k) itself (its kweight): transform the "
                             "result before .kweight()" % self.k_weight)
        return ChiR(self.k, self.chi, self.label, self.element, self.edge,
                    options)

    def wavelet(self, kweight: float = 0, rmax_out: float = 10,
                nfft: int = 2048) -> Any:
        """The Cauchy wavelet map as xraylarch's cauchy_wavelet (its
        names and defaults): a Wavelet with k, r, wcauchy, wcauchy_re,
        wcauchy_im and wcauchy_mag (one row per R). chi(k) must be on an
        even grid from k = 0 with at most nfft/2 points, as larch
        assumes."""
        if self.k_weight != 0:
            raise UsageError("wavelet: this result is k^%g chi(k); wavelet "
                             "weights chi(k) itself (its kweight)"
                             % self.k_weight)
        from ._wavelet import wavelet
        return wavelet(self.k, self.chi, self.label, kweight, rmax_out, nfft)

    def to_larch(self) -> Any:
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
