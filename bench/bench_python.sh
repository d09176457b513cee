#!/bin/bash
# Benchmark: the same average from Python (the mdexafs package) and from a
# Lua recipe, on the sample database (1 copy of the 4 sample folders) and
# on N copies. Each language runs the average R times in one process;
# (time(R) - time(0)) / R is the time of one average (open, select,
# average, write), without the interpreter's start, which is reported
# apart; the same with the database opened once (a notebook), and with a
# `where` function (called per path).
# Usage: bench/bench_python.sh [N_COPIES] [R]
set -eu
cd "$(dirname "$0")/.."
copies=${1:-25} repeat=${2:-500}
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
local where = arg[4] == "where" and function(p) return p.reff < 4.2 end or nil
local once = arg[4] == "once" and assert(mdx.open(arg[1])) or nil
for _ = 1, tonumber(arg[2]) do
  local src = once or assert(mdx.open(arg[1]))
  src:select { types = { ["U-O"] = 3.0, ["U-U"] = 4.5, ["U-O-O"] = 5.0 },
               where = where }:average():write(arg[3])
  if not once then src:close() end
end
LUA
cat > "$work/avg.py" <<'PY'
import sys
import mdexafs
how = sys.argv[4] if len(sys.argv) > 4 else ""
where = (lambda p: p.reff < 4.2) if how == "where" else None
once = mdexafs.open(sys.argv[1]) if how == "once" else None
for _ in range(int(sys.argv[2])):
    src = once or mdexafs.open(sys.argv[1])
    src.select(types={"U-O": 3.0, "U-U": 4.5, "U-O-O": 5.0},
               where=where).average().write(sys.argv[3])
    if not once:
        src.close()
PY

us() { echo $(( ($(date +%s%N) - $1) / 1000 )); }
# the time of "$@" in µs, the mean of 5 runs (the machine is shared and
# noisy: long runs and a mean are steadier than the best of short ones)
mean_of_5() {
    local sum=0 start
    for _ in 1 2 3 4 5; do
        start=$(date +%s%N)
        "$@" > /dev/null
        sum=$(( sum + $(us "$start") ))
    done
    echo $(( sum / 5 ))
}
lua=("$bin" "$work/avg.lua") py=("$python" "$work/avg.py")
# HOW: "" opens the database for each average, "once" opens it once (a
# notebook), "where" adds a where function (called per path)
for db in sample copies; do
    for how in "" once where; do
        [ "$how" = where ] && [ $db = sample ] && continue
        for lang in lua py; do
            declare -n run=$lang
            r=$repeat; [ $db = copies ] && r=$(( repeat / 10 ))
            t0=$(mean_of_5 "${run[@]}" "$work/$db.db" 0 "$work/$lang.dat" $how)
            t=$(mean_of_5 "${run[@]}" "$work/$db.db" $r "$work/$lang.dat" $how)
            echo "$db.db ${how:-open each time} $lang: one average" \
                 "$(( (t - t0) / r )) µs; process start $t0 µs"
        done
        cmp -s "$work/lua.dat" "$work/py.dat" || echo "WARNING: outputs differ" >&2
    done
done
