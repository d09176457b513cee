-- Fit: the MD average of some path types fitted to measured chi(k), as
-- xraylarch's feffit: a global amplitude and energy shift, and an extra
-- sigma^2 per path type if asked.
--
--   mdexafs fit SOURCE DATA OUT TYPE[:RMAX]... [options]
--
-- For other models (another parameter per path class, several selections)
-- call mdx.fit from your own recipe: this one is a short example of it.
local mdx = require "mdexafs"

local a = mdx.args(arg, {
  about = [[
Fit the MD average of the paths of TYPES (each up to its RMAX) to the
measured chi(k) in DATA as xraylarch's feffit does: S0^2 (amp) and E0
vary, and with --dsigma2 an extra sigma^2 for each listed path type. Every
path of every folder counts, averaged as the multipath recipe averages;
the noise of the data is estimated from their |chi(R)| at 15-30 Å.]],
  source = true,  -- SOURCE and --skip-failed, for mdx.open_source
  { "DATA", "file", "the measured chi(k): columns labelled k and chi, else the first two" },
  { "OUT", "string", "the start of the names of the files written" },
  { "TYPES", "types", "TYPE[:RMAX] each (U-O:3.0): a path type and its largest reff",
    unit = "Å", many = true },
  { "--vary", "list", "which of amp and e0 vary", of = "string", choices = { "amp", "e0" },
    default = "amp,e0" },
  { "--amp", "number", "start of S0^2", default = 1 },
  { "--e0", "number", "start of E0 (it varies within -20 .. 20)", unit = "eV", default = 0,
    min = -20, max = 20 },
  { "--dsigma2", "list", "path types that get their own extra sigma^2 (start 0)", of = "string" },
  { "--kmin", "number", "start of the k range", unit = "1/Å", default = 3, min = 0,
    below = "--kmax" },
  { "--kmax", "number", "end of the k range", unit = "1/Å", default = 12, max = 20 },
  { "--kweight", "list", "k weight, or several at once (1,2,3)", of = "integer", default = "2",
    min = 0, max = 10 },
  { "--dk", "number", "taper of the k window", unit = "1/Å", default = 1, min = 0 },
  { "--window", "window", "the k window (larch's names)", default = "hanning" },
  { "--rmin", "number", "start of the R range", unit = "Å", default = 1, min = 0,
    below = "--rmax" },
  { "--rmax", "number", "end of the R range", unit = "Å", default = 3, max = 30 },
  { "--fitspace", "string", "where the residual is", choices = { "r", "k", "q" }, default = "r" },
  { "--frames", "range", "frames A to B, both included (A: or :B for no end)" },
  { "--figure", "string", "the figure's format", choices = { "png", "svg", "pdf" }, default = "png" },
  writes = { "OUT_fit.txt: the report (statistics, variables with uncertainties, correlations)",
             "OUT_model.chik: the best-fit average, xraylarch's columns",
             "OUT_fit.FORMAT: data and fit in k (with the k window) and in R (with the "
               .. "R range), and the residual below" },
})

local function usage(...) mdx.usage_error(arg, ...) end
local function once(list, what)
  local seen = {}
  for _, v in ipairs(list) do
    if seen[v] then usage("%s: '%s' given twice", what, v) end
    seen[v] = true
  end
end
once(a.vary, "--vary")
once(a.kweight, "--kweight")

local vars = {}
for _, name in ipairs(a.vary) do
  vars[name] = name == "amp" and a.amp or { a.e0, min = -20, max = 20 }
end
local extra = {}  -- path type -> its variable's name
once(a.dsigma2 or {}, "--dsigma2")
for _, t in ipairs(a.dsigma2 or {}) do
  if t:find ":" then usage("--dsigma2: '%s': give the path type without :RMAX", t) end
  if not a.types[t] then usage("--dsigma2: '%s' is not one of the TYPES fitted", t) end
  extra[t] = "dsigma2_" .. t:gsub("%-", "_")
  vars[extra[t]] = 0
end
if next(vars) == nil then usage("--vary: nothing to vary") end

-- The three files, all or none, and none of them an input.
local outs = { a.out .. "_fit.txt", a.out .. "_model.chik", a.out .. "_fit." .. a.figure }
for _, out in ipairs(outs) do
  if out == a.data or out == a.source then usage("%s would overwrite an input", out) end
end
mdx.check_outputs(outs)  -- before the fit, not after it

local src <close> = mdx.open_source(a)
local fit = mdx.fit {
  data = assert(mdx.read_chi(a.data)),
  model = src:select { types = a.types, frames = a.frames },
  vars = vars,
  params = function(p, v)
    return { s02 = v.amp or a.amp, e0 = v.e0 or a.e0,
             sigma2 = extra[p.type] and v[extra[p.type]] or 0 }
  end,
  transform = { kmin = a.kmin, kmax = a.kmax, kweight = a.kweight, dk = a.dk,
                window = a.window, rmin = a.rmin, rmax = a.rmax, fitspace = a.fitspace },
}

-- The figure: k^w chi(k) of data and fit with the k window (scaled to the
-- data), |chi(R)| of both with the R range marked, and the residual.
local function figure_panels(fit)
  local w = a.kweight[1]
  local k, data, model = fit.data.k, fit.data.chi, fit.model.chi
  local dk, mk, res, win, top = {}, {}, {}, {}, 0
  for i = 1, #k do
    dk[i], mk[i] = k[i] ^ w * data[i], k[i] ^ w * model[i]
    res[i] = dk[i] - mk[i]
    top = math.max(top, math.abs(dk[i]))
  end
  for i = 1, #k do win[i] = fit.kwin[i] * top end
  local ft = { kweight = w, kmin = a.kmin, kmax = a.kmax, dk = a.dk, window = a.window }
  local rd, rm = fit.data:xftf(ft), fit.model:xftf(ft)
  local rtop = 0
  for i = 1, #rd.mag do rtop = math.max(rtop, rd.mag[i]) end
  local klabel = ("k#u%d#d #gx(k)"):format(w)
  return {
    { xlabel = "k (Å#u-1#d)", ylabel = klabel,
      title = ("fit: R-factor %.4f, reduced #gx#u2#d %.3g"):format(fit.rfactor, fit.chi2_reduced),
      curves = { { x = k, y = dk, label = "data" }, { x = k, y = mk, label = "fit" },
                 { x = k, y = win, label = ("window %g-%g Å#u-1#d"):format(a.kmin, a.kmax) } } },
    { xlabel = "R (Å)", ylabel = "|#gx(R)|", xrange = { 0, math.max(6, a.rmax + 1) },
      curves = { { x = rd.r, y = rd.mag, label = "data" }, { x = rm.r, y = rm.mag, label = "fit" },
                 { x = { a.rmin, a.rmin, a.rmax, a.rmax }, y = { 0, rtop, rtop, 0 },
                   label = ("fit range %g-%g Å"):format(a.rmin, a.rmax) } } },
    { xlabel = "k (Å#u-1#d)", ylabel = "data - fit",
      curves = { { x = k, y = res, label = "residual, " .. klabel } } },
  }
end

mdx.write_parts {
  { outs[1], outs[1] .. ".part", mdx.text_writer(tostring(fit) .. "\n") },
  { outs[2], outs[2] .. ".part", mdx.result_writer(fit.model, { columns = "athena" }) },
  { outs[3], a.out .. "_fit.part." .. a.figure,
    function(part) assert(mdx.figure { file = part, panels = figure_panels(fit) }) end },
}
print(fit)
