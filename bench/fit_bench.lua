-- Time one fit: 3 variables (amp, e0, sigma2) on every path with reff
-- <= RMAX of SOURCE against DATA. Run by bench/bench_fit.sh:
--   mdexafs bench/fit_bench.lua SOURCE DATA RMAX
local mdx = require "mdexafs"
local source, data, rmax = arg[1], arg[2], tonumber(arg[3])
local src <close> = assert(mdx.open(source))
local start = io.popen("date +%s.%N"):read "n"
local fit = mdx.fit {
  data = assert(mdx.read_chi(data)),
  model = src:select { reff = rmax },
  vars = { amp = 1.0, e0 = { 0.0, min = -10, max = 10 }, ss2 = 0.003 },
  params = function(_, v) return { s02 = v.amp, e0 = v.e0, sigma2 = v.ss2 } end,
  transform = { kmin = 3, kmax = 13, kweight = 2, dk = 2, window = "kaiser",
                rmin = 1.4, rmax = 4.2 },
}
local stop = io.popen("date +%s.%N"):read "n"
local n = src:select { reff = rmax }:count()
print(("mdexafs fit: %d paths, %d evaluations, %.2f s wall (amp %.4f, e0 %.3f, ss2 %.5f)")
  :format(n, fit.nfev, stop - start, fit.values.amp, fit.values.e0, fit.values.ss2))
