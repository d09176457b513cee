#!/bin/sh
# Potentials once: the FEFF stage of an SCF tree (the quick start's UO2
# trajectory, N U absorbers a frame over 3 frames, default 7: 21; RPATH
# 6.5, NLEGS 8, SCF 4.0 0 30 0.1 1) run in full and with
# --potentials=once, 2 at once; then per folder the times and the error
# of each shared run against its full run (potentials_error.py). Run from
# the top of the checkout after a Release build; needs Debian's feff8l
# and python3-scipy. See bench/README.md.
set -eu
bin=${MDX_BIN:-build/bin/mdexafs}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed -e "s/count = 2/count = ${1:-7}/" \
    -e "s|^trajectory = \"uo2.xyz\"|trajectory = \"$PWD/tests/data/md/uo2.xyz\"|" \
    -e "s/^RPATH .*/RPATH    6.5/" -e "s/^NLEGS .*/NLEGS    8/" \
    -e "/^EXCHANGE/a SCF       4.0  0  30  0.1  1" \
    tests/data/md/uo2_config.lua > "$work/config.lua"
"$bin" feff_inputs -q "$work/config.lua" --output="$work/tree"
echo "$(find "$work/tree" -name feff.inp | wc -l) folders"
cp -r "$work/tree" "$work/full"
cp -r "$work/tree" "$work/once"
/usr/bin/time -f "full: %e s wall, %U s user" "$bin" feff -q -j 2 "$work/full"
/usr/bin/time -f "once: %e s wall, %U s user" "$bin" feff -q -j 2 "$work/once" \
    --potentials=once
/usr/bin/python3 bench/potentials_error.py "$work/full" "$work/once"
