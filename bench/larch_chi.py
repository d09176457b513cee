#!/usr/bin/python3
"""Reference timing: xraylarch's feffpath + path2chi per path file.

Usage: python3 bench/larch_chi.py [-n MAX_FILES] DIR...
Needs Debian's python3-xraylarch; not run in CI.
"""
import argparse
import glob
import os
import time

import numpy as np
from larch.xafs import feffpath, path2chi


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=300, help="at most this many files")
    ap.add_argument("dirs", nargs="+")
    args = ap.parse_args()
    files = sorted(f for d in args.dirs
                   for f in glob.glob(os.path.join(d, "**", "feff[0-9]*.dat"),
                                      recursive=True))[:args.n]
    k = 0.05 * np.arange(401)
    t0 = time.perf_counter()
    for f in files:
        path2chi(feffpath(f), k=k)
    dt = time.perf_counter() - t0
    print(f"xraylarch: {len(files)} paths, {1e6 * dt / len(files):.0f} us/path, "
          f"{len(files) / dt:.0f} paths/s (one process)")


if __name__ == "__main__":
    main()
