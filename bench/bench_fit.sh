#!/bin/sh
# Benchmark: mdexafs.fit with 3 variables on the MD average of every path
# with reff <= 5 Å, on the 4-folder sample and on 100 folders (25 copies
# of it), from a database, against xraylarch's feffit on the same
# problems. Usage: bench/bench_fit.sh [COPIES] (default 25)
set -eu
cd "$(dirname "$0")/.."
copies=${1:-25}
bin=build/bin/mdexafs
data=tests/data/goldens/fit/ensemble.chik
[ -x "$bin" ] || { echo "build first: cmake -S . -B build && cmake --build build" >&2; exit 1; }

work=$(mktemp -d /tmp/mdx_bench_XXXXXX)
trap 'rm -rf "$work"' EXIT
bench/make_tree.sh "$work" "$copies"
"$bin" build -q tests/data/uo2_feff85 -o "$work/sample.db"
"$bin" build -q "$work/tree" -o "$work/big.db"
for run in 1 2 3; do
    "$bin" bench/fit_bench.lua "$work/sample.db" "$data" 5.0
done
for run in 1 2 3; do
    "$bin" bench/fit_bench.lua "$work/big.db" "$data" 5.0
done
python3 bench/larch_fit.py tests/data/uo2_feff85 "$data" 5.0
python3 bench/larch_fit.py "$work/tree" "$data" 5.0
