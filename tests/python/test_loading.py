"""Where the package finds libmdexafs: the build tree's package loads the
build's library by itself; MDX_LIBRARY, when set, is the only one tried.
(The install test loads it from an installed prefix.)"""
import os
import subprocess
import sys

import mdexafs._lib as clib


def run(code, **env):
    full = {k: v for k, v in os.environ.items() if k != "MDX_LIBRARY"}
    full.update(env)
    return subprocess.run([sys.executable, "-c", code], env=full,
                          capture_output=True, text=True)


def test_the_build_tree_package_loads_the_build_library():
    assert "MDX_LIBRARY" not in os.environ
    assert os.path.realpath(clib.lib._name) == \
        os.path.realpath(os.environ["MDX_BUILD_LIBRARY"])


def test_mdx_library_is_the_only_one_tried():
    p = run("import mdexafs", MDX_LIBRARY="/nowhere/libmdexafs.so.0")
    assert p.returncode != 0
    assert "cannot load libmdexafs.so.0; tried /nowhere/libmdexafs.so.0 " \
        "(MDX_LIBRARY)" in p.stderr
    p = run("import mdexafs._lib as l; print(l.lib._name)",
            MDX_LIBRARY=os.environ["MDX_BUILD_LIBRARY"])
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == os.environ["MDX_BUILD_LIBRARY"]
