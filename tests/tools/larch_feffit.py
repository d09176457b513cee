#!/usr/bin/python3
"""Make the xraylarch feffit goldens for mdexafs.fit.

Writes into tests/data/goldens/fit/ (run from the repository root):

  single.chik      chi(k) of path 1 of uo2_feff85/frame_500/atom_0 with
                   s02 0.9, e0 2, sigma2 0.004, deltar 0.02, on k = 0 ..
                   16 step 0.037 (not the model's grid), plus Gaussian
                   noise of 0.001 (seeded)
  ensemble.chik    the average over the four folders of uo2_feff85 of
                   every path with reff <= 4.0 with s02 0.8, e0 1.0,
                   sigma2 0.005, on k = 0 .. 15 step 0.05, plus noise
                   0.0005
  <case>.txt       feffit's result for each case below: 'name value'
                   lines of the best values (value_X), uncertainties
                   (stderr_X), correlations (correl_X_Y), n_idp, ndata,
                   chi_square, chi2_reduced, rfactor, aic, bic, epsilon_k,
                   epsilon_r

Cases: single_r, single_k, single_q, single_w (amp, de0, ss2, dr on the single
path, k 3..14, kweight 2, dk 1 hanning, R 1.2..2.6), single_kw123 (R
space, k-weights 1, 2 and 3 at once), ensemble_r (amp, e0 bounded to
-10..10, ss2 with s02 = amp/4 on every path of the four folders: the MD
average, k 3..13, R 1.4..4.2, dk 2 kaiser), two_sets (a temperature
series of the single path: two data sets, sigma2 0.004 and 0.009, noise
0.001 and 0.002, on k grids 0.037 and 0.05 apart; amp, de0 and dr shared,
ss2_1 and ss2_2 one per data set; R space, k 3..14 and 3..12, k-weights 2
and 3). The two data sets are written as two_set1.chik, two_set2.chik; the
result also has each data set's epsilon_k (epsilon_k_1, epsilon_k_2).

Needs Debian's python3-xraylarch; run by hand, never in CI.
"""
import glob
import os

import numpy as np
from larch import Group
from larch.fitting import param, guess, param_group
from larch.xafs import (feffpath, path2chi, feffit, feffit_dataset,
                        feffit_transform)

TREE = "tests/data/uo2_feff85"
OUT = "tests/data/goldens/fit"
SINGLE = TREE + "/frame_500/atom_0/feff0001.dat"


def write_data(name, k, chi):
    np.savetxt(os.path.join(OUT, name), np.column_stack([k, chi]),
               fmt="%.17g", header="k chi")


def write_result(case, out, names):
    pars = out.paramgroup
    lines = []
    for n in names:
        p = getattr(pars, n)
        lines.append(f"value_{n} {p.value:.17g}")
        lines.append(f"stderr_{n} {p.stderr:.17g}")
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            lines.append(f"correl_{a}_{b} {getattr(pars, a).correl[b]:.17g}")
    for key in ("n_independent", "chi_square", "chi2_reduced", "rfactor",
                "aic", "bic", "ndata", "nvarys"):
        lines.append(f"{key} {getattr(out, key):.17g}")
    ds = out.datasets[0]
    eps_k = np.atleast_1d(ds.epsilon_k)
    eps_r = np.atleast_1d(ds.epsilon_r)
    lines.append("epsilon_k " + " ".join(f"{e:.17g}" for e in eps_k))
    lines.append("epsilon_r " + " ".join(f"{e:.17g}" for e in eps_r))
    with open(os.path.join(OUT, case + ".txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print(case, out.nfev, "evaluations,", ", ".join(
        f"{n}={getattr(pars, n).value:.6g}" for n in names))


def single_cases():
    rng = np.random.default_rng(7)
    k = np.arange(0, 16.0001, 0.037)
    p = feffpath(SINGLE, s02=0.9, e0=2.0, sigma2=0.004, deltar=0.02)
    path2chi(p, k=k)
    chi = p.chi + rng.normal(0, 0.001, len(k))
    write_data("single.chik", k, chi)
    data = Group(k=k, chi=chi)
    for case, space, kw in (("single_r", "r", 2), ("single_k", "k", 2),
                            ("single_q", "q", 2), ("single_w", "w", 2),
                            ("single_kw123", "r", [1, 2, 3])):
        pars = param_group(amp=guess(1.0), de0=guess(0.0), ss2=guess(0.003),
                           dr=guess(0.0))
        path = feffpath(SINGLE, s02="amp", e0="de0", sigma2="ss2",
                        deltar="dr")
        tr = feffit_transform(kmin=3, kmax=14, kweight=kw, dk=1,
                              window="hanning", rmin=1.2, rmax=2.6,
                              fitspace=space)
        ds = feffit_dataset(data=data, paths={"p1": path}, transform=tr)
        write_result(case, feffit(pars, ds), ["amp", "de0", "dr", "ss2"])


def ensemble_case():
    rng = np.random.default_rng(11)
    folders = sorted(glob.glob(TREE + "/frame_*/atom_*"))
    files = []
    for folder in folders:
        for name in sorted(glob.glob(folder + "/feff[0-9]*.dat")):
            if feffpath(name).reff <= 4.0:
                files.append(name)
    k = np.arange(0, 15.0001, 0.05)
    chi = np.zeros(len(k))
    for name in files:
        p = feffpath(name, s02=0.8 / len(folders), e0=1.0, sigma2=0.005)
        path2chi(p, k=k)
        chi += p.chi
    chi += rng.normal(0, 0.0005, len(k))
    write_data("ensemble.chik", k, chi)
    pars = param_group(amp=guess(1.0), e0=param(0.0, vary=True, min=-10,
                                                max=10),
                       ss2=guess(0.003), nfolders=param(len(folders)))
    paths = {f"p{i}": feffpath(name, s02="amp/nfolders", e0="e0",
                               sigma2="ss2")
             for i, name in enumerate(files)}
    tr = feffit_transform(kmin=3, kmax=13, kweight=2, dk=2, window="kaiser",
                          rmin=1.4, rmax=4.2, fitspace="r")
    ds = feffit_dataset(data=Group(k=k, chi=chi), paths=paths, transform=tr)
    print(len(files), "paths")
    write_result("ensemble_r", feffit(pars, ds), ["amp", "e0", "ss2"])


def two_sets_case():
    rng = np.random.default_rng(23)
    sets = []
    for i, (step, ss2, noise, kmax, kw) in enumerate(
            ((0.037, 0.004, 0.001, 14, 2), (0.05, 0.009, 0.002, 12, 3)), 1):
        k = np.arange(0, 16.0001, step)
        p = feffpath(SINGLE, s02=0.9, e0=2.0, sigma2=ss2, deltar=0.02)
        path2chi(p, k=k)
        chi = p.chi + rng.normal(0, noise, len(k))
        write_data("two_set%d.chik" % i, k, chi)
        path = feffpath(SINGLE, s02="amp", e0="de0", sigma2="ss2_%d" % i,
                        deltar="dr")
        tr = feffit_transform(kmin=3, kmax=kmax, kweight=kw, dk=1,
                              window="hanning", rmin=1.2, rmax=2.6,
                              fitspace="r")
        sets.append(feffit_dataset(data=Group(k=k, chi=chi),
                                   paths={"p1": path}, transform=tr))
    pars = param_group(amp=guess(1.0), de0=guess(0.0), dr=guess(0.0),
                       ss2_1=guess(0.003), ss2_2=guess(0.003))
    out = feffit(pars, sets)
    write_result("two_sets", out, ["amp", "de0", "dr", "ss2_1", "ss2_2"])
    with open(os.path.join(OUT, "two_sets.txt"), "a") as f:
        for i, ds in enumerate(out.datasets, 1):
            f.write("epsilon_k_%d %.17g\n" % (i, ds.epsilon_k))
            f.write("n_idp_%d %.17g\n" % (i, ds.n_idp))


if __name__ == "__main__":
    single_cases()
    ensemble_case()
    two_sets_case()
