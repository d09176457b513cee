-- Decomposition: each path type's share of the average.
--
--   mdexafs decompose SOURCE OUTPREFIX [options]
local mdx = require "mdexafs"

local a = mdx.args(arg, {
  about = [[
Each path type's share of the average, for paths up to a distance, and
the types by the size of their contribution (RMS of k^2 chi). The shares
add up to the total.]],
  source = true,  -- SOURCE and --skip-failed, for mdx.open_source
  { "OUTPREFIX", "string", "the start of the files' names" },
  { "--rmax", "number", "largest reff of every path", unit = "Å", min = 0 },
  { "--nleg", "integer", "only paths of this many legs", min = 2 },
  { "--full-precision", "flag", "the fewest digits that read back exactly, not %.6f" },
  writes = { "OUTPREFIX_TYPE.dat: k, chi at %.6f, each type's share",
             "OUTPREFIX_total.dat: k, chi at %.6f, their sum: the average" },
})
local precision = a.full_precision and "full" or "reference"

local src <close> = mdx.open_source(a)
local sel = src:select { reff = a.rmax, nleg = a.nleg }
local parts, total = sel:by_type(), sel:average()
local files = { { total, a.outprefix .. "_total.dat", { precision = precision } } }

local rows = {}
for type, part in pairs(parts) do
  files[#files + 1] = { part, ("%s_%s.dat"):format(a.outprefix, type), { precision = precision } }
  local sq = 0
  for _, v in ipairs(part:kweight(2).chi) do sq = sq + v * v end
  rows[#rows + 1] = { type = type, rms = math.sqrt(sq / #part), paths = part.npaths }
end
mdx.write_all(files)  -- every file or none
table.sort(rows, function(x, y) return x.rms > y.rms end)
print(("%-12s %8s %14s"):format("type", "paths", "rms(k^2 chi)"))
for _, r in ipairs(rows) do
  print(("%-12s %8d %14.6f"):format(r.type, r.paths, r.rms))
end
