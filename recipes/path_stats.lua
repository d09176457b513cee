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
  source = true,  -- SOURCE and --skip-failed, for mdx.open_source
  { "OUTPREFIX", "string", "the start of the files' names" },
  { "TYPES", "types", "TYPE[:RMAX] each (U-O:3.0): a path type and its largest reff",
    unit = "Å", many = true, optional = true },
  { "--of", "string", "what is counted", choices = { "reff", "legs", "angles" }, default = "reff" },
  { "--bins", "integer", "bins of each histogram", default = 40, min = 1, max = 100000 },
  { "--frames", "range", "frames A to B, both included (A: or :B for no end)" },
  { "--figure", "string", "the figure's format", choices = { "png", "svg", "pdf" }, default = "png" },
  writes = {
    "OUTPREFIX_moments.dat: per type, n, weight, mean, variance, c3, min, max",
    "OUTPREFIX_TYPE.dat: per type, the histogram: bin centre, weight, density",
    "OUTPREFIX_hist.FORMAT: the densities of all types, one curve each",
  },
})

local src <close> = mdx.open_source(a)
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
-- Legs and angles are of multiple-scattering types: a single-scattering
-- one has one length, its reff, and no angle. Named, it is a mistake;
-- taken as one of all types, it is left out.
if a.of ~= "reff" then
  local kept = {}
  for _, t in ipairs(types) do
    if t:find("%-.*%-") then
      kept[#kept + 1] = t
    elseif a.types then
      mdx.usage_error(arg, "--of=%s: %s is a single-scattering type (%s)", a.of, t,
        a.of == "legs" and "its one length is its reff: --of=reff" or "it has no angle")
    end
  end
  types = kept
  if #types == 0 then mdx.usage_error(arg, "--of=%s: no multiple-scattering type", a.of) end
end

local files, curves = {}, {}
for _, t in ipairs(types) do
  local sel = src:select { types = { [t] = a.types and a.types[t] or math.huge },
                           frames = a.frames }
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

-- Every file, all of them or none.
local outputs = {}
for _, f in ipairs(files) do
  outputs[#outputs + 1] = { f[1], f[1] .. ".part", mdx.text_writer(f[2]) }
end
if #curves > 0 then
  outputs[#outputs + 1] = { ("%s_hist.%s"):format(a.outprefix, a.figure),
    ("%s_hist.part.%s"):format(a.outprefix, a.figure), function(part)
      assert(mdx.figure { file = part, panels = {
        { xlabel = a.of == "angles" and "angle (degrees)" or (a.of .. " (Å)"), ylabel = "density",
          title = ("%s over the ensemble, weighted by degeneracy"):format(a.of),
          curves = curves } } })
    end }
end
mdx.write_parts(outputs)
io.write(table.concat(lines, "\n"), "\n")
