-- Plot chi(k) files: k-weighted chi(k) and |chi(R)|, overlaid.
--
--   mdexafs plot OUT.png|OUT.svg FILE... [options]
local mdx = require "mdexafs"

local a = mdx.args(arg, {
  about = [[
k-weighted chi(k) and |chi(R)| of chi files, overlaid and labelled with
the files' names. Reads any file whose first two columns are k and chi
(mdexafs's outputs, FEFF's chi.dat, larch's files).]],
  { "OUT", "string", "the plot to write, OUT.png or OUT.svg" },
  { "FILES", "file", "the chi files", many = true },
  { "--kweight", "number", "k weight", default = 2 },
  { "--kmin", "number", "start of the transform's k window", unit = "1/Å", default = 2 },
  { "--kmax", "number", "end of the transform's k window", unit = "1/Å", default = 14 },
  { "--window", "string", "the transform's window (as chir.lua's)", default = "hanning" },
  { "--panels", "string", "chi(k), |chi(R)| or both", choices = { "both", "k", "r" },
    default = "both" },
  { "--title", "string", "a title above the plot" },
  writes = { "OUT: the plot, PNG or SVG by its name" },
})

local results, labels = {}, {}
for i, file in ipairs(a.files) do
  results[i] = assert(mdx.read_chi(file))
  labels[i] = file:match "[^/]+$"
end
assert(mdx.plot {
  file = a.out, results = results, labels = labels, kweight = a.kweight,
  panels = a.panels, title = a.title,
  xftf = { kweight = a.kweight, kmin = a.kmin, kmax = a.kmax, window = a.window },
})
print(("plotted %d files to %s"):format(#results, a.out))
