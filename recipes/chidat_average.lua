-- FEFF's own chi.dat, averaged — the reference workflow's plain mode.
--
--   mdexafs chidat_average SOURCE OUT [options]
local mdx = require "mdexafs"

local a = mdx.args(arg, {
  about = [[
FEFF's own chi.dat averaged over the (frame, atom) folders, with no path
selection: the reference workflow's plain mode, but matched by k value
(files starting at k = 0 and at k = 0.05 are averaged over the k values
all have, and stderr says so).]],
  source = true,  -- SOURCE and --skip-failed, for mdx.open_source
  { "OUT", "string", "the k chi file to write" },
  { "--frames", "range", "frames A to B, both included (A: or :B for no end)" },
  { "--sem", "flag", "add the standard error across folders as a third column" },
  { "--full-precision", "flag", "the fewest digits that read back exactly, not %.6f" },
  writes = { "OUT: k, chi (and sem) at %.6f, under a '#' line of what it is and one of column labels" },
})
local precision = a.full_precision and "full" or "reference"

local src <close> = mdx.open_source(a)
local avg = src:chidat { frames = a.frames }
assert(avg:write(a.out, { sem = a.sem, precision = precision }))
print(avg)
