-- Multiple paths: several path types, each with its own distance cut-off,
-- averaged — the reference workflow's multipath mode.
--
--   mdexafs multipath SOURCE OUT TYPE[:RMAX]... [options]
local mdx = require "mdexafs"

local a = mdx.args(arg, {
  about = [[
Several path types, each with its own distance cut-off, summed within each
(frame, atom) folder and averaged over folders: the reference workflow's
multipath mode.]],
  source = true,  -- SOURCE and --skip-failed, for mdx.open_source
  { "OUT", "string", "the k chi file to write" },
  { "TYPES", "types", "TYPE[:RMAX] each (U-O:3.0): a path type and its largest reff",
    unit = "Å", many = true },
  { "--rmax", "number", "largest reff of every path", unit = "Å", min = 0 },
  { "--rmin", "number", "smallest reff of every path", unit = "Å", min = 0, below = "--rmax" },
  { "--frames", "range", "frames A to B, both included (A: or :B for no end)" },
  { "--sem", "flag", "add the standard error across folders as a third column" },
  { "--full-precision", "flag", "the fewest digits that read back exactly, not %.6f" },
  writes = { "OUT: k, chi (and sem) at %.6f, under a '#' line of what it is and one of column labels" },
})
local precision = a.full_precision and "full" or "reference"

local src <close> = mdx.open_source(a)
local avg = src:select {
  types = a.types,
  reff = (a.rmin or a.rmax) and { a.rmin or false, a.rmax or false },
  frames = a.frames,
}:average()
assert(avg:write(a.out, { sem = a.sem, precision = precision }))
print(avg)
