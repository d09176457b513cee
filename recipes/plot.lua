-- Plot chi(k) files: k-weighted chi(k) and |chi(R)| of each file, overlaid,
-- labelled with the file names. Reads any file whose first two columns
-- are k and chi (mdexafs's outputs, FEFF's chi.dat, larch's files).
--
--   mdexafs recipes/plot.lua OUT.png|OUT.svg FILE... [--kweight=2]
--                            [--kmin=2] [--kmax=14] [--window=hanning]
--                            [--panels=both|k|r] [--title=TEXT]
local mdx = require "mdexafs"

local usage = "usage: mdexafs plot.lua OUT.png FILE... [--kweight=W] [--kmin=K] " ..
              "[--kmax=K] [--window=NAME] [--panels=both|k|r] [--title=TEXT]"
local pos, opt = mdx.args(arg, usage, 2, { kweight = true, kmin = true, kmax = true,
                                          window = true, panels = true, title = true })

local results, labels = {}, {}
for i = 2, #pos do
  results[#results + 1] = assert(mdx.read_chi(pos[i]))
  labels[#labels + 1] = pos[i]:match "[^/]+$"
end
local kweight = tonumber(opt.kweight or 2)
assert(mdx.plot {
  file = pos[1], results = results, labels = labels, kweight = kweight,
  panels = opt.panels, title = opt.title,
  xftf = { kweight = kweight, kmin = tonumber(opt.kmin or 2),
           kmax = tonumber(opt.kmax or 14), window = opt.window or "hanning" },
})
print(("plotted %d files to %s"):format(#results, pos[1]))
