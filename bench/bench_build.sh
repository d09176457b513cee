#!/bin/sh
# Benchmark: mdexafs build throughput (paths/s, one thread and all) and
# bytes per path, on a tree of N copies of the sample folders (real files,
# page cache warm). Usage: bench/bench_build.sh [N_COPIES] (default 10).
set -eu
cd "$(dirname "$0")/.."
copies=${1:-10}
bin=build/bin/mdexafs
[ -x "$bin" ] || { echo "build first: cmake -S . -B build && cmake --build build" >&2; exit 1; }

work=$(mktemp -d /tmp/mdx_bench_XXXXXX)
trap 'rm -rf "$work"' EXIT
bench/make_tree.sh "$work" "$copies"

for jobs in 1 $(nproc); do
    best=""
    for run in 1 2 3; do
        rm -f "$work/chi.db"
        line=$("$bin" build -j "$jobs" "$work/tree" -o "$work/chi.db" 2>&1 | tail -n 1)
        rate=$(echo "$line" | sed -n 's/.*(\([0-9]*\) paths\/s).*/\1/p')
        [ -z "$best" ] || [ "$rate" -gt "$best" ] && best=$rate
    done
    paths=$(echo "$line" | sed -n 's/.*; \([0-9]*\) paths in.*/\1/p')
    echo "build -j $jobs: $paths paths, best of 3: $best paths/s"
done
"$bin" info "$work/chi.db" | grep -E "^(paths|size)"
start=$(date +%s%N)
"$bin" build -q "$work/tree" -o "$work/chi.db"
end=$(date +%s%N)
echo "re-run on the unchanged tree: $(( (end - start) / 1000000 )) ms"
touch "$work"/tree/working_1/*/*/feff*.dat
start=$(date +%s%N)
"$bin" build -q "$work/tree" -o "$work/chi.db"
end=$(date +%s%N)
echo "re-run after touching every file of $(ls -d "$work"/tree/working_1/*/* | wc -l) folders: $(( (end - start) / 1000000 )) ms"
