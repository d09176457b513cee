#!/bin/bash
# Benchmark: the same average from Python (the mdexafs package) and from a
# Lua recipe, on the sample database (1 copy of the 4 sample folders) and
# on N copies. Each language runs the average R times in one process;
# (time(R) - time(0)) / R is the time of one average (open, select,
# average, write), without the interpreter's start, which is reported
# apart. Usage: bench/bench_python.sh [N_COPIES] [R]
set -eu
cd "$(dirname "$0")/.."
copies=${1:-25} repeat=${2:-50}
bin=build/bin/mdexafs
python=/usr/bin/python3
work=$(mktemp -d /tmp/mdx_bench_XXXXXX)
trap 'rm -rf "$work"' EXIT
export MDX_LIBRARY=$PWD/build/src/core/libmdexafs.so.0 PYTHONPATH=$PWD/python
"$bin" build -q tests/data/uo2_feff85 -o "$work/sample.db"
bench/make_tree.sh "$work" "$copies"
"$bin" build -q "$work/tree" -o "$work/copies.db"

cat > "$work/avg.lua" <<'LUA'
local mdx = require "mdexafs"
for _ = 1, tonumber(arg[2]) do
  local src <close> = assert(mdx.open(arg[1]))
  src:select { types = { ["U-O"] = 3.0, ["U-U"] = 4.5, ["U-O-O"] = 5.0 } }
    :average():write(arg[3])
end
LUA
cat > "$work/avg.py" <<'PY'
import sys
import mdexafs
for _ in range(int(sys.argv[2])):
    with mdexafs.open(sys.argv[1]) as src:
        src.select(types={"U-O": 3.0, "U-U": 4.5, "U-O-O": 5.0}) \
           .average().write(sys.argv[3])
PY

ms() { echo $(( ($(date +%s%N) - $1) / 1000 )); }  # µs
best_of_3() {
    local best="" t start
    for _ in 1 2 3; do
        start=$(date +%s%N)
        "$@" > /dev/null
        t=$(ms "$start")
        [ -z "$best" ] || [ "$t" -lt "$best" ] && best=$t
    done
    echo "$best"
}
for db in sample copies; do
    for lang in lua python; do
        if [ $lang = lua ]; then run=("$bin" "$work/avg.lua"); else run=("$python" "$work/avg.py"); fi
        start0=$(best_of_3 "${run[@]}" "$work/$db.db" 0 "$work/$lang.dat")
        startr=$(best_of_3 "${run[@]}" "$work/$db.db" "$repeat" "$work/$lang.dat")
        per=$(( (startr - start0) / repeat ))
        echo "$db.db $lang: one average $per µs; process start $start0 µs"
    done
    cmp -s "$work/lua.dat" "$work/python.dat" || echo "WARNING: outputs differ" >&2
done
