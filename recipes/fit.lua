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
  { "SOURCE", "file", "a database (chi.db) or a FEFF tree folder" },
  { "DATA", "file", "the measured chi(k): columns labelled k and chi, else the first two" },
  { "OUT", "string", "the start of the names of the files written" },
  { "TYPES", "types", "TYPE[:RMAX] each (U-O:3.0): a path type and its largest reff",
    unit = "Å", many = true },
  { "--vary", "list", "which of amp and e0 vary", of = "string", default = "amp,e0" },
  { "--amp", "number", "start of S0^2", default = 1 },
  { "--e0", "number", "start of E0", unit = "eV", default = 0 },
  { "--dsigma2", "list", "path types that get their own extra sigma^2 (start 0)", of = "string" },
  { "--kmin", "number", "start of the k range", unit = "1/Å", default = 3 },
  { "--kmax", "number", "end of the k range", unit = "1/Å", default = 12 },
  { "--kweight", "list", "k weight, or several at once (1,2,3)", of = "integer", default = "2" },
  { "--dk", "number", "taper of the k window", unit = "1/Å", default = 1 },
  { "--window", "string", "the k window (larch's names)", default = "hanning" },
  { "--rmin", "number", "start of the R range", unit = "Å", default = 1 },
  { "--rmax", "number", "end of the R range", unit = "Å", default = 3 },
  { "--fitspace", "string", "where the residual is", choices = { "r", "k", "q" }, default = "r" },
  { "--frames", "range", "frames A to B, both included (A: or :B for no end)" },
  { "--skip-failed", "flag", "leave out folders that failed to build (the output says so)" },
  writes = { "OUT_fit.txt: the report (statistics, variables with uncertainties, correlations)",
             "OUT_model.chik: the best-fit average, xraylarch's columns",
             "OUT_fit.png: data and fit, k-weighted chi(k) and |chi(R)|" },
})

local vars = {}
for _, name in ipairs(a.vary) do
  if name ~= "amp" and name ~= "e0" then
    error(("--vary: '%s' is not amp or e0"):format(name), 0)
  end
  vars[name] = name == "amp" and a.amp or { a.e0, min = -20, max = 20 }
end
local extra = {}  -- path type -> its variable's name
for _, t in ipairs(a.dsigma2 or {}) do
  if not a.types[t] then
    error(("--dsigma2: '%s' is not one of the TYPES fitted"):format(t), 0)
  end
  extra[t] = "dsigma2_" .. t:gsub("%-", "_")
  vars[extra[t]] = 0
end
if next(vars) == nil then error("--vary: nothing to vary", 0) end

local src <close> = mdx.source(a.source, { quiet = a.quiet,
                                             failed = a.skip_failed and "skip" or "stop" })
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

local report = a.out .. "_fit.txt"
local f = assert(io.open(report, "w"))
f:write(tostring(fit), "\n")
f:close()
mdx.write_all { { fit.model, a.out .. "_model.chik", { columns = "athena" } } }
assert(mdx.plot {
  file = a.out .. "_fit.png", results = { fit.data, fit.model },
  labels = { "data", "fit" }, kweight = a.kweight[1],
  title = ("fit: R-factor %.4f"):format(fit.rfactor),
  xftf = { kweight = a.kweight[1], kmin = a.kmin, kmax = a.kmax, dk = a.dk,
           window = a.window },
})
print(fit)
