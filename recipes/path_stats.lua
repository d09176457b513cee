-- Path statistics: the distribution of reff (or of leg lengths or angles)
-- of each path type over the ensemble, from the stored geometry.
--
--   mdexafs path_stats SOURCE OUTPREFIX [TYPE...] [options]
local mdx = require "mdexafs"

local a = mdx.args(arg, {
  about = [[
The distribution over the ensemble of each path type's reff, or of its
leg lengths or its angles at each scatterer (--of), each path weighted by
its degeneracy: the mean, the variance (the MD sigma^2) and the third
cumulant C3 that a cumulant fit is compared with, and a histogram. Without
TYPES every path type is taken.]],
  { "SOURCE", "file", "a database (chi.db) or a FEFF tree folder" },
  { "OUTPREFIX", "string", "the start of the files' names" },
  { "TYPES", "types", "TYPE[:RMAX] each (U-O:3.0): a path type and its largest reff",
    unit = "Å", many = true, optional = true },
  { "--of", "string", "what is counted", choices = { "reff", "legs", "angles" }, default = "reff" },
  { "--bins", "integer", "bins of each histogram", default = 40 },
  { "--frames", "range", "frames A to B, both included (A: or :B for no end)" },
  { "--figure", "string", "the figure's format", choices = { "png", "svg", "pdf" }, default = "png" },
  { "--skip-failed", "flag", "leave out folders that failed to build (the output says so)" },
  writes = {
    "OUTPREFIX_moments.dat: per type, n, weight, mean, variance, c3, min, max",
    "OUTPREFIX_TYPE.dat: per type, the histogram: bin centre, weight, density",
    "OUTPREFIX_hist.FORMAT: the densities of all types, one curve each",
  },
})
if a.bins < 1 then mdx.usage_error(arg, "--bins %d: at least one bin", a.bins) end

local src <close> = mdx.source(a.source, { quiet = a.quiet,
                                             failed = a.skip_failed and "skip" or "stop" })
local types = {}
if a.types then
  for t in pairs(a.types) do types[#types + 1] = t end
else
  for t in pairs(src:select { frames = a.frames }:stats()) do types[#types + 1] = t end
end
table.sort(types)

local unit = a.of == "angles" and "degrees" or "Å"
local lines = { ("# %s of each path type (%s), weighted by degeneracy: %s"):format(
                  a.of, unit, a.source),
                "# type n weight mean variance c3 min max" }
local files, curves = {}, {}
for _, t in ipairs(types) do
  local sel = src:select { types = { [t] = a.types and a.types[t] or math.huge },
                           frames = a.frames }
  if a.of ~= "reff" and not t:find("%-.*%-") then
    error(("--of=%s: %s is a single-scattering type: its legs are reff and it "
           .. "has no angle"):format(a.of, t), 0)
  end
  local h = sel:histogram { of = a.of, bins = a.bins }
  lines[#lines + 1] = ("%s %d %.10g %.10g %.10g %.10g %.10g %.10g"):format(
    t, h.n, h.weight, h.mean, h.variance, h.c3, h.min, h.max)
  local rows = { ("# %s of %s (%s): %d values, weight %g"):format(a.of, t, unit, h.n, h.weight),
                 "# x weight density" }
  for i = 1, #h.x do
    rows[#rows + 1] = ("%.6f %.10g %.10g"):format(h.x[i], h.counts[i], h.density[i])
  end
  files[#files + 1] = { ("%s_%s.dat"):format(a.outprefix, t), table.concat(rows, "\n") .. "\n" }
  if #h.x >= 2 and #curves < 16 then
    curves[#curves + 1] = { x = h.x, y = h.density, label = t }
  end
end
files[#files + 1] = { a.outprefix .. "_moments.dat", table.concat(lines, "\n") .. "\n" }

-- Every file written aside, then all renamed: all of them or none.
local figure_file = ("%s_hist.%s"):format(a.outprefix, a.figure)
local figure_part = ("%s_hist.part.%s"):format(a.outprefix, a.figure)
local ok, err = pcall(function()
  for _, f in ipairs(files) do
    local out = assert(io.open(f[1] .. ".part", "w"))
    assert(out:write(f[2]))
    assert(out:close())
  end
  if #curves > 0 then
    assert(mdx.figure { file = figure_part, panels = {
      { xlabel = a.of == "angles" and "angle (degrees)" or (a.of .. " (Å)"), ylabel = "density",
        title = ("%s over the ensemble, weighted by degeneracy"):format(a.of), curves = curves } } })
  end
end)
if not ok then
  for _, f in ipairs(files) do os.remove(f[1] .. ".part") end
  os.remove(figure_part)
  error((tostring(err):gsub("%.part", "")), 0)
end
for _, f in ipairs(files) do assert(os.rename(f[1] .. ".part", f[1])) end
if #curves > 0 then assert(os.rename(figure_part, figure_file)) end
io.write(table.concat(lines, "\n"), "\n")
