"""mdexafs.fit: the MD average fitted to measured chi(k) as xraylarch's
feffit does it, through the C fit (mdexafs/fit.h), as the Lua API's
mdx.fit: each evaluation asks the model's selections for their averages
with the path parameters that params(p, v) gives for every path."""
from __future__ import annotations

import ctypes
import math
from ctypes import (CFUNCTYPE, POINTER, Structure, byref, c_char, c_char_p,
                    c_double, c_int, c_size_t, c_void_p)
from typing import (Any, Callable, Dict, List, Mapping, Optional, Sequence,
                    Union)

import numpy

from . import _options
from ._criteria import check_keys, is_number
from ._lib import (PARAMS, UsageError, array, bind, check, error, lib,
                   mdx_chi_params, mdx_error, names, status, string, text)
from ._result import Result
from ._selection import Path, Selection, _path, average_result

KWEIGHTS_MAX = 8   # MDX_FIT_KWEIGHTS
NAME_MAX = 32      # MDX_FIT_NAME_MAX, with the NUL
GROUPS_MAX = 16    # selections of a model, as the Lua API takes
STOPPED = status("stopped")
KSTEP = 0.05       # MDX_KSTEP
TRANSFORM_KEYS = ("kmin", "kmax", "dk", "dk2", "window", "rmin", "rmax",
                  "dr", "dr2", "rwindow", "kweight", "fitspace", "epsilon_k")


class mdx_fit_transform(Structure):
    _fields_ = [("kmin", c_double), ("kmax", c_double), ("dk", c_double),
                ("dk2", c_double), ("window", c_int), ("rmin", c_double),
                ("rmax", c_double), ("dr", c_double), ("dr2", c_double),
                ("rwindow", c_int), ("kweights", c_int * KWEIGHTS_MAX),
                ("nkweights", c_size_t), ("space", c_int),
                ("epsilon_k", c_double)]


class mdx_fit_var(Structure):
    _fields_ = [("name", c_char * NAME_MAX), ("init", c_double),
                ("min", c_double), ("max", c_double)]


class mdx_fit_set_result(Structure):
    _fields_ = [("ndata", c_size_t), ("n_idp", c_double),
                ("epsilon_k", c_double * KWEIGHTS_MAX),
                ("epsilon_r", c_double * KWEIGHTS_MAX), ("nk", c_size_t),
                ("data_chi", POINTER(c_double)),
                ("model_chi", POINTER(c_double)),
                ("kwin", POINTER(c_double))]


class mdx_fit_result(Structure):
    _fields_ = [("nvars", c_size_t), ("values", POINTER(c_double)),
                ("uncertainties", POINTER(c_double)),
                ("correl", POINTER(c_double)), ("errorbars", c_int),
                ("ndata", c_size_t), ("nfev", c_size_t),
                ("n_idp", c_double), ("chi_square", c_double),
                ("chi2_reduced", c_double), ("rfactor", c_double),
                ("aic", c_double), ("bic", c_double), ("status", c_int),
                ("message", c_char * 160), ("nsets", c_size_t),
                ("sets", POINTER(mdx_fit_set_result))]


MODEL = CFUNCTYPE(c_int, c_void_p, POINTER(c_double), c_size_t,
                  POINTER(c_double), POINTER(mdx_error))


class mdx_fit_dataset(Structure):
    _fields_ = [("k", POINTER(c_double)), ("chi", POINTER(c_double)),
                ("n", c_size_t), ("transform", mdx_fit_transform),
                ("model", MODEL), ("ctx", c_void_p)]

bind({
    "mdx_fit_transform_defaults": (mdx_fit_transform, []),
    "mdx_fitspace_name": (c_char_p, [c_int]),
    "mdx_fit_datasets": (c_int, [POINTER(mdx_fit_dataset), c_size_t,
                                 POINTER(mdx_fit_var), c_size_t,
                                 POINTER(mdx_fit_result),
                                 POINTER(mdx_error)]),
    "mdx_fit_result_free": (None, [POINTER(mdx_fit_result)]),
    "mdx_fit_report": (c_size_t, [POINTER(mdx_fit_result),
                                  POINTER(mdx_fit_transform),
                                  POINTER(mdx_fit_var), POINTER(c_size_t),
                                  POINTER(c_double), POINTER(c_char_p),
                                  c_char_p, c_size_t]),
    "mdx_chi_param_set": (c_int, [POINTER(mdx_chi_params), c_char_p,
                                  c_double, POINTER(mdx_error)]),
})
SPACES = names(lib.mdx_fitspace_name)  # "k", "r", "q", "w"



def _window(options: Mapping[str, Any], key: str, default: int) -> int:
    name = _options.string(options, "fit: transform", key, None)
    if name is None:
        return default
    w, err = c_int(), mdx_error()
    if lib.mdx_window_parse(text(name), byref(w), byref(err)):
        raise UsageError("fit: transform: %s: %s" % (key, string(err.msg)))
    return w.value


def _transform(options: Optional[Mapping[str, Any]]) -> mdx_fit_transform:
    """feffit's transform of the options (larch's names and defaults)."""
    t = lib.mdx_fit_transform_defaults()
    if options is None:
        return t
    what = "fit: transform"
    if not isinstance(options, Mapping):
        raise UsageError("%s must be a dict of options, not %s"
                         % (what, type(options).__name__))
    check_keys(options, TRANSFORM_KEYS, what, "option")
    for key in ("kmin", "kmax", "dk", "dk2", "rmin", "rmax", "dr", "dr2",
                "epsilon_k"):
        v = _options.number(options, what, key, getattr(t, key))
        if key in options and math.isnan(v):  # NaN is the C's "default"
            raise UsageError("%s: %s is NaN: give a number, or leave it out "
                             "for the default" % (what, key))
        setattr(t, key, v)
    t.window = _window(options, "window", t.window)
    t.rwindow = _window(options, "rwindow", t.rwindow)
    t.space = _options.choice(options, what, "fitspace", SPACES, t.space)
    kw = options.get("kweight")
    if kw is not None:
        weights = list(kw) if isinstance(kw, (list, tuple)) else [kw]
        if not is_number(kw) and not isinstance(kw, (list, tuple)):
            raise UsageError("%s: kweight must be a number or a list of them"
                             % what)
        if not 1 <= len(weights) <= KWEIGHTS_MAX:
            raise UsageError("%s: kweight: 1 to %d k-weights"
                             % (what, KWEIGHTS_MAX))
        for i, w in enumerate(weights):
            if not is_number(w) or w != math.floor(w) or not 0 <= w <= 10:
                raise UsageError("%s: kweight must be whole numbers 0 .. 10"
                                 % what)
            t.kweights[i] = int(w)
        t.nkweights = len(weights)
    return t


def _var(name: Any, spec: Any) -> mdx_fit_var:
    """A variable: a start value, or {"value": start, "min":, "max":}."""
    if not isinstance(name, str) or len(text(name)) >= NAME_MAX:
        raise UsageError("fit: variable names are strings of at most %d "
                         "characters" % (NAME_MAX - 1))
    v = mdx_fit_var(text(name), 0.0, -math.inf, math.inf)
    if is_number(spec):
        v.init = float(spec)
        return v
    if not isinstance(spec, Mapping):
        raise UsageError("fit: variable '%s' must be a start value or "
                         "{\"value\": start, \"min\": ..., \"max\": ...}"
                         % name)
    check_keys(spec, ("value", "min", "max"), "fit: variable '%s'" % name)
    if not is_number(spec.get("value")):
        raise UsageError("fit: variable '%s' needs its start value: "
                         "{\"value\": 0.5, \"min\": 0}" % name)
    v.init = float(spec["value"])
    v.min = _options.number(spec, "fit: variable", "min", -math.inf)
    v.max = _options.number(spec, "fit: variable", "max", math.inf)
    return v


def variables(spec: Any) -> Any:
    """The C array of the variables, in name order."""
    if not isinstance(spec, Mapping):
        raise UsageError("fit: vars must be a dict of name: start or "
                         "{\"value\": start, \"min\": ..., \"max\": ...}")
    if not spec:
        raise UsageError("fit: no variables to vary (vars is empty)")
    vs = [_var(name, spec[name]) for name in spec]
    vs.sort(key=lambda v: v.name)
    return (mdx_fit_var * len(vs))(*vs)


class Values:
    """The variables' values as params(p, v) sees them: v.amp (or
    v["amp"]); reading a name that is not a variable is an error, never a
    default, and they cannot be changed."""

    __slots__ = ("_values",)

    def __init__(self, values: Dict[str, float]) -> None:
        object.__setattr__(self, "_values", values)

    def __getattr__(self, name: str) -> float:
        values = object.__getattribute__(self, "_values")
        if name not in values:
            raise UsageError("fit: params read v.%s, which is not one of the "
                             "variables (%s)" % (name, " ".join(values)))
        return values[name]

    __getitem__ = __getattr__

    def __setattr__(self, name: str, value: Any) -> None:
        raise UsageError("fit: params must not change the variables "
                         "(v.%s = ...)" % name)

    __setitem__ = __setattr__

    def __repr__(self) -> str:
        return "<fit variables %r>" % object.__getattribute__(self,
                                                              "_values")


def _set_params(out: Any, par: Any) -> None:
    """The parameters params returned for one path, set in par."""
    if not isinstance(out, Mapping):
        raise UsageError("fit: params returned %s, not a dict"
                         % type(out).__name__)
    for name, value in out.items():
        if not isinstance(name, str) or not lib.mdx_chi_param_canonical(
                text(name)):
            raise UsageError("unknown path parameter '%s' (known: %s)"
                             % (name, string(lib.mdx_chi_param_names())))
        if not is_number(value):
            raise UsageError("path parameter '%s' must be a number" % name)
    for a, b in (("c3", "third"), ("c4", "fourth")):
        if a in out and b in out:
            raise UsageError("path parameters '%s' and '%s' are the same: "
                             "give one" % (a, b))
    err = mdx_error()
    for name, value in out.items():
        check(lib.mdx_chi_param_set(par, text(name), float(value),
                                    byref(err)), err)


class _Model:
    """The model's selections, asked for their averages at given values
    of the variables by mdx_fit's callback."""

    def __init__(self, model: Any, params: Any, names: List[str],
                 dataset: Optional[int] = None) -> None:
        """dataset: None in the one-data-set form (params(p, v)), else the
        data set's number from 1 (params(p, v, d))."""
        what = "fit" if dataset is None else "fit: data set %d" % dataset
        sels = list(model) if isinstance(model, (list, tuple)) else [model]
        if not 1 <= len(sels) <= GROUPS_MAX or \
                not all(isinstance(s, Selection) for s in sels):
            raise UsageError("%s: model must be a selection or a list of 1 "
                             "to %d" % (what, GROUPS_MAX))
        if not callable(params):
            raise UsageError("fit: params must be a function (p, v%s) "
                             "returning the path parameters of path p for "
                             "the variables' values v, not %s"
                             % ("" if dataset is None else ", d",
                                type(params).__name__))
        self.sels, self.names, self.dataset = sels, names, dataset
        self.params = params if dataset is None else \
            lambda p, v: params(p, v, dataset)
        self.npaths = 0
        for i, sel in enumerate(sels):
            if sel._criteria.params:
                raise UsageError("fit: a model selection with its own "
                                 "params: give every path parameter through "
                                 "the fit's params")
            n = len(sel.paths())
            if n == 0:
                raise UsageError("%s: model selection %d selects no path "
                                 "(%s)" % (what, i + 1, sel.label))
            self.npaths += n
        self.nfolders = 0
        self.raised: Optional[BaseException] = None
        self.values: Optional[Values] = None
        self.hook = PARAMS(self._hook)

    def _hook(self, _ctx: Any, m: Any, par: Any) -> int:
        p = _path(m[0])

        def call() -> int:
            try:
                _set_params(self.params(p, self.values), par)
            except UsageError as e:
                raise UsageError("%s (path %d, %s, of %s)"
                                 % (e, p.num, p.type, p.dir)) from None
            return 0
        return self.sel._guard(call)

    def average(self, sel: Selection) -> Result:
        """The selection's average with the fit's parameters."""
        own = sel._hooks
        lib.mdx_query_hooks(sel._query, own[0], self.hook, own[2], None)
        self.sel = sel
        try:
            avg = ctypes.c_void_p()
            sel._run(lib.mdx_query_average, byref(avg), say=False)
            return average_result(sel, avg)
        finally:
            lib.mdx_query_hooks(sel._query, *own, None)

    def evaluate(self, _ctx: Any, values: Any, nk: int, chi: Any,
                 err: Any) -> int:
        """mdx_fit's model: the sum of the selections' averages."""
        try:
            self.values = Values({n: values[i]
                                  for i, n in enumerate(self.names)})
            total = numpy.zeros(nk)
            for i, sel in enumerate(self.sels):
                avg = self.average(sel)
                if i == 0:
                    self.nfolders = avg.nfolders
                total += avg.chi[:nk]
            ctypes.memmove(chi, total.ctypes.data, nk * 8)
            return 0
        except BaseException as e:  # raised again when mdx_fit returns
            self.raised = e
            return STOPPED


class FitDataset:
    """One data set's part of a fit: data and model (chi(k) Results on
    the model's k grid), kwin (the k window there), epsilon_k and
    epsilon_r (a number, or a list for several k-weights), n_idp and
    ndata (its independent and residual points)."""

    data: Result
    model: Result
    kwin: numpy.ndarray
    epsilon_k: Union[float, List[float]]
    epsilon_r: Union[float, List[float]]
    n_idp: float
    ndata: int


class FitResult:
    """What a fit found, with xraylarch's feffit names: values, stderr
    (NaN-free: a variable without one is absent) and init ({name:
    number}), names (in order), correl ({name: {other: correlation}}),
    nvarys, ndata, nfev, n_idp, chi_square, chi2_reduced, rfactor, aic,
    bic (over every data set), errorbars, success, message, datasets (a
    FitDataset each) and report (feffit_report's text; str() of the
    result). The one-data-set form also has its data set's data, model,
    kwin, epsilon_k and epsilon_r."""

    values: Dict[str, float]
    stderr: Dict[str, float]
    init: Dict[str, float]
    names: List[str]
    correl: Dict[str, Dict[str, float]]
    nvarys: int
    ndata: int
    nfev: int
    n_idp: float
    chi_square: float
    chi2_reduced: float
    rfactor: float
    aic: float
    bic: float
    errorbars: bool
    success: bool
    message: str
    datasets: List[FitDataset]
    epsilon_k: Union[float, List[float]]
    epsilon_r: Union[float, List[float]]
    model: Result
    data: Result
    kwin: numpy.ndarray
    report: str

    def __str__(self) -> str:
        return self.report

    def __repr__(self) -> str:
        return "<mdexafs fit: %s>" % ", ".join(
            "%s = %.7g" % (n, self.values[n]) for n in self.names)


def _dataset(t: mdx_fit_transform, d: mdx_fit_set_result, m: _Model,
             data_label: str) -> FitDataset:
    out = FitDataset()
    eps_k = list(d.epsilon_k[:t.nkweights])
    eps_r = list(d.epsilon_r[:t.nkweights])
    out.epsilon_k = eps_k[0] if t.nkweights == 1 else eps_k
    out.epsilon_r = eps_r[0] if t.nkweights == 1 else eps_r
    k = KSTEP * numpy.arange(d.nk)
    out.model = Result(k, array(d.model_chi, d.nk), nfolders=m.nfolders,
                       nwith=m.nfolders, npaths=m.npaths,
                       label="fit model: the MD average at the best values")
    out.data = Result(k.copy(), array(d.data_chi, d.nk), nfolders=0, nwith=0,
                      label=data_label)
    out.kwin = array(d.kwin, d.nk)
    out.n_idp, out.ndata = d.n_idp, d.ndata
    return out


def _result(sets: List[Any], vs: Any, r: mdx_fit_result) -> FitResult:
    """The result of the data sets sets (each (transform, _Model, data
    label)) from r."""
    n = r.nvars
    names = [string(v.name) for v in vs]
    f = FitResult()
    f.names = names
    f.values = {names[i]: r.values[i] for i in range(n)}
    f.stderr = {names[i]: r.uncertainties[i] for i in range(n)
                if not math.isnan(r.uncertainties[i])}
    f.init = {names[i]: vs[i].init for i in range(n)}
    f.correl = {names[i]: {names[j]: r.correl[i + j * n] for j in range(n)
                           if j != i}
                for i in range(n)} if r.errorbars else {}
    f.nvarys, f.ndata, f.nfev = n, r.ndata, r.nfev
    for key in ("n_idp", "chi_square", "chi2_reduced", "rfactor", "aic",
                "bic"):
        setattr(f, key, getattr(r, key))
    f.errorbars = bool(r.errorbars)
    f.success = 1 <= r.status <= 4
    f.message = string(r.message)
    f.datasets = [_dataset(t, r.sets[i], m, label)
                  for i, (t, m, label) in enumerate(sets)]
    if sets[0][1].dataset is None:  # the one-data-set form
        one = f.datasets[0]
        for key in ("data", "model", "kwin", "epsilon_k", "epsilon_r"):
            setattr(f, key, getattr(one, key))
    f.report = _report(r, sets, vs)
    return f


def _report(r: mdx_fit_result, sets: List[Any], vs: Any) -> str:
    """The library's report of the fit (feffit_report's sections but
    Paths), as the Lua API's."""
    n = len(sets)
    args = (byref(r), (mdx_fit_transform * n)(*(t for t, _, _ in sets)), vs,
            (c_size_t * n)(*(m.npaths for _, m, _ in sets)),
            (c_double * n)(*(m.nfolders for _, m, _ in sets)),
            (c_char_p * n)(*(text(label) for _, _, label in sets)))
    size = lib.mdx_fit_report(*args, None, 0)
    if size == 0:
        raise MemoryError("out of memory")
    buf = ctypes.create_string_buffer(size + 1)
    lib.mdx_fit_report(*args, buf, size + 1)
    return string(buf.value)


FIT_KEYS = ("data", "model", "vars", "params", "transform", "datasets")
DATASET_KEYS = ("data", "model", "transform")
DATASETS_MAX = 16  # as the Lua API takes


def _data(data: Any, what: str) -> Any:
    """The data's k and chi as contiguous arrays."""
    if not isinstance(data, Result):
        raise UsageError("%s: data must be chi(k), as mdexafs.read_chi(file) "
                         "gives it, not %s" % (what, type(data).__name__))
    if data.k_weight != 0:
        raise UsageError("%s: the data are k^%g-weighted chi(k) (%s): give "
                         "chi(k) itself" % (what, data.k_weight, data.label))
    k = numpy.ascontiguousarray(data.k, dtype=numpy.float64)
    chi = numpy.ascontiguousarray(data.chi, dtype=numpy.float64)
    if len(k) != len(chi):
        raise UsageError("%s: the data's k and chi must have the same "
                         "length (%d and %d)" % (what, len(k), len(chi)))
    return k, chi


def fit(data: Optional[Result] = None,
        model: Union[Selection, Sequence[Selection], None] = None,
        vars: Optional[Mapping[str, Union[float, Mapping[str, float]]]] = None,
        params: Optional[Callable[..., Mapping[str, float]]] = None,
        transform: Optional[Mapping[str, Any]] = None, *,
        datasets: Optional[Sequence[Mapping[str, Any]]] = None) -> FitResult:
    """Fit the MD average to measured chi(k) as xraylarch's feffit does:
    data, chi(k) (a Result: mdexafs.read_chi(file), or Result(k, chi));
    model, a selection or a list of them (the model is the sum of their
    averages); vars, {name: start or {"value": start, "min": ..., "max":
    ...}}; params, a function (p, v) of a Path and the variables' values
    (v.name) giving the path parameters of p ({"s02": v.amp, ...});
    transform, feffit's options with larch's names and defaults: kmin
    (0), kmax (20), dk (4), dk2, window ("kaiser"), rmin (0), rmax (10),
    dr (0), dr2, rwindow ("hanning"), kweight (2, or a list of up to 8),
    fitspace ("r"; "k", "q"), epsilon_k (estimated).

    Several data sets at once (feffit's list of data sets): datasets, a
    list of {"data": ..., "model": ..., "transform": ...} in place of
    data, model and transform; variables are shared by name, and params
    is called as params(p, v, d) with d the data set's number from 1.
    Returns a FitResult."""
    if datasets is None:
        specs = [{"data": data, "model": model, "transform": transform}]
    else:
        for key, given in (("data", data), ("model", model),
                           ("transform", transform)):
            if given is not None:
                raise UsageError("fit: give %s in each of the datasets, not "
                                 "beside them" % key)
        if not isinstance(datasets, (list, tuple)) or \
                not 1 <= len(datasets) <= DATASETS_MAX:
            raise UsageError("fit: datasets must be a list of 1 to %d "
                             "{\"data\":, \"model\":, \"transform\":}"
                             % DATASETS_MAX)
        specs = list(datasets)
    vs = variables(vars)
    names = [string(v.name) for v in vs]
    sets, arrays = [], []
    cset = (mdx_fit_dataset * len(specs))()
    dp = ctypes.POINTER(c_double)
    for i, spec in enumerate(specs):
        what = "fit" if datasets is None else "fit: data set %d" % (i + 1)
        if not isinstance(spec, Mapping):
            raise UsageError("%s must be a dict {\"data\":, \"model\":, "
                             "\"transform\":}" % what)
        check_keys(spec, DATASET_KEYS, what, "key")
        k, chi = _data(spec.get("data"), what)
        t = _transform(spec.get("transform"))
        m = _Model(spec.get("model"), params, names,
                   None if datasets is None else i + 1)
        callback = MODEL(m.evaluate)
        arrays.append((k, chi, callback))
        cset[i] = mdx_fit_dataset(k.ctypes.data_as(dp), chi.ctypes.data_as(dp),
                                  len(k), t, callback, None)
        sets.append((t, m, spec["data"].label))
    r, err = mdx_fit_result(), mdx_error()
    rc = lib.mdx_fit_datasets(cset, len(specs), vs, len(vs), byref(r),
                              byref(err))
    for _, m, _ in sets:
        if m.raised is not None:
            raise m.raised
    if rc:
        raise error(rc, err)
    try:
        return _result(sets, vs, r)
    finally:
        lib.mdx_fit_result_free(byref(r))
