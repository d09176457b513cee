#!/usr/bin/python3
"""Make the path-file corpus: real FEFF runs of several materials, codes
and options, and a few files edited the ways path files are met in the
wild. Writes tests/data/corpus/<run>/feffNNNN.dat (a choice of each run's
paths: the first shells, some multiple-scattering paths, the last one),
tests/data/corpus/variants/*.dat, and the xraylarch goldens (see
larch_corpus.py). Run from the repository root, by hand, never in CI:

    tests/tools/feff_corpus.py && tests/tools/larch_corpus.py

Needs Debian's feff85exafs (feff6l, feff8l). FEFF's own output is not
reproducible bit for bit across builds, so the corpus is committed and this
script documents how it was made.
"""
import glob
import itertools
import math
import os
import re
import shutil
import subprocess
import tempfile

OUT = "tests/data/corpus"
RADIUS = 5.6  # cluster radius, Å

# Unit cells: (lattice constant Å, [(fractional position, potential tag)])
FCC = [(0, 0, 0), (0, .5, .5), (.5, 0, .5), (.5, .5, 0)]


def fcc(a, tag):
    return a, [(p, tag) for p in FCC]


def rocksalt(a, cation, anion):
    return a, ([(p, cation) for p in FCC] +
               [(((x + .5) % 1, y, z), anion) for x, y, z in FCC])


def zincblende(a, cation, anion):
    return a, ([(p, cation) for p in FCC] +
               [((x + .25, y + .25, z + .25), anion) for x, y, z in FCC])


def cluster(cell, absorber_tag):
    """Atoms within RADIUS of an absorber at the origin, nearest first."""
    a, basis = cell
    atoms = []
    for n in itertools.product(range(-3, 4), repeat=3):
        for frac, tag in basis:
            xyz = [(i + f) * a for i, f in zip(n, frac)]
            r = math.sqrt(sum(c * c for c in xyz))
            if r <= RADIUS:
                atoms.append((r, xyz, tag))
    atoms.sort(key=lambda t: (round(t[0], 6), t[1]))
    assert atoms[0][0] == 0 and atoms[0][2] == absorber_tag
    return atoms


def gecl4():
    """A GeCl4 molecule: Ge at the centre, Cl at 2.11 Å on a tetrahedron."""
    d = 2.11 / math.sqrt(3)
    return [(0, [0, 0, 0], "Ge")] + [
        (2.11, [sx * d, sy * d, sx * sy * d], "Cl")
        for sx, sy in ((1, 1), (1, -1), (-1, 1), (-1, -1))]


# Runs: name -> (code, title, atoms, {tag: (ipot, Z)}, edge, extra cards)
RUNS = {
    "cu_feff6": ("feff6l", "Cu metal fcc", cluster(fcc(3.61, "Cu"), "Cu"),
                 "K", []),
    "cu_feff8l": ("feff8l", "Cu metal fcc", cluster(fcc(3.61, "Cu"), "Cu"),
                  "K", []),
    "feo_feff8l_scf": ("feff8l", "FeO rocksalt, SCF",
                       cluster(rocksalt(4.33, "Fe", "O"), "Fe"), "K",
                       ["SCF 4.0"]),
    "zns_feff6_pol": ("feff6l", "ZnS zincblende, polarization 1 1 0",
                      cluster(zincblende(5.41, "Zn", "S"), "Zn"), "K",
                      ["POLARIZATION 1 1 0"]),
    "zns_feff8l_pol": ("feff8l", "ZnS zincblende, polarization 1 1 0",
                       cluster(zincblende(5.41, "Zn", "S"), "Zn"), "K",
                       ["POLARIZATION 1 1 0"]),
    "pt_feff8l_l3": ("feff8l", "Pt metal fcc, L3 edge",
                     cluster(fcc(3.92, "Pt"), "Pt"), "L3", []),
    "gecl4_feff6": ("feff6l", "GeCl4 molecule", gecl4(), "K", []),
}

Z = {"Cu": 29, "Fe": 26, "O": 8, "Zn": 30, "S": 16, "Pt": 78, "Ge": 32,
     "Cl": 17}
HOLE = {"K": 1, "L3": 4}


def feff_inp(code, title, atoms, edge, extra):
    tags = [atoms[0][2]] + sorted({t for _, _, t in atoms[1:]},
                                  key=lambda t: -Z[t])
    ipot = {t: i for i, t in enumerate(tags[1:], 1)}
    lines = [f"TITLE {title}"]
    if code == "feff6l":
        lines += [f"HOLE {HOLE[edge]} 1.0", "CONTROL 1 1 1 1", "PRINT 0 0 0 0"]
    else:
        lines += [f"EDGE {edge}", "S02 1.0", "CONTROL 1 1 1 1 1 1",
                  "PRINT 0 0 0 0 0 3", "EXAFS 20"]
    lines += ["RMAX 5.0" if code == "feff6l" else "RPATH 5.0"] + extra
    lines += ["POTENTIALS", f"  0 {Z[tags[0]]} {tags[0]}"]
    lines += [f"  {ipot[t]} {Z[t]} {t}" for t in tags[1:]]
    lines += ["ATOMS"]
    for n, (r, (x, y, z), tag) in enumerate(atoms):
        lines.append(f"  {x:10.5f} {y:10.5f} {z:10.5f}  "
                     f"{0 if n == 0 else ipot[tag]}  {tag:3s} {r:8.5f}")
    return "\n".join(lines + ["END", ""])


def nleg_of(path_file):
    with open(path_file, "rb") as f:
        for line in f:
            if b"nleg, deg, reff" in line:
                return int(line.split()[0])
    raise ValueError(path_file)


def keep(files):
    """The first four paths, up to two each of nleg 3 and 4, the last."""
    chosen = files[:4] + [files[-1]]
    for nleg in (3, 4):
        chosen += [f for f in files if nleg_of(f) == nleg][:2]
    return sorted(set(chosen))


def run(name, code, title, atoms, edge, extra):
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "feff.inp"), "w") as f:
            f.write(feff_inp(code, title, atoms, edge, extra))
        subprocess.run([code], cwd=tmp, check=True, capture_output=True)
        files = sorted(glob.glob(os.path.join(tmp, "feff[0-9][0-9][0-9][0-9].dat")))
        assert files, f"{name}: FEFF wrote no path files"
        dest = os.path.join(OUT, name)
        os.makedirs(dest, exist_ok=True)
        shutil.copy(os.path.join(tmp, "feff.inp"), dest)
        for f in keep(files):
            shutil.copy(f, dest)
        print(f"{name}: {len(files)} paths, kept {len(keep(files))}")


def edit(src, dst, change):
    with open(os.path.join(OUT, src), "rb") as f:
        lines = f.read().split(b"\n")
    with open(os.path.join(OUT, "variants", dst), "wb") as f:
        f.write(b"\n".join(change(lines)))


def header_end(lines):
    return next(i for i, l in enumerate(lines) if l.rstrip().endswith(b"real[p]@#"))


def hash_header(lines):
    """'#' before every header line, as some tools rewrite them."""
    n = header_end(lines)
    return [b"#" + l for l in lines[:n + 1]] + lines[n + 1:]


def title(text):
    """The version text at the end of the title line replaced by `text`."""
    def change(lines):
        return [lines[0][:lines[0].rfind(b"Feff")] + text] + lines[1:]
    return change


def leading_dot(lines):
    """k values below 1 written '.100' (old compilers' F6.3)."""
    n = header_end(lines)
    return lines[:n + 1] + [re.sub(rb"^( *)(-?)0\.", rb"\1 \2.", l)
                            for l in lines[n + 1:]]


def with_labels(label):
    """Each atom line's a6 label field (columns 40-45) as label(old)."""
    def change(lines):
        out, legs = [], False
        for l in lines:
            if b"real[p]@#" in l:
                legs = False
            if legs:
                l = l[:39] + label(l[39:45]) + l[45:]
            if b"pot at#" in l:
                legs = True
            out.append(l)
        return out
    return change


# six NUL bytes, as FEFF 8.5 writes them in some polarization runs
nul_labels = with_labels(lambda old: b"\0" * 6)
blank_labels = with_labels(lambda old: b" " * 6)


def nul_header(lines):
    """FEFF 6 text fields never set, as NUL bytes (Demeter's FEFF 6L on
    Windows): after the version, in place of the edge and the exchange
    name; CRLF line ends."""
    def blank(line, after):
        i = re.search(after, line).end()
        return line[:i] + b"\0" * (len(line) - i)
    out = [blank(lines[0], rb"Feff \S+  ")]
    for l in lines[1:]:
        if l.startswith(b" Abs"):
            l = blank(l, rb"Rnm= *\S+ ")
        elif l.startswith(b" Gam_ch"):
            l = blank(l, rb"Gam_ch= *\S+ ")
        out.append(l)
    return crlf(out)


def nul_padded_labels(lines):
    """Each label padded with NUL bytes to FEFF's six characters."""
    pad = with_labels(lambda old: old.rstrip() + b"\0" * (6 - len(old.rstrip())))
    return crlf(pad(lines))


def crlf(lines):
    return [l + b"\r" for l in lines[:-1]] + lines[-1:]


VARIANTS = [
    ("cu_feff8l/feff0001.dat", "hash_header.dat", hash_header),
    ("cu_feff6/feff0001.dat", "feff610_title.dat", title(b"Feff XX 6.10")),
    ("cu_feff6/feff0002.dat", "feff601a_title.dat", title(b"Feff  6.01a")),
    ("gecl4_feff6/feff0001.dat", "no_version.dat", title(b"")),
    ("cu_feff6/feff0003.dat", "k_leading_dot.dat", leading_dot),
    ("zns_feff8l_pol/feff0002.dat", "nul_labels.dat", nul_labels),
    ("feo_feff8l_scf/feff0003.dat", "blank_labels.dat", blank_labels),
    ("pt_feff8l_l3/feff0001.dat", "crlf.dat", crlf),
    ("cu_feff6/feff0004.dat", "nul_header.dat", nul_header),
    ("zns_feff8l_pol/feff0003.dat", "nul_padded_labels.dat", nul_padded_labels),
]

if __name__ == "__main__":
    shutil.rmtree(OUT, ignore_errors=True)
    for name, (code, title_, atoms, edge, extra) in RUNS.items():
        run(name, code, title_, atoms, edge, extra)
    os.makedirs(os.path.join(OUT, "variants"))
    for src, dst, change in VARIANTS:
        edit(src, dst, change)
