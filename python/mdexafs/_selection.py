"""Selections: which paths a question is about, and the questions —
average, sums per folder, shares per path type, the paths themselves.
Each runs the C query; Python is called per path only for the functions
the selection was given (where, folders, parameter functions)."""
from __future__ import annotations

import ctypes
import functools
from typing import Any, Dict, List, NamedTuple, Optional, Tuple

import numpy

from ._criteria import is_number, to_double
from ._lib import (FOLDER_KEEP, KEEP, NK, PARAMS, SUM, UsageError, array,
                   doubles, error, lib, mdx_error, string, text)
from . import _stats
from ._result import Result


class Path(NamedTuple):
    """A selected path's metadata, as a `where` function sees it."""
    frame: int
    atom: int
    num: int        #: N of feffNNNN.dat (FEFF's path number in a feff.bin)
    nleg: int
    deg: float
    reff: float
    type: str       #: FEFF labels joined by '-': "U-O-O"
    elements: str   #: element symbols joined by '-'
    absorber: str   #: absorbing element: "U"
    dir: str        #: folder, relative to the tree


class Folder(NamedTuple):
    """A (frame, absorbing atom) folder, as a `folders` function sees it."""
    frame: int
    atom: int
    absorber: str
    dir: str


@functools.lru_cache(maxsize=4096)
def _name(raw):
    """A path's type, elements, absorber or folder: few distinct values,
    decoded once each."""
    return string(raw)


def _truth(value, what):
    """1 or 0 for a predicate's True or False; anything else is refused
    (0 is false in Python and true in Lua: no guessing)."""
    if isinstance(value, (bool, numpy.bool_)):
        return 1 if value else 0
    raise UsageError("select: the %s function returned %s, not True or "
                     "False" % (what, type(value).__name__))


def _path(m):
    return Path(m.frame, m.atom, m.num, m.nleg, m.deg, m.reff, _name(m.type),
                _name(m.elements), _name(m.absorber), _name(m.dir))


class Selection:
    """Paths of a source chosen by Source.select(...); ask it with
    average(), sums(), by_type(), paths() or count()."""

    def __init__(self, source: Any, criteria: Any) -> None:
        self._source = source
        self._criteria = criteria
        self._query = criteria.query(source._handle())
        self._raised = None
        c = criteria
        self._hooks = (KEEP(self._call_where) if c.where else KEEP(),
                       PARAMS(self._call_params)
                       if any(callable(v) for v in c.params.values())
                       else PARAMS(),
                       FOLDER_KEEP(self._call_folders) if c.folders
                       else FOLDER_KEEP())
        lib.mdx_query_hooks(self._query, *self._hooks, None)

    def __del__(self):
        query, self._query = getattr(self, "_query", None), None
        if query:
            lib.mdx_query_free(query)

    # ---- the callbacks: an exception stops the query and is raised ----

    def _guard(self, fn, *args):
        if self._raised:
            return -1
        try:
            return fn(*args)
        except BaseException as e:  # raised again when the query returns
            self._raised = e
            return -1

    def _call_where(self, _ctx, m):
        return self._guard(lambda: _truth(self._criteria.where(_path(m[0])),
                                          "where"))

    def _call_folders(self, _ctx, f):
        f = f[0]
        return self._guard(lambda: _truth(self._criteria.folders(
            Folder(f.frame, f.atom, string(f.absorber), string(f.dir))),
            "folders"))

    def _call_params(self, _ctx, m, par):
        def set_functions():
            path = _path(m[0])
            for name, fn in self._criteria.params.items():
                if callable(fn):
                    v = fn(path)
                    if not is_number(v):  # any real: numpy's too
                        raise UsageError("path parameter '%s': the function "
                                    "returned %s, not a number, for path %d "
                                    "(%s) of %s" % (name, type(v).__name__,
                                                    path.num, path.type,
                                                    path.dir))
                    canonical = string(lib.mdx_chi_param_canonical(
                        text(name)))
                    setattr(par[0], canonical, to_double(v))
            return 0
        return self._guard(set_functions)

    def _run(self, call, *args, say=True):
        """Run query function `call`; raise what a callback raised, or the
        query's error. Says on stderr when failed folders were left out
        (unless not `say`)."""
        with self._source._query():  # raises when the source is closed
            self._raised = None
            err = mdx_error()
            rc = call(self._query, *args, ctypes.byref(err))
            raised, self._raised = self._raised, None
        if rc and raised:
            raise raised
        if rc:
            raise error(rc, err)
        if say:
            self._source._say_left_out(self._query)

    @property
    def label(self) -> str:
        """What the selection selects: "U-O reff <= 3; frames 500..519"."""
        return string(lib.mdx_query_label(self._query))

    def __repr__(self) -> str:
        return "<mdexafs selection: %s>" % self.label

    def _result(self, **fields):
        fields.setdefault("label", self.label)
        fields.setdefault("element", string(lib.mdx_query_element(self._query)))
        fields.setdefault("edge", string(lib.mdx_query_edge(self._query)))
        return Result(**fields)

    def average(self) -> Result:
        """The mean over the admitted folders of each folder's sum of
        selected paths, with its standard error: a Result with k, chi,
        sem (numpy arrays; sem None over a single folder), nfolders, nwith
        (folders with selected paths) and npaths. A folder without selected paths counts as zero
        (empty="skip" leaves it out). Raises Error when no path matches."""
        avg = ctypes.c_void_p()
        self._run(lib.mdx_query_average, ctypes.byref(avg))
        return average_result(self, avg)

    def sums(self) -> List[Result]:
        """Each admitted folder's sum of selected paths, in (frame, atom)
        order: a list of Results with frame and atom."""
        folders = []

        def keep(_ctx, f):
            f = f[0]
            folders.append((f.frame, f.atom, f.npaths, array(f.chi, NK)))
            return 0
        self._run(lib.mdx_query_sum, 0, SUM(keep), None)
        k = kgrid()
        label = self.label
        return [self._result(k=k.copy(), chi=chi, nfolders=1,
                             nwith=int(npaths > 0), npaths=npaths, frame=frame,
                             atom=atom, label="%s; frame %d atom %d"
                             % (label, frame, atom))
                for frame, atom, npaths, chi in folders]

    def by_type(self) -> Dict[str, Result]:
        """Each path type's share of the average: {type: Result}, each
        divided by the folders of the whole selection, so that the shares
        add up to average()."""
        shares = ctypes.c_void_p()
        self._run(lib.mdx_query_by_type, ctypes.byref(shares))
        try:
            k, label, out = kgrid(), self.label, {}
            nfolders = lib.mdx_type_shares_nfolders(shares)
            for i in range(lib.mdx_type_shares_size(shares)):
                name = string(lib.mdx_type_share_type(shares, i))
                out[name] = self._result(
                    k=k.copy(), chi=array(lib.mdx_type_share_chi(shares, i), NK),
                    nfolders=nfolders,
                    nwith=lib.mdx_type_share_nwith(shares, i),
                    npaths=lib.mdx_type_share_npaths(shares, i),
                    label="%s; type %s (share of the average)" % (label, name))
            return out
        finally:
            lib.mdx_type_shares_free(shares)

    def stats(self) -> Dict[str, "_stats.Moments"]:
        """{type: Moments(n, weight, mean, variance, c3, min, max)} of
        reff over the selected paths of each type, weighted by
        degeneracy (the MD sigma^2 and C3 of a shell)."""
        return _stats.stats(self)

    def histogram(self, of: str = "reff", bins: int = 40,
                  range: Optional[Any] = None) -> "_stats.Histogram":  # noqa: A002
        """The histogram of reff, leg lengths ("legs") or angles at the
        scatterers ("angles") of the selected paths, weighted by
        degeneracy, in `bins` equal bins over range=(lo, hi) (default:
        the values' own): x, counts, density, outside, lo, hi, moments."""
        return _stats.histogram(self, of, bins, range)

    def spread(self, **options: Any) -> "_stats.Spread":
        """Each admitted folder's distance from the selection's average
        (kmin=3, kmax=12, kweight=2), farthest first, flagged beyond
        threshold (default: 4 times the median): a list of SpreadRow
        with its threshold."""
        return _stats.spread(self, **options)

    def paths(self) -> List[Path]:
        """The selected paths' metadata: a list of Path records in
        (frame, atom, num) order."""
        handle = ctypes.c_void_p()
        self._run(lib.mdx_query_paths, ctypes.byref(handle))
        try:
            return [_path(lib.mdx_path_list_get(handle, i)[0])
                    for i in range(lib.mdx_path_list_size(handle))]
        finally:
            lib.mdx_path_list_free(handle)

    def count(self) -> Tuple[int, int]:
        """(paths, folders with them) of the selection."""
        paths = self.paths()
        return len(paths), len({(p.frame, p.atom) for p in paths})


def kgrid() -> numpy.ndarray:
    """The standard k grid, 0 to 20 by 0.05 (numpy)."""
    k = (ctypes.c_double * NK)()
    lib.mdx_kgrid(k)
    return array(k, NK)


def average_result(owner, avg, **fields):
    """A Result of an mdx_average handle (freed here), labelled by owner."""
    try:
        n = lib.mdx_average_size(avg)
        nfolders = lib.mdx_average_nfolders(avg)
        chi, chip = doubles(numpy.empty(n))
        # one folder has no spread to speak of: no sem, rather than zeros
        sem, semp = doubles(numpy.empty(n) if nfolders >= 2 else None)
        lib.mdx_average_result(avg, chip, semp)
        return owner._result(k=array(lib.mdx_average_k(avg), n), chi=chi,
                             sem=sem, nfolders=nfolders,
                             nwith=lib.mdx_average_nwith(avg),
                             npaths=lib.mdx_average_npaths(avg), mean=True,
                             **fields)
    finally:
        lib.mdx_average_free(avg)
