#!/usr/bin/python3
"""Hold mdexafs against xraylarch on any folders of path files.

    tests/tools/larch_compare.py [--mdexafs BIN] DIR...

Every file under DIR whose text has a line ending in 'real[p]@#' is read by
xraylarch (feffpath + path2chi on k = 0, 0.05, ..., 20) and by
`mdexafs chi`; prints one line per file where the two disagree (one reads
it and the other refuses, or chi differs by more than 1e-10) and a
summary. Exit status 1 if any disagree. Needs Debian's python3-xraylarch;
run by hand on corpora that are not part of the repository.
"""
import argparse
import io
import os
import subprocess
import sys

import numpy as np
from larch.xafs import feffpath, path2chi

K = 0.05 * np.arange(401)
TOLERANCE = 1e-10


def path_files(folders):
    for top in folders:
        for root, _, names in os.walk(top):
            for name in sorted(names):
                f = os.path.join(root, name)
                with open(f, "rb") as fh:
                    if b"real[p]@#" in fh.read():
                        yield f


def larch_chi(f):
    try:
        path = feffpath(f)
        path2chi(path, k=K)
        return path.chi, None
    except Exception as e:  # larch refuses the file
        return None, f"{type(e).__name__}: {e}"


def mdexafs_chi(binary, f):
    run = subprocess.run([binary, "chi", f], capture_output=True, text=True)
    if run.returncode != 0:
        return None, run.stderr.strip()
    return np.loadtxt(io.StringIO(run.stdout))[:, 1], None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mdexafs", default="build/bin/mdexafs")
    ap.add_argument("dirs", nargs="+")
    args = ap.parse_args()
    n = both = refused = 0
    disagree = []
    worst = 0.0
    for f in path_files(args.dirs):
        n += 1
        lc, lerr = larch_chi(f)
        mc, merr = mdexafs_chi(args.mdexafs, f)
        if lc is None and mc is None:
            refused += 1
        elif lc is None or mc is None:
            disagree.append(f"{f}: larch {lerr or 'reads it'}; "
                            f"mdexafs {merr or 'reads it'}")
        else:
            d = float(np.max(np.abs(lc - mc)))
            worst = max(worst, d)
            both += 1
            if not d <= TOLERANCE:
                disagree.append(f"{f}: chi differs by {d:.3g}")
    for line in disagree:
        print(line)
    print(f"{n} files: {both} read by both (worst |chi diff| {worst:.3g}), "
          f"{refused} refused by both, {len(disagree)} disagree")
    return 1 if disagree else 0


if __name__ == "__main__":
    sys.exit(main())
