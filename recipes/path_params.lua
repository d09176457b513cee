-- Path parameters: the multipath average with S02, E0, sigma2, deltar, C3,
-- C4 and Ei applied to every path at query time, as xraylarch's path2chi.
--
--   mdexafs path_params SOURCE OUT [TYPE[:RMAX]...] [options]
--
-- A parameter can also be a Lua function of the path; edit `extra` below,
-- e.g. a larger sigma2 for multiple scattering:
--   extra.sigma2 = function(p) return p.nleg == 2 and 0.003 or 0.006 end
local mdx = require "mdexafs"

local a = mdx.args(arg, {
  about = [[
The multipath average with path parameters applied to every path, as
xraylarch's path2chi. Without TYPES every path type is taken. A parameter
is one number for all paths, or one per path type, '*' for the others:
--sigma2=U-O=0.003,U-U=0.0045,*=0.006.]],
  source = true,  -- SOURCE and --skip-failed, for mdx.open_source
  { "OUT", "string", "the k chi file to write" },
  { "TYPES", "types", "TYPE[:RMAX] each (U-O:3.0): a path type and its largest reff",
    unit = "Å", many = true, optional = true },
  { "--s02", "param", "amplitude reduction factor S0^2" },
  { "--e0", "param", "energy shift E0", unit = "eV" },
  { "--sigma2", "param", "mean-square displacement sigma^2", unit = "Å^2" },
  { "--deltar", "param", "change of half the path length (xraylarch's deltar)", unit = "Å" },
  { "--c3", "param", "third cumulant", unit = "Å^3" },
  { "--c4", "param", "fourth cumulant", unit = "Å^4" },
  { "--ei", "param", "imaginary energy (broadening)", unit = "eV" },
  { "--rmax", "number", "largest reff of every path", unit = "Å", min = 0 },
  { "--rmin", "number", "smallest reff of every path", unit = "Å", min = 0, below = "--rmax" },
  { "--frames", "range", "frames A to B, both included (A: or :B for no end)" },
  { "--sem", "flag", "add the standard error across folders as a third column" },
  { "--xdi", "flag", "write an XDI header" },
  { "--full-precision", "flag", "the fewest digits that read back exactly, not %.6f" },
  writes = { "OUT: k, chi (and sem) at %.6f, under a '#' line of what it is and one of column labels, or XDI" },
})
local precision = a.full_precision and "full" or "reference"

local extra = {}  -- Lua functions of the path go here (see above)

local params = {}
for _, name in ipairs { "s02", "e0", "sigma2", "deltar", "c3", "c4", "ei" } do
  params[name] = a[name]
end
for name, f in pairs(extra) do params[name] = f end

local src <close> = mdx.open_source(a)
local avg = src:select {
  types = a.types,
  reff = (a.rmin or a.rmax) and { a.rmin or false, a.rmax or false },
  frames = a.frames,
  params = params,
}:average()
assert(avg:write(a.out, { sem = a.sem, xdi = a.xdi, precision = precision }))
print(avg)
