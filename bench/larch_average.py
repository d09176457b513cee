#!/usr/bin/python3
"""Reference timing: a multipath average with xraylarch, as the reference
workflow computes it from the files: read every path file of every
frame_N/.../atom_M folder, keep the selected types below their reff limit,
compute their chi(k) with path2chi, sum per folder, average the sums.

Usage: bench/larch_average.py TREE OUT TYPE:RMAX...
Needs Debian's python3-xraylarch; not run in CI.
"""
import glob
import os
import re
import sys
import time

import numpy as np
from larch.xafs import feffpath, path2chi


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    tree, out = sys.argv[1], sys.argv[2]
    limits = {t: float(r) for t, r in (a.split(":") for a in sys.argv[3:])}
    k = 0.05 * np.arange(401)
    t0 = time.perf_counter()
    folders = sorted(d for d, _, _ in os.walk(tree)
                     if re.search(r"frame_\d+/(.*/)?atom_\d+$", d))
    sums, npaths, nfiles = [], 0, 0
    for d in folders:
        total, n = np.zeros_like(k), 0
        for f in sorted(glob.glob(os.path.join(d, "feff[0-9]*.dat"))):
            nfiles += 1
            p = feffpath(f)
            ptype = "-".join(g[0] for g in p._feffdat.geom)
            if ptype in limits and p.reff <= limits[ptype]:
                path2chi(p, k=k)
                total += p.chi
                n += 1
        if n:
            sums.append(total)
            npaths += n
    mean = np.mean(sums, axis=0)
    np.savetxt(out, np.column_stack([k, mean]), fmt="%.6f")
    dt = time.perf_counter() - t0
    print(f"xraylarch: {len(sums)} folders, {nfiles} files read, {npaths} paths "
          f"summed in {dt:.2f} s")


if __name__ == "__main__":
    main()
