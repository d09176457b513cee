"""Result.wavelet: the Cauchy wavelet map of chi(k) as xraylarch's
cauchy_wavelet, through the C mdx_cauchy_wavelet (mdexafs/chi.h), as the
Lua API's r:wavelet."""
from __future__ import annotations

from ctypes import POINTER, Structure, byref, c_double, c_int, c_size_t
from typing import Any

import numpy

from ._criteria import is_number
from ._lib import UsageError, array, bind, check, doubles, lib, mdx_error


class mdx_wavelet(Structure):
    _fields_ = [("nk", c_size_t), ("nr", c_size_t),
                ("k", POINTER(c_double)), ("r", POINTER(c_double)),
                ("re", POINTER(c_double)), ("im", POINTER(c_double)),
                ("mag", POINTER(c_double))]


bind({
    "mdx_cauchy_wavelet": (c_int, [POINTER(c_double), POINTER(c_double),
                                   c_size_t, c_double, c_double, c_size_t,
                                   POINTER(mdx_wavelet),
                                   POINTER(mdx_error)]),
    "mdx_wavelet_free": (None, [POINTER(mdx_wavelet)]),
})


class Wavelet:
    """A Cauchy wavelet map with larch's names: k, r, and wcauchy,
    wcauchy_re, wcauchy_im, wcauchy_mag (numpy arrays of one row per R,
    len(r) x len(k)), kweight and label."""

    def __init__(self, w: mdx_wavelet, kweight: float, label: str) -> None:
        shape = (w.nr, w.nk)
        self.k = array(w.k, w.nk)
        self.r = array(w.r, w.nr)
        self.wcauchy_re = array(w.re, w.nr * w.nk).reshape(shape)
        self.wcauchy_im = array(w.im, w.nr * w.nk).reshape(shape)
        self.wcauchy_mag = array(w.mag, w.nr * w.nk).reshape(shape)
        self.wcauchy = self.wcauchy_re + 1j * self.wcauchy_im
        self.kweight = kweight
        self.label = "Cauchy wavelet of k^%g chi(k): %s" % (kweight, label)

    def __repr__(self) -> str:
        return "<mdexafs wavelet, %d R x %d k: %s>" % (
            len(self.r), len(self.k), self.label)


def wavelet(k: Any, chi: Any, label: str, kweight: Any = 0,
            rmax_out: Any = 10, nfft: Any = 2048) -> Wavelet:
    """The map of chi at k (see Result.wavelet)."""
    for name, v in (("kweight", kweight), ("rmax_out", rmax_out),
                    ("nfft", nfft)):
        if not is_number(v):
            raise UsageError("wavelet: %s must be a number" % name)
    if not (16 <= nfft <= 65536 and nfft == int(nfft)):
        raise UsageError("wavelet: nfft must be a power of two from 16 to "
                         "65536")
    ka, kp = doubles(numpy.asarray(k, dtype=float))
    ca, cp = doubles(numpy.asarray(chi, dtype=float))
    w, err = mdx_wavelet(), mdx_error()
    check(lib.mdx_cauchy_wavelet(kp, cp, len(ka), float(kweight),
                                 float(rmax_out), int(nfft), byref(w),
                                 byref(err)), err)
    try:
        return Wavelet(w, float(kweight), label)
    finally:
        lib.mdx_wavelet_free(byref(w))
