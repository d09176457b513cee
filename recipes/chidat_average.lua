-- FEFF's own chi.dat, averaged over (frame, atom) folders with no path
-- selection (files of different lengths are cut to the shortest) — the
-- reference workflow's plain mode.
--
--   mdexafs recipes/chidat_average.lua SOURCE OUT [--frames=A:B] [--sem]
local mdx = require "mdexafs"

local usage = "usage: mdexafs chidat_average.lua SOURCE OUT [--frames=A:B] [--sem]"
local pos, opt = mdx.args(arg, usage, 2, { frames = true, sem = true })

local src <close> = mdx.source(pos[1])
local avg = src:chidat { frames = mdx.range(opt.frames) }
assert(avg:write(pos[2], { sem = opt.sem }))
print(avg)
