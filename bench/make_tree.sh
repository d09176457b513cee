#!/bin/sh
# Make a benchmark tree: N copies of the 4 sample folders (real files) in
# DIR/tree, as working_R/frame_FR/atom_A. Usage: bench/make_tree.sh DIR N
set -eu
cd "$(dirname "$0")/.."
dir=$1 copies=$2
for r in $(seq 1 "$copies"); do
    for f in tests/data/uo2_feff85/frame_*/atom_*; do
        frame=$(basename "$(dirname "$f")")
        mkdir -p "$dir/tree/working_$r/${frame}$r"
        cp -R "$f" "$dir/tree/working_$r/${frame}$r/"
    done
done
find "$dir/tree" -type f -exec cat {} + > /dev/null  # warm the page cache
