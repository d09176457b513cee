-- Outliers: each folder's distance from the ensemble mean, to find a
-- broken FEFF run or an unphysical snapshot.
--
--   mdexafs outliers SOURCE OUT TYPE[:RMAX]... [options]
local mdx = require "mdexafs"

local a = mdx.args(arg, {
  about = [[
How far each (frame, atom) folder's sum of the selected paths is from the
ensemble mean: sum (k^w (chi - mean))^2 / sum (k^w mean)^2 over the k
range, an R-factor. Writes every folder, farthest first, and flags those
beyond the threshold (default: 4 times the median distance).]],
  source = true,  -- SOURCE and --skip-failed, for mdx.open_source
  { "OUT", "string", "the table to write" },
  { "TYPES", "types", "TYPE[:RMAX] each (U-O:3.0): a path type and its largest reff",
    unit = "Å", many = true },
  { "--kmin", "number", "start of the k range", unit = "1/Å", default = 3, min = 0,
    below = "--kmax" },
  { "--kmax", "number", "end of the k range", unit = "1/Å", default = 12, max = 20 },
  { "--kweight", "number", "k weight (a negative one needs --kmin above 0)", default = 2 },
  { "--threshold", "number", "the distance beyond which a folder is flagged", min = 0 },
  { "--frames", "range", "frames A to B, both included (A: or :B for no end)" },
  writes = { "OUT: frame, atom, distance, flagged (1 or 0), folder; farthest first" },
  check = function(a) mdx.check_distance { kmin = a.kmin, kmax = a.kmax, kweight = a.kweight } end,
})

mdx.check_outputs { a.out }

local src <close> = mdx.open_source(a)
local spread = src:select { types = a.types, frames = a.frames }:spread {
  kmin = a.kmin, kmax = a.kmax, kweight = a.kweight, threshold = a.threshold }
local lines = {
  ("# distance of each folder's sum from the mean of %d, k %g..%g, k-weight %g; "
   .. "flagged beyond %.6g"):format(#spread, a.kmin, a.kmax, a.kweight, spread.threshold),
  "# frame atom distance flagged folder" }
local flagged = 0
for _, f in ipairs(spread) do
  lines[#lines + 1] = ("%d %d %.8g %d %s"):format(f.frame, f.atom, f.distance,
                                                  f.flagged and 1 or 0, f.dir)
  if f.flagged then
    flagged = flagged + 1
    io.write(("flagged: %s (frame %d, atom %d): distance %.4g\n"):format(
      f.dir, f.frame, f.atom, f.distance))
  end
end
mdx.write_parts { { a.out, a.out .. ".part", mdx.text_writer(table.concat(lines, "\n") .. "\n") } }
io.write(("%d of %d folders flagged (threshold %.4g)\n"):format(flagged, #spread,
                                                               spread.threshold))
