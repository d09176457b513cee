#!/usr/bin/python3
"""Make the xraylarch golden for paths that mdexafs read from a feff.bin
and wrote back as feffNNNN.dat files.

Usage (from the repository root, with build/bin/mdexafs built):

    python3 tests/tools/larch_feffbin_reexport.py

Builds a database from the feff.bin-only folder
tests/data/uo2_feffbin/frame_910/atom_0, exports every 25th path with
recipes/export_paths.lua, and writes
tests/data/goldens/feffbin/reexport_larch.txt: k, then for each exported
path the chi(k) xraylarch's feffpath + path2chi gives from that file
(column labels feff.bin:N). The e2e spec checks that mdexafs's chi(k) of
those paths, straight from the feff.bin, agrees to 1e-12.

Needs Debian's python3-xraylarch; run by hand, never in CI.
"""
import glob
import os
import shutil
import subprocess
import tempfile

import numpy as np
from larch.xafs import feffpath, path2chi

MDX = "build/bin/mdexafs"
FOLDER = "tests/data/uo2_feffbin/frame_910"
OUT = "tests/data/goldens/feffbin/reexport_larch.txt"
EVERY = 25
K = 0.05 * np.arange(401)


def main():
    tmp = tempfile.mkdtemp()
    try:
        tree = os.path.join(tmp, "tree")
        os.makedirs(tree)
        shutil.copytree(FOLDER, os.path.join(tree, "frame_910"))
        db = os.path.join(tmp, "chi.db")
        out = os.path.join(tmp, "out")
        subprocess.run([MDX, "build", "-q", tree, "-o", db], check=True)
        subprocess.run([MDX, "export_paths", "-q", db, out], check=True)
        names = sorted(glob.glob(os.path.join(out, "frame_910", "atom_0",
                                              "feff*.dat")))[::EVERY]
        columns, labels = [K], ["k"]
        for name in names:
            path = feffpath(name)
            path2chi(path, k=K)
            columns.append(path.chi)
            labels.append("feff.bin:%d" % int(os.path.basename(name)[4:8]))
        np.savetxt(OUT, np.column_stack(columns), fmt="%.17g",
                   header="xraylarch chi(k) of feff.bin paths re-exported "
                   "by mdexafs\n" + " ".join(labels))
        print(f"{len(names)} paths into {OUT}")
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
