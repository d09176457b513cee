-- Wavelet: the Cauchy wavelet map of the MD average (and of measured
-- chi(k) beside it), as xraylarch's cauchy_wavelet: which distances the
-- signal comes from, and at which k, to tell light from heavy
-- scatterers at one distance.
--
--   mdexafs wavelet SOURCE OUT TYPE[:RMAX]... [--data FILE] [options]
local mdx = require "mdexafs"

local a = mdx.args(arg, {
  about = [[
The Cauchy wavelet transform of the multipath average of TYPES, as
xraylarch's cauchy_wavelet makes it: |W(k, R)| as a map, with the map of
measured chi(k) below it when --data is given (on an even k grid from 0, as
larch assumes), and the maps' numbers as columns k, R, Re W, Im W, |W|.]],
  source = true,
  { "OUT", "string", "the start of the names of the files written" },
  { "TYPES", "types", "TYPE[:RMAX] each (U-O:3.0): a path type and its largest reff",
    unit = "Å", many = true },
  { "--data", "file", "measured chi(k) to map too: columns labelled k and chi, else the first two" },
  { "--kweight", "number", "k weight of chi(k)", default = 2, min = 0, max = 10 },
  { "--rmax", "number", "the largest R of the map", unit = "Å", default = 6, above = 0, max = 30 },
  { "--nfft", "integer", "FFT length, a power of two", default = 2048, min = 16, max = 65536 },
  { "--frames", "range", "frames A to B, both included (A: or :B for no end)" },
  { "--figure", "string", "the figure's format", choices = { "png", "svg", "pdf" }, default = "png" },
  writes = { "OUT_wavelet.dat: the MD average's map, columns k, R, Re W, Im W, |W|",
             "OUT_wavelet_data.dat: the data's map, with --data",
             "OUT_wavelet.FORMAT: |W(k, R)| of the MD average (and of the data below)" },
})

local outs = { a.out .. "_wavelet.dat", a.out .. "_wavelet." .. a.figure }
if a.data then outs[3] = a.out .. "_wavelet_data.dat" end
local clash = mdx.overwrites(outs, { a.source, a.data })
if clash then mdx.usage_error(arg, "%s would overwrite an input", clash) end
mdx.check_outputs(outs)

local src <close> = mdx.open_source(a)
local avg = src:select { types = a.types, frames = a.frames }:average()
local options = { kweight = a.kweight, rmax_out = a.rmax, nfft = a.nfft }
local maps = { { avg:wavelet(options), "MD average" } }
if a.data then
  maps[2] = { assert(mdx.read_chi(a.data)):wavelet(options), a.data:match "[^/]*$" }
end

-- The map's columns: one line per (k, R), R fastest... as blocks per k.
local function columns(w)
  local lines = { ("# %s\n# k R re im mag"):format(w.label) }
  for j = 1, w.nk do
    for i = 1, w.nr do
      lines[#lines + 1] = ("%.6f %.6f %.8g %.8g %.8g"):format(w.k[j], w.r[i], w.re[i][j],
                                                             w.im[i][j], w.mag[i][j])
    end
  end
  return table.concat(lines, "\n") .. "\n"
end

local panels = {}
for i, m in ipairs(maps) do
  panels[i] = { xlabel = "k (Å#u-1#d)", ylabel = "R (Å)",
                title = ("%s: |W(k, R)| of k#u%g#d #gx(k)"):format(m[2], a.kweight),
                map = { x = m[1].k, y = m[1].r, z = m[1].mag, label = "|W|" } }
end
local parts = {
  { outs[1], outs[1] .. ".part", mdx.text_writer(columns(maps[1][1])) },
  { outs[2], a.out .. "_wavelet.part." .. a.figure,
    function(part) assert(mdx.figure { file = part, panels = panels }) end },
}
if a.data then parts[3] = { outs[3], outs[3] .. ".part", mdx.text_writer(columns(maps[2][1])) } end
mdx.write_parts(parts)
for _, m in ipairs(maps) do
  print(("%s: %d R x %d k points"):format(m[1].label, m[1].nr, m[1].nk))
end
