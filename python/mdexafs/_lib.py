"""libmdexafs through ctypes: finding the library, the C structs of its
public headers (include/mdexafs/*.h) and the functions the package calls.

Nothing here is public; the package's modules use ``lib`` and ``check``.
"""
import ctypes
import os

from ctypes import (CFUNCTYPE, POINTER, Structure, byref, c_char, c_char_p,
                    c_double, c_int, c_long, c_size_t, c_uint, c_void_p)

NK = 401             # MDX_NK: points of the standard k grid
SONAME = "libmdexafs.so.0"


class Error(ValueError):
    """What mdexafs refuses or fails to do; the message says why, in the
    words of the Lua API and the command line. `code` is the library's
    status ("io", "format", "range", "arg", "stopped"; "arg" for the
    package's own checks of its arguments), `file` and `line` where the
    fault lies when known (else None)."""

    def __init__(self, msg, code=None, file=None, line=None):
        super().__init__(msg)
        self.code, self.file, self.line = code, file, line


class UsageError(Error):
    """An argument, option or value the call does not take."""

    def __init__(self, msg, code="arg", file=None, line=None):
        super().__init__(msg, code, file, line)


class DataError(Error):
    """A file, database or tree whose content is not what it must be, or
    a result that does not exist for valid input ("format", "range")."""


class FileError(Error):
    """A file or folder that could not be opened, read or written."""


# ---- finding the library ----

def _candidates():
    """Where the library may be, in the order tried."""
    here = os.path.dirname(os.path.abspath(__file__))
    env = os.environ.get("MDX_LIBRARY")
    if env:
        yield env, "MDX_LIBRARY"
        return  # a library asked for by name is the only one tried
    try:
        from . import _install  # written by cmake --install
        yield os.path.normpath(os.path.join(here, _install.LIBDIR, SONAME)), \
            "the install prefix"
    except ImportError:
        pass
    yield os.path.join(here, SONAME), "the package's folder"
    yield SONAME, "the loader's search path"


def _load():
    tried = []
    for path, where in _candidates():
        try:
            return ctypes.CDLL(path)
        except OSError as e:
            tried.append("%s (%s): %s" % (path, where, e))
    raise ImportError("mdexafs: cannot load %s; tried %s. Set MDX_LIBRARY to "
                      "the library's path" % (SONAME, "; ".join(tried)))


lib = _load()


# ---- the structs (the layout of include/mdexafs/*.h) ----

class mdx_error(Structure):
    _fields_ = [("code", c_int), ("line", c_long), ("file", c_char * 1024),
                ("msg", c_char * 512), ("remedy", c_int)]


class mdx_path_meta(Structure):
    _fields_ = [("frame", c_long), ("atom", c_long), ("num", c_int),
                ("nleg", c_int), ("deg", c_double), ("reff", c_double),
                ("type", c_char_p), ("elements", c_char_p),
                ("absorber", c_char_p), ("dir", c_char_p)]


class mdx_folder_meta(Structure):
    _fields_ = [("frame", c_long), ("atom", c_long), ("absorber", c_char_p),
                ("dir", c_char_p)]


class mdx_type_rule(Structure):
    _fields_ = [("name", c_char_p), ("reff_max", c_double)]


class mdx_chi_params(Structure):
    _fields_ = [(name, c_double) for name in
                ("s02", "e0", "sigma2", "deltar", "c3", "c4", "ei", "degen")]


KEEP = CFUNCTYPE(c_int, c_void_p, POINTER(mdx_path_meta))
PARAMS = CFUNCTYPE(c_int, c_void_p, POINTER(mdx_path_meta),
                   POINTER(mdx_chi_params))
FOLDER_KEEP = CFUNCTYPE(c_int, c_void_p, POINTER(mdx_folder_meta))


class mdx_selection(Structure):
    _fields_ = [("ntypes", c_size_t), ("types", POINTER(mdx_type_rule)),
                ("nelements", c_size_t), ("elements", POINTER(mdx_type_rule)),
                ("reff_min", c_double), ("reff_max", c_double),
                ("nleg_min", c_int), ("nleg_max", c_int),
                ("frame_min", c_long), ("frame_max", c_long),
                ("natoms", c_size_t), ("atoms", POINTER(c_long)),
                ("absorber", c_char_p),
                ("keep", KEEP), ("keep_ctx", c_void_p),
                ("params", PARAMS), ("params_ctx", c_void_p),
                ("folder_keep", FOLDER_KEEP), ("folder_keep_ctx", c_void_p)]


class mdx_folder_chi(Structure):
    _fields_ = [("frame", c_long), ("atom", c_long), ("dir", c_char_p),
                ("group", c_char_p), ("npaths", c_size_t),
                ("chi", POINTER(c_double))]


SUM = CFUNCTYPE(c_int, c_void_p, POINTER(mdx_folder_chi))


class mdx_moments(Structure):
    _fields_ = [("n", c_size_t), ("weight", c_double), ("mean", c_double),
                ("variance", c_double), ("c3", c_double), ("min", c_double),
                ("max", c_double)]


class mdx_type_stats(Structure):
    _fields_ = [("n", c_size_t), ("types", POINTER(c_char_p)),
                ("moments", POINTER(mdx_moments))]


class mdx_path_histogram(Structure):
    _fields_ = [("of", c_int), ("nbins", c_size_t), ("lo", c_double),
                ("hi", c_double), ("x", POINTER(c_double)),
                ("counts", POINTER(c_double)), ("density", POINTER(c_double)),
                ("outside", c_double), ("moments", mdx_moments)]


class mdx_spread_row(Structure):
    _fields_ = [("frame", c_long), ("atom", c_long), ("dir", c_char_p),
                ("npaths", c_size_t), ("distance", c_double),
                ("flagged", c_int)]


class mdx_spread(Structure):
    _fields_ = [("n", c_size_t), ("rows", POINTER(mdx_spread_row)),
                ("threshold", c_double)]


class mdx_xft_options(Structure):
    _fields_ = [("kmin", c_double), ("kmax", c_double), ("dk", c_double),
                ("dk2", c_double), ("kweight", c_double), ("window", c_int),
                ("rmax_out", c_double), ("nfft", c_size_t),
                ("kstep", c_double)]


class mdx_chir(Structure):
    _fields_ = [("n", c_size_t), ("r", POINTER(c_double)),
                ("re", POINTER(c_double)), ("im", POINTER(c_double)),
                ("mag", POINTER(c_double))]


class mdx_output(Structure):
    _fields_ = [("sem", c_int), ("athena", c_int), ("xdi", c_int),
                ("full", c_int), ("element", c_char * 8), ("edge", c_char * 8),
                ("comment", c_char * 512)]


class mdx_chik(Structure):
    _fields_ = [("n", c_size_t), ("k", POINTER(c_double)),
                ("chi", POINTER(c_double)), ("sem", POINTER(c_double)),
                ("kweight", c_double), ("what", c_char_p),
                ("element", c_char_p), ("edge", c_char_p)]


class mdx_freshness(Structure):
    _fields_ = [("state", c_int), ("detail", c_char * 512),
                ("tree", c_char * 4096), ("prefer", c_int)]


class mdx_source_request(Structure):
    _fields_ = [("db", c_char_p), ("tree", c_char_p), ("build", c_int),
                ("prefer", c_int), ("verify", c_int), ("skip_failed", c_int)]


class mdx_source_plan(Structure):
    _fields_ = [("choice", c_int), ("fresh", mdx_freshness),
                ("prefer", c_int), ("rebuild", c_int)]


class mdx_build_stats(Structure):
    _fields_ = [(name, c_size_t) for name in
                ("folders", "todo", "done", "added", "replaced", "touched",
                 "unchanged", "removed", "failed", "skipped", "paths",
                 "paths_todo", "bad_files", "bad_extras")] + \
               [("seconds", c_double), ("missing", c_size_t)]


PROBLEM = CFUNCTYPE(None, c_void_p, POINTER(mdx_error))


class mdx_build_hooks(Structure):
    _fields_ = [("ctx", c_void_p), ("progress", c_void_p),
                ("problem", PROBLEM), ("note", c_void_p)]


class mdx_build_options(Structure):
    _fields_ = [("tree", c_char_p), ("db", c_char_p), ("threads", c_int),
                ("rebuild", c_int), ("stop", c_void_p),
                ("tables_only", c_int), ("shard_index", c_uint),
                ("shard_count", c_uint), ("prefer", c_int)]


# ---- the functions ----

_P = POINTER
_E = _P(mdx_error)
_FUNCTIONS = {
    "mdx_version": (c_char_p, []),
    "mdx_error_format": (None, [_E, c_char_p, c_long]),
    "mdx_element_z": (c_int, [c_char_p]),
    "mdx_kgrid": (None, [_P(c_double)]),
    "mdx_chi_param_canonical": (c_char_p, [c_char_p]),
    "mdx_chi_param_names": (c_char_p, []),
    "mdx_selection_init": (None, [_P(mdx_selection)]),
    "mdx_source_open_as": (c_int, [c_char_p, c_int, _P(c_void_p), _E]),
    "mdx_source_close": (None, [c_void_p]),
    "mdx_source_skip_failed": (None, [c_void_p, c_int]),
    "mdx_source_notes": (c_size_t, [c_void_p, _P(_P(c_char_p))]),
    "mdx_source_kind": (c_char_p, [c_void_p]),
    "mdx_source_path": (c_char_p, [c_void_p]),
    "mdx_query_new": (c_int, [c_void_p, _P(mdx_selection), _P(c_void_p), _E]),
    "mdx_query_free": (None, [c_void_p]),
    "mdx_query_hooks": (None, [c_void_p, KEEP, PARAMS, FOLDER_KEEP, c_void_p]),
    "mdx_query_param": (c_int, [c_void_p, c_char_p, c_char_p, c_double, _E]),
    "mdx_query_param_function": (c_int, [c_void_p, c_char_p, _E]),
    "mdx_query_skip_empty": (None, [c_void_p, c_int]),
    "mdx_query_note": (c_int, [c_void_p, c_char_p]),
    "mdx_query_label": (c_char_p, [c_void_p]),
    "mdx_query_left_out": (c_size_t, [c_void_p]),
    "mdx_query_element": (c_char_p, [c_void_p]),
    "mdx_query_edge": (c_char_p, [c_void_p]),
    "mdx_query_sum": (c_int, [c_void_p, c_int, SUM, c_void_p, _E]),
    "mdx_query_average": (c_int, [c_void_p, _P(c_void_p), _E]),
    "mdx_query_by_type": (c_int, [c_void_p, _P(c_void_p), _E]),
    "mdx_type_shares_size": (c_size_t, [c_void_p]),
    "mdx_type_shares_nfolders": (c_size_t, [c_void_p]),
    "mdx_type_share_type": (c_char_p, [c_void_p, c_size_t]),
    "mdx_type_share_npaths": (c_size_t, [c_void_p, c_size_t]),
    "mdx_type_share_nwith": (c_size_t, [c_void_p, c_size_t]),
    "mdx_type_share_chi": (_P(c_double), [c_void_p, c_size_t]),
    "mdx_type_shares_free": (None, [c_void_p]),
    "mdx_query_paths": (c_int, [c_void_p, _P(c_void_p), _E]),
    "mdx_query_chidat": (c_int, [c_void_p, _P(c_void_p), c_char_p,
                                 c_size_t, _E]),
    "mdx_path_list_size": (c_size_t, [c_void_p]),
    "mdx_path_list_get": (_P(mdx_path_meta), [c_void_p, c_size_t]),
    "mdx_path_list_free": (None, [c_void_p]),
    "mdx_average_size": (c_size_t, [c_void_p]),
    "mdx_average_k": (_P(c_double), [c_void_p]),
    "mdx_average_nfolders": (c_size_t, [c_void_p]),
    "mdx_average_nwith": (c_size_t, [c_void_p]),
    "mdx_average_npaths": (c_size_t, [c_void_p]),
    "mdx_average_result": (None, [c_void_p, _P(c_double), _P(c_double)]),
    "mdx_average_free": (None, [c_void_p]),
    "mdx_xft_defaults": (mdx_xft_options, []),
    "mdx_window_parse": (c_int, [c_char_p, _P(c_int), _E]),
    "mdx_window_name": (c_char_p, [c_int]),
    "mdx_xftf": (c_int, [_P(c_double), _P(c_double), c_size_t,
                         _P(mdx_xft_options), _P(mdx_chir), _E]),
    "mdx_chir_free": (None, [_P(mdx_chir)]),
    "mdx_chik_describe": (None, [c_char_p, c_size_t, c_char_p, c_size_t,
                                 c_size_t, c_size_t, c_int, c_int]),
    "mdx_write_chik": (c_int, [c_char_p, _P(mdx_output), _P(mdx_chik), _E]),
    "mdx_write_chir": (c_int, [c_char_p, _P(mdx_output), _P(mdx_chir),
                               c_double, c_char_p, c_char_p, c_char_p, _E]),
    "mdx_check_freshness": (None, [c_char_p, c_char_p, c_int,
                                   _P(mdx_freshness)]),
    "mdx_source_request_option": (c_int, [_P(mdx_source_request), c_char_p,
                                          c_char_p, _E]),
    "mdx_source_plan_note": (None, [_P(mdx_source_plan), c_char_p, c_char_p,
                                    c_size_t]),
    "mdx_source_choose": (c_int, [_P(mdx_source_request),
                                  _P(mdx_source_plan), _P(c_void_p), _E]),
    "mdx_source_choice_name": (c_char_p, [c_int]),
    "mdx_freshness_state_name": (c_char_p, [c_int]),
    "mdx_prefer_name": (c_char_p, [c_int]),
    "mdx_status_name": (c_char_p, [c_int]),
    "mdx_remedy_name": (c_char_p, [c_int]),
    "mdx_prefer_from_name": (c_int, [c_char_p, _P(c_int)]),
    "mdx_query_stats": (c_int, [c_void_p, _P(mdx_type_stats), _E]),
    "mdx_type_stats_free": (None, [_P(mdx_type_stats)]),
    "mdx_histogram_of_parse": (c_int, [c_char_p, _P(c_int), _E]),
    "mdx_histogram_of_name": (c_char_p, [c_int]),
    "mdx_query_histogram": (c_int, [c_void_p, c_int, c_size_t, c_double,
                                    c_double, _P(mdx_path_histogram), _E]),
    "mdx_path_histogram_free": (None, [_P(mdx_path_histogram)]),
    "mdx_query_spread": (c_int, [c_void_p, c_double, c_double, c_double,
                                 c_double, _P(mdx_spread), _E]),
    "mdx_spread_free": (None, [_P(mdx_spread)]),
    "mdx_distance_check": (c_int, [c_double, c_double, c_double, _E]),
    "mdx_chi_distance": (c_int, [_P(c_double), _P(c_double), _P(c_double),
                                 c_size_t, c_double, c_double, c_double,
                                 _P(c_double), _E]),
    "mdx_build": (c_int, [_P(mdx_build_options), _P(mdx_build_hooks),
                          _P(mdx_build_stats), _E]),
}


def bind(functions):
    """Declare the library's functions {name: (restype, argtypes)}."""
    for name, (res, args) in functions.items():
        f = getattr(lib, name)
        f.restype = res
        f.argtypes = args


bind(_FUNCTIONS)


# ---- helpers ----

def text(value):
    """A C string from a Python one (UTF-8; file names as the OS has them)."""
    return os.fsencode(value) if isinstance(value, (str, os.PathLike)) \
        else value


def string(raw):
    """A Python string from a C one (None stays None)."""
    return None if raw is None else os.fsdecode(raw)


# The library's remedies (mdx_remedy, by mdx_remedy_name) in a Python
# user's words.
_REMEDIES = {
    "check": "mdexafs check tells more",
    "build": "mdexafs.build(tree, db)",
    "rebuild": "mdexafs.build(tree, db, rebuild=True)",
    "prefer feff.bin": 'prefer="feff.bin"',
    "prefer feffNNNN.dat": 'prefer="feffNNNN.dat"',
    "skip failed": 'failed="skip"',
    "merge": "mdexafs merge",
}


def message(err):
    """The formatted text of an mdx_error: "FILE:LINE: message", and the
    remedy when one applies, in Python's words."""
    buf = ctypes.create_string_buffer(2048)
    lib.mdx_error_format(byref(err), buf, len(buf))
    remedy = _REMEDIES.get(string(lib.mdx_remedy_name(err.remedy)))
    return string(buf.value) + (" (%s)" % remedy if remedy else "")


# The exception of each status, by the library's names for them (no
# mirror of the enum's numbers to drift).
_ERRORS = {"io": FileError, "format": DataError, "range": DataError,
           "arg": UsageError}


def names(name_of):
    """The names a library name function gives its enum's values 0, 1, ...
    (up to its first NULL): ("k", "r", "q") of mdx_fitspace_name."""
    out = []
    while len(out) < 64 and (name := name_of(len(out))) is not None:
        out.append(string(name))
    return tuple(out)


def status(name):
    """The library's status code called `name` ("stopped", ...)."""
    return next(code for code in range(64)
                if string(lib.mdx_status_name(code)) == name)


def error(rc, err, prefix=""):
    """The exception for the library's status rc and its mdx_error, its
    message after `prefix`: by kind (out of memory is Python's
    MemoryError), with code, file, line."""
    name = string(lib.mdx_status_name(rc))
    if name == "nomem":
        return MemoryError(prefix + message(err))
    kind = _ERRORS.get(name, Error)
    return kind(prefix + message(err), name, string(err.file) or None,
                err.line or None)


def check(rc, err):
    """Raise the library's error unless rc is MDX_OK."""
    if rc:
        raise error(rc, err)


def array(pointer, n):
    """A numpy copy of n doubles at a C pointer."""
    import numpy
    out = numpy.empty(n)
    if n:
        ctypes.memmove(out.ctypes.data, pointer, n * 8)
    return out


def doubles(values):
    """(a C-contiguous float64 array of values, a double * to it), or
    (None, None) for None; keep the array while the pointer is used."""
    if values is None:
        return None, None
    import numpy
    a = numpy.ascontiguousarray(values, dtype=numpy.float64)
    return a, a.ctypes.data_as(POINTER(c_double))
