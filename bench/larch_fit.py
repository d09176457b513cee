#!/usr/bin/python3
"""Reference timing: xraylarch's feffit on the problem bench/fit_bench.lua
fits (amp, e0 in -10..10, ss2; every path with reff <= RMAX of every
frame_*/atom_* folder of TREE; k 3..13, kweight 2, dk 2 kaiser, R
1.4..4.2), reading the path files included.

Usage: python3 bench/larch_fit.py TREE DATA RMAX
Needs Debian's python3-xraylarch; not run in CI.
"""
import glob
import sys
import time

import numpy as np
from larch import Group
from larch.fitting import guess, param, param_group
from larch.xafs import feffit, feffit_dataset, feffit_transform, feffpath


def main():
    tree, data, rmax = sys.argv[1], sys.argv[2], float(sys.argv[3])
    k, chi = np.loadtxt(data, unpack=True, usecols=(0, 1))
    t0 = time.perf_counter()
    folders = sorted(glob.glob(tree + "/**/atom_*", recursive=True))
    paths = {}
    for folder in folders:
        for name in sorted(glob.glob(folder + "/feff[0-9]*.dat")):
            p = feffpath(name, s02="amp/nfolders", e0="e0", sigma2="ss2")
            if p.reff <= rmax:
                paths[f"p{len(paths)}"] = p
    pars = param_group(amp=guess(1.0), e0=param(0.0, vary=True, min=-10, max=10),
                       ss2=guess(0.003), nfolders=param(len(folders)))
    tr = feffit_transform(kmin=3, kmax=13, kweight=2, dk=2, window="kaiser",
                          rmin=1.4, rmax=4.2, fitspace="r")
    out = feffit(pars, feffit_dataset(data=Group(k=k, chi=chi), paths=paths,
                                      transform=tr))
    dt = time.perf_counter() - t0
    print(f"xraylarch feffit: {len(paths)} paths of {len(folders)} folders, "
          f"{out.nfev} evaluations, {dt:.2f} s (amp {out.paramgroup.amp.value:.4f})")


if __name__ == "__main__":
    main()
