#!/bin/bash
# Start-up and query benchmark at scale, on trees of symbolic links (in a
# tmpfs: a disk makes ~2,000 links a second) to the four FEFF 8.5L sample
# folders' files:
#   A) 10,000 folders of 36 path files each: the start-up freshness check
#      is O(folders) (quick) or O(files) (verify = "files"), and the U-O
#      shell (reff <= 3 A) lies in the first 36 paths, as in a full tree;
#   B) 1,000 folders of all 354 path files: the average of every path,
#      against reading the chi blobs once.
# Usage: bench/bench_start.sh [TREES_DIR (default /dev/shm)] [DB_DIR
# (default /tmp/mdx_scale)]. Needs ~800,000 free inodes in TREES_DIR.
set -eu
cd "$(dirname "$0")/.."
bin=$PWD/build/bin/mdexafs
trees=${1:-/dev/shm} dbs=${2:-/tmp/mdx_scale}
mkdir -p "$dbs"
samples=(tests/data/uo2_feff85/frame_500/atom_0 tests/data/uo2_feff85/frame_500/atom_1
         tests/data/uo2_feff85/frame_510/atom_0 tests/data/uo2_feff85/frame_510/atom_1)

make_tree() {  # DIR FOLDERS GLOB
    [ -d "$1" ] && return
    for i in $(seq 0 $(($2 - 1))); do
        d=$1/frame_$((i / 2))/atom_$((i % 2))
        s=$PWD/${samples[$((i % 4))]}
        mkdir -p "$d"
        ln -s "$s"/$3 "$s/chi.dat" "$s/feff.inp" "$d/"
    done
}

# min and median wall ms of 7 runs
best() {
    local ts=()
    for _ in 1 2 3 4 5 6 7; do
        local s
        s=$(date +%s%N)
        "$@" > /dev/null 2>&1
        ts+=($(( ($(date +%s%N) - s) / 100000 )))
    done
    printf '%s\n' "${ts[@]}" | sort -n |
        awk '{ a[NR] = $1 } END { printf "min %.1f ms, median %.1f ms\n", a[1] / 10, a[4] / 10 }'
}

make_tree "$trees/tree_A" 10000 'feff00[0-3][0-9].dat'
make_tree "$trees/tree_B" 1000 'feff*.dat'
for t in A B; do
    [ -f "$dbs/chi_$t.db" ] || "$bin" build -q "$trees/tree_$t" -o "$dbs/chi_$t.db"
    cat "$dbs/chi_$t.db" > /dev/null  # warm the page cache
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/fresh.lua" <<'LUA'
local mdx = require "mdexafs"
assert(mdx.freshness(arg[1], nil, arg[2]) == "fresh")
LUA
cat > "$work/all.lua" <<'LUA'
local mdx = require "mdexafs"
local src <close> = assert(mdx.open(arg[1]))
src:select {}:average():write(arg[2])
LUA
echo "A: 10,000 folders, 360,000 path files"
echo "  freshness, quick:            $(best "$bin" "$work/fresh.lua" "$dbs/chi_A.db" folders)"
echo "  freshness, every file:       $(best "$bin" "$work/fresh.lua" "$dbs/chi_A.db" files)"
echo "  U-O shell through mdx.source: $(best "$bin" multipath "$dbs/chi_A.db" "$work/a.dat" U-O:3.0)"
echo "B: 1,000 folders, 354,000 path files"
echo "  average of every path:       $(best "$bin" "$work/all.lua" "$dbs/chi_B.db" "$work/b.dat")"
echo "  chi blobs read once (sqlite3): $(best sqlite3 -readonly "$dbs/chi_B.db" "SELECT sum(length(data || x'')) FROM chi")"
echo "  chi blob bytes: $(sqlite3 -readonly "$dbs/chi_B.db" "SELECT sum(length(data)) FROM chi")"
