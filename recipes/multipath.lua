-- Multiple paths: several path types, each with its own distance cut-off,
-- summed within each (frame, atom) folder and averaged over folders —
-- the reference workflow's multipath mode.
--
--   mdexafs recipes/multipath.lua SOURCE OUT TYPE[:RMAX]... [--rmax=R]
--                                 [--rmin=R] [--frames=A:B] [--sem]
--
-- TYPE:RMAX   a path type and its largest reff in Å (U-O:3.0 U-U:4.5);
--             a TYPE without :RMAX takes --rmax (default: no limit)
-- --rmin=R    smallest reff in Å, for all types
-- --frames=A:B  frames A to B, both included
-- --sem       write the standard error across folders as a third column
local mdx = require "mdexafs"

local usage = "usage: mdexafs multipath.lua SOURCE OUT TYPE[:RMAX]... " ..
              "[--rmax=R] [--rmin=R] [--frames=A:B] [--sem]"
local pos, opt = mdx.args(arg, usage, 3,
                          { rmax = true, rmin = true, frames = true, sem = true })

local types = mdx.types(table.move(pos, 3, #pos, 1, {}), opt.rmax)

local src <close> = mdx.source(pos[1])
local avg = src:select {
  types = types,
  reff = opt.rmin and { tonumber(opt.rmin), false } or nil,
  frames = mdx.range(opt.frames),
}:average()
assert(avg:write(pos[2], { sem = opt.sem }))
print(avg)
