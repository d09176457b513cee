-- First shell: the mean over (frame, atom) folders of the sum of one path
-- type's paths up to a distance, e.g. the U-O shell below 3 Å.
--
--   mdexafs recipes/first_shell.lua SOURCE OUT [TYPE] [RMAX] [--frames=A:B]
--
-- SOURCE  a database (chi.db) or a FEFF tree folder
-- OUT     the k chi file to write
-- TYPE    path type, default U-O; RMAX largest reff in Å, default 3.0
-- --frames=A:B  frames A to B, both included
-- --rmin=R      smallest reff in Å
local mdx = require "mdexafs"

local usage = "usage: mdexafs first_shell.lua SOURCE OUT [TYPE] [RMAX] [--frames=A:B] [--rmin=R]"
local pos, opt = mdx.args(arg, usage, 2, { frames = true, rmin = true })
local source, out = pos[1], pos[2]
local type, rmax = pos[3] or "U-O", tonumber(pos[4] or 3.0)

local src <close> = mdx.source(source)
local avg = src:select {
  types = { [type] = rmax },
  reff = opt.rmin and { tonumber(opt.rmin), false } or nil,
  frames = mdx.range(opt.frames),
}:average()
assert(avg:write(out))
print(avg)
