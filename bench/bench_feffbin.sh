#!/bin/sh
# Benchmark: building from feff.bin folders against building the same
# folders from their feffNNNN.dat files, in one run, and xraylarch on the
# same path files. The sample folder with both (uo2_feffbin/frame_900)
# is copied N times (default 40) into two trees, one with only feff.bin
# (and list.dat, xsect.bin...), one with only the path files. Reports the
# whole build (parse + chi + compress + store) per core (-j 1, best of
# 3) and on all cores, bytes per path, and the ratio to xraylarch's
# feffpath + path2chi per core. Usage: bench/bench_feffbin.sh [N]
set -eu
cd "$(dirname "$0")/.."
copies=${1:-40}
bin=build/bin/mdexafs
[ -x "$bin" ] || { echo "build first: cmake -S . -B build && cmake --build build" >&2; exit 1; }

work=$(mktemp -d /tmp/mdx_bench_XXXXXX)
trap 'rm -rf "$work"' EXIT
src=tests/data/uo2_feffbin/frame_900/atom_0
for r in $(seq 1 "$copies"); do
    for kind in bin dat; do
        mkdir -p "$work/$kind/frame_$r"
        cp -R "$src" "$work/$kind/frame_$r/"
    done
    rm "$work/bin/frame_$r/atom_0/"feff0*.dat "$work/dat/frame_$r/atom_0/feff.bin"
done
find "$work" -type f -exec cat {} + > /dev/null  # warm the page cache

rates=""
for kind in bin dat; do
    for jobs in 1 $(nproc); do
        best=0
        for run in 1 2 3; do
            rm -f "$work/$kind.db"
            line=$("$bin" build -j "$jobs" "$work/$kind" -o "$work/$kind.db" 2>&1 | tail -n 1)
            rate=$(echo "$line" | sed -n 's/.*(\([0-9]*\) paths\/s).*/\1/p')
            [ "$rate" -gt "$best" ] && best=$rate
        done
        paths=$(echo "$line" | sed -n 's/.*; \([0-9]*\) paths in.*/\1/p')
        echo "$kind: build -j $jobs: $paths paths in $copies folders, best of 3: $best paths/s"
        [ "$jobs" = 1 ] && rates="$rates $kind=$best"
    done
    "$bin" info "$work/$kind.db" | sed -n "s/^size *\(.*\)/$kind: \1/p"
done
per_path=0
for run in 1 2 3; do
    larch=$(python3 bench/larch_chi.py -n 356 "$work/dat" | tail -n 1)
    rate=$(echo "$larch" | sed -n 's/.* \([0-9]*\) paths\/s.*/\1/p')
    [ "$rate" -gt "$per_path" ] && per_path=$rate
done
echo "xraylarch feffpath + path2chi, best of 3: $per_path paths/s (one process)"
for r in $rates; do
    echo "${r%%=*} per core: $(( ${r#*=} / per_path ))x xraylarch"
done
