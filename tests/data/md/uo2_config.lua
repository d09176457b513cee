-- The quick start's example: feff.inp folders for the U atoms of a UO2
-- trajectory, as the reference workflow's examples/uo2_config.toml makes
-- them (with Debian's feff8l in mind: no CFAVERAGE, no SCF).
--
--   mdexafs feff_inputs tests/data/md/uo2_config.lua --output=build/uo2_feff

trajectory = "uo2.xyz"                 -- relative to this file
types = { [1] = "U", [2] = "O" }       -- the file's numeric types
cell = {                               -- the file gives none
  a = { 10.94, 0, 0 },
  b = { 0, 10.94, 0 },
  c = { 0, 0, 10.94 },
  pbc = { true, true, true },
}
frames = { first = 0, last = 2, step = 1 }
absorbers = { element = "U", count = 2, seed = 5007 }
cutoff = 7.0
header = [[
TITLE   UO2 MD snapshot
EDGE      L3
S02       1.0

*         pot    xsph  fms   paths genfmt ff2chi
CONTROL   1      1     1     1     1      1
PRINT     1      0     0     0     0      3

EXCHANGE  0      0   0

EXAFS 20.0
RPATH    5.0
NLEGS    4
CRITERIA  0.0  1.5]]
output = "feff_calculations"
