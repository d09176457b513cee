"""Sources: a database or a FEFF tree behind one interface (open), the
best of the two for a notebook (source: the database when it is fresh,
the FEFF files otherwise, saying which), and building a database."""
from __future__ import annotations

import contextlib
import ctypes
import os
import sys
import threading
from typing import Any, Dict, Optional, Tuple, Union

PathLike = Union[str, "os.PathLike[str]"]

from ._criteria import KEYS, Criteria, check_keys
from ._lib import (PROBLEM, UsageError, check, lib, mdx_build_hooks,
                   mdx_build_options, mdx_build_stats, mdx_error,
                   mdx_freshness, mdx_source_plan, mdx_source_request,
                   message, string, text)
from ._result import Result
from ._selection import Selection, average_result

def _say(quiet, msg):
    if not quiet:
        print("mdexafs: " + msg, file=sys.stderr)


def _prefer(what, prefer):
    """The library's mdx_prefer of a name (None: what a database records),
    by its own names: no mirror of the enum's numbers."""
    p = ctypes.c_int(0)  # MDX_PREFER_RECORDED
    if prefer is not None and not (isinstance(prefer, str) and
                                   lib.mdx_prefer_from_name(text(prefer),
                                                            ctypes.byref(p))):
        raise UsageError("%s: prefer must be one of: feffNNNN.dat feff.bin" % what)
    return p.value


class Source:
    """An open database or FEFF tree; made by open() or source(). Threads
    may share it: its queries run one at a time (each on all cores). A
    `where` function may query another source, but two threads whose
    functions query each other's source wait for each other for ever."""

    def __init__(self, path: PathLike, failed: str = "stop",
                 prefer: Optional[str] = None) -> None:
        self._src = None
        if failed not in ("stop", "skip"):
            raise UsageError("open: 'failed' must be \"stop\" or \"skip\", not "
                        "'%s'" % (failed,))
        err = mdx_error()
        handle = ctypes.c_void_p()
        rc = lib.mdx_source_open_as(text(os.fspath(path)),
                                    _prefer("open", prefer),
                                    ctypes.byref(handle), ctypes.byref(err))
        check(rc, err)
        self._own(handle, failed)

    @classmethod
    def _adopt(cls, handle, failed):
        """A Source of a handle the library opened (it owns it now)."""
        self = cls.__new__(cls)
        self._own(handle, failed)
        return self

    def _own(self, handle, failed):
        self._src = handle
        self._lock = threading.RLock()
        self._busy = 0
        lib.mdx_source_skip_failed(handle, int(failed == "skip"))
        notes = ctypes.POINTER(ctypes.c_char_p)()
        path = string(lib.mdx_source_path(handle))
        for i in range(lib.mdx_source_notes(handle, ctypes.byref(notes))):
            _say(False, "%s: %s" % (path, string(notes[i])))

    def _handle(self):
        if not self._src:
            raise UsageError("source is closed")
        return self._src

    @contextlib.contextmanager
    def _query(self):
        """Hold the source for one query: the library's source serves one
        query at a time, and must not be closed under it."""
        with self._lock:
            self._handle()
            self._busy += 1
            try:
                yield
            finally:
                self._busy -= 1

    def close(self) -> None:
        """Close the source; its selections can no longer be asked."""
        with self._lock:
            if self._busy:  # from a callback of its own query
                raise UsageError("close: a query of this source is running; "
                            "close it after")
            handle, self._src = self._src, None
            if handle:
                lib.mdx_source_close(handle)

    def __del__(self):
        handle = getattr(self, "_src", None)
        if handle:
            lib.mdx_source_close(handle)

    def __enter__(self) -> "Source":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    @property
    def kind(self) -> str:
        """"database" or "tree"."""
        return string(lib.mdx_source_kind(self._handle()))

    @property
    def path(self) -> str:
        """The path the source was opened with."""
        return string(lib.mdx_source_path(self._handle()))

    def __repr__(self) -> str:
        if not self._src:
            return "<mdexafs source (closed)>"
        return "<mdexafs %s %s>" % (self.kind, self.path)

    def _say_left_out(self, query):
        n = lib.mdx_query_left_out(query)
        if n:
            _say(False, "%s: left out %d folder%s that failed to build "
                 "(mdexafs info %s lists them)" % (self.path, n,
                                                   "" if n == 1 else "s",
                                                   self.path))

    def select(self, **criteria: Any) -> Selection:
        """Select paths; every criterion given must hold:
        types     a path type ("U-O"), a list of them, or {type: reff limit
                  or None}
        elements  the same for element strings ("U-O" of elements)
        reff      the largest reff, or (low, high); None for an open end
        nleg      a number of legs, or (low, high)
        frames    a frame, or (first, last), inclusive; None for an open end
        atoms     an absorbing atom's number, or a list (or tuple) of them:
                  ids, not a range
        absorber  an element symbol: paths of that absorbing element
        where     a function of a Path record: True keeps the path, False
                  drops it (anything else is an error)
        folders   a function of a Folder record: True keeps the folder
        empty     "zero" (default: a folder without selected paths counts
                  as zero in averages) or "skip" (the reference's rule)
        params    path parameters at query time: {name: number, {type:
                  number} ("*" for other types), or function of the Path}
                  with names s02 e0 sigma2 deltar c3 c4 ei degen (third,
                  fourth)
        A path type that no selected path has is an error, which names the
        closest known type."""
        return Selection(self, Criteria(criteria, KEYS, "select"))

    def chidat(self, **criteria: Any) -> Result:
        """The mean of FEFF's own chi.dat over the folders of frames and
        atoms (both optional), on the k values all have: a Result."""
        c = Criteria(criteria, ("frames", "atoms"), "chidat")
        sel = Selection(self, c)
        avg = ctypes.c_void_p()
        note = ctypes.create_string_buffer(800)
        sel._run(lib.mdx_query_chidat, ctypes.byref(avg), note, len(note))
        if note.value:
            _say(False, string(note.value))
        return average_result(sel, avg, chidat=True)


def open(path: PathLike, failed: str = "stop",  # noqa: A001 (as Lua's)
         prefer: Optional[str] = None) -> Source:
    """Open `path`: a folder is read as a FEFF tree (computed as asked), a
    file as a database (read only). failed="skip" leaves folders of a
    database that failed to build out of queries (and says so) instead of
    stopping; a tree's bad files always stop a query;
    prefer ("feff.bin" or "feffNNNN.dat") says which files folders with
    both are read from."""
    return Source(path, failed, prefer)


def freshness(db: PathLike, tree: Optional[PathLike] = None,
              verify: str = "folders"
              ) -> Tuple[str, str, str, Optional[str]]:
    """Is database `db` up to date with `tree` (default: the tree it was
    built from)? Returns (state, detail, tree, prefer), state one of
    "fresh", "stale", "missing", "damaged", "unknown". verify="folders"
    compares each folder's time and a few witness files; "files" every
    file's size and time (content changed with both kept is found only by
    `mdexafs check --recompute`)."""
    if verify not in ("folders", "files"):
        raise UsageError("freshness: verify must be \"folders\" or \"files\", "
                    "not '%s'" % (verify,))
    f = mdx_freshness()
    lib.mdx_check_freshness(text(os.fspath(db)),
                            None if tree is None else text(os.fspath(tree)),
                            0 if verify == "folders" else 1, ctypes.byref(f))
    return (string(lib.mdx_freshness_state_name(f.state)), string(f.detail),
            string(f.tree), string(lib.mdx_prefer_name(f.prefer)))


def build(tree: PathLike, db: PathLike, jobs: int = 0, rebuild: bool = False,
          tables_only: bool = False,
          prefer: Optional[str] = None) -> Dict[str, Union[int, float]]:
    """Build or update database `db` from FEFF tree `tree` (incremental,
    crash-safe; jobs=0 uses all cores). Bad path files are reported on
    stderr and counted in the returned stats' "failed" folders."""
    if isinstance(jobs, bool) or not isinstance(jobs, int) or \
            not 0 <= jobs <= 4096:
        raise UsageError("build: 'jobs' must be a whole number of threads (0: all "
                    "cores)")
    o = mdx_build_options(text(os.fspath(tree)), text(os.fspath(db)), jobs,
                          int(bool(rebuild)), None, int(bool(tables_only)),
                          0, 0, _prefer("build", prefer))

    def problem(_ctx, e):
        _say(False, message(e[0]))
    hook = PROBLEM(problem)
    hooks = mdx_build_hooks(None, None, hook, None)
    stats, err = mdx_build_stats(), mdx_error()
    check(lib.mdx_build(ctypes.byref(o), ctypes.byref(hooks),
                        ctypes.byref(stats), ctypes.byref(err)), err)
    return {name: getattr(stats, name) for name in
            ("folders", "added", "replaced", "touched", "unchanged",
             "removed", "missing", "failed", "paths", "seconds")}


SOURCE_KEYS = ("db", "tree", "build", "quiet", "failed", "verify", "prefer")


def source(path: Optional[PathLike] = None,
           **opts: Any) -> Source:
    """Open the best source, as a recipe's mdx.source does: `path` is a
    FEFF tree (a folder) or a database, or give db= and tree=.
    build=True builds or updates the database when it is missing, stale
    or damaged (default: fall back to computing from the files);
    failed="skip" leaves a database's failed folders out (saying so);
    quiet=True says nothing on stderr; verify="files" compares every
    file's size and time, not each folder's (see freshness); prefer as in
    open(). Raises Error when neither can be had."""
    check_keys(opts, SOURCE_KEYS, "source")
    if path is not None:
        opts["tree" if os.path.isdir(path) else "db"] = path
    db, tree = opts.get("db"), opts.get("tree")
    for flag in ("build", "quiet"):  # "no" is no False
        if not isinstance(opts.get(flag, False), bool):
            raise UsageError("source: '%s' must be True or False, not '%s'"
                        % (flag, opts[flag]))
    if db is None and tree is None:
        raise UsageError("source: give db, tree or both")
    request = mdx_source_request(
        None if db is None else text(os.fspath(db)),
        None if tree is None else text(os.fspath(tree)),
        int(opts.get("build", False)))
    err = mdx_error()
    for key in ("prefer", "verify", "failed"):  # the library reads the words
        if opts.get(key) is not None:
            check(lib.mdx_source_request_option(
                ctypes.byref(request), text(key), text(str(opts[key])),
                ctypes.byref(err)), err)
    # the library decides (mdx_source_choose) and words it; this says it
    plan, handle = mdx_source_plan(), ctypes.c_void_p()
    check(lib.mdx_source_choose(ctypes.byref(request), ctypes.byref(plan),
                                ctypes.byref(handle), ctypes.byref(err)), err)
    failed = opts.get("failed") or "stop"
    src = Source._adopt(handle, failed) if handle else None
    note = ctypes.create_string_buffer(2048)
    lib.mdx_source_plan_note(ctypes.byref(plan), request.db, note, len(note))
    _say(opts.get("quiet", False), string(note.value))
    if string(lib.mdx_source_choice_name(plan.choice)) == "build":
        prefer = string(lib.mdx_prefer_name(plan.prefer)) or None
        build(string(plan.fresh.tree), db, rebuild=bool(plan.rebuild),
              prefer=prefer)
        src = Source(db, failed, prefer)
    return src
