-- Path parameters: the multipath average with S02, E0, sigma2, deltar, C3,
-- C4 and Ei applied to every path at query time, as xraylarch's path2chi.
--
--   mdexafs recipes/path_params.lua SOURCE OUT [TYPE[:RMAX]...] [--NAME=VALUE]...
--
-- Without TYPE every path type is taken (up to --rmax).
-- NAME is s02, e0, sigma2, deltar, c3, c4 or ei. VALUE is one number for
-- all paths, or per path type: --sigma2=U-O=0.003,U-U=0.0045,*=0.006
-- ('*' for the other types). A parameter can also be a Lua function of the
-- path; edit `extra` below, e.g. a larger sigma2 for multiple scattering:
--   extra.sigma2 = function(p) return p.nleg == 2 and 0.003 or 0.006 end
-- Options as multipath.lua: --rmax=R --rmin=R --frames=A:B --sem --xdi.
local mdx = require "mdexafs"

local names = { s02 = true, e0 = true, sigma2 = true, deltar = true,
                c3 = true, c4 = true, ei = true }
local known = { rmax = true, rmin = true, frames = true, sem = true, xdi = true }
for name in pairs(names) do known[name] = true end

local usage = "usage: mdexafs path_params.lua SOURCE OUT [TYPE[:RMAX]...] " ..
              "[--s02=V] [--e0=V] [--sigma2=V] [--deltar=V] [--c3=V] " ..
              "[--c4=V] [--ei=V] [--rmax=R] [--rmin=R] [--frames=A:B] " ..
              "[--sem] [--xdi]"
local pos, opt = mdx.args(arg, usage, 2, known)

local extra = {}  -- Lua functions of the path go here (see above)

-- "0.003" -> 0.003; "U-O=0.003,*=0.006" -> {["U-O"] = 0.003, ["*"] = 0.006}
local function value(name, text)
  local number = tonumber(text)
  if number then return number end
  local by_type = {}
  for type, v in tostring(text):gmatch "([^,=]+)=([^,]+)" do
    by_type[type] = tonumber(v) or error(("--%s: '%s' is not a number"):format(name, v))
  end
  assert(next(by_type), ("--%s: expected a number or TYPE=VALUE,..."):format(name))
  return by_type
end

local params = {}
for name in pairs(names) do
  if opt[name] then params[name] = value(name, opt[name]) end
end
for name, f in pairs(extra) do params[name] = f end

local types = mdx.types(table.move(pos, 3, #pos, 1, {}), opt.rmax)

local src <close> = mdx.source(pos[1])
local avg = src:select {
  types = types,
  reff = (opt.rmin or opt.rmax)
         and { tonumber(opt.rmin) or false, tonumber(opt.rmax) or false } or nil,
  frames = mdx.range(opt.frames),
  params = params,
}:average()
assert(avg:write(pos[2], { sem = opt.sem, xdi = opt.xdi or nil }))
print(avg)
