#!/bin/sh
# FEFF runs: mdexafs feff -j 2 against a plain shell loop and xargs -P 2
# over the same 12 UO2 folders (the quick start's trajectory, 4 U atoms a
# frame), each from an unrun copy. Run from the top of the checkout after
# a Release build; needs Debian's feff8l. See bench/README.md.
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
