#!/usr/bin/python3
"""References for the C tests of the core (tests/c/test_xft.c and
test_stats.c), written into tests/data/goldens/core/ (run from the
repository root):

  ftwindow.txt   xraylarch's ftwindow on x = 0 .. 20 step 0.05 for each
                 window kind, with xmin 3, xmax 14, dx 2 and dx2 1 (a
                 different taper at the end): column x, then one column per
                 window in mdexafs's enum order
  histogram.txt  numpy.histogram of the values and weights below over
                 [1, 2) in 5 bins, several values on bin edges: one line of
                 counts, then the weight outside [1, 2]
  moments.txt    np.average of the same values and weights: weight, mean,
                 variance, third central moment

Needs Debian's python3-xraylarch (0.9.58); run by hand, never in CI.
"""
import numpy as np
from larch.xafs import ftwindow

OUT = "tests/data/goldens/core"
WINDOWS = ["hanning", "fhanning", "gaussian", "kaiser", "parzen", "welch",
           "sine", "bessel"]
# Mirrored in tests/c/test_stats.c.
VALUES = [1.0, 1.2, 1.4, 1.6, 1.8, 2.0, 1.1, 1.9999, 0.5, 2.5, 1.35]
WEIGHTS = [1.0, 2.0, 0.5, 1.5, 3.0, 1.0, 0.25, 2.0, 4.0, 1.0, 0.75]


def main():
    x = 0.05 * np.arange(401)
    cols = [ftwindow(x, xmin=3, xmax=14, dx=2, dx2=1, window=w)
            for w in WINDOWS]
    np.savetxt(f"{OUT}/ftwindow.txt", np.column_stack([x] + cols),
               fmt="%.17g", header="larch ftwindow xmin 3 xmax 14 dx 2 dx2 1 "
               "(tests/tools/numpy_core.py)\nx " + " ".join(WINDOWS))
    v, w = np.array(VALUES), np.array(WEIGHTS)
    counts, _ = np.histogram(v, bins=5, range=(1.0, 2.0), weights=w)
    outside = w[(v < 1.0) | (v > 2.0)].sum()
    with open(f"{OUT}/histogram.txt", "w") as f:
        f.write("# numpy.histogram, 5 bins over [1, 2] (tests/tools/numpy_core.py)\n")
        f.write(" ".join(f"{c:.17g}" for c in counts) + "\n")
        f.write(f"{outside:.17g}\n")
    mean = np.average(v, weights=w)
    with open(f"{OUT}/moments.txt", "w") as f:
        f.write("# weight mean variance c3 by np.average (tests/tools/numpy_core.py)\n")
        f.write(" ".join(f"{x:.17g}" for x in (
            w.sum(), mean, np.average((v - mean) ** 2, weights=w),
            np.average((v - mean) ** 3, weights=w))) + "\n")


if __name__ == "__main__":
    main()
