"""What results share for writing and transforming: their arrays checked
as curves, and the write options checked as the Lua API checks them, in
Python's words."""
from __future__ import annotations

from typing import Any, Mapping, Optional, Sequence, Tuple

import numpy

from ._criteria import check_keys, flag
from ._lib import UsageError, doubles, mdx_output, text

WRITE_KEYS = ("sem", "precision", "columns", "xdi")
XDI_KEYS = ("element", "edge", "comment")


def real(values: Any, what: str, name: str) -> Tuple[Any, Any]:
    """(array, double *) of a one-dimensional array of real numbers, or
    (None, None) for None."""
    if values is None:
        return None, None
    a = numpy.asarray(values)
    if a.ndim != 1 or a.dtype.kind not in "iuf":
        raise UsageError("%s: %s must be a one-dimensional array of real "
                         "numbers, not %s of shape %s"
                         % (what, name, a.dtype, a.shape))
    return doubles(a)


def curve(x: Any, y: Any, what: str,
          names: Sequence[str]) -> Tuple[Tuple[Any, Any], Tuple[Any, Any]]:
    """The grid x (increasing) and y, of the same length."""
    (x, xp), (y, yp) = real(x, what, names[0]), real(y, what, names[1])
    if len(x) != len(y):
        raise UsageError("%s: %s and %s must have the same length (%d and %d)"
                         % (what, names[0], names[1], len(x), len(y)))
    if len(x) > 1 and not numpy.all(numpy.diff(x) > 0):
        raise UsageError("%s: %s must increase" % (what, names[0]))
    return (x, xp), (y, yp)


def output(options: Mapping[str, Any], what: str = "write") -> mdx_output:
    """The write options as the C writers take them."""
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
    xdi: Optional[Any] = options.get("xdi", False)
    if isinstance(xdi, dict):
        check_keys(xdi, XDI_KEYS, "write: xdi", "field")
        for key, size in (("element", 8), ("edge", 8), ("comment", 512)):
            v = xdi.get(key)
            if v is None:
                continue
            if not isinstance(v, str):
                raise UsageError("write: xdi: '%s' must be a string, not %s"
                                 % (key, type(v).__name__))
            raw = text(v)
            if len(raw) >= size or "\n" in v or "\r" in v:
                raise UsageError("write: xdi.%s must be one line of at most "
                                 "%d characters" % (key, size - 1))
            setattr(o, key, raw)
        o.xdi = 1
    elif isinstance(xdi, bool):
        o.xdi = int(xdi)
    else:
        raise UsageError("write: xdi must be True, False or a dict of "
                         "element, edge and comment")
    return o
