#!/bin/sh
# FEFF runs: mdexafs feff -j 2 against a plain shell loop and xargs -P 2
# over the same 12 UO2 folders (the quick start's trajectory, 4 U atoms a
# frame), each from an unrun copy; then the runs straight into a database
# (--db, and --drop-paths) against runs then a build: the time from the
# last run's end to a ready database, and the files left. Run from the top
# of the checkout after a Release build; needs Debian's feff8l. See
# bench/README.md.
set -eu
bin=${MDX_BIN:-build/bin/mdexafs}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed "s/count = 2/count = 4/; s|^trajectory = \"uo2.xyz\"|trajectory = \"$PWD/tests/data/md/uo2.xyz\"|" \
    tests/data/md/uo2_config.lua > "$work/config.lua"
"$bin" feff_inputs -q "$work/config.lua" --output="$work/tree"
echo "$(find "$work/tree" -name feff.inp | wc -l) folders"

fresh() { rm -rf "$work/run" && cp -r "$work/tree" "$work/run"; }
time_it() {   # what, command...
    what=$1; shift
    fresh
    /usr/bin/time -f "$what: %e s wall, %U s user" "$@"
}
time_it "mdexafs feff -j 2" "$bin" feff -q -j 2 "$work/run"
time_it "shell loop" sh -c "for d in \$(find '$work/run' -name feff.inp -printf '%h\n');
    do (cd \"\$d\" && feff8l >/dev/null 2>&1); done"
time_it "xargs -P 2" sh -c "find '$work/run' -name feff.inp -printf '%h\n' |
    xargs -P 2 -I{} sh -c 'cd {} && feff8l >/dev/null 2>&1'"
time_it "mdexafs feff -j 2 --db" "$bin" feff -j 2 "$work/run" --db "$work/run.db" 2>&1 |
    grep -E 'ready|wall'
time_it "mdexafs feff -j 2, then build" sh -c "'$bin' feff -q -j 2 '$work/run' &&
    /usr/bin/time -f 'the build after the runs: %e s wall' '$bin' build -q '$work/run' -o '$work/build.db'"
echo "files: $(find "$work/run" -type f | wc -l)"
time_it "mdexafs feff -j 2 --db --drop-paths" "$bin" feff -j 2 "$work/run" --db "$work/drop.db" \
    --drop-paths 2>&1 | grep -E 'ready|wall'
echo "files: $(find "$work/run" -type f | wc -l)"

# Scale: N folders (default 200) of a stand-in FEFF that writes the sample
# run's 356 path files at once, so that storing is all there is to time.
n=${1:-200}
sample=$PWD/tests/data/uo2_feff85/frame_500/atom_0
printf '#!/bin/sh\ncp %s/feff0*.dat %s/chi.dat %s/files.dat %s/paths.dat .\n' \
    "$sample" "$sample" "$sample" "$sample" > "$work/standin"
chmod +x "$work/standin"
rm -rf "$work/tree"
for i in $(seq 0 $((n - 1))); do
    mkdir -p "$work/tree/frame_$i/atom_0"
    cp "$sample/feff.inp" "$work/tree/frame_$i/atom_0/"
done
echo "$n folders of a stand-in FEFF, 356 paths each"
time_it "stand-in runs --db" "$bin" feff -j 2 --feff "$work/standin" "$work/run" \
    --db "$work/scale.db" 2>&1 | grep -E 'ready|wall'
time_it "stand-in runs, then build" sh -c "'$bin' feff -q -j 2 --feff '$work/standin' '$work/run' &&
    /usr/bin/time -f 'the build after the runs: %e s wall' '$bin' build -q '$work/run' -o '$work/b.db'"
