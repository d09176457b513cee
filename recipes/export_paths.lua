-- Re-export stored paths as feffNNNN.dat files.
--
--   mdexafs export_paths SOURCE OUTDIR [options]
local mdx = require "mdexafs"

local a = mdx.args(arg, {
  about = [[
The selected paths of a database (or a tree) written as feffNNNN.dat
files, one folder per (frame, atom), each giving the same chi(k) as the
file it was built from.]],
  source = true,  -- SOURCE and --skip-failed, for mdx.open_source
  { "OUTDIR", "string", "the folder to write to: new, or empty" },
  { "--types", "types", "only these path types, each up to its RMAX", unit = "Å" },
  { "--rmax", "number", "largest reff of every path", unit = "Å", min = 0 },
  { "--frames", "range", "frames A to B, both included (A: or :B for no end)" },
  { "--atoms", "list", "only these absorbing atoms", of = "integer", min = 0 },
  writes = { "OUTDIR/frame_F/atom_A/feffNNNN.dat: the selected paths" },
})

local src <close> = mdx.open_source(a)
local paths = src:select {
  types = a.types, reff = a.rmax, frames = a.frames, atoms = a.atoms,
}:paths()

-- Files already in OUTDIR would pass for exported ones: start empty.
local kind = mdx.path_kind(a.outdir)
if kind and kind ~= "folder" then
  error(("%s is not a folder"):format(a.outdir), 0)
end
local empty, why = true, nil
if kind then empty, why = mdx.folder_empty(a.outdir) end
if empty == nil then error(why, 0) end
if not empty then
  error(("%s is not empty: its files would mix with the exported ones"):format(a.outdir), 0)
end

local made = {}
for _, p in ipairs(paths) do
  local dir = ("%s/frame_%d/atom_%d"):format(a.outdir, p.frame, p.atom)
  if not made[dir] then
    local ok, why = mdx.make_folders(dir)
    if not ok then error(("cannot make the folder %s (%s)"):format(dir, why), 0) end
    made[dir] = true
  end
  assert(src:export(p.frame, p.atom, p.num, ("%s/feff%04d.dat"):format(dir, p.num)))
end
print(("%d paths written to %s"):format(#paths, a.outdir))
