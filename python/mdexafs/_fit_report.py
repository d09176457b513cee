"""The report of a fit, in the shape of xraylarch's feffit_report (its
sections but Paths), line for line as the Lua API's fit report."""
from __future__ import annotations

import math
from typing import Any

from ._lib import lib, string

SPACES = ("k", "r", "q")


def _number(v: float) -> str:
    """"0.0123456" or "unknown": never a NaN printed as a number."""
    return "unknown" if math.isnan(v) else "%.7g" % v


def report(t: Any, vs: Any, r: Any, npaths: int, nfolders: float,
           data_label: str) -> str:
    """The text of fit result r of variables vs with transform t."""
    nw = t.nkweights
    out = ["=================== FEFFIT RESULTS ====================\n"
           "[[Statistics]]\n   nvarys, npts       =  %d, %d\n"
           % (r.nvars, r.ndata),
           "   n_independent      =  %.3f\n   chi_square         = %.7g\n"
           "   reduced chi_square = %.7g\n   r-factor           = %.7g\n"
           "   Akaike info crit   = %.7g\n   Bayesian info crit = %.7g\n"
           " \n[[Data]]\n   data               = "
           % (r.n_idp, r.chi_square, r.chi2_reduced, r.rfactor, r.aic, r.bic),
           data_label,
           "\n   fit space          = '%s'\n   r-range            = %.3f, "
           "%.3f\n   k-range            = %.3f, %.3f\n"
           % (SPACES[t.space], t.rmin, t.rmax, t.kmin, t.kmax),
           "   k window, dk       = '%s', %.3f\n   paths used in fit  = %d, "
           "averaged over %g folders\n   k-weight           = "
           % (string(lib.mdx_window_name(t.window)), t.dk, npaths, nfolders),
           ", ".join("%d" % t.kweights[w] for w in range(nw)),
           "\n   epsilon_k          = ",
           ", ".join("%.7g" % r.epsilon_k[w] for w in range(nw)),
           "\n   epsilon_r          = ",
           ", ".join("%.7g" % r.epsilon_r[w] for w in range(nw)),
           "\n   n_independent      = %.3f\n \n[[Variables]]\n" % r.n_idp]
    for i, v in enumerate(vs):
        out.append("   %-14s = %.7g +/- %s   (init= %.7g)\n"
                   % (string(v.name), r.values[i],
                      _number(r.uncertainties[i]), v.init))
    out.append(" \n[[Correlations]]    (unreported correlations are <  "
               "0.100)\n")
    if not r.errorbars:
        out.append("   none: the uncertainties could not be estimated\n")
    n = r.nvars
    for i in range(n if r.errorbars else 0):
        for j in range(i + 1, n):
            c = r.correl[i + j * n]
            if abs(c) >= 0.1:
                out.append("   %-20s = % .3f\n" % (
                    "%s, %s" % (string(vs[i].name), string(vs[j].name)), c))
    out.append("[[Fit]]\n   %s (%d evaluations)\n"
               "=======================================================" % (
                   string(r.message), r.nfev))
    return "".join(out)
