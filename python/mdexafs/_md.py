"""Molecular dynamics from Python, by the library's own code (mdexafs/md.h):
the cluster of periodic images around an absorber (mdx_grid_new,
mdx_cluster_build), its feff.inp (mdx_feff_input), and the streaming
trajectory readers (mdx_trajectory_*) for XYZ, extended XYZ and LAMMPS
dumps. Positions come from ASE (an Atoms), from read_trajectory or
mdanalysis_frames (a Frame), or as arrays::

    import ase.io, mdexafs
    atoms = ase.io.read("md.extxyz")
    c = mdexafs.cluster(atoms, 0, 6.0)      # c["r"], c["xyz"], c["image"]
    for f in mdexafs.read_trajectory("md.dump", types={1: "U", 2: "O"},
                                     frames=(500, None, 10)):
        text = mdexafs.feff_input(f, 0, 6.0, "TITLE U\\nEDGE L3")
"""
from __future__ import annotations

import ctypes
import os
from ctypes import POINTER, Structure, byref, c_char_p, c_double, c_int, \
    c_long, c_size_t, c_void_p
from numbers import Integral, Real
from typing import (Any, Dict, Iterator, List, NamedTuple, Optional,
                    Sequence, Tuple, Union)

import numpy

from ._lib import DataError, UsageError, bind, error, lib, mdx_error, string, text

MIN_DISTANCE = 0.926  # MDX_MIN_DISTANCE: FEFF's 1.75 bohr


class mdx_cell(Structure):
    _fields_ = [("h", (c_double * 3) * 3), ("pbc", c_int * 3)]


class mdx_frame(Structure):
    _fields_ = [("file", c_char_p), ("line", c_long), ("index", c_long),
                ("timestep", c_long), ("natoms", c_size_t),
                ("id", POINTER(c_long)), ("z", POINTER(c_int)),
                ("xyz", POINTER(c_double)), ("cell", mdx_cell)]


class mdx_traj_options(Structure):
    _fields_ = [("format", c_char_p), ("ntypes", c_size_t),
                ("type_label", POINTER(c_char_p)), ("type_z", POINTER(c_int)),
                ("cell", POINTER(mdx_cell))]


class mdx_cluster_atom(Structure):
    _fields_ = [("atom", c_size_t), ("image", c_int * 3),
                ("xyz", c_double * 3), ("r", c_double)]


class mdx_cluster(Structure):
    _fields_ = [("n", c_size_t), ("cap", c_size_t),
                ("atoms", POINTER(mdx_cluster_atom))]


class mdx_feff_input_spec(Structure):
    _fields_ = [("header", c_char_p), ("npot", c_size_t),
                ("pot_z", POINTER(c_int))]


_E = POINTER(mdx_error)
bind({"mdx_trajectory_open": (c_int, [c_char_p, POINTER(mdx_traj_options),
                                      POINTER(c_void_p), _E]),
      "mdx_trajectory_next": (c_int, [c_void_p, c_int, POINTER(c_int), _E]),
      "mdx_trajectory_frame": (POINTER(mdx_frame), [c_void_p]),
      "mdx_trajectory_close": (None, [c_void_p]),
      "mdx_grid_new": (c_int, [POINTER(mdx_frame), c_double,
                               POINTER(c_void_p), _E]),
      "mdx_grid_free": (None, [c_void_p]),
      "mdx_cluster_build": (c_int, [c_void_p, c_size_t, c_double, c_double,
                                    POINTER(mdx_cluster), _E]),
      "mdx_cluster_free": (None, [POINTER(mdx_cluster)]),
      "mdx_element_symbol": (c_char_p, [c_int]),
      "mdx_feff_input": (c_int, [POINTER(mdx_feff_input_spec),
                                 POINTER(mdx_frame), POINTER(mdx_cluster),
                                 POINTER(c_void_p), POINTER(c_size_t), _E]),
      "mdx_feff_input_free": (None, [c_void_p])})

# A cluster's rows: the atom's place in the frame (from 0), its id, atomic
# number and element, the periodic image (whole cells along a, b, c), its
# position from the absorber and its distance.
CLUSTER_DTYPE = numpy.dtype([("index", numpy.int64), ("id", numpy.int64),
                             ("z", numpy.int32), ("element", "U3"),
                             ("image", numpy.int32, 3),
                             ("xyz", numpy.float64, 3), ("r", numpy.float64)])

# numpy's view of an mdx_cluster_atom
_ATOM = numpy.dtype({
    "names": ["atom", "image", "xyz", "r"],
    "formats": [numpy.uintp, (numpy.intc, 3), (numpy.float64, 3),
                numpy.float64],
    "offsets": [getattr(mdx_cluster_atom, k).offset
                for k in ("atom", "image", "xyz", "r")],
    "itemsize": ctypes.sizeof(mdx_cluster_atom)})


class Frame(NamedTuple):
    """One frame of a trajectory (numpy copies): its number from 0, LAMMPS's
    timestep (or -1), each atom's id, atomic number and position (Å, in
    the order of ids), the cell (lattice vectors as rows) and its periodic
    axes, and where it was read. Frames pass to cluster and feff_input as
    ASE Atoms do."""
    index: int
    timestep: int
    ids: numpy.ndarray
    numbers: numpy.ndarray
    positions: numpy.ndarray
    cell: numpy.ndarray
    pbc: numpy.ndarray
    file: str
    line: int


def _element_z(value: Any, what: str) -> int:
    """The atomic number of an element symbol or number."""
    if isinstance(value, Integral) and 1 <= value <= 118:
        return int(value)
    z = lib.mdx_element_z(text(value)) if isinstance(value, str) else 0
    if z <= 0:
        raise UsageError("%s: %r is not an element" % (what, value))
    return z


def _cell(cell: Any, pbc: Any, what: str) -> mdx_cell:
    """An mdx_cell of a 3x3 matrix (or an ASE Cell) and periodic flags."""
    h = numpy.asarray(getattr(cell, "array", cell), dtype=numpy.float64)
    if h.shape != (3, 3):
        raise UsageError("%s: the cell must be 3x3 (lattice vectors as rows),"
                         " not of shape %s" % (what, h.shape))
    p = numpy.broadcast_to(numpy.asarray(True if pbc is None else pbc,
                                         dtype=bool), (3,))
    c = mdx_cell()
    for i in range(3):
        c.pbc[i] = int(p[i])
        for j in range(3):
            c.h[i][j] = h[i, j]
    return c


class _Frame:
    """An mdx_frame over numpy arrays of a caller's atoms (kept alive here),
    and its grid once one is asked for."""

    def __init__(self, atoms: Any, what: str, **given: Any) -> None:
        def get(name: str, attr: str) -> Any:
            v = given.get(name)
            return getattr(atoms, attr, None) if v is None else v
        pos, num = get("positions", "positions"), get("numbers", "numbers")
        cell, ids = get("cell", "cell"), get("ids", "ids")
        if pos is None or num is None or cell is None:
            raise UsageError("%s: give an ASE Atoms, a Frame, or positions,"
                             " numbers and cell" % what)
        self.xyz = numpy.ascontiguousarray(pos, dtype=numpy.float64)
        n = len(self.xyz)
        if self.xyz.shape != (n, 3):
            raise UsageError("%s: positions must be n x 3, not of shape %s"
                             % (what, self.xyz.shape))
        self.z = numpy.ascontiguousarray(num, dtype=c_int)
        self.id = numpy.ascontiguousarray(numpy.arange(n) if ids is None
                                          else ids, dtype=c_long)
        if self.z.shape != (n,) or self.id.shape != (n,):
            raise UsageError("%s: %d positions but %d numbers and %d ids"
                             % (what, n, self.z.size, self.id.size))
        # a Frame's errors name its file, line and index
        where = (text(atoms.file), atoms.line, atoms.index, atoms.timestep) \
            if isinstance(atoms, Frame) and atoms.file else (None, 0, 0, -1)
        self.f = mdx_frame(*where, n,
                           self.id.ctypes.data_as(POINTER(c_long)),
                           self.z.ctypes.data_as(POINTER(c_int)),
                           self.xyz.ctypes.data_as(POINTER(c_double)),
                           _cell(cell, get("pbc", "pbc"), what))
        self.grid = c_void_p()

    def __enter__(self) -> "_Frame":
        return self

    def __exit__(self, *exc: Any) -> None:
        lib.mdx_grid_free(self.grid)
        self.grid = c_void_p()

    def build(self, index: int, cutoff: float, min_distance: float,
              c: mdx_cluster) -> None:
        """Fill c with the cluster of atom `index` (the grid made once)."""
        err = mdx_error()
        if not all(isinstance(v, Real) for v in (cutoff, min_distance)):
            raise UsageError("cluster: cutoff %r, min_distance %r: not "
                             "numbers (Å)" % (cutoff, min_distance))
        if not self.grid:
            rc = lib.mdx_grid_new(byref(self.f), cutoff, byref(self.grid),
                                  byref(err))
            if rc:
                raise error(rc, err)
        if not isinstance(index, Integral) or index < 0:
            raise UsageError("cluster: atom %r: an index from 0" % (index,))
        rc = lib.mdx_cluster_build(self.grid, index, cutoff, min_distance,
                                   byref(c), byref(err))
        if rc:
            raise error(rc, err)

    def rows(self, c: mdx_cluster) -> numpy.ndarray:
        """The cluster c as CLUSTER_DTYPE rows."""
        raw = numpy.frombuffer(ctypes.string_at(
            c.atoms, c.n * ctypes.sizeof(mdx_cluster_atom)), _ATOM)
        out = numpy.empty(c.n, CLUSTER_DTYPE)
        out["index"] = raw["atom"]
        out["id"] = self.id[raw["atom"]]
        out["z"] = self.z[raw["atom"]]
        symbol = {z: string(lib.mdx_element_symbol(int(z)))
                  for z in set(out["z"].tolist())}
        out["element"] = [symbol[z] for z in out["z"].tolist()]
        out["image"], out["xyz"], out["r"] = raw["image"], raw["xyz"], raw["r"]
        return out


def cluster(atoms: Any = None, index: Union[int, Sequence[int]] = 0,
            cutoff: float = 6.0, *, min_distance: float = MIN_DISTANCE,
            positions: Any = None, numbers: Any = None, cell: Any = None,
            pbc: Any = None, ids: Any = None
            ) -> Union[numpy.ndarray, List[numpy.ndarray]]:
    """The absorber atom `index` (from 0) and every periodic image of every
    atom within `cutoff` Å of it, as the library cuts it for feff.inp:
    the absorber first (at the origin), then nearest first (ties by atom
    and image). A numpy structured array of CLUSTER_DTYPE: index, id, z,
    element, image (3 ints), xyz (from the absorber), r. atoms is an ASE
    Atoms or a Frame of read_trajectory; or give positions (n x 3 Å),
    numbers (atomic numbers), cell (3x3, rows a, b, c) and pbc (default
    periodic), which also override the atoms' own. ids default to 0, 1,
    ... (a Frame's are the file's). A list of indices gives a list of
    clusters (the atoms binned once). Two atoms closer than min_distance
    (0: no check) raise DataError naming them."""
    one = isinstance(index, Integral)
    with _Frame(atoms, "cluster", positions=positions, numbers=numbers,
                cell=cell, pbc=pbc, ids=ids) as f:
        c, out = mdx_cluster(), []
        try:
            for i in ([index] if one else index):
                f.build(i, cutoff, min_distance, c)
                out.append(f.rows(c))
        finally:
            lib.mdx_cluster_free(byref(c))
    return out[0] if one else out


def feff_input(atoms: Any, index: int, cutoff: float, header: str, *,
               potentials: Optional[Sequence[Union[str, int]]] = None,
               min_distance: float = MIN_DISTANCE, **arrays: Any) -> str:
    """The text of feff.inp for the cluster of atom `index` (as cluster
    cuts it): the header's cards (TITLE, EDGE, ...; no ATOMS or END), the
    POTENTIALS card (unless the header has one: ipot 0 the absorber, then
    potentials' elements in this order, by default the neighbours'
    elements by symbol, each with its count of atoms) and the ATOMS card.
    atoms and the keyword arrays (positions, numbers, cell, pbc, ids) are
    as for cluster."""
    unknown = set(arrays) - {"positions", "numbers", "cell", "pbc", "ids"}
    if unknown:
        raise UsageError("feff_input: no option %s"
                         % ", ".join(sorted(unknown)))
    pot = [_element_z(p, "feff_input: potentials") for p in potentials or ()]
    pot_z = (c_int * max(len(pot), 1))(*pot)
    spec = mdx_feff_input_spec(text(header), len(pot), pot_z)
    with _Frame(atoms, "feff_input", **arrays) as f:
        c, out, n, err = mdx_cluster(), c_void_p(), c_size_t(), mdx_error()
        try:
            f.build(index, cutoff, min_distance, c)
            rc = lib.mdx_feff_input(byref(spec), byref(f.f), byref(c),
                                    byref(out), byref(n), byref(err))
            if rc:
                raise error(rc, err)
            return ctypes.string_at(out, n.value).decode()
        finally:
            lib.mdx_feff_input_free(out)
            lib.mdx_cluster_free(byref(c))


def _frames_range(frames: Any) -> Tuple[int, int, int]:
    """(first, last, step) of frames=(first, last[, step]); last -1: to
    the end."""
    v = tuple(frames) + ((1,) if len(frames) == 2 else ())
    if len(v) != 3:
        raise UsageError("frames: (first, last) or (first, last, step), not %r"
                         % (frames,))
    first, last, step = v[0], -1 if v[1] is None else v[1], v[2]
    ok = all(isinstance(v, Integral) for v in (first, last, step))
    if not ok or first < 0 or step < 1 or (last != -1 and last < first):
        raise UsageError("frames: first %r, last %r, step %r: first and last "
                         "count from 0, last not before first, step from 1"
                         % (first, last, step))
    return first, last, step


def read_trajectory(path: Union[str, os.PathLike], *,
                    format: Optional[str] = None,
                    types: Optional[Dict[Any, Union[str, int]]] = None,
                    cell: Any = None, pbc: Any = None,
                    frames: Optional[Sequence[Optional[int]]] = None
                    ) -> Iterator[Frame]:
    """The frames of a trajectory file, one at a time, as the library reads
    them: XYZ (plain, CP2K, extended XYZ) or a LAMMPS text dump, told from
    the first line unless format is "xyz" or "lammps". types maps the
    file's atom types to elements ({1: "U", "Ow": "O"}); labels not listed
    must be element symbols. cell (3x3, rows a, b, c; pbc default
    periodic) is for files without one, and must agree with a file's own.
    frames=(first, last, step) (last inclusive, None: to the end) steps
    over the others without reading their atoms; a first or last beyond
    the file is an error."""
    first, last, step = _frames_range(frames) if frames is not None \
        else (0, -1, 1)
    labels = [text(str(k)) for k in (types or {})]
    zs = [_element_z(v, "read_trajectory: types: type %s" % k)
          for k, v in (types or {}).items()]
    opt = mdx_traj_options(
        None if format is None else text(format), len(labels),
        (c_char_p * max(len(labels), 1))(*labels),
        (c_int * max(len(zs), 1))(*zs),
        None if cell is None else ctypes.pointer(
            _cell(cell, pbc, "read_trajectory")))
    t, err, got = c_void_p(), mdx_error(), c_int()
    rc = lib.mdx_trajectory_open(text(path), byref(opt), byref(t), byref(err))
    if rc:
        raise error(rc, err)
    try:
        index = 0
        while last < 0 or index <= last:
            wanted = index >= first and (index - first) % step == 0
            rc = lib.mdx_trajectory_next(t, int(wanted), byref(got),
                                         byref(err))
            if rc:
                raise error(rc, err)
            if not got.value:
                if index <= max(first, last):
                    raise UsageError("%s: %d frames: no frame %d (frames count"
                                     " from 0)" % (os.fsdecode(path), index,
                                                   max(first, last)))
                return
            if wanted:
                yield _copy(lib.mdx_trajectory_frame(t).contents)
            index += 1
    finally:
        lib.mdx_trajectory_close(t)


def mdanalysis_frames(universe: Any, *,
                      types: Optional[Dict[Any, Union[str, int]]] = None,
                      frames: Optional[Sequence[Optional[int]]] = None
                      ) -> Iterator[Frame]:
    """The frames of an MDAnalysis Universe (DCD, XTC, TRR, NetCDF, ... and
    their topologies) as Frames for cluster and feff_input: positions and
    box (its triclinic vectors, periodic) of each time step, ids from the
    topology (else 0, 1, ...), elements from the topology's elements, else
    its types through `types` ({"1": "U"}; labels not listed must be
    element symbols). frames=(first, last[, step]) as for
    read_trajectory. A step without a box raises DataError."""
    first, last, step = _frames_range(frames) if frames is not None \
        else (0, -1, 1)
    atoms = universe.atoms
    have = getattr(atoms, "elements", None) if types is None else None
    labels = have if have is not None else atoms.types
    given = {str(k): v for k, v in (types or {}).items()}
    z_of = {lab: _element_z(given.get(lab, lab), "mdanalysis_frames: type %s"
                            % lab) for lab in set(map(str, labels))}
    numbers = numpy.array([z_of[str(x)] for x in labels], dtype=numpy.int32)
    ids = numpy.asarray(getattr(atoms, "ids", numpy.arange(len(atoms))),
                        dtype=numpy.int64)
    traj = universe.trajectory
    n = len(traj)
    if max(first, last) >= n:
        raise UsageError("%s: %d frames: no frame %d (frames count from 0)"
                         % (traj.filename, n, max(first, last)))
    for ts in traj[first:(n if last < 0 else last + 1):step]:
        box = ts.triclinic_dimensions
        if box is None or not numpy.any(box):
            raise DataError("%s: frame %d has no box: its periodic images"
                            " are not known" % (traj.filename, ts.frame))
        yield Frame(ts.frame, -1, ids.copy(), numbers.copy(),
                    numpy.array(atoms.positions, dtype=numpy.float64),
                    numpy.array(box, dtype=numpy.float64),
                    numpy.ones(3, dtype=bool), str(traj.filename), 0)


def _copy(f: mdx_frame) -> Frame:
    """A Frame of numpy copies of the C frame f."""
    n = f.natoms
    def arr(p: Any, shape: Tuple[int, ...]) -> numpy.ndarray:
        return numpy.ctypeslib.as_array(p, shape).copy() if n \
            else numpy.empty(shape)
    return Frame(f.index, f.timestep, arr(f.id, (n,)).astype(numpy.int64),
                 arr(f.z, (n,)).astype(numpy.int32), arr(f.xyz, (n, 3)),
                 numpy.array(f.cell.h), numpy.array(f.cell.pbc, dtype=bool),
                 string(f.file), f.line)
