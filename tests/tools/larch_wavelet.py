#!/usr/bin/python3
"""Make the xraylarch cauchy_wavelet goldens for mdexafs's wavelet.

Writes into tests/data/goldens/wavelet/ (run from the repository root),
for the chi(k) of tests/data/goldens/fit/ensemble.chik (k 0 .. 15, step
0.05) and each case below, larch's wavelet (larch.xafs.cauchy_wavelet):

  <case>.txt   'name value' lines: nk, nr (the map's size), peak (the
               largest |W|), r_last (its last R), then every 8th R row and
               every 6th k column of the map: 'w I J re im mag' lines
               (0-based row I, column J), all with 17 digits.

Cases: kw2 (kweight 2, rmax_out 10, nfft 2048), kw3 (kweight 3, rmax_out
6, nfft 1024).

Needs Debian's python3-xraylarch; run by hand, never in CI.
"""
import os

import numpy as np
from larch import Group
from larch.xafs import cauchy_wavelet

DATA = "tests/data/goldens/fit/ensemble.chik"
OUT = "tests/data/goldens/wavelet"


def main():
    k, chi = np.loadtxt(DATA).T[:2]
    for case, kw, rmax, nfft in (("kw2", 2, 10, 2048), ("kw3", 3, 6, 1024)):
        g = Group()
        cauchy_wavelet(k, chi, group=g, kweight=kw, rmax_out=rmax, nfft=nfft)
        w = g.wcauchy
        lines = ["nk %d" % w.shape[1], "nr %d" % w.shape[0],
                 "peak %.17g" % np.abs(w).max(), "r_last %.17g" % g.r[-1]]
        for i in range(0, w.shape[0], 8):
            for j in range(0, w.shape[1], 6):
                lines.append("w %d %d %.17g %.17g %.17g" % (
                    i, j, w[i, j].real, w[i, j].imag, g.wcauchy_mag[i, j]))
        with open(os.path.join(OUT, case + ".txt"), "w") as f:
            f.write("\n".join(lines) + "\n")
        print(case, w.shape, np.abs(w).max())


if __name__ == "__main__":
    main()
