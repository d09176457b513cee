#!/usr/bin/python3
"""Make the xraylarch lincombo_fit goldens for mdexafs.lcf.

Writes into tests/data/goldens/lcf/ (run from the repository root):

  comp1.chik, comp2.chik, comp3.chik   components on k = 0 .. 15 step
        0.05: the average over its two atoms of every path of
        uo2_feff85 frame 500 with reff <= 4.0 (comp1), of frame 510
        (comp2), and of frame 500 again with sigma2 0.01 (comp3), all
        with s02 0.9 and sigma2 0.004 unless said (larch's feffpath and
        path2chi)
  mix.chik      0.35 comp1 + 0.65 comp2 plus noise 0.001 (seeded)
  mix3.chik     0.2 comp1 + 0.5 comp2 + 0.25 comp3 plus noise 0.001
  <case>.txt    lincombo_fit's result: 'name value' lines of each weight
                (weight_N), its stderr (stderr_N), chisqr, redchi, rfactor,
                ndata, nvarys

Cases (k^2 chi fitted between k = 3 and 12: larch is given energy = k
and norm = k^2 chi; minvals 0): two (mix.chik, comp1 and comp2,
sum_to_one), three (mix3.chik, all three, not summing to one).

Needs Debian's python3-xraylarch; run by hand, never in CI.
"""
import glob
import os

import numpy as np
from larch import Group
from larch.math.lincombo_fitting import lincombo_fit
from larch.xafs import feffpath, path2chi

TREE = "tests/data/uo2_feff85"
OUT = "tests/data/goldens/lcf"
K = np.arange(0, 15.0001, 0.05)


def component(frame, sigma2):
    chi = np.zeros(len(K))
    folders = sorted(glob.glob("%s/frame_%d/atom_*" % (TREE, frame)))
    for folder in folders:
        for name in sorted(glob.glob(folder + "/feff[0-9]*.dat")):
            p = feffpath(name, s02=0.9, sigma2=sigma2)
            if p.reff <= 4.0:
                path2chi(p, k=K)
                chi += p.chi / len(folders)
    return chi


def write(name, chi):
    np.savetxt(os.path.join(OUT, name), np.column_stack([K, chi]),
               fmt="%.17g", header="k chi")


def group(chi):
    return Group(energy=K, norm=K ** 2 * chi)


def fit(case, data, comps, sum_to_one):
    out = lincombo_fit(group(data), [group(c) for c in comps],
                       minvals=[0] * len(comps), xmin=3, xmax=12,
                       sum_to_one=sum_to_one)
    lines = []
    for i, p in enumerate(out.params.values()):
        if p.name.startswith("c"):
            lines.append("weight_%d %.17g" % (i, p.value))
            lines.append("stderr_%d %.17g" % (i, p.stderr))
    for key in ("chisqr", "redchi"):
        lines.append("%s %.17g" % (key, getattr(out, key)))
    lines.append("rfactor %.17g" % out.result.rfactor)
    lines.append("ndata %d" % out.result.ndata)
    lines.append("nvarys %d" % out.result.nvarys)
    with open(os.path.join(OUT, case + ".txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print(case, lines)


def main():
    rng = np.random.default_rng(3)
    c1, c2, c3 = component(500, 0.004), component(510, 0.004), \
        component(500, 0.01)
    for i, c in enumerate((c1, c2, c3), 1):
        write("comp%d.chik" % i, c)
    mix = 0.35 * c1 + 0.65 * c2 + rng.normal(0, 0.001, len(K))
    mix3 = 0.2 * c1 + 0.5 * c2 + 0.25 * c3 + rng.normal(0, 0.001, len(K))
    write("mix.chik", mix)
    write("mix3.chik", mix3)
    fit("two", mix, [c1, c2], True)
    fit("three", mix3, [c1, c2, c3], False)


if __name__ == "__main__":
    main()
