#!/bin/sh
# The Python package installed by pip over an installed prefix, as a user
# with their own virtual environment would have it: cmake --install into
# a temporary prefix, moved elsewhere (nothing may lean on the build
# tree); a fresh venv (--system-site-packages: Debian's numpy, pytest and
# xraylarch); `pip install` of a copy of python/ (offline: the system's
# setuptools, no index); then
#   - the dist-info, py.typed and the version (the library's) are there;
#   - the venv's mdexafs is the pip-installed one and loads the prefix's
#     libmdexafs (through LD_LIBRARY_PATH, as a user of a prefix the
#     loader does not know sets it), with no build tree on any path;
#   - the package's tests pass with the venv's python, the prefix's
#     mdexafs program as the Lua side (all but test_loading.py, which is
#     about the build tree's package);
#   - `pip uninstall` removes it.
# Usage: pip_test.sh BUILD_DIR SOURCE_DIR C_COMPILER PYTHON
set -eu
build=$(cd "$1" && pwd) source=$(cd "$2" && pwd) cc=$3 python=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
    echo "pip_test: $*" >&2
    exit 1
}

cmake --install "$build" --prefix "$tmp/first" > /dev/null
mv "$tmp/first" "$tmp/prefix"
prefix=$tmp/prefix
lib=$(find "$prefix" -name libmdexafs.so.0 | head -n 1)
[ -n "$lib" ] || fail "libmdexafs.so.0 is not installed"
libdir=$(dirname "$lib")

cp -R "$source/python" "$tmp/src"  # setuptools writes beside the sources
"$python" -m venv --system-site-packages "$tmp/venv"
venv=$tmp/venv/bin/python
# as a user: no build tree, no source tree's package on any path
user() {
    env -i HOME="$tmp" PATH="$tmp/venv/bin:$prefix/bin:/usr/bin:/bin" \
        LD_LIBRARY_PATH="$libdir" PYTHONDONTWRITEBYTECODE=1 "$@"
}
(cd "$tmp" && user "$venv" -m pip install -q --no-build-isolation \
    --no-index "$tmp/src") || fail "pip install failed"
site=$(user "$venv" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
[ -f "$site/mdexafs/py.typed" ] || fail "py.typed is not installed"
[ ! -e "$site/mdexafs/_install.py" ] || fail "pip installed cmake's _install.py"
ls -d "$site"/mdexafs-*.dist-info > /dev/null || fail "no dist-info"

cd "$tmp"
user "$venv" -c '
import importlib.metadata, os, sys
import mdexafs
site, prefix, build, source = sys.argv[1:]
assert mdexafs.__file__.startswith(site + "/"), mdexafs.__file__
for p in sys.path:
    assert not p.startswith((build, source + "/python")), p
maps = open("/proc/self/maps").read().split()
loaded = [m for m in maps if m.endswith("/libmdexafs.so.0.1.0")
          or m.endswith("/libmdexafs.so.0")]
assert loaded and all(m.startswith(prefix + "/") for m in loaded), loaded
assert importlib.metadata.version("mdexafs") == mdexafs.version(), \
    (importlib.metadata.version("mdexafs"), mdexafs.version())
' "$site" "$prefix" "$build" "$source" || fail "the venv's mdexafs is not the pip-installed one over the prefix"

user MDX_BIN="$prefix/bin/mdexafs" MDX_TEST_DATA="$source/tests/data" \
    MDX_CC="$cc" MDX_INCLUDE="$prefix/include" \
    "$venv" -m pytest -q -p no:cacheprovider "$source/tests/python" \
    --ignore="$source/tests/python/test_loading.py" ||
    fail "the package's tests failed over the installed prefix"

user "$venv" -m pip uninstall -q -y mdexafs || fail "pip uninstall failed"
[ ! -e "$site/mdexafs" ] || fail "pip uninstall left $site/mdexafs"
if user "$venv" -c 'import mdexafs' 2> /dev/null; then
    fail "mdexafs still imports after pip uninstall"
fi
echo "pip_test: ok ($prefix)"
