-- First shell: one path type's paths up to a distance, averaged.
--
--   mdexafs first_shell SOURCE OUT [TYPE[:RMAX]] [options]
local mdx = require "mdexafs"

local a = mdx.args(arg, {
  about = [[
The mean over (frame, atom) folders of the sum of one path type's paths up
to a distance: the first shell, by default U-O below 3 Å.]],
  source = true,  -- SOURCE and --skip-failed, for mdx.open_source
  { "OUT", "string", "the k chi file to write" },
  { "SHELL", "types", "TYPE[:RMAX], the path type and its largest reff",
    unit = "Å", default = "U-O:3.0" },
  { "--rmin", "number", "smallest reff", unit = "Å", min = 0 },
  { "--frames", "range", "frames A to B, both included (A: or :B for no end)" },
  { "--full-precision", "flag", "the fewest digits that read back exactly, not %.6f" },
  writes = { "OUT: k, chi at %.6f, under a '#' line of what it is and one of column labels" },
})
local precision = a.full_precision and "full" or "reference"

local src <close> = mdx.open_source(a)
local avg = src:select {
  types = a.shell,
  reff = a.rmin and { a.rmin, false },
  frames = a.frames,
}:average()
assert(avg:write(a.out, { precision = precision }))
print(avg)
