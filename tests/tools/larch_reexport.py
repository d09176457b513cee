#!/usr/bin/python3
"""Check that xraylarch reads paths re-exported by mdexafs and gets the
same chi(k) as from the original files, bit for bit.

Usage: python3 tests/tools/larch_reexport.py ORIGINAL_DIR EXPORTED_DIR
(EXPORTED_DIR made by recipes/export_paths.lua). Needs python3-xraylarch.
"""
import glob
import os
import sys

import numpy as np
from larch.xafs import feffpath, path2chi

K = 0.05 * np.arange(401)


def chi(name):
    path = feffpath(name)
    path2chi(path, k=K)
    return path.chi


def main():
    original, exported = sys.argv[1:3]
    names = sorted(glob.glob(os.path.join(exported, "feff[0-9]*.dat")))
    worst = 0.0
    for name in names:
        a = chi(os.path.join(original, os.path.basename(name)))
        b = chi(name)
        worst = max(worst, float(np.max(np.abs(a - b))))
    print(f"{len(names)} paths, largest difference {worst:g}")
    sys.exit(0 if names and worst == 0 else 1)


if __name__ == "__main__":
    main()
