-- Plot chi(k) files: k-weighted chi(k) and |chi(R)|, overlaid.
--
--   mdexafs plot OUT.png|OUT.svg|OUT.pdf FILE... [options]
local mdx = require "mdexafs"

local a = mdx.args(arg, {
  about = [[
k-weighted chi(k) and |chi(R)| of chi files, overlaid and labelled with
the files' names. Reads any file whose first two columns are k and chi
(mdexafs's outputs, FEFF's chi.dat, larch's files).]],
  { "OUT", "string", "the plot to write, OUT.png, OUT.svg or OUT.pdf (text stays text in SVG and PDF)" },
  { "FILES", "file", "the chi files", many = true },
  { "--kweight", "number", "k weight", default = 2 },
  { "--kmin", "number", "start of the transform's k window", unit = "1/Å", default = 2 },
  { "--kmax", "number", "end of the transform's k window", unit = "1/Å", default = 14 },
  { "--window", "string", "the transform's window (as chir.lua's)", default = "hanning" },
  { "--panels", "string", "chi(k), |chi(R)| or both", choices = { "both", "k", "r" },
    default = "both" },
  { "--title", "string", "a title above the plot" },
  { "--labels", "list", "the legend's names of the files, in order (default: the file names)", of = "string" },
  { "--kaxis", "list", "the k axis from lo to hi (lo,hi)", of = "number" },
  { "--raxis", "list", "the R axis from lo to hi (lo,hi)", of = "number" },
  writes = { "OUT: the plot, PNG, SVG or PDF by its name" },
})

if a.labels and #a.labels ~= #a.files then
  mdx.usage_error(arg, "--labels: %d names for %d files", #a.labels, #a.files)
end
for _, axis in ipairs { "kaxis", "raxis" } do
  local r = a[axis]
  if r and (#r ~= 2 or not (r[1] < r[2])) then
    mdx.usage_error(arg, "--%s: give lo,hi with lo < hi", axis)
  end
end
local results, labels = {}, {}
for i, file in ipairs(a.files) do
  results[i] = assert(mdx.read_chi(file))
  labels[i] = a.labels and a.labels[i] or file:match "[^/]+$"
end
assert(mdx.plot {
  file = a.out, results = results, labels = labels, kweight = a.kweight,
  panels = a.panels, title = a.title, krange = a.kaxis, rrange = a.raxis,
  xftf = { kweight = a.kweight, kmin = a.kmin, kmax = a.kmax, window = a.window },
})
print(("plotted %d files to %s"):format(#results, a.out))
