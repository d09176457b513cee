#!/usr/bin/python3
"""Ensemble statistics computed independently with numpy, for
sel:stats, sel:histogram and sel:spread (tests/data/goldens/stats/):

  reff_moments.txt   for each path type of tests/data/uo2_feff85 (all four
                     folders, every path): n, weight, mean, variance, c3,
                     min, max of reff, each path weighted by its degeneracy
  histogram_UO.txt   U-O reff in 20 bins over 2.0 .. 3.2 Å: centre, weight
  geometry_UOU.txt   the paths of type U-O-U: moments (as above) of their
                     leg lengths (all legs) and of their angles at each
                     scatterer (degrees; 180 is straight on), from the
                     atoms' coordinates in the path files
  convergence_UO.txt U-O paths with reff <= 3.0, k 3..12, k-weight 2: for
                     each step by frames (frame 500, then both) and by
                     absorbers per frame (atom 0 of each, then both): the
                     folders, the distance of the running average to the
                     final one, the largest and the RMS change of k^2 chi
                     over every k, and the standard error ratio
                     sum (k^2 sem)^2 / sum (k^2 final)^2 (sem: ddof 1)
  spread_UO.txt      U-O paths with reff <= 3.0: for each folder, frame,
                     atom and the distance of its sum from the mean of the
                     four, sum (k^2 (chi - mean))^2 / sum (k^2 mean)^2 over
                     3 <= k <= 12; each path's chi(k) is xraylarch's, from
                     goldens/uo2_feff85/*/larch_paths.txt

Run by hand from the repository root: tests/tools/numpy_stats.py
"""
import glob
import os
from collections import defaultdict

import numpy as np

TREE = "tests/data/uo2_feff85"
GOLDENS = "tests/data/goldens/uo2_feff85"
OUT = "tests/data/goldens/stats"


def read_path(name):
    """(type, deg, reff, atoms xyz) from a path file."""
    with open(name) as f:
        lines = f.read().split("\n")
    i = next(n for n, l in enumerate(lines) if "nleg, deg, reff" in l)
    words = lines[i].split()
    nleg, deg, reff = int(words[0]), float(words[1]), float(words[2])
    atoms = [lines[i + 2 + j].split() for j in range(nleg)]
    xyz = np.array([[float(a[0]), float(a[1]), float(a[2])] for a in atoms])
    return "-".join(a[5] for a in atoms), deg, reff, xyz


def moments(x, w):
    x, w = np.asarray(x), np.asarray(w)
    mean = np.sum(w * x) / np.sum(w)
    d = x - mean
    return [len(x), np.sum(w), mean, np.sum(w * d**2) / np.sum(w),
            np.sum(w * d**3) / np.sum(w), x.min(), x.max()]


def main():
    paths = [read_path(n) for n in
             sorted(glob.glob(f"{TREE}/frame_*/atom_*/feff[0-9]*.dat"))]
    by_type = defaultdict(lambda: ([], []))
    for kind, deg, reff, _ in paths:
        by_type[kind][0].append(reff)
        by_type[kind][1].append(deg)
    with open(os.path.join(OUT, "reff_moments.txt"), "w") as f:
        f.write("# type n weight mean variance c3 min max (numpy_stats.py)\n")
        for kind in sorted(by_type):
            f.write(kind + " " + " ".join(
                f"{v:.17g}" for v in moments(*by_type[kind])) + "\n")

    x, w = by_type["U-O"]
    counts, edges = np.histogram(x, bins=20, range=(2.0, 3.2), weights=w)
    np.savetxt(os.path.join(OUT, "histogram_UO.txt"),
               np.column_stack([(edges[:-1] + edges[1:]) / 2, counts]),
               fmt="%.17g", header="U-O reff histogram, 20 bins 2.0..3.2\n"
                                   "centre weight")

    legs, angles, lw, aw = [], [], [], []
    for kind, deg, _, xyz in paths:
        if kind != "U-O-U":
            continue
        n = len(xyz)
        for j in range(n):
            legs.append(np.linalg.norm(xyz[(j + 1) % n] - xyz[j]))
            lw.append(deg)
        for s in range(1, n):
            u, v = xyz[s - 1] - xyz[s], xyz[(s + 1) % n] - xyz[s]
            angles.append(np.degrees(np.arctan2(np.linalg.norm(np.cross(u, v)),
                                                np.dot(u, v))))
            aw.append(deg)
    with open(os.path.join(OUT, "geometry_UOU.txt"), "w") as f:
        f.write("# what n weight mean variance c3 min max (numpy_stats.py)\n")
        f.write("legs " + " ".join(f"{v:.17g}" for v in moments(legs, lw)) + "\n")
        f.write("angles " + " ".join(f"{v:.17g}" for v in moments(angles, aw)) + "\n")

    sums = []
    for folder in sorted(glob.glob(f"{TREE}/frame_*/atom_*")):
        rel = os.path.relpath(folder, TREE)
        golden = os.path.join(GOLDENS, rel, "larch_paths.txt")
        with open(golden) as f:
            names = f.readline().split()[2:]
        data = np.loadtxt(golden)
        total = np.zeros(len(data))
        for col, name in enumerate(names, 1):
            kind, _, reff, _ = read_path(os.path.join(folder, name))
            if kind == "U-O" and reff <= 3.0:
                total += data[:, col]
        frame = int(rel.split("/")[0][6:])
        atom = int(rel.split("/")[1][5:])
        sums.append((frame, atom, data[:, 0], total))
    mean = np.mean([s[3] for s in sums], axis=0)
    k = sums[0][2]
    sel = (k >= 3) & (k <= 12)
    with open(os.path.join(OUT, "convergence_UO.txt"), "w") as f:
        f.write("# by step folders distance max_abs_change rms_change sem_ratio\n")
        frames = sorted({s[0] for s in sums})
        steps = {"frames": [[s for s in sums if s[0] <= fr] for fr in frames],
                 "atoms": [[s for s in sums if s[1] < m] for m in (1, 2)]}
        for by, groups in steps.items():
            for step, group in enumerate(groups, 1):
                chis = np.array([g[3] for g in group])
                avg = chis.mean(axis=0)
                sem = chis.std(axis=0, ddof=1) / np.sqrt(len(group))
                den = np.sum((k[sel]**2 * mean[sel])**2)
                dist = np.sum((k[sel]**2 * (avg[sel] - mean[sel]))**2) / den
                diff = k**2 * (avg - mean)
                ratio = np.sum((k[sel]**2 * sem[sel])**2) / den
                f.write(f"{by} {step} {len(group)} {dist:.17g} "
                        f"{np.max(np.abs(diff)):.17g} "
                        f"{np.sqrt(np.mean(diff**2)):.17g} {ratio:.17g}\n")
    with open(os.path.join(OUT, "spread_UO.txt"), "w") as f:
        f.write("# frame atom distance (U-O <= 3.0, k 3..12, kweight 2)\n")
        for frame, atom, _, total in sums:
            d = np.sum((k[sel]**2 * (total[sel] - mean[sel]))**2) / \
                np.sum((k[sel]**2 * mean[sel])**2)
            f.write(f"{frame} {atom} {d:.17g}\n")


if __name__ == "__main__":
    main()
