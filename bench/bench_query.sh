#!/bin/bash
# Benchmark: the multipath recipe (U-O to 3.0 Å, U-U to 4.5, U-O-O to 5.0)
# from a database, from the FEFF files, and with xraylarch, on N copies of
# the sample folders. Usage: bench/bench_query.sh [N_COPIES] [--no-larch]
set -eu
cd "$(dirname "$0")/.."
copies=${1:-10}
bin=build/bin/mdexafs
types="U-O:3.0 U-U:4.5 U-O-O:5.0"
work=$(mktemp -d /tmp/mdx_bench_XXXXXX)
trap 'rm -rf "$work"' EXIT
bench/make_tree.sh "$work" "$copies"
"$bin" build -q "$work/tree" -o "$work/chi.db"
cat "$work/chi.db" > /dev/null
cat > "$work/open.lua" <<'LUA'
-- the same query on mdexafs.open: no freshness check against the tree
local mdx = require "mdexafs"
local src <close> = assert(mdx.open(arg[1]))
src:select { types = { ["U-O"] = 3.0, ["U-U"] = 4.5, ["U-O-O"] = 5.0 } }
  :average():write(arg[2])
LUA

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
for source in database files; do
    src="$work/chi.db"; [ $source = files ] && src="$work/tree"
    best=""
    for run in 1 2 3; do
        start=$(date +%s%N)
        # shellcheck disable=SC2086
        "$bin" multipath "$src" "$work/$source.dat" $types >/dev/null 2>&1
        t=$(ms "$start")
        [ -z "$best" ] || [ "$t" -lt "$best" ] && best=$t
    done
    echo "mdexafs multipath from the $source: $best ms (best of 3)"
done
best=""
for run in 1 2 3; do
    start=$(date +%s%N)
    "$bin" "$work/open.lua" "$work/chi.db" "$work/open.dat"
    t=$(ms "$start")
    [ -z "$best" ] || [ "$t" -lt "$best" ] && best=$t
done
echo "mdexafs same query on mdx.open (no freshness scan): $best ms (best of 3)"
cmp -s "$work/database.dat" "$work/files.dat" || echo "WARNING: outputs differ" >&2
if [ "${2:-}" != --no-larch ]; then
    # shellcheck disable=SC2086
    /usr/bin/python3 bench/larch_average.py "$work/tree" "$work/larch.dat" $types
    if diff <(grep -v '^#' "$work/database.dat") "$work/larch.dat" >/dev/null 2>&1; then
        echo "xraylarch output identical at %.6f"
    fi
fi
