"""The package's ctypes structs have the layout of the C headers: each
struct's size and each field's offset, as a C compiler sees them. A
header change the package missed fails here, not as garbage numbers."""
import ctypes
import os
import subprocess

import mdexafs._lib as clib


def structs():
    """Every ctypes mirror of a C struct (named mdx_*) in the package's
    modules."""
    import importlib
    import pkgutil
    import mdexafs
    found = {}
    for info in pkgutil.iter_modules(mdexafs.__path__):
        module = importlib.import_module("mdexafs." + info.name)
        for k, v in vars(module).items():
            if k.startswith("mdx_") and isinstance(v, type) \
                    and issubclass(v, ctypes.Structure):
                found[k] = v
    return list(found.values())


def test_structs_match_the_headers(tmp_path):
    lines = ["#include <stddef.h>", "#include <stdio.h>",
             "#include <mdexafs/mdexafs.h>", "int main(void)", "{"]
    want = []
    for s in structs():
        lines.append('printf("%%zu\\n", sizeof(%s));' % s.__name__)
        want.append(ctypes.sizeof(s))
        for name, *_ in s._fields_:
            lines.append('printf("%%zu\\n", offsetof(%s, %s));'
                         % (s.__name__, name))
            want.append(getattr(s, name).offset)
    lines += ["return 0;", "}"]
    src = tmp_path / "layout.c"
    src.write_text("\n".join(lines) + "\n")
    include = os.environ["MDX_INCLUDE"].split(os.pathsep)
    subprocess.run([os.environ.get("MDX_CC", "cc"), "-std=c11", str(src),
                    "-o", str(tmp_path / "layout")] +
                   ["-I" + d for d in include], check=True)
    got = subprocess.run([str(tmp_path / "layout")], capture_output=True,
                         text=True, check=True).stdout.split()
    assert len(structs()) >= 15
    # the mirrors of mdexafs/md.h (mdexafs._md) are among those checked
    assert {"mdx_cell", "mdx_frame", "mdx_traj_options", "mdx_cluster_atom",
            "mdx_cluster", "mdx_feff_input_spec"} <= \
        {s.__name__ for s in structs()}
    assert [int(v) for v in got] == want


def test_the_k_grid_has_nk_points():
    import mdexafs
    k = mdexafs.kgrid()
    assert len(k) == clib.NK and k[1] == 0.05 and k[-1] == 20.0
