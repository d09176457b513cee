-- chi(R): the multipath average and its Fourier transform as xraylarch's
-- xftf makes it, as the column sets Athena exports.
--
--   mdexafs chir SOURCE OUTPREFIX TYPE[:RMAX]... [options]
local mdx = require "mdexafs"

local a = mdx.args(arg, {
  about = [[
The multipath average and its Fourier transform chi(R) as xraylarch's xftf
makes it, written as the column sets Athena exports, optionally with XDI
headers and a plot.]],
  source = true,  -- SOURCE and --skip-failed, for mdx.open_source
  { "OUTPREFIX", "string", "the start of the files' names" },
  { "TYPES", "types", "TYPE[:RMAX] each (U-O:3.0): a path type and its largest reff",
    unit = "Å", many = true },
  { "--kweight", "number", "k weight of the transform", default = 2, min = 0, max = 10 },
  { "--kmin", "number", "start of the k window", unit = "1/Å", default = 2, min = 0,
    below = "--kmax" },
  { "--kmax", "number", "end of the k window", unit = "1/Å", default = 14, max = 20 },
  { "--dk", "number", "width of the window's sills", unit = "1/Å", default = 1, min = 0 },
  { "--window", "window", "the window, as xraylarch's (hanning, kaiser, ...)",
    default = "hanning" },
  { "--rmax", "number", "largest reff of every path", unit = "Å", min = 0 },
  { "--rmin", "number", "smallest reff of every path", unit = "Å", min = 0, below = "--rmax" },
  { "--frames", "range", "frames A to B, both included (A: or :B for no end)" },
  { "--xdi", "flag", "write XDI headers" },
  { "--element", "element", "the XDI absorbing element (implies --xdi; default: the paths')" },
  { "--edge", "edge", "the XDI edge (implies --xdi; default: the paths')" },
  { "--plot", "flag", "plot k-weighted chi(k) and |chi(R)|" },
  writes = { "OUTPREFIX_k.dat: k, chi, k chi, k^2 chi, k^3 chi",
             "OUTPREFIX_r.dat: r, Re, Im, |chi(R)|",
             "OUTPREFIX.png: the plot, with --plot" },
})

local src <close> = mdx.open_source(a)
local avg = src:select {
  types = a.types,
  reff = (a.rmin or a.rmax) and { a.rmin or false, a.rmax or false },
  frames = a.frames,
}:average()

local ft = { kweight = a.kweight, kmin = a.kmin, kmax = a.kmax, dk = a.dk,
             window = a.window }
local chir = avg:xftf(ft)
local xdi = (a.xdi or a.element or a.edge) and { element = a.element, edge = a.edge }
assert(avg:write(a.outprefix .. "_k.dat", { columns = "athena", xdi = xdi }))
assert(chir:write(a.outprefix .. "_r.dat", { xdi = xdi }))
if a.plot then
  assert(mdx.plot { file = a.outprefix .. ".png", results = { avg }, kweight = a.kweight,
                    xftf = ft, labels = { a.outprefix:match "[^/]*$" } })
end
print(avg)
print(chir)
