#!/bin/sh
# Scale benchmark: synthetic trees of N folders (bench_gen_tree: sample
# folders cloned with seeded perturbations), for each N: build time, paths/s,
# bytes per path and peak RSS, for the default and the --tables-only
# layout, then the time and peak RSS of a selective query (U-O to 3 Å) and
# of an average of every path. Usage: bench/bench_scale.sh N... (e.g. 100
# 1000). Trees are kept in $MDX_SCALE_DIR (default /tmp/mdx_scale).
set -eu
cd "$(dirname "$0")/.."
bin=build/bin/mdexafs
gen=build/bench/bench_gen_tree
dir=${MDX_SCALE_DIR:-/tmp/mdx_scale}
[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install time)" >&2; exit 1; }

# "seconds peak-MB" of a command
measure() {
    /usr/bin/time -f "%e %M" -o "$dir/time.out" "$@" >/dev/null 2>&1
    awk '{ printf "%s %.0f", $1, $2 / 1024 }' "$dir/time.out"
}

echo "| folders | paths | layout | build s | paths/s | B/path | build RSS MB | shell query s (RSS MB) | all-paths query s (RSS MB) |"
echo "|---:|---:|---|---:|---:|---:|---:|---:|---:|"
for n in "$@"; do
    tree=$dir/tree_$n
    if [ ! -d "$tree" ]; then
        mkdir -p "$dir"
        "$gen" tests/data/uo2_feff85 "$tree" "$n" 42
    fi
    for layout in default tables; do
        db=$dir/chi_${n}_$layout.db
        rm -f "$db"
        flag=""; [ $layout = tables ] && flag=--tables-only
        # shellcheck disable=SC2086
        set -- $(measure "$bin" build -q $flag "$tree" -o "$db")
        bs=$1 brss=$2
        paths=$("$bin" info "$db" | sed -n 's/^paths *\([0-9]*\).*/\1/p')
        bpp=$("$bin" info "$db" | sed -n 's/.*MB, \([0-9]*\) bytes per path/\1/p')
        set -- $(measure "$bin" bench/scale_query.lua "$db" shell "$dir/q.dat")
        qs="$1 ($2)"
        set -- $(measure "$bin" bench/scale_query.lua "$db" all "$dir/q.dat")
        qa="$1 ($2)"
        rate=$(awk -v p="$paths" -v s="$bs" 'BEGIN { printf "%.0f", p / s }')
        echo "| $n | $paths | $layout | $bs | $rate | $bpp | $brss | $qs | $qa |"
    done
done
