"""The keyword arguments of Source.select, checked one by one with the
messages of the Lua API, into the C selection and query they describe.
The query (mdexafs/query.h) does the rest: it sorts and checks the names,
applies the path parameters and describes the selection."""
import ctypes
import math
import numbers

from ._lib import (UsageError, check, lib, mdx_error, mdx_selection,
                   mdx_type_rule, text)

KEYS = ("types", "elements", "reff", "nleg", "frames", "atoms", "absorber",
        "where", "folders", "empty", "params")
INT_MAX = 2**31 - 1
LONG_MIN, LONG_MAX = -2**63, 2**63 - 1


def check_keys(given, known, what, noun="key"):
    """Refuse a key that is not known: "WHAT: unknown NOUN 'k' (known: ...)"."""
    for key in given:
        if key not in known:
            raise UsageError("%s: unknown %s '%s' (known: %s)"
                        % (what, noun, key, " ".join(known)))


def _number_text(v):
    """A number as the Lua API writes it in messages (%.14g)."""
    try:
        return format(v, ".14g")
    except OverflowError:  # an int beyond doubles
        return str(v)


def is_number(v):
    """A real number of any type (int, float, numpy's int64, float32...),
    and not a bool (nor numpy's, which is not a numbers.Real)."""
    return isinstance(v, numbers.Real) and not isinstance(v, bool)


def to_double(v):
    """A real number as the double C takes: one too large for a double is
    infinite (which the core refuses, naming it), not an OverflowError."""
    try:
        return float(v)
    except OverflowError:
        return math.copysign(math.inf, v)


def flag(value, what, key):
    """A boolean option: True or False (numpy's too), nothing else ("no"
    is not False): "WHAT: 'KEY' must be True or False, not str"."""
    import numpy
    if isinstance(value, (bool, numpy.bool_)):
        return bool(value)
    raise UsageError("%s: '%s' must be True or False, not %s"
                     % (what, key, type(value).__name__))


def _value(v, key, whole):
    """A number, and with `whole` an integer within ±2^53 (where doubles
    hold every integer); a NaN reff is the query's to refuse."""
    kind = "whole numbers" if whole else "numbers"
    if not is_number(v):
        raise UsageError("select: '%s' must be %s, not %s"
                    % (key, kind, type(v).__name__))
    if whole and not isinstance(v, numbers.Integral) and math.isnan(v):
        raise UsageError("select: '%s' is NaN, not a number" % key)
    if whole and (not math.isfinite(v) or v != math.floor(v)
                  or abs(v) > 2**53):
        raise UsageError("select: '%s' must be whole numbers within ±2^53, not %s"
                    % (key, _number_text(v)))
    return int(v) if whole else float(v)


def _range(v, key, whole, lo, hi):
    """A number, or (low, high), inclusive; None for an open end. (An
    empty range is the query's to refuse.)"""
    if is_number(v):
        v = _value(v, key, whole)
        return v, v
    if not isinstance(v, (tuple, list)) or len(v) != 2:
        raise UsageError("select: '%s' must be a number or (low, high) (None for "
                    "an open end)" % key)
    ends = [lo, hi]
    for i, end in enumerate(v):
        if end is not None:
            if not is_number(end):
                raise UsageError("select: '%s' %s end must be a number or None"
                            % (key, ("low", "high")[i]))
            ends[i] = _value(end, key, whole)
    return ends[0], ends[1]


def _rules(v, key):
    """types = "U-O", ["U-O", "U-U"] or {"U-O": 3.0, "U-U": None}."""
    if isinstance(v, str):
        pairs = [(v, math.inf)]
    elif isinstance(v, dict):
        pairs = []
        for name, limit in v.items():
            if not isinstance(name, str) or not (limit is None
                                                 or is_number(limit)):
                raise UsageError("select: '%s' entries must be names or name: "
                             "reff limit, not %r: %r" % (key, name, limit))
            pairs.append((name, math.inf if limit is None else float(limit)))
    elif isinstance(v, (list, tuple, set, frozenset)):
        if not all(isinstance(name, str) for name in v):
            raise UsageError("select: '%s' entries must be names or name: "
                             "reff limit" % key)
        pairs = [(name, math.inf) for name in v]
    else:
        raise UsageError("select: '%s' must be a type name, a list of names "
                         "or a dict of name: reff limit" % key)
    if not pairs:
        raise UsageError("select: '%s' is empty" % key)
    rules = (mdx_type_rule * len(pairs))()
    for i, (name, limit) in enumerate(pairs):
        rules[i].name = text(name)
        rules[i].reff_max = limit
    return rules


def _atoms(v):
    one = is_number(v)
    if not one and not isinstance(v, (list, tuple, set, frozenset, range)):
        raise UsageError("select: 'atoms' must be an atom number or a list of "
                    "them, not %s" % type(v).__name__)
    values = [v] if one else list(v)
    if not values:
        raise UsageError("select: 'atoms' is an empty list")
    atoms = (ctypes.c_long * len(values))()
    for i, a in enumerate(values):
        atoms[i] = _value(a, "atoms", True)  # within ±2^53: a C long
    return atoms


def check_params(params):
    """{name: number | {type: number} | function of the path}."""
    if not isinstance(params, dict):
        raise UsageError("select: 'params' must be a dict of path "
                         "parameters")
    for name, value in params.items():
        if not isinstance(name, str) or not lib.mdx_chi_param_canonical(
                text(name)):
            raise UsageError("unknown path parameter '%s' (known: %s)"
                        % (name, lib.mdx_chi_param_names().decode()))
        if isinstance(value, dict) and not value:
            raise UsageError("path parameter '%s' is an empty dict" % name)
        ok = is_number(value) or callable(value) or (
            isinstance(value, dict) and all(
                isinstance(t, str) and is_number(x)
                for t, x in value.items()))
        if not ok:
            raise UsageError("path parameter '%s' must be a number, a dict of "
                             "path type: number, or a function of the path"
                             % name)


class Criteria:
    """The checked criteria of a selection: the C struct, the arrays it
    points to, and what the query needs besides (callbacks, parameters)."""

    def __init__(self, criteria, allowed, what):
        check_keys(criteria, allowed, what)
        self.sel = mdx_selection()
        lib.mdx_selection_init(ctypes.byref(self.sel))
        self.where = self.folders = None
        self.skip_empty = False
        self.params = {}
        self._keep = []   # what the struct points to, alive until the query
        for key in KEYS:
            if key in criteria and criteria[key] is not None:
                self._read(key, criteria[key])

    def _read(self, key, v):
        s = self.sel
        if key in ("types", "elements"):
            rules = _rules(v, key)
            self._keep.append(rules)
            setattr(s, key, rules)
            setattr(s, "n" + key, len(rules))
        elif key == "reff":
            if is_number(v):  # one number: the largest
                s.reff_max = _value(v, key, False)
            else:
                s.reff_min, s.reff_max = _range(v, key, False, -math.inf,
                                                math.inf)
        elif key == "nleg":
            lo, hi = _range(v, key, True, 0, INT_MAX)
            s.nleg_min = min(max(lo, -INT_MAX - 1), INT_MAX)
            s.nleg_max = min(max(hi, -INT_MAX - 1), INT_MAX)
        elif key == "frames":  # within ±2^53: a C long holds them
            s.frame_min, s.frame_max = _range(v, key, True, LONG_MIN, LONG_MAX)
        elif key == "atoms":
            atoms = _atoms(v)
            self._keep.append(atoms)
            s.atoms = atoms
            s.natoms = len(atoms)
        elif key == "absorber":
            if not isinstance(v, str):  # the query checks the rest
                raise UsageError("select: 'absorber' must be an element symbol "
                            "such as \"U\", not '%s'" % (v,))
            self._keep.append(text(v))
            s.absorber = self._keep[-1]
        elif key in ("where", "folders"):
            if not callable(v):
                raise UsageError("select: '%s' must be a function, not %s"
                            % (key, type(v).__name__))
            setattr(self, key, v)
        elif key == "empty":
            if v not in ("zero", "skip"):
                raise UsageError("select: 'empty' must be \"zero\" (a folder "
                            "without selected paths counts as zero) or "
                            "\"skip\", not '%s'" % (v,))
            self.skip_empty = v == "skip"
        else:
            check_params(v)
            self.params = v

    def query(self, source):
        """A new query (a C handle) of these criteria over source."""
        err = mdx_error()
        q = ctypes.c_void_p()
        check(lib.mdx_query_new(source, ctypes.byref(self.sel),
                                ctypes.byref(q), ctypes.byref(err)), err)
        try:
            lib.mdx_query_skip_empty(q, int(self.skip_empty))
            if self.where:
                lib.mdx_query_note(q, b"a where function")
            if self.folders:
                lib.mdx_query_note(q, b"a folders function")
            for name, value in self.params.items():
                if callable(value):
                    rc = lib.mdx_query_param_function(q, text(name), err)
                elif isinstance(value, dict):
                    rc = 0
                    for type_, v in value.items():
                        rc = rc or lib.mdx_query_param(q, text(name),
                                                       text(type_), v, err)
                else:
                    rc = lib.mdx_query_param(q, text(name), None, value, err)
                check(rc, err)
        except BaseException:
            lib.mdx_query_free(q)
            raise
        return q
