-- chi(R): the multipath average and its Fourier transform as xraylarch's
-- xftf makes it, written as the column sets Athena exports, optionally
-- with XDI headers and a plot.
--
--   mdexafs recipes/chir.lua SOURCE OUTPREFIX TYPE[:RMAX]... [options]
--
-- Writes OUTPREFIX_k.dat (k, chi, k chi, k^2 chi, k^3 chi) and
-- OUTPREFIX_r.dat (r, Re, Im, |chi(R)|); with --plot also OUTPREFIX.png.
-- --kweight=2 --kmin=2 --kmax=14 --dk=1 --window=hanning  the transform
-- --rmax=R --rmin=R --frames=A:B   the selection, as multipath.lua
-- --xdi [--element=U --edge=L3]   XDI headers (element and edge from the
--                                 paths unless given)
local mdx = require "mdexafs"

local usage = "usage: mdexafs chir.lua SOURCE OUTPREFIX TYPE[:RMAX]... " ..
              "[--kweight=W] [--kmin=K] [--kmax=K] [--dk=D] [--window=NAME] " ..
              "[--rmax=R] [--rmin=R] [--frames=A:B] [--xdi] [--element=E] " ..
              "[--edge=E] [--plot]"
local pos, opt = mdx.args(arg, usage, 3, {
  kweight = true, kmin = true, kmax = true, dk = true, window = true,
  rmax = true, rmin = true, frames = true, xdi = true, element = true,
  edge = true, plot = true })

local types = mdx.types(table.move(pos, 3, #pos, 1, {}), opt.rmax)

local src <close> = mdx.source(pos[1])
local avg = src:select {
  types = types,
  reff = opt.rmin and { tonumber(opt.rmin), false } or nil,
  frames = mdx.range(opt.frames),
}:average()

local ft = {
  kweight = tonumber(opt.kweight or 2), kmin = tonumber(opt.kmin or 2),
  kmax = tonumber(opt.kmax or 14), dk = tonumber(opt.dk or 1),
  window = opt.window or "hanning",
}
local chir = avg:xftf(ft)
local xdi = opt.xdi and { element = opt.element, edge = opt.edge } or nil
assert(avg:write(pos[2] .. "_k.dat", { columns = "athena", xdi = xdi }))
assert(chir:write(pos[2] .. "_r.dat", { xdi = xdi }))
if opt.plot then
  assert(mdx.plot { file = pos[2] .. ".png", results = { avg }, kweight = ft.kweight,
                    xftf = ft, labels = { table.concat(pos, " ", 3) } })
end
print(avg)
print(chir)
