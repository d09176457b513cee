"""mdexafs from Python: EXAFS chi(k) of molecular-dynamics FEFF trees.

The same sources, selections and averages as the Lua API and the mdexafs
program, as numpy arrays, through the shared library libmdexafs (one
implementation of parsing, decoding, selection and averaging)::

    import mdexafs
    src = mdexafs.source("chi.db")        # the database, or its FEFF files
    sel = src.select(types={"U-O": 3.0, "U-U": 4.5}, frames=(500, 520))
    avg = sel.average()                   # avg.k, avg.chi, avg.sem (numpy)
    ft = avg.xftf(kweight=2, kmin=2, kmax=14, window="hanning")
    avg.write("u.dat")

Functions: open, source, build, freshness, kgrid, version, fit, figure,
plot (chi(k) and |chi(R)| of results), read_chi (a chi(k) column file as
a Result), distance; for MD snapshots (ASE Atoms or arrays) cluster,
feff_input, read_trajectory (XYZ, extended XYZ, LAMMPS dumps) and
mdanalysis_frames (what MDAnalysis reads: DCD, XTC, ...).
Classes: Source, Selection (average, sums, by_type, paths, stats,
histogram, spread), Result, ChiR, FitResult, Path, Folder, Moments,
Histogram, Spread, Frame; errors
raise Error with the messages of the Lua API: UsageError for an argument
the call does not take, DataError for content that is not what it must be,
FileError for a file that cannot be read or written (each with code, file
and line), and Python's MemoryError when memory runs out. The library is
found through MDX_LIBRARY, then where cmake --install (or the build) put
it, then beside this package, then by the loader.
"""
from ._lib import DataError, Error, FileError, UsageError, lib as _library
from ._chir import ChiR
from ._columns import read_chi
from ._figure import figure
from ._fit import FitResult, fit
from ._lcf import LcfResult, lcf
from ._md import (Frame, cluster, feff_input, mdanalysis_frames,
                  read_trajectory)
from ._plot import plot
from ._result import Result
from ._reweight import Reweighting, reweight
from ._selection import Folder, Path, Selection, kgrid
from ._stats import Histogram, Moments, Spread, SpreadRow, distance
from ._source import Source, build, freshness, open, source
from ._wavelet import Wavelet

# (open is mdexafs.open, not in __all__: import * would shadow the builtin)
__all__ = ["source", "build", "freshness", "kgrid", "version", "fit",
           "reweight", "Reweighting", "lcf", "LcfResult", "Wavelet",
           "figure", "plot", "read_chi", "distance", "cluster", "feff_input",
           "read_trajectory", "mdanalysis_frames",
           "Source", "Selection", "Result", "ChiR", "FitResult", "Path",
           "Folder", "Moments", "Histogram", "Spread", "SpreadRow", "Frame",
           "Error",
           "UsageError", "DataError", "FileError"]


def version() -> str:
    """The version of the loaded libmdexafs ("0.1.0")."""
    return _library.mdx_version().decode()
