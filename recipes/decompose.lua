-- Decomposition: each path type's share of the average, for paths up to a
-- distance. Writes OUTPREFIX_TYPE.dat per type and OUTPREFIX_total.dat,
-- and prints the types by the size of their contribution (RMS of k^2 chi).
-- The shares add up to the total.
--
--   mdexafs recipes/decompose.lua SOURCE OUTPREFIX [RMAX] [--nleg=N]
local mdx = require "mdexafs"

local usage = "usage: mdexafs decompose.lua SOURCE OUTPREFIX [RMAX] [--nleg=N]"
local pos, opt = mdx.args(arg, usage, 2, { nleg = true })
local rmax = tonumber(pos[3] or math.huge)

local src <close> = mdx.source(pos[1])
local sel = src:select { reff = rmax, nleg = opt.nleg and tonumber(opt.nleg) }
local parts, total = sel:by_type(), sel:average()
assert(total:write(pos[2] .. "_total.dat"))

local rows = {}
for type, part in pairs(parts) do
  assert(part:write(("%s_%s.dat"):format(pos[2], type)))
  local sq = 0
  for _, v in ipairs(part:kweight(2).chi) do sq = sq + v * v end
  rows[#rows + 1] = { type = type, rms = math.sqrt(sq / #part), paths = part.npaths }
end
table.sort(rows, function(a, b) return a.rms > b.rms end)
print(("%-12s %8s %14s"):format("type", "paths", "rms(k^2 chi)"))
for _, r in ipairs(rows) do
  print(("%-12s %8d %14.6f"):format(r.type, r.paths, r.rms))
end
