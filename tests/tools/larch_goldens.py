#!/usr/bin/python3
"""Make the xraylarch goldens for query-time path parameters and chi(R).

Writes into tests/data/goldens/science/ (run from the repository root):

  params_<set>.txt  for each parameter set below: k, then for each folder
                    of tests/data/uo2_feff85 the sum of chi(k) of its paths
                    with reff <= RMAX, each path computed by xraylarch's
                    feffpath + path2chi with that set's parameters
  xftf_<case>.txt   xftf of the reference workflow's mix_file.dat: r,
                    chir_re, chir_im, chir_mag for each window case below

Needs Debian's python3-xraylarch (0.9.58); run by hand, never in CI.
"""
import glob
import os

import numpy as np
from larch.xafs import feffpath, path2chi, xftf

TREE = "tests/data/uo2_feff85"
OUT = "tests/data/goldens/science"
RMAX = 4.5
K = 0.05 * np.arange(401)


def path_type(path):
    return "-".join(atom[0] for atom in path._feffdat.geom)


# Each set: larch parameter name -> a number, or a function of
# (nleg, reff, type) returning a number. Mirrored in tests/e2e/science_spec.lua.
SETS = {
    "uniform": dict(s02=0.85, e0=3.1, sigma2=0.0045, deltar=0.012,
                    third=0.0002, fourth=0.00004, ei=0.7),
    "by_type": dict(s02=0.9, e0=1.5,
                    sigma2=lambda nleg, reff, t: {"U-O": 0.003,
                                                  "U-U": 0.004}.get(t, 0.006)),
    "function": dict(sigma2=lambda nleg, reff, t: 0.003 if nleg == 2 else 0.006,
                     deltar=lambda nleg, reff, t: 0.01 * reff),
}

# xftf cases: name -> keyword arguments
XFTF = {
    "kaiser_kw2": dict(kweight=2, kmin=3, kmax=14, dk=1, window="kaiser"),
    "hanning_kw3": dict(kweight=3, kmin=2.5, kmax=15, dk=2, window="hanning"),
    "sine_kw1": dict(kweight=1, kmin=2, kmax=12, dk=1.5, window="sine"),
    "parzen_kw2": dict(kweight=2, kmin=3, kmax=13, dk=2, window="parzen"),
    "welch_kw2": dict(kweight=2, kmin=3, kmax=13, dk=2, window="welch"),
    "gaussian_kw2": dict(kweight=2, kmin=3, kmax=13, dk=3, window="gaussian"),
    "fhanning_kw2": dict(kweight=2, kmin=3, kmax=13, dk=0.2, window="fhanning"),
    "bessel_kw2": dict(kweight=2, kmin=3, kmax=13, dk=2.5, window="bessel"),
    "kaiser_dk2_kw0": dict(kweight=0, kmin=4, kmax=16, dk=3, dk2=1,
                           window="kaiser", rmax_out=6, nfft=4096),
}


def folder_sum(folder, params):
    total = np.zeros_like(K)
    for name in sorted(glob.glob(os.path.join(folder, "feff[0-9]*.dat"))):
        probe = feffpath(name)
        if probe.reff > RMAX:
            continue
        nleg, reff, t = probe.nleg, probe.reff, path_type(probe)
        kws = {key: (value(nleg, reff, t) if callable(value) else value)
               for key, value in params.items()}
        path = feffpath(name, **kws)
        path2chi(path, k=K)
        total += path.chi
    return total


def main():
    os.makedirs(OUT, exist_ok=True)
    folders = sorted(glob.glob(os.path.join(TREE, "frame_*", "atom_*")))
    for name, params in SETS.items():
        cols = [folder_sum(f, params) for f in folders]
        rel = [os.path.relpath(f, TREE) for f in folders]
        np.savetxt(os.path.join(OUT, f"params_{name}.txt"),
                   np.column_stack([K] + cols), fmt="%.16e",
                   header=f"set {name}, paths with reff <= {RMAX}\nk " +
                   " ".join(rel))
    mix = np.loadtxt("tests/data/goldens/reference/uo2_feff85/mix_file.dat")
    for name, kws in XFTF.items():
        class G: pass
        g = G()
        xftf(mix[:, 0], mix[:, 1], group=g, **kws)
        np.savetxt(os.path.join(OUT, f"xftf_{name}.txt"),
                   np.column_stack([g.r, g.chir_re, g.chir_im, g.chir_mag]),
                   fmt="%.16e",
                   header=f"xftf of mix_file.dat with {kws}\n"
                          "r chir_re chir_im chir_mag")


if __name__ == "__main__":
    main()
