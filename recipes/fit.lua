-- Fit: the MD average of some path types fitted to measured chi(k), as
-- xraylarch's feffit: a global amplitude and energy shift, and an extra
-- sigma^2 per path type if asked; with several data files (a temperature
-- series) one fit of them all, some variables one per data file.
--
--   mdexafs fit SOURCE DATA OUT TYPE[:RMAX]... [--more-data FILE,...] [options]
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
the noise of the data is estimated from their |chi(R)| at 15-30 Å. With
--more-data, DATA and those files are fitted at once, as feffit fits a
list of data sets, each with the same model and transform: the variables
of --per-set are one per data file (amp_1, amp_2, ...), the others
shared.]],
  source = true,  -- SOURCE and --skip-failed, for mdx.open_source
  { "DATA", "file", "the measured chi(k): columns labelled k and chi, else the first two" },
  { "OUT", "string", "the start of the names of the files written" },
  { "TYPES", "types", "TYPE[:RMAX] each (U-O:3.0): a path type and its largest reff",
    unit = "Å", many = true },
  { "--more-data", "list", "more measured chi(k) files, fitted with DATA at once",
    of = "file" },
  { "--per-set", "list", "with --more-data, which variables are one per data file (the "
    .. "default: each extra sigma^2, if any)",
    of = "string", choices = { "amp", "e0", "dsigma2" }, default = "dsigma2" },
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
  { "--fitspace", "string", "where the residual is (w: the Cauchy wavelet map)",
    choices = { "r", "k", "q", "w" }, default = "r" },
  { "--frames", "range", "frames A to B, both included (A: or :B for no end)" },
  { "--figure", "string", "the figure's format", choices = { "png", "svg", "pdf" }, default = "png" },
  writes = { "OUT_fit.txt: the report (statistics, variables with uncertainties, correlations)",
             "OUT_model.chik: the best-fit average, xraylarch's columns (with --more-data, "
               .. "OUT_model_1.chik for DATA, OUT_model_2.chik for the next, ...)",
             "OUT_fit.FORMAT: data and fit in k (with the k window) and in R (with the "
               .. "R range), and the residual below (with --more-data: k and R of each)" },
})

local function usage(...) mdx.usage_error(arg, ...) end
local function arg_given(name)  -- on the command line, not its default
  for _, word in ipairs(arg) do
    if word == name or word:sub(1, #name + 1) == name .. "=" then return true end
  end
end
local function once(list, what)
  local seen = {}
  for _, v in ipairs(list) do
    if seen[v] then usage("%s: '%s' given twice", what, v) end
    seen[v] = true
  end
end
once(a.vary, "--vary")
once(a.kweight, "--kweight")
once(a.per_set, "--per-set")

local files = { a.data, table.unpack(a.more_data or {}) }
if #files == 1 and arg_given "--per-set" then usage("--per-set needs --more-data") end
local varied = { dsigma2 = a.dsigma2 ~= nil }
for _, v in ipairs(a.vary) do varied[v] = true end
for _, kind in ipairs(a.per_set) do
  if #files > 1 and not varied[kind] and arg_given "--per-set" then
    usage("--per-set: '%s' does not vary (%s)", kind,
          kind == "dsigma2" and "give --dsigma2" or "see --vary")
  end
end
once(files, "DATA and --more-data")
local nsets = #files
local per_set = {}  -- variable kind -> one per data set
for _, kind in ipairs(a.per_set) do per_set[kind] = nsets > 1 end

-- The variable of `kind` for data set d: "amp", or "amp_2" when per set.
local function name_of(kind, base, d) return per_set[kind] and ("%s_%d"):format(base, d) or base end

local vars = {}
local function add(kind, base, start)
  for d = 1, nsets do vars[name_of(kind, base, d)] = start end
end
for _, name in ipairs(a.vary) do
  add(name, name, name == "amp" and a.amp or { a.e0, min = -20, max = 20 })
end
local extra = {}  -- path type -> its variable's base name
once(a.dsigma2 or {}, "--dsigma2")
for _, t in ipairs(a.dsigma2 or {}) do
  if t:find ":" then usage("--dsigma2: '%s': give the path type without :RMAX", t) end
  if not a.types[t] then usage("--dsigma2: '%s' is not one of the TYPES fitted", t) end
  extra[t] = "dsigma2_" .. t:gsub("%-", "_")
  add("dsigma2", extra[t], 0)
end
if next(vars) == nil then usage("--vary: nothing to vary") end

-- The files, all or none, and none of them an input.
local models = {}
for d = 1, nsets do
  models[d] = nsets == 1 and a.out .. "_model.chik" or ("%s_model_%d.chik"):format(a.out, d)
end
local outs = { a.out .. "_fit.txt", a.out .. "_fit." .. a.figure, table.unpack(models) }
local clash = mdx.overwrites(outs, { a.source, table.unpack(files) })
if clash then usage("%s would overwrite an input", clash) end
mdx.check_outputs(outs)  -- before the fit, not after it

local src <close> = mdx.open_source(a)
local model = src:select { types = a.types, frames = a.frames }
local transform = { kmin = a.kmin, kmax = a.kmax, kweight = a.kweight, dk = a.dk,
                    window = a.window, rmin = a.rmin, rmax = a.rmax, fitspace = a.fitspace }
local datasets = {}
for d, file in ipairs(files) do
  datasets[d] = { data = assert(mdx.read_chi(file)), model = model, transform = transform }
end
local fit = mdx.fit {
  datasets = datasets,
  vars = vars,
  params = function(p, v, d)
    local function value(kind, base, default)
      local name = name_of(kind, base, d)
      return vars[name] and v[name] or default
    end
    return { s02 = value("amp", "amp", a.amp), e0 = value("e0", "e0", a.e0),
             sigma2 = extra[p.type] and v[name_of("dsigma2", extra[p.type], d)] or 0 }
  end,
}

-- The figure: per data set, k^w chi(k) of data and fit with the k window
-- (scaled to the data) and |chi(R)| of both with the R range marked; for
-- one data set the residual below.
local function figure_panels(fit)
  local w = a.kweight[1]
  local klabel = ("k#u%d#d #gx(k)"):format(w)
  local panels = {}
  for d, set in ipairs(fit.datasets) do
    local k, data, model = set.data.k, set.data.chi, set.model.chi
    local dk, mk, res, win, top = {}, {}, {}, {}, 0
    for i = 1, #k do
      dk[i], mk[i] = k[i] ^ w * data[i], k[i] ^ w * model[i]
      res[i] = dk[i] - mk[i]
      top = math.max(top, math.abs(dk[i]))
    end
    for i = 1, #k do win[i] = set.kwin[i] * top end
    local ft = { kweight = w, kmin = a.kmin, kmax = a.kmax, dk = a.dk, window = a.window }
    local rd, rm = set.data:xftf(ft), set.model:xftf(ft)
    local rtop = 0
    for i = 1, #rd.mag do rtop = math.max(rtop, rd.mag[i]) end
    local which = nsets == 1 and "" or ("%s: "):format(files[d]:match "[^/]*$")
    panels[#panels + 1] = {
      xlabel = "k (Å#u-1#d)", ylabel = klabel,
      title = d == 1 and ("fit: R-factor %.4f, reduced #gx#u2#d %.3g"):format(fit.rfactor,
                                                                          fit.chi2_reduced) or nil,
      curves = { { x = k, y = dk, label = which .. "data" }, { x = k, y = mk, label = "fit" },
                 { x = k, y = win, label = ("window %g-%g Å#u-1#d"):format(a.kmin, a.kmax) } } }
    panels[#panels + 1] = {
      xlabel = "R (Å)", ylabel = "|#gx(R)|", xrange = { 0, math.max(6, a.rmax + 1) },
      curves = { { x = rd.r, y = rd.mag, label = which .. "data" }, { x = rm.r, y = rm.mag, label = "fit" },
                 { x = { a.rmin, a.rmin, a.rmax, a.rmax }, y = { 0, rtop, rtop, 0 },
                   label = ("fit range %g-%g Å"):format(a.rmin, a.rmax) } } }
    if nsets == 1 then
      panels[#panels + 1] = { xlabel = "k (Å#u-1#d)", ylabel = "data - fit",
        curves = { { x = k, y = res, label = "residual, " .. klabel } } }
    end
  end
  return panels
end

local parts = {
  { outs[1], outs[1] .. ".part", mdx.text_writer(tostring(fit) .. "\n") },
  { outs[2], a.out .. "_fit.part." .. a.figure,
    function(part) assert(mdx.figure { file = part, panels = figure_panels(fit) }) end },
}
for d, out in ipairs(models) do
  parts[#parts + 1] = { out, out .. ".part",
                        mdx.result_writer(fit.datasets[d].model, { columns = "athena" }) }
end
mdx.write_parts(parts)
print(fit)
