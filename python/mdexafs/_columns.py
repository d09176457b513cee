"""mdexafs.read_chi: chi(k) from a column file (xraylarch's and Athena's
.chik and .chi, plain "k chi" columns, XDI), as the Lua API's
mdx.read_chi reads one: the library reads the file and names its columns
(mdx_columns_read, mdx_columns_find, mdx_columns_chi in
mdexafs/output.h); this module picks the k and chi columns."""
from __future__ import annotations

import ctypes
import math
import numbers
import os
from ctypes import POINTER, Structure, byref, c_char, c_double, c_long, \
    c_size_t
from typing import Any, Optional, Union

import numpy

from . import _options
from ._lib import (DataError, UsageError, bind, check, error, lib, mdx_error,
                   status, text)
from ._result import Result

COLUMNS_MAX, LABEL_MAX = 64, 32


class mdx_columns(Structure):
    _fields_ = [("nrows", c_size_t), ("ncols", c_size_t),
                ("v", POINTER(c_double)), ("lines", POINTER(c_long)),
                ("labels", (c_char * LABEL_MAX) * COLUMNS_MAX)]


bind({"mdx_columns_read": (ctypes.c_int, [ctypes.c_char_p, POINTER(mdx_columns),
                                          POINTER(mdx_error)]),
      "mdx_columns_find": (ctypes.c_int, [POINTER(mdx_columns),
                                          ctypes.c_char_p]),
      "mdx_columns_chi": (ctypes.c_int, [ctypes.c_char_p, POINTER(c_double)]),
      "mdx_columns_free": (None, [POINTER(mdx_columns)])})


def fail(code: str, file: str, line: int, msg: str) -> Exception:
    """The library's error of status `code` at file:line (0: none), its
    message formatted by the library as every other."""
    err = mdx_error(status(code), line, text(file), text(msg))
    return error(err.code, err)


def chi_weight(label: bytes) -> Optional[float]:
    """The w of a label naming k^w chi(k) ("k2chi": 2), else None."""
    w = c_double()
    return w.value if lib.mdx_columns_chi(label, byref(w)) else None


class _Columns:
    """A parsed column file and the choice of its columns; a context that
    frees what the library parsed."""

    def __init__(self, file: str) -> None:
        self.file, self.c, err = file, mdx_columns(), mdx_error()
        check(lib.mdx_columns_read(text(file), byref(self.c), byref(err)),
              err)
        self.ncols = self.c.ncols
        self.labels = [self.c.labels[i].value for i in range(self.ncols)]

    def __enter__(self) -> "_Columns":
        return self

    def __exit__(self, *exc: Any) -> None:
        lib.mdx_columns_free(byref(self.c))

    def column(self, col: int) -> numpy.ndarray:
        """A copy of column col."""
        c = self.c
        if not c.nrows:
            return numpy.empty(0)
        v = numpy.ctypeslib.as_array(c.v, (c.nrows * c.ncols,))
        return v[col::c.ncols].copy()

    def find(self, label: str) -> int:
        """The column labelled label (any case), or -1."""
        return lib.mdx_columns_find(byref(self.c), text(label))

    def names(self) -> str:
        return " ".join(os.fsdecode(label) for label in self.labels)

    def default(self, key: str) -> int:
        """The column labelled key; for chi, else the first labelled as
        chi(k) ("chi(k)", "chi_k"); -1 when none is."""
        col = self.find(key)
        if col < 0 and key == "chi":
            col = next((i for i, label in enumerate(self.labels)
                        if chi_weight(label) == 0), -1)
        return col

    def pick(self, key: str, given: Any, default: int) -> int:
        """The column `given` (a label, or an index from 0), else the one
        labelled key; in a file without labels column `default`, as for
        chi a column `default` labelled as k-weighted chi ("k k2chi").
        Another labelled file without such a column is refused: guessing
        would take energies for k."""
        if isinstance(given, numbers.Integral) and \
                not isinstance(given, bool):
            if not 0 <= given < self.ncols:
                raise UsageError("read_chi: %s: %s=%d, but it has %d columns"
                                 % (self.file, key, given, self.ncols))
            return int(given)
        if isinstance(given, str):
            col = self.find(given)
            if col < 0:
                raise UsageError("read_chi: %s: no column labelled '%s' "
                                 "(columns: %s)" % (self.file, given,
                                                    self.names()))
            return col
        if given is not None:
            raise UsageError("read_chi: %s must be a column label (str) or "
                             "index (int), not %s"
                             % (key, type(given).__name__))
        col = self.default(key)
        if col < 0:
            weighted = key == "chi" and default < self.ncols and \
                chi_weight(self.labels[default]) is not None
            if self.labels[0] and not weighted:
                raise DataError("read_chi: %s: no column labelled %s "
                                "(columns: %s): name one: %s=N or %s=\"label\""
                                % (self.file, key, self.names(), key, key),
                                "format", self.file)
            col = default
        if col >= self.ncols:
            raise DataError("read_chi: %s: one column only: no %s column"
                            % (self.file, key), "format", self.file)
        return col


def read_chi(file: Union[str, os.PathLike], k: Union[str, int, None] = None,
             chi: Union[str, int, None] = None,
             kweight: Optional[float] = None) -> Result:
    """chi(k) of a column file (xraylarch's and Athena's .chik and .chi,
    plain "k chi" columns, XDI) as a Result: by default the columns
    labelled k and chi (or chi(k), chi_k; else a column labelled as
    weighted chi, "k2chi"), in a file without labels the first two; a
    column labelled sem is its standard error. k and chi name other
    columns by label or by index from 0 (as numpy.loadtxt's usecols). The
    chi column holds k^w chi(k) with the w its label says (k_weight: 2 for
    k2chi, chik2, k^2*chi), 0 for a column given by index (your word that
    it is chi), or the kweight given. Rows must have k increasing."""
    name = os.fsdecode(file)
    with _Columns(name) as cols:
        kcol = cols.pick("k", k, 0)
        chicol = cols.pick("chi", chi, 1)
        by_index = isinstance(chi, numbers.Integral) and \
            not isinstance(chi, bool)
        w = 0.0 if by_index else chi_weight(cols.labels[chicol]) or 0.0
        w = _options.number({"kweight": kweight}, "read_chi", "kweight", w)
        if not math.isfinite(w):
            raise UsageError("read_chi: kweight must be a finite number")
        semcol = cols.find("sem")  # multipath's --sem
        kv, chiv = cols.column(kcol), cols.column(chicol)
        sem = None if semcol < 0 else cols.column(semcol)
        up = kv[1:] > kv[:-1]
        if not up.all():
            i = int(numpy.argmin(up)) + 1
            raise fail("format", name, cols.c.lines[i], "k = %g does not "
                       "increase (the row before has %g)" % (kv[i], kv[i - 1]))
    return Result(kv, chiv, sem, nfolders=0, nwith=0, npaths=0, label=name,
                  k_weight=w)
