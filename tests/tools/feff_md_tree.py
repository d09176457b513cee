#!/usr/bin/python3
"""Make a real FEFF tree of thermally disordered UO2, as an MD workflow
would: frame_F/atom_A folders, each a FEFF run on the cluster around one
U atom of snapshot F. Used by the tests (tests/python/test_real_feff.py
runs it in CI) and by hand to find FEFF's quirks:

    tests/tools/feff_md_tree.py OUT [--code feff8l|feff6l] [--frames N]
        [--atoms N] [--first F] [--jobs N] [--seed S]

A snapshot is fluorite UO2 (a = 5.47 Å) in a periodic 3x3x3 supercell with
every atom displaced by a Gaussian of 0.08 Å per axis, seeded by the seed
and the frame number, so a tree is the same from run to run (FEFF's own
output is the same for the same FEFF build). The absorbers of a frame are
U atoms picked at random (seeded); each cluster holds every atom within
CUTOFF of its absorber under periodic boundaries. FEFF is Debian's feff8l
(FEFF 8.50L, no SCF, RPATH 6.5, NLEGS 8: ~290 paths a folder) or feff6l
(FEFF 6L, RMAX 6.0, NLEG 4: ~225), with curved-wave criteria that drop
some paths, so that FEFF 8.5's "Path N" (a path's rank among those kept)
differs from its file number (the path's index). The folder keeps
feff.inp, files.dat, paths.dat, chi.dat and the path files, nothing else
FEFF writes.
"""
import argparse
import concurrent.futures
import os
import shutil
import subprocess
import sys

import numpy as np

A = 5.47          # lattice constant, Å
CELLS = 3         # supercell edge in unit cells
SIGMA = 0.08      # thermal displacement per axis, Å
CUTOFF = 7.0      # cluster radius, Å (< half the supercell edge)
KEEP = ("feff.inp", "files.dat", "paths.dat", "chi.dat")

HEADER = {
    "feff8l": """TITLE   UO2 MD snapshot frame {frame} atom {atom}
EDGE      L3
S02       1.0
CONTROL   1      1     1     1     1      1
PRINT     1      0     0     0     0      3
EXCHANGE  0      0   0
EXAFS 20.0
RPATH    6.5
NLEGS    8
CRITERIA  2.0  1.5
""",
    "feff6l": """TITLE   UO2 MD snapshot frame {frame} atom {atom}
HOLE      4   1.0
CONTROL   1      1     1     1
PRINT     1      0     0     0
RMAX     6.0
NLEG     4
CRITERIA  2.0  1.5
""",
}


def supercell(frame, seed):
    """Positions (Å) and 'U'/'O' of one disordered snapshot, and its box."""
    u = np.array([[0, 0, 0], [0, .5, .5], [.5, 0, .5], [.5, .5, 0]])
    o = np.array([[x, y, z] for x in (.25, .75) for y in (.25, .75)
                  for z in (.25, .75)])
    cells = np.array([[i, j, k] for i in range(CELLS) for j in range(CELLS)
                      for k in range(CELLS)])
    pos = np.concatenate([(cells[:, None, :] + u[None]).reshape(-1, 3),
                          (cells[:, None, :] + o[None]).reshape(-1, 3)]) * A
    kinds = ["U"] * (len(cells) * 4) + ["O"] * (len(cells) * 8)
    rng = np.random.default_rng([seed, frame])
    return pos + rng.normal(0, SIGMA, pos.shape), kinds, A * CELLS


def cluster(pos, kinds, box, centre):
    """Atoms within CUTOFF of atom `centre`, minimum image, nearest first."""
    d = pos - pos[centre]
    d -= box * np.round(d / box)
    r = np.linalg.norm(d, axis=1)
    order = [i for i in np.argsort(r, kind="stable") if r[i] <= CUTOFF]
    assert order[0] == centre
    return [(d[i], kinds[i]) for i in order]


def feff_inp(code, frame, atom, atoms):
    lines = [HEADER[code].format(frame=frame, atom=atom), "POTENTIALS",
             "    0   92    U", "    1   92    U", "    2   8     O", "",
             "ATOMS"]
    for n, (xyz, kind) in enumerate(atoms):
        ipot = 0 if n == 0 else (1 if kind == "U" else 2)
        lines.append("%.6f\t%.6f\t%.6f\t%d\t%s" % (*xyz, ipot, kind))
    lines.append("END")
    return "\n".join(lines) + "\n"


def run(code, folder):
    """Run FEFF in folder; keep only what a tree needs."""
    done = subprocess.run([code], cwd=folder, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    if done.returncode:
        sys.exit("%s: %s failed: %s" % (folder, code, done.stderr[-500:]))
    for name in os.listdir(folder):
        if name not in KEEP and not (name.startswith("feff")
                                     and name.endswith(".dat")):
            path = os.path.join(folder, name)
            shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)
    return folder


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out")
    p.add_argument("--code", choices=sorted(HEADER), default="feff8l")
    p.add_argument("--frames", type=int, default=4)
    p.add_argument("--atoms", type=int, default=2)
    p.add_argument("--first", type=int, default=0)
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    p.add_argument("--seed", type=int, default=2026)
    a = p.parse_args()
    folders = []
    for frame in range(a.first, a.first + a.frames):
        pos, kinds, box = supercell(frame, a.seed)
        u_atoms = [i for i, k in enumerate(kinds) if k == "U"]
        rng = np.random.default_rng([a.seed, frame, 1])
        for atom in sorted(rng.choice(u_atoms, a.atoms, replace=False)):
            folder = os.path.join(a.out, "frame_%d" % frame, "atom_%d" % atom)
            os.makedirs(folder, exist_ok=True)
            with open(os.path.join(folder, "feff.inp"), "w") as f:
                f.write(feff_inp(a.code, frame, atom,
                                 cluster(pos, kinds, box, atom)))
            folders.append(folder)
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
        list(pool.map(lambda f: run(a.code, f), folders))


if __name__ == "__main__":
    main()
