#!/bin/sh
# Install mdexafs into a temporary prefix, move the prefix elsewhere (so
# nothing can lean on the build tree, the source tree or the prefix's
# first place), and use it from there as a user would, with nothing but
# the prefix's bin/ on PATH:
#   - the library exports only mdx_*, the Lua module only luaopen_*;
#   - the exports are exactly the functions the installed headers declare
#     MDX_API, and the installed static library names nothing else;
#   - mdexafs builds the sample tree and runs `mdexafs multipath`, found
#     in the installed recipe library;
#   - a recipe found through MDX_RECIPE_PATH that requires a helper
#     module beside it;
#   - lua5.4 loads the installed module, its files mdexafs.args (reading
#     a recipe's arguments) and mdexafs.outputs (writing) too;
#   - a C program built with `pkg-config --cflags --libs mdexafs` against
#     the shared library opens the database and averages a selection,
#     and the same program linked with the static library;
#   - a C++ program includes the headers and links the library;
#   - Python imports the installed package, which loads the prefix's
#     libmdexafs (no MDX_LIBRARY, no build tree on any path), and
#     averages the same selection.
# Each average must equal the reference workflow's output row for row.
# Usage: install_test.sh BUILD_DIR SOURCE_DIR C_COMPILER PYTHON
set -eu
build=$(cd "$1" && pwd) source=$(cd "$2" && pwd) cc=$3 python=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
golden=$source/tests/data/goldens/reference/uo2_feff85/uo_file.dat

fail() {
    echo "install_test: $*" >&2
    exit 1
}

# rows of a k chi file, without its '#' lines
rows() {
    grep -v '^#' "$1"
}

same_rows() {
    rows "$golden" > "$tmp/want"
    rows "$1" > "$tmp/got" || fail "$1: no rows"
    cmp -s "$tmp/want" "$tmp/got" || fail "$1 differs from $golden"
}

cmake --install "$build" --prefix "$tmp/first" > /dev/null
mv "$tmp/first" "$tmp/prefix"
prefix=$tmp/prefix

for f in bin/mdexafs include/mdexafs/mdexafs.h include/mdexafs/version.h \
         share/man/man1/mdexafs.1 share/mdexafs/recipes/multipath.lua \
         share/lua/5.4/mdexafs/init.lua share/lua/5.4/mdexafs/args.lua \
         share/lua/5.4/mdexafs/outputs.lua; do
    [ -f "$prefix/$f" ] || fail "$f is not installed"
done
lib=$(find "$prefix" -name libmdexafs.so.0 | head -n 1)
module=$(find "$prefix" -path '*/lua/5.4/mdexafs/core.so' | head -n 1)
[ -n "$lib" ] || fail "libmdexafs.so.0 is not installed"
[ -n "$module" ] || fail "the Lua module core.so is not installed"
[ -n "$(find "$prefix" -name libmdexafs.a)" ] || fail "libmdexafs.a is not installed"
libdir=$(dirname "$lib")

exports() {
    nm -D --defined-only "$1" | awk '{ print $3 }'
}
extra=$(exports "$lib" | grep -v '^mdx_' || true)
[ -z "$extra" ] || fail "libmdexafs.so exports more than mdx_*: $extra"
exports "$lib" | grep -qx mdx_source_open || fail "libmdexafs.so lacks mdx_source_open"
[ "$(exports "$module")" = luaopen_mdexafs_core ] ||
    fail "core.so exports more than luaopen_mdexafs_core: $(exports "$module")"

# The exports are the documented API: the functions the installed headers
# declare MDX_API, no more, no fewer.
exports "$lib" | sort > "$tmp/exported"
awk '/^MDX_API/ { if (match($0, /mdx_[a-z0-9_]*\(/))
                      print substr($0, RSTART, RLENGTH - 1) }' \
    "$prefix"/include/mdexafs/*.h | sort -u > "$tmp/declared"
[ "$(wc -l < "$tmp/declared")" -gt 50 ] || fail "found no MDX_API declarations"
cmp -s "$tmp/exported" "$tmp/declared" ||
    fail "exports and MDX_API declarations differ: $(diff "$tmp/declared" "$tmp/exported" | grep '^[<>]' | tr '\n' ' ')"
# The static library has the same global names, and no internal one
# even among its locals (public_archive.cmake renames them).
archive=$(find "$prefix" -name libmdexafs.a | head -n 1)
nm -g --defined-only "$archive" | awk 'NF == 3 { print $3 }' | sort > "$tmp/static"
cmp -s "$tmp/exported" "$tmp/static" ||
    fail "libmdexafs.a's global names differ from libmdexafs.so's exports"
internal=$(nm "$archive" | awk 'NF == 3 && $2 ~ /^[a-z]$/ && $3 !~ /^__mdexafs_local_/')
[ -z "$internal" ] || fail "libmdexafs.a names internals: $(echo "$internal" | head -n 3)"

# The user's side: their own folder, only the prefix on PATH.
mkdir "$tmp/work" "$tmp/myrecipes"
cp -R "$source/tests/data/uo2_feff85" "$tmp/work/feff"
cd "$tmp/work"
user() {
    env -i HOME="$tmp" PATH="$prefix/bin" "$@"
}
user mdexafs --version | grep -q "SQLite" || fail "--version names no SQLite"
user mdexafs recipes | grep -q "multipath" || fail "mdexafs recipes lists no multipath"
user mdexafs build feff -o chi.db -q || fail "mdexafs build failed"
user mdexafs multipath chi.db uo.dat U-O:3.0 || fail "mdexafs multipath failed"
same_rows uo.dat

cat > "$tmp/myrecipes/uo_helper.lua" <<'LUA'
return { selection = { types = { ["U-O"] = 3.0 } } }
LUA
cat > "$tmp/myrecipes/uo_shell.lua" <<'LUA'
-- U-O shell: a user's recipe that requires a helper beside it.
local mdx = require "mdexafs"
local helper = require "uo_helper"
local src = assert(mdx.open(arg[1]))
assert(src:select(helper.selection):average():write(arg[2]))
LUA
user MDX_RECIPE_PATH="$tmp/nowhere:$tmp/myrecipes" mdexafs uo_shell chi.db mine.dat ||
    fail "the recipe from MDX_RECIPE_PATH failed"
same_rows mine.dat

# The stand-alone interpreter with the installed module.
LUA_CPATH="$libdir/lua/5.4/?.so" \
LUA_PATH="$prefix/share/lua/5.4/?.lua;$prefix/share/lua/5.4/?/init.lua" \
    lua5.4 -e 'local mdx = require "mdexafs"
               local a = mdx.args({ [0] = "lua", "chi.db", "-q" }, { about = "x", source = true })
               local avg = mdx.open_source(a):select { types = { ["U-O"] = 3.0 } }:average()
               mdx.write_all { { avg, "lua.dat" } }' || fail "lua5.4 with the installed module failed"
same_rows lua.dat

pc="$libdir/pkgconfig"
flags=$(PKG_CONFIG_PATH=$pc pkg-config --cflags --libs mdexafs) ||
    fail "pkg-config knows no mdexafs"
# shellcheck disable=SC2086  # the flags are words
"$cc" -std=c11 -Wall -Wextra -Werror "$source/tests/install/average.c" \
    $flags -o average || fail "the C program does not build"
LD_LIBRARY_PATH=$libdir ldd ./average | grep -q "$libdir/libmdexafs.so.0" ||
    fail "the C program is not linked to the installed libmdexafs.so"
LD_LIBRARY_PATH=$libdir ./average chi.db c.dat || fail "the C program failed"
same_rows c.dat
# The same program with the static library in it.
static_flags=$(PKG_CONFIG_PATH=$pc pkg-config --static --cflags --libs mdexafs |
               sed "s|-lmdexafs|$archive|")
# shellcheck disable=SC2086
"$cc" -std=c11 -Wall -Wextra -Werror "$source/tests/install/average.c" \
    $static_flags -o average_static || fail "the C program does not link statically"
ldd ./average_static | grep -q libmdexafs && fail "average_static loads libmdexafs.so"
./average_static chi.db c_static.dat || fail "the statically linked C program failed"
same_rows c_static.dat

# C++: the headers compile as C++ and link against the C library.
cat > cxx.cpp <<'CXX'
#include <mdexafs/mdexafs.h>
int main()
{
    mdx_freshness f;
    f.state = MDX_FRESH;
    mdx_error err;
    mdx_source *src;
    return mdx_source_open("nowhere.db", &src, &err) == MDX_ERR_IO &&
           f.state == MDX_FRESH && mdx_version()[0] ? 0 : 1;
}
CXX
# shellcheck disable=SC2086
g++ -Wall -Wextra -Werror cxx.cpp $flags -o cxx || fail "the headers do not build as C++"
LD_LIBRARY_PATH=$libdir ./cxx || fail "the C++ program failed"
# Python: the package in the prefix's site folder finds the prefix's
# library through the _install.py that cmake --install wrote.
package=$(find "$prefix" -path '*/mdexafs/__init__.py' | head -n 1)
[ -n "$package" ] || fail "the Python package is not installed"
site=$(dirname "$(dirname "$package")")
user PYTHONPATH="$site" PYTHONDONTWRITEBYTECODE=1 "$python" -c '
import mdexafs, mdexafs._lib as clib, sys
where = clib.lib._name
assert where.startswith(sys.argv[1]), "loaded %s, not the prefix" % where
src = mdexafs.open("chi.db")
src.select(types={"U-O": 3.0}).average().write("py.dat")
' "$prefix" || fail "python3 with the installed package failed"
same_rows py.dat
echo "install_test: ok ($prefix)"
