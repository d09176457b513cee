-- Plot chi(k) files: k-weighted chi(k) and |chi(R)|, overlaid.
--
--   mdexafs plot OUT.png|OUT.svg|OUT.pdf FILE... [options]
local mdx = require "mdexafs"

local a = mdx.args(arg, {
  about = [[
k-weighted chi(k) and |chi(R)| of chi files, overlaid and labelled with
the files' names. Reads chi(k) files (columns labelled k and chi, else the
first two: mdexafs's outputs, FEFF's chi.dat, larch's files), or chi(R)
files (columns labelled r and chir_mag, as xftf writes them), plotted as
|chi(R)| against R; not both kinds at once.]],
  { "OUT", "string", "the plot to write, OUT.png, OUT.svg or OUT.pdf (text stays text in SVG and PDF)" },
  { "FILES", "file", "the chi files", many = true },
  { "--kweight", "number", "k weight", default = 2, min = 0, max = 10 },
  { "--kmin", "number", "start of the transform's k window", unit = "1/Å", default = 2, min = 0,
    below = "--kmax" },
  { "--kmax", "number", "end of the transform's k window", unit = "1/Å", default = 14 },
  { "--window", "window", "the transform's window (as chir.lua's)", default = "hanning" },
  { "--panels", "string", "chi(k), |chi(R)| or both", choices = { "both", "k", "r" },
    default = "both" },
  { "--title", "string", "a title above the plot" },
  { "--labels", "list", "the legend's names of the files, in order (default: the file names)", of = "string" },
  { "--kaxis", "list", "the k axis from lo to hi (lo,hi)", of = "number" },
  { "--raxis", "list", "the R axis from lo to hi (lo,hi)", of = "number" },
  { "--legend", "string", "where the legends go", choices = { "inside", "outside", "none" },
    default = "inside" },
  { "--size", "list", "the page's width,height (in --unit)", of = "number", above = 0 },
  { "--unit", "string", "the unit of --size", choices = { "cm", "in" }, default = "cm" },
  { "--dpi", "number", "pixels per inch of a PNG", default = 96, above = 0 },
  { "--sem", "flag", "shade each file's standard error (its column labelled sem, as multipath --sem writes)" },
  writes = { "OUT: the plot, PNG, SVG or PDF by its name" },
})

if a.labels and #a.labels ~= #a.files then
  mdx.usage_error(arg, "--labels: %d names for %d files", #a.labels, #a.files)
end
if a.size and #a.size ~= 2 then mdx.usage_error(arg, "--size: give width,height") end
if not (a.out:lower():match "%.png$" or a.out:lower():match "%.svg$" or a.out:lower():match "%.pdf$") then
  mdx.usage_error(arg, "%s: the plot's name must end in .png, .svg or .pdf", a.out)
end
-- Text from the command line is shown as given: '#' is PLplot's escape.
local function literal(text) return text and (text:gsub("#", "##")) end
for _, axis in ipairs { "kaxis", "raxis" } do
  local r = a[axis]
  if r and (#r ~= 2 or not (r[1] < r[2])) then
    mdx.usage_error(arg, "--%s: give lo,hi with lo < hi", axis)
  end
end
-- Is this a chi(R) file: its columns labelled r ... chir_mag?
local function is_chir(file)
  local labels
  for line in io.lines(file) do
    if not line:match "^%s*#" then break end
    labels = line
  end
  return labels ~= nil and labels:match "^#%s*r[%s,]" ~= nil and labels:find("chir_mag", 1, true) ~= nil
end

local results, labels, chir = {}, {}, nil
for i, file in ipairs(a.files) do
  local this = is_chir(file)
  if chir ~= nil and this ~= chir then
    error(("%s is a chi(%s) file, %s a chi(%s) one: plot one kind at a time"):format(
      a.files[1], chir and "R" or "k", file, this and "R" or "k"), 0)
  end
  chir = this
  results[i] = assert(mdx.read_chi(file, this and { k = "r", chi = "chir_mag" } or nil))
  labels[i] = literal(a.labels and a.labels[i] or file:match "[^/]+$")
  if a.sem and not this and not results[i].sem then
    mdx.usage_error(arg, "--sem: %s has no column labelled sem", file)
  end
end
if chir and (a.sem or a.kaxis) then
  mdx.usage_error(arg, "--%s: chi(R) files have no k axis and no standard error",
                  a.sem and "sem" or "kaxis")
end
local function plotted(n, what)
  print(("plotted %d %s%s to %s"):format(n, what, n == 1 and "" or "s", a.out))
end
if chir then
  local curves = {}
  for i, r in ipairs(results) do curves[i] = { x = r.k, y = r.chi, label = labels[i] } end
  assert(mdx.figure { file = a.out, legend = a.legend, dpi = a.dpi,
    size = a.size and { a.size[1], a.size[2], a.unit }, panels = {
    { xlabel = "R (Å)", ylabel = "|#gx(R)|", title = literal(a.title) or "", curves = curves,
      xrange = a.raxis } } })
  plotted(#results, "chi(R) file")
  return
end
assert(mdx.plot {
  file = a.out, results = results, labels = labels, kweight = a.kweight,
  panels = a.panels, title = literal(a.title), krange = a.kaxis, rrange = a.raxis,
  window = a.panels ~= "r", legend = a.legend, sem = a.sem, size = a.size and { a.size[1], a.size[2], a.unit },
  dpi = a.dpi,
  xftf = { kweight = a.kweight, kmin = a.kmin, kmax = a.kmax, window = a.window },
})
plotted(#results, "file")
