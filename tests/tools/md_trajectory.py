#!/usr/bin/python3
"""Make a real MD trajectory for the trajectory readers' tests: copper
(ASE's EMT potential) run with Langevin dynamics at 600 K, written by ASE
as extended XYZ and, from the same frames, as a LAMMPS text dump (the
cell in LAMMPS's restricted triclinic orientation through ASE's Prism,
rows in a shuffled order, ids = ASE index + 1):

    tests/tools/md_trajectory.py OUTDIR [--frames N] [--seed S]

Two systems: cu_cubic (3x3x3 conventional fcc cells, orthogonal, 108
atoms, dump with unwrapped xu yu zu) and cu_tri (4x4x4 primitive fcc
cells, triclinic, 64 atoms, dump with scaled xs ys zs). Both cells are
about 10 Å across, so a 6 Å cutoff reaches beyond half a cell.

And the quick start's example, uo2.xyz: three snapshots of fluorite UO2
(2x2x2 cells, a = 5.47 Å, 96 atoms) with every atom displaced by a
Gaussian of 0.08 Å per axis (no EMT potential for U and O), written as
the reference workflow's CP2K-style XYZ: numeric types (1 U, 2 O), no
cell (its configuration gives it).
"""
import argparse
import os

import numpy as np
from ase import Atoms, units
from ase.build import bulk
from ase.calculators.emt import EMT
from ase.calculators.lammps import Prism
from ase.io import write
from ase.md.langevin import Langevin
from ase.md.velocitydistribution import MaxwellBoltzmannDistribution


def run(atoms, frames, seed):
    """frames snapshots of an NVT Langevin run, 10 steps of 5 fs apart."""
    atoms.calc = EMT()
    rng = np.random.default_rng(seed)
    MaxwellBoltzmannDistribution(atoms, temperature_K=600, rng=rng)
    dyn = Langevin(atoms, 5 * units.fs, temperature_K=600, friction=0.02, rng=rng)
    out = []
    for _ in range(frames):
        dyn.run(10)
        snap = atoms.copy()
        snap.calc = None
        out.append(snap)
    return out


def write_dump(path, snaps, scaled, seed):
    """A LAMMPS text dump of snaps: TIMESTEP, NUMBER OF ATOMS, BOX BOUNDS
    (with xy xz yz when tilted), ATOMS id type x y z (or xs ys zs; or xu
    yu zu), rows shuffled."""
    rng = np.random.default_rng(seed)
    with open(path, "w") as f:
        for step, atoms in enumerate(snaps):
            prism = Prism(atoms.cell.array)
            xhi, yhi, zhi, xy, xz, yz = prism.get_lammps_prism()
            pos = prism.vector_to_lammps(atoms.positions, wrap=False)
            tilted = any(abs(t) > 0 for t in (xy, xz, yz))
            f.write(f"ITEM: TIMESTEP\n{10 * step}\nITEM: NUMBER OF ATOMS\n{len(atoms)}\n")
            lo = (min(0.0, xy, xz, xy + xz), max(0.0, xy, xz, xy + xz))
            if tilted:
                f.write("ITEM: BOX BOUNDS xy xz yz pp pp pp\n")
                f.write(f"{lo[0]:.16e} {xhi + lo[1]:.16e} {xy:.16e}\n")
                f.write(f"{min(0.0, yz):.16e} {yhi + max(0.0, yz):.16e} {xz:.16e}\n")
                f.write(f"0.0 {zhi:.16e} {yz:.16e}\n")
            else:
                f.write("ITEM: BOX BOUNDS pp pp pp\n")
                f.write(f"0.0 {xhi:.16e}\n0.0 {yhi:.16e}\n0.0 {zhi:.16e}\n")
            if scaled:
                h = np.array([[xhi, 0, 0], [xy, yhi, 0], [xz, yz, zhi]])
                pos = pos @ np.linalg.inv(h)
                f.write("ITEM: ATOMS id type xs ys zs\n")
            else:
                f.write("ITEM: ATOMS id type xu yu zu\n")
            for i in rng.permutation(len(atoms)):
                f.write(f"{i + 1} 1 {pos[i, 0]:.10f} {pos[i, 1]:.10f} {pos[i, 2]:.10f}\n")


def write_uo2(path, frames, seed):
    """Thermal-noise UO2 snapshots as CP2K-style XYZ with types 1 and 2."""
    rng = np.random.default_rng(seed)
    u = [(0, 0, 0), (0, .5, .5), (.5, 0, .5), (.5, .5, 0)]
    o = [(x, y, z) for x in (.25, .75) for y in (.25, .75) for z in (.25, .75)]
    base = Atoms("U4O8", scaled_positions=u + o, cell=[5.47] * 3, pbc=True) * (2, 2, 2)
    with open(path, "w") as f:
        for i in range(frames):
            pos = base.positions + rng.normal(0, 0.08, base.positions.shape)
            f.write(f"{len(base)}\n i = {i}, time = {i * 5.0:.3f}, E = 0.0\n")
            for sym, p in zip(base.get_chemical_symbols(), pos):
                f.write(f"{1 if sym == 'U' else 2} {p[0]:.8f} {p[1]:.8f} {p[2]:.8f}\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--frames", type=int, default=4)
    ap.add_argument("--seed", type=int, default=2026)
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    systems = {
        "cu_cubic": (bulk("Cu", "fcc", a=3.61, cubic=True) * (3, 3, 3), False),
        "cu_tri": (bulk("Cu", "fcc", a=3.61) * (4, 4, 4), True),
    }
    for name, (atoms, scaled) in systems.items():
        snaps = run(atoms, a.frames, a.seed)
        write(os.path.join(a.outdir, name + ".extxyz"), snaps, format="extxyz")
        write_dump(os.path.join(a.outdir, name + ".dump"), snaps, scaled, a.seed)
    write_uo2(os.path.join(a.outdir, "uo2.xyz"), 3, a.seed)


if __name__ == "__main__":
    main()
