#!/usr/bin/python3
"""Averages computed independently with numpy, for the denominator and
the chi.dat alignment (tests/data/goldens/science/):

  denominator.txt  U-O paths with reff <= 2.22 Å of tests/data/uo2_feff85
                   (only two of its four folders have one): k, the mean
                   over all four folders (a folder without selected paths
                   counts as zero), and the mean over the two that have
                   some (the reference workflow's rule, empty = "skip").
                   Each path's chi(k) is xraylarch's, from the goldens
                   goldens/uo2_feff85/*/larch_paths.txt.
  chidat_grids.txt FEFF's chi.dat files of tests/data/uo2_feff85 put on
                   different k grids (GRIDS below: as is; a row at k = 0
                   added; the first two rows dropped; the last ten rows
                   dropped): k and the mean chi over the k values all four
                   have (0.15 .. 19.5), matched by value, not by row.

Run by hand from the repository root: tests/tools/numpy_goldens.py
"""
import glob
import os

import numpy as np

TREE = "tests/data/uo2_feff85"
GOLDENS = "tests/data/goldens/uo2_feff85"
OUT = "tests/data/goldens/science"
RMAX = 2.22


def header(path_file):
    """(reff, type) from a path file's nleg line and atom labels."""
    with open(path_file) as f:
        lines = f.read().split("\n")
    i = next(n for n, l in enumerate(lines) if "nleg, deg, reff" in l)
    nleg, reff = int(lines[i].split()[0]), float(lines[i].split()[2])
    labels = [lines[i + 2 + j].split()[5] for j in range(nleg)]
    return reff, "-".join(labels)


def folder_sum(folder):
    rel = os.path.relpath(folder, TREE)
    golden = os.path.join(GOLDENS, rel, "larch_paths.txt")
    with open(golden) as f:
        names = f.readline().split()[2:]
    data = np.loadtxt(golden)
    total, npaths = np.zeros(len(data)), 0
    for col, name in enumerate(names, 1):
        reff, kind = header(os.path.join(folder, name))
        if kind == "U-O" and reff <= RMAX:
            total += data[:, col]
            npaths += 1
    return data[:, 0], total, npaths


# How each folder's chi.dat rows (k, chi) are changed, in folder order.
GRIDS = [
    lambda rows: rows,
    lambda rows: np.vstack([[0.0, rows[0, 1]], rows]),
    lambda rows: rows[2:],
    lambda rows: rows[:-10],
]


def chidat_grids():
    folders = sorted(glob.glob(f"{TREE}/frame_*/atom_*"))
    grids = [change(np.loadtxt(os.path.join(f, "chi.dat"))[:, :2])
             for f, change in zip(folders, GRIDS)]
    common = sorted(set.intersection(*(set(g[:, 0]) for g in grids)))
    chi = [np.array([g[g[:, 0] == k, 1][0] for k in common]) for g in grids]
    np.savetxt(os.path.join(OUT, "chidat_grids.txt"),
               np.column_stack([common, np.mean(chi, axis=0)]), fmt="%.16e",
               header=f"chi.dat of {TREE} on changed grids (numpy_goldens.py)"
                      "\nk mean_chi")


def main():
    chidat_grids()
    sums = [folder_sum(f) for f in sorted(glob.glob(f"{TREE}/frame_*/atom_*"))]
    k = sums[0][0]
    zero = np.mean([s for _, s, _ in sums], axis=0)
    skip = np.mean([s for _, s, n in sums if n > 0], axis=0)
    np.savetxt(os.path.join(OUT, "denominator.txt"),
               np.column_stack([k, zero, skip]), fmt="%.16e",
               header=f"U-O reff <= {RMAX} in {TREE}: folders with paths "
                      f"{sum(n > 0 for _, _, n in sums)} of {len(sums)}\n"
                      "k mean_all_folders mean_folders_with_paths")


if __name__ == "__main__":
    main()
