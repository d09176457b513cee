-- Reweight: which frames and atoms of the MD ensemble measured chi(k)
-- prefers. Folder weights that bring the average toward the data, with
-- maximum-entropy regularisation toward equal weights (as ensemble
-- refinement does for NMR and SAXS data).
--
--   mdexafs reweight SOURCE DATA OUT TYPE[:RMAX]... [--theta X|scan] [options]
local mdx = require "mdexafs"

local a = mdx.args(arg, {
  about = [[
Weights w >= 0, summing to 1, of the folders of SOURCE (each its sum of
the paths of TYPES, as the multipath recipe sums them) that minimise
chi^2/2 - theta S(w): chi^2 feffit's of the weighted average against the
measured chi(k) in DATA, S the relative entropy to equal weights. A large
theta keeps the weights equal; a small one lets the data choose. With
--theta=scan (the default) thetas from 10^4 down to 10^-3 are tried and
the largest whose chi-square reaches the number of independent points is
kept: the most even weights the data's noise allows.]],
  source = true,
  { "DATA", "file", "the measured chi(k): columns labelled k and chi, else the first two" },
  { "OUT", "string", "the start of the names of the files written" },
  { "TYPES", "types", "TYPE[:RMAX] each (U-O:3.0): a path type and its largest reff",
    unit = "Å", many = true },
  { "--theta", "string", "the entropy's weight: a number above 0, inf (equal weights), or scan",
    default = "scan" },
  { "--kmin", "number", "start of the k range", unit = "1/Å", default = 3, min = 0,
    below = "--kmax" },
  { "--kmax", "number", "end of the k range", unit = "1/Å", default = 12, max = 20 },
  { "--kweight", "integer", "k weight", default = 2, min = 0, max = 10 },
  { "--dk", "number", "taper of the k window", unit = "1/Å", default = 1, min = 0 },
  { "--window", "window", "the k window (larch's names)", default = "hanning" },
  { "--rmin", "number", "start of the R range", unit = "Å", default = 1, min = 0,
    below = "--rmax" },
  { "--rmax", "number", "end of the R range", unit = "Å", default = 3, max = 30 },
  { "--fitspace", "string", "where the residual is", choices = { "r", "k", "q" },
    default = "r" },
  { "--epsilon-k", "number", "the data's noise in chi(k) (default: estimated from "
    .. "|chi(R)| at 15-30 Å)", above = 0 },
  { "--frames", "range", "frames A to B, both included (A: or :B for no end)" },
  { "--figure", "string", "the figure's format", choices = { "png", "svg", "pdf" }, default = "png" },
  writes = { "OUT_weights.txt: frame, atom and weight of each folder, the statistics above",
             "OUT_reweighted.chik: the reweighted average with its standard error",
             "OUT_reweight.FORMAT: the weights by frame; data, equal-weight and reweighted "
               .. "averages; with a scan, chi-square per n_idp against theta" },
})

local theta = a.theta == "scan" and "scan" or a.theta == "inf" and math.huge or tonumber(a.theta)
if not theta or theta ~= theta then
  mdx.usage_error(arg, "--theta: '%s' is neither a number nor scan", a.theta)
end
local outs = { a.out .. "_weights.txt", a.out .. "_reweighted.chik", a.out .. "_reweight." .. a.figure }
local clash = mdx.overwrites(outs, { a.source, a.data })
if clash then mdx.usage_error(arg, "%s would overwrite an input", clash) end
mdx.check_outputs(outs)

local src <close> = mdx.open_source(a)
local sel = src:select { types = a.types, frames = a.frames }
local data = assert(mdx.read_chi(a.data))
local rw = sel:reweight {
  data = data, theta = theta,
  transform = { kmin = a.kmin, kmax = a.kmax, kweight = a.kweight, dk = a.dk, window = a.window,
                rmin = a.rmin, rmax = a.rmax, fitspace = a.fitspace, epsilon_k = a.epsilon_k },
}
local equal = sel:average()
if theta == "scan" and not rw.noise_reached then
  io.stderr:write(("mdexafs: reweight: no theta brought chi-square to n_idp (%.4g at the "
    .. "smallest, against %.4g): the weights may stand in for what the model lacks (S0^2, E0, "
    .. "sigma^2); the smallest theta is kept\n"):format(rw.chi2_after, rw.n_idp))
end

local function report()
  local lines = {
    ("# reweighting of %s toward %s"):format(tostring(sel):gsub("^mdexafs selection: ", ""), a.data),
    ("# theta %.6g%s; chi-square %.6g with equal weights, %.6g reweighted (n_idp %.3f)"):format(
      rw.theta, theta == "scan" and " (scanned)" or "", rw.chi2_before, rw.chi2_after, rw.n_idp),
    ("# effective folders (Kish) %.3f of %d; entropy %.6g"):format(rw.n_eff, #rw.folders, rw.entropy),
  }
  if theta == "scan" and not rw.noise_reached then
    lines[#lines + 1] = "# no theta brought chi-square to n_idp: the smallest is kept"
  end
  lines[#lines + 1] = "# frame atom weight"
  for _, f in ipairs(rw.folders) do
    lines[#lines + 1] = ("%d %d %.10g"):format(f.frame, f.atom, f.weight)
  end
  return table.concat(lines, "\n") .. "\n"
end

-- The figure: each frame's weight (its folders' sum) against equal
-- weights; k^w chi(k) of the data and both averages; the scan.
local function panels()
  local frames, order = {}, {}
  for _, f in ipairs(rw.folders) do
    if not frames[f.frame] then order[#order + 1] = f.frame end
    frames[f.frame] = (frames[f.frame] or 0) + f.weight
  end
  local fx, fy, ey = {}, {}, {}
  for i, fr in ipairs(order) do
    fx[i], fy[i] = fr, frames[fr]
    ey[i] = 1 / #order
  end
  if #fx == 1 then fx[2], fy[2], ey[2] = fx[1] + 1, fy[1], ey[1] end
  local w = a.kweight
  local function weighted(r)
    local y = {}
    for i = 1, #r.k do y[i] = r.k[i] ^ w * r.chi[i] end
    return r.k, y
  end
  local dk, dy = weighted(data)
  local ek, ey2 = weighted(equal)
  local rk, ry = weighted(rw.average)
  local list = {
    { xlabel = "frame", ylabel = "weight",
      title = ("weights by frame: theta %.3g, %.1f effective folders of %d"):format(
        rw.theta, rw.n_eff, #rw.folders),
      curves = { { x = fx, y = fy, label = "reweighted" }, { x = fx, y = ey, label = "equal" } } },
    { xlabel = "k (Å#u-1#d)", ylabel = ("k#u%d#d #gx(k)"):format(w),
      title = ("#gx#u2#d %.4g equal, %.4g reweighted"):format(rw.chi2_before, rw.chi2_after),
      xrange = { 0, math.max(a.kmax + 2, 6) },
      curves = { { x = dk, y = dy, label = "data" }, { x = ek, y = ey2, label = "equal weights" },
                 { x = rk, y = ry, label = "reweighted" } } },
  }
  if #rw.scan > 1 then
    local sx, sy, one = {}, {}, {}
    for i = #rw.scan, 1, -1 do  -- smallest theta first
      sx[#sx + 1], sy[#sy + 1] = math.log(rw.scan[i].theta, 10), rw.scan[i].chi2 / rw.n_idp
      one[#one + 1] = 1
    end
    list[3] = { xlabel = "log#d10#u #gh", ylabel = "#gx#u2#d / n#didp#u",
                title = ("the scan of theta: %.3g kept"):format(rw.theta),
                curves = { { x = sx, y = sy, label = "each theta" },
                           { x = sx, y = one, label = "the noise" } } }
  end
  return list
end

mdx.write_parts {
  { outs[1], outs[1] .. ".part", mdx.text_writer(report()) },
  { outs[2], outs[2] .. ".part", mdx.result_writer(rw.average, { sem = true }) },
  { outs[3], a.out .. "_reweight.part." .. a.figure,
    function(part) assert(mdx.figure { file = part, panels = panels() }) end },
}
io.write(report():match "^(.-)# frame atom weight")
