-- Convergence: how the average moves as frames are added.
--
--   mdexafs convergence SOURCE OUTPREFIX TYPE[:RMAX]... [options]
local mdx = require "mdexafs"

local a = mdx.args(arg, {
  about = [[
How the average moves as frames are added: writes the average over the
first 1, 2, ... frames (all their atoms), and prints per step the largest
and the RMS change of k^2 chi against the average of all frames.]],
  { "SOURCE", "file", "a database (chi.db) or a FEFF tree folder" },
  { "OUTPREFIX", "string", "the start of the files' names" },
  { "TYPES", "types", "TYPE[:RMAX] each (U-O:3.0): a path type and its largest reff",
    unit = "Å", many = true },
  { "--skip-failed", "flag", "leave out folders that failed to build (the output says so)" },
  { "--full-precision", "flag", "the fewest digits that read back exactly, not %.6f" },
  writes = { "OUTPREFIX_NNN.dat: k, chi at %.6f, averaged over the first NNN frames" },
})
local precision = a.full_precision and "full" or "reference"

local src <close> = mdx.source(a.source, { quiet = a.quiet,
                                             failed = a.skip_failed and "skip" or "stop" })
local sums = src:select { types = a.types }:sums()  -- one per folder
local final = src:select { types = a.types }:average():kweight(2)

local total, count, step, files = nil, 0, 0, {}
print("frames folders   max|dk2chi|   rms|dk2chi|")
for i, s in ipairs(sums) do
  total = total and total + s or s
  count = count + 1
  local last_of_frame = not sums[i + 1] or sums[i + 1].frame ~= s.frame
  if last_of_frame then
    step = step + 1
    local avg = total / count
    files[#files + 1] = { avg, ("%s_%03d.dat"):format(a.outprefix, step),
                          { precision = precision } }
    local diff, max, sq = (avg:kweight(2) - final).chi, 0, 0
    for _, d in ipairs(diff) do
      max = math.max(max, math.abs(d))
      sq = sq + d * d
    end
    print(("%6d %7d %13.6f %13.6f"):format(step, count, max, math.sqrt(sq / #diff)))
  end
end
mdx.write_all(files)  -- every file or none
