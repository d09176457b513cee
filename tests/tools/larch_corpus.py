#!/usr/bin/python3
"""xraylarch goldens for the path-file corpus (tests/data/corpus).

For each folder of the corpus writes
tests/data/goldens/corpus/<folder>/larch_paths.txt: k = 0, 0.05, ..., 20,
then chi(k) of every path file of the folder in name order
(`feffpath(file)` then `path2chi(path, k=k)`), named on the `# k ...`
line; and larch_paths_params.txt, the same with the path parameters on
its `# params` line. Needs Debian's python3-xraylarch (0.9.58); run by
hand from the repository root, never in CI.
"""
import glob
import os

import numpy as np
from larch.xafs import feffpath, path2chi

CORPUS = "tests/data/corpus"
OUT = "tests/data/goldens/corpus"
K = 0.05 * np.arange(401)
PARAMS = dict(s02=0.85, e0=3.5, sigma2=0.0062, deltar=0.021, third=0.0011,
              fourth=0.00013, ei=0.7)


def chi(name, **params):
    path = feffpath(name, **params)
    path2chi(path, k=K)
    return path.chi


def write(folder, names, cols, header):
    out = os.path.join(OUT, os.path.relpath(folder, CORPUS))
    os.makedirs(out, exist_ok=True)
    np.savetxt(os.path.join(out, header[0]), np.column_stack([K] + cols),
               fmt="%.16e", comments="# ",
               header="\n".join(header[1:] + ["k " + " ".join(names)]))


def main():
    for folder in sorted(glob.glob(os.path.join(CORPUS, "*"))):
        files = sorted(glob.glob(os.path.join(folder, "*.dat")))
        names = [os.path.basename(f) for f in files]
        write(folder, names, [chi(f) for f in files], ["larch_paths.txt"])
        pars = " ".join(f"{k}={v}" for k, v in PARAMS.items())
        write(folder, names, [chi(f, **PARAMS) for f in files],
              ["larch_paths_params.txt", f"params {pars}"])
        print(f"{folder}: {len(files)} paths")


if __name__ == "__main__":
    main()
