"""The table of bench_potentials.sh: per folder, FEFF's time in full and
on shared potentials (from each folder's mdexafs-run.txt) and the error
of the shared run against the full one (tests/python/chi_compare.py).
usage: potentials_error.py FULL_TREE ONCE_TREE"""
import glob
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "python"))
from chi_compare import compare  # noqa: E402


def seconds(folder):
    with open(os.path.join(folder, "mdexafs-run.txt")) as f:
        return float(next(line.split("=")[1] for line in f if line.startswith("seconds")))


full_tree, once_tree = sys.argv[1:3]
rows = []
for full in sorted(glob.glob(os.path.join(full_tree, "frame_*", "atom_*"))):
    once = os.path.join(once_tree, os.path.relpath(full, full_tree))
    shared = os.path.exists(os.path.join(once, "mdexafs-potentials.txt"))
    raw, r, e0, amp = compare(os.path.join(once, "chi.dat"), os.path.join(full, "chi.dat"))
    rows.append((os.path.relpath(full, full_tree), seconds(full), seconds(once), shared,
                 raw, r, e0, amp))
print("| folder | full (s) | once (s) | potentials | raw | R after shift | E0 shift (eV) | amplitude |")
print("|---|---|---|---|---|---|---|---|")
for name, tf, to, shared, raw, r, e0, amp in rows:
    print(f"| {name} | {tf:.2f} | {to:.2f} | {'shared' if shared else 'own'} | {raw:.3f} "
          f"| {r:.2e} | {e0:+.2f} | {amp:.4f} |")
members = [row for row in rows if row[3]]
tf = sum(row[1] for row in rows) / len(rows)
to = sum(row[2] for row in rows) / len(rows)
print(f"\n{len(rows)} absorbers: mean FEFF time per absorber {tf:.2f} s in full, {to:.2f} s "
      f"with --potentials=once ({tf / to:.1f}x); shared runs alone "
      f"{sum(row[2] for row in members) / len(members):.2f} s")
print(f"worst of the {len(members)} shared: raw {max(row[4] for row in members):.3f}, "
      f"R after shift {max(row[5] for row in members):.2e}, "
      f"E0 shifts {min(row[6] for row in members):+.2f} to {max(row[6] for row in members):+.2f} eV")
