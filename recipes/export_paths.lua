-- Re-export stored paths: write the selected paths of a database (or a
-- tree) as feffNNNN.dat files, one folder per (frame, atom), each giving
-- the same chi(k) as the file it was built from.
--
--   mdexafs recipes/export_paths.lua SOURCE OUTDIR [--types=U-O,U-U]
--                                    [--rmax=R] [--frames=A:B] [--atoms=I,J]
local mdx = require "mdexafs"

local usage = "usage: mdexafs export_paths.lua SOURCE OUTDIR [--types=T,...] " ..
              "[--rmax=R] [--frames=A:B] [--atoms=I,J]"
local pos, opt = mdx.args(arg, usage, 2,
                          { types = true, rmax = true, frames = true, atoms = true })

local function list(text, convert)
  if not text then return nil end
  local t = {}
  for word in text:gmatch "[^,]+" do t[#t + 1] = convert and convert(word) or word end
  return t
end

local src <close> = mdx.source(pos[1])
local paths = src:select {
  types = list(opt.types),
  reff = opt.rmax and tonumber(opt.rmax),
  frames = mdx.range(opt.frames),
  atoms = list(opt.atoms, math.tointeger),
}:paths()

local made = {}
for _, p in ipairs(paths) do
  local dir = ("%s/frame_%d/atom_%d"):format(pos[2], p.frame, p.atom)
  if not made[dir] then
    assert(os.execute("mkdir -p '" .. dir:gsub("'", "'\\''") .. "'"))
    made[dir] = true
  end
  assert(src:export(p.frame, p.atom, p.num, ("%s/feff%04d.dat"):format(dir, p.num)))
end
print(("%d paths written to %s"):format(#paths, pos[2]))
