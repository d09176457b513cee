-- Convergence: how the average moves as frames (or absorbers) are added.
--
--   mdexafs convergence SOURCE OUTPREFIX TYPE[:RMAX]... [options]
local mdx = require "mdexafs"

local a = mdx.args(arg, {
  about = [[
How the average moves as frames are added (or, with --by=atoms, as the
absorbers of every frame are: the first 1, 2, ... of each): for each step
the running average, its distance to the final average (an R-factor,
sum (k^w (avg - final))^2 / sum (k^w final)^2 over the k range), the
largest and the RMS change of k^w chi against the final average, and the
standard error of the running average as the same kind of ratio, which
narrows as folders are added. The step from which the distance stays
below --tolerance is reported.]],
  source = true,  -- SOURCE and --skip-failed, for mdx.open_source
  { "OUTPREFIX", "string", "the start of the files' names" },
  { "TYPES", "types", "TYPE[:RMAX] each (U-O:3.0): a path type and its largest reff",
    unit = "Å", many = true },
  { "--by", "string", "what is added step by step", choices = { "frames", "atoms" },
    default = "frames" },
  { "--kmin", "number", "start of the k range of the distances", unit = "1/Å", default = 3,
    min = 0, below = "--kmax" },
  { "--kmax", "number", "end of the k range of the distances", unit = "1/Å", default = 12,
    max = 20 },
  { "--kweight", "integer", "k weight of the changes and distances (a negative one needs "
    .. "--kmin above 0)", default = 2 },
  { "--tolerance", "number", "the distance to the final average called converged",
    default = 0.001, min = 0 },
  { "--figure", "string", "the figure's format", choices = { "png", "svg", "pdf" }, default = "png" },
  { "--full-precision", "flag", "the fewest digits that read back exactly, not %.6f" },
  writes = {
    "OUTPREFIX_convergence.FORMAT: the distance and the standard error against the step, "
      .. "and the first and the final average with their standard error shaded",
    "OUTPREFIX_NNN.dat: k, chi at %.6f, averaged over the first NNN frames (--by=frames)",
    "OUTPREFIX_convergence.dat: per step: frames (or atoms per frame), folders, "
      .. "distance_to_final, max_abs_change, rms_change, sem_ratio",
  },
  check = function(a) mdx.check_distance { kmin = a.kmin, kmax = a.kmax, kweight = a.kweight } end,
})
local precision = a.full_precision and "full" or "reference"
local range = { kmin = a.kmin, kmax = a.kmax, kweight = a.kweight }

local src <close> = mdx.open_source(a)
local sums = src:select { types = a.types }:sums()  -- one per folder
local final = src:select { types = a.types }:average()
-- the arrays the loops below read (r.chi is the same table at each read)
local k, final_chi, chis = final.k, final.chi, {}
for i, s in ipairs(sums) do chis[i] = s.chi end

-- The steps: which folders each one averages.
local steps = {}
if a.by == "frames" then
  for i, s in ipairs(sums) do
    if not sums[i + 1] or sums[i + 1].frame ~= s.frame then steps[#steps + 1] = i end
  end
else
  local rank, frame, most = {}, nil, 0
  local n = 0
  for i, s in ipairs(sums) do
    n = s.frame == frame and n + 1 or 1
    frame = s.frame
    rank[i] = n
    most = math.max(most, n)
  end
  for m = 1, most do
    local keep = {}
    for i = 1, #sums do if rank[i] <= m then keep[#keep + 1] = i end end
    steps[m] = keep
  end
end

-- One step is no study: say what would make one.
if #steps < 2 then
  local s = sums[1]
  error(#sums == 1
    and ("the selection has one folder (frame %d, atom %d): nothing converges; "
         .. "a convergence study needs two or more"):format(s.frame, s.atom)
    or a.by == "frames"
    and ("all %d folders are of frame %d: nothing to add frame by frame; --by=atoms "
         .. "adds the absorbers of the frame one by one"):format(#sums, s.frame)
    or ("every frame has one absorber: nothing to add absorber by absorber; "
        .. "--by=frames adds the frames one by one"), 0)
end

-- The running average over folders `which`, sum (k^w sem)^2 over the
-- range divided by sum (k^w final)^2, and its standard error at each k.
local function average_of(which)
  local total, n = nil, #which
  for _, i in ipairs(which) do total = total and total + sums[i] or sums[i] end
  local avg = total / n
  local avg_chi = avg.chi
  local num, den, sem = 0, 0, {}
  for j = 1, #k do
    local var = 0
    for _, i in ipairs(which) do var = var + (chis[i][j] - avg_chi[j]) ^ 2 end
    sem[j] = n > 1 and math.sqrt(var / (n - 1) / n) or 0
    if k[j] >= a.kmin and k[j] <= a.kmax then
      local w = k[j] ^ a.kweight
      num = num + (w * sem[j]) ^ 2
      den = den + (w * final_chi[j]) ^ 2
    end
  end
  return avg, num / den, sem
end

-- k^w y, and the band k^w (y -+ sem).
local function weighted(y, sem)
  local v, lo, hi = {}, {}, {}
  for j = 1, #k do
    local w = k[j] ^ a.kweight
    v[j], lo[j], hi[j] = w * y[j], w * (y[j] - sem[j]), w * (y[j] + sem[j])
  end
  return v, lo, hi
end

local lines = {
  ("# convergence of the average of %s by %s: k %g..%g, k-weight %d"):format(
    final.label or "the selection", a.by, a.kmin, a.kmax, a.kweight),
  ("# %s folders distance_to_final max_abs_change rms_change sem_ratio"):format(
    a.by == "frames" and "frames" or "atoms_per_frame") }
local files, distances, sem_ratios, first = {}, {}, {}, nil
print(("%6s %7s %14s %13s %13s %11s"):format(a.by == "frames" and "frames" or "atoms",
  "folders", "distance", "max|dk^wchi|", "rms|dk^wchi|", "sem ratio"))
for step, s in ipairs(steps) do
  local which = s
  if type(s) == "number" then
    which = {}
    for i = 1, s do which[i] = i end
  end
  local avg, sem, semk = average_of(which)
  sem_ratios[step] = sem
  first = first or { avg = avg, sem = semk, n = #which }
  if a.by == "frames" then
    files[#files + 1] = { avg, ("%s_%03d.dat"):format(a.outprefix, step),
                          { precision = precision } }
  end
  local diff, max, sq = (avg:kweight(a.kweight) - final:kweight(a.kweight)).chi, 0, 0
  for _, d in ipairs(diff) do
    max = math.max(max, math.abs(d))
    sq = sq + d * d
  end
  distances[step] = mdx.distance(avg, final, range)
  local rms = math.sqrt(sq / #diff)
  print(("%6d %7d %14.6e %13.6f %13.6f %11.4e"):format(step, #which, distances[step], max,
                                                       rms, sem))
  lines[#lines + 1] = ("%d %d %.12e %.12e %.12e %.12e"):format(step, #which, distances[step],
                                                               max, rms, sem)
end

local from
for step = #distances, 1, -1 do
  if distances[step] > a.tolerance then break end
  from = step
end
print(from and ("converged: the distance to the final average stays below %g from %d %s on")
                 :format(a.tolerance, from, a.by == "frames" and "frames" or "atoms per frame")
           or ("not converged: only the final step is within %g"):format(a.tolerance))

local steps_x = {}
for i = 1, #distances do steps_x[i] = i end
local fy, flo, fhi = weighted(first.avg.chi, first.sem)
local ly, llo, lhi = weighted(final_chi, final.sem)
local figure = {
  { xlabel = a.by == "frames" and "frames" or "absorbers per frame",
    ylabel = "distance to the final average",
    title = ("convergence: k %g-%g Å#u-1#d, k-weight %d"):format(a.kmin, a.kmax, a.kweight),
    xstep = math.max(1, (#steps_x - 1) // 8),  -- whole steps
    curves = { { x = steps_x, y = distances, label = "distance to the final" },
               { x = steps_x, y = sem_ratios, label = "standard error (same measure)" } } },
  { xlabel = "k (Å#u-1#d)", ylabel = ("k#u%d#d #gx(k)"):format(a.kweight),
    curves = { { x = k, y = fy, lo = flo, hi = fhi, label = ("first step (%d folders)"):format(first.n) },
               { x = k, y = ly, lo = llo, hi = lhi, label = ("all (%d folders)"):format(#sums) } } },
}
local table_file = a.outprefix .. "_convergence.dat"
local figure_file = ("%s_convergence.%s"):format(a.outprefix, a.figure)
local outputs = {}
for _, f in ipairs(files) do  -- the averages
  outputs[#outputs + 1] = { f[2], f[2] .. ".part", mdx.result_writer(f[1], f[3]) }
end
outputs[#outputs + 1] = { table_file, table_file .. ".part",
                          mdx.text_writer(table.concat(lines, "\n") .. "\n") }
outputs[#outputs + 1] = { figure_file, ("%s_convergence.part.%s"):format(a.outprefix, a.figure),
                          function(part) assert(mdx.figure { file = part, panels = figure }) end }
mdx.write_parts(outputs)  -- every file or none
