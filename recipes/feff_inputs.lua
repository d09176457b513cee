-- FEFF inputs from an MD trajectory: for each frame wanted and each
-- absorbing atom of it, a folder OUTPUT/frame_N/atom_M (M the atom's id)
-- with feff.inp (the header, POTENTIALS, the cluster of every periodic
-- image within the cutoff, absorber at the origin) and atom.txt (which
-- atom it is, and what made the folder).
--
--   mdexafs feff_inputs CONFIG [--output=DIR] [--dry-run] [--quiet]
--
-- The configuration is a Lua file (mdexafs.feff_config says what it may
-- set). A second run writes only what is missing: a folder whose feff.inp
-- would change, or one no longer chosen in a frame wanted, stops the run
-- before anything is written, naming the folders.
local mdx = require "mdexafs"
local config = require "mdexafs.feff_config"

local a = mdx.args(arg, {
  about = [[
Write one FEFF input folder per (frame, absorbing atom) of an MD trajectory
(XYZ, extended XYZ, LAMMPS dump), as the configuration file CONFIG (Lua)
says: the trajectory, its atom types and cell, the frames, which atoms
absorb (an element and a count picked at random with a seed, every atom of
an element, a list of ids, or any Lua function of the atom and its frame),
the cluster's cutoff and feff.inp's header. Folders already there with the
same content are left alone; one that would change stops the run, naming
it, before anything is written.]],
  { "CONFIG", "file", "the configuration (Lua)" },
  { "--output", "string", "the folder to write into (instead of the configuration's output)" },
  { "--dry-run", "flag", "say what would be written and write nothing" },
  writes = {
    "OUTPUT/frame_N/atom_M/feff.inp: FEFF's input for atom M of frame N",
    "OUTPUT/frame_N/atom_M/atom.txt: the atom (id, element, position, frame) and what made the folder",
  },
})

local ok, cfg = pcall(config.read, a.config)
if not ok then mdx.usage_error(arg, "%s", cfg) end
if a.output then cfg.output = a.output end
local kind = mdx.path_kind(cfg.output)
if kind and kind ~= "folder" then mdx.usage_error(arg, "output %s: not a folder", cfg.output) end
local function say(fmt, ...) if not a.quiet then io.stderr:write(fmt:format(...), "\n") end end

local traj_info = assert(mdx.file_info(cfg.trajectory))
local config_info = assert(mdx.file_info(cfg.file, { hash = true }))
local marker = "# made by:"

-- The text of atom.txt: the atom first, then (after the marker, not
-- compared on a second run) what made the folder.
local function record(frame, atom, cluster)
  local lines = {
    "# mdexafs feff_inputs: the absorbing atom of this folder",
    ("atom = %d"):format(atom.id),
    ("element = %s"):format(atom.element),
    ("position = %.6f %.6f %.6f"):format(atom.x, atom.y, atom.z),
    ("frame = %d"):format(frame.index),
    ("cutoff = %.17g"):format(cfg.cutoff),
    ("cluster_atoms = %d"):format(#cluster),
    marker,
    ("trajectory = %s"):format(traj_info.path),
    ("trajectory_size = %d"):format(traj_info.size),
    ("trajectory_mtime = %d"):format(traj_info.mtime),
    ("configuration = %s"):format(config_info.path),
    ("configuration_hash = %s"):format(config_info.hash),
    ("mdexafs = %s"):format(mdx.version),
  }
  if frame.timestep then table.insert(lines, 6, ("timestep = %d"):format(frame.timestep)) end
  return table.concat(lines, "\n") .. "\n"
end

local function read_all(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local text = f:read "a"
  f:close()
  return text
end

local function before_marker(text) return text and text:match("^(.-)" .. marker) or text end

-- Walk every folder the configuration makes: fn(dir, feff_inp, atom_txt)
-- for each, frame by frame; frame_done(frame, dirs) after each frame.
local function each_folder(fn, frame_done)
  local traj <close> = mdx.trajectory(cfg.trajectory, { format = cfg.format,
    types = cfg.types, cell = cfg.cell })
  for frame in traj:frames(cfg.frames) do
    local dirs = {}
    for _, atom in ipairs(config.absorbers(cfg, frame)) do
      local cluster = frame:cluster(atom.index, cfg.cutoff, { min_distance = cfg.min_distance })
      if #cluster > cfg.max_atoms then
        error(("%s: frame %d, atom %d: %d atoms within %g Å, more than max_atoms = %d"
          .. " (FEFF 8.50L reads at most 1000: a smaller cutoff, or a larger max_atoms for"
          .. " a FEFF that reads more)"):format(cfg.file, frame.index, atom.id, #cluster,
          cfg.cutoff, cfg.max_atoms), 0)
      end
      local ok_inp, inp = pcall(mdx.feff_input, { header = cfg.header, cluster = cluster,
        potentials = cfg.potentials })
      if not ok_inp then
        error(("%s: frame %d, atom %d: %s"):format(cfg.file, frame.index, atom.id, inp), 0)
      end
      local dir = ("%s/frame_%d/atom_%d"):format(cfg.output, frame.index, atom.id)
      dirs[("atom_%d"):format(atom.id)] = true
      fn(dir, inp, record(frame, atom, cluster))
    end
    frame_done(frame, dirs)
  end
end

-- Anything in the way of a folder or file to be written (a file where a
-- folder goes, a folder where a file goes) stops the run before it writes.
local function in_the_way(path, want)
  local kind = mdx.path_kind(path)
  if kind and kind ~= want then
    error(("%s: %s, where a %s goes: nothing written"):format(path,
      kind == "other" and "not a file or folder" or "a " .. kind, want), 0)
  end
  return kind ~= nil
end

-- Pass 1: compare with what is there; nothing is written.
local new, same, changed, frames, planned = 0, 0, {}, 0, {}
each_folder(function(dir, inp, rec)
  in_the_way(dir:match "^(.*)/[^/]*$", "folder")
  in_the_way(dir, "folder")
  local there = in_the_way(dir .. "/feff.inp", "file")
  there = in_the_way(dir .. "/atom.txt", "file") or there
  local old_inp, old_rec = read_all(dir .. "/feff.inp"), read_all(dir .. "/atom.txt")
  if not there then
    new = new + 1
    planned[dir] = true
  elseif old_inp == inp and before_marker(old_rec) == before_marker(rec) then
    same = same + 1
  else
    changed[#changed + 1] = dir .. (old_inp == inp and "/atom.txt" or "/feff.inp")
  end
end, function(frame, dirs)
  frames = frames + 1
  local fdir = ("%s/frame_%d"):format(cfg.output, frame.index)
  if mdx.path_kind(fdir) == "folder" then
    for _, name in ipairs(mdx.list_folder(fdir)) do
      if name:match "^atom_%d+$" and not dirs[name] then
        changed[#changed + 1] = fdir .. "/" .. name .. " (not an absorber of this configuration)"
      end
    end
  end
end)

if #changed > 0 then
  io.stderr:write(("mdexafs: feff_inputs: %s: %d folder%s would change, nothing written"
    .. " (remove %s, or write to another output): %s\n"):format(cfg.file, #changed,
    #changed == 1 and "" or "s", #changed == 1 and "it" or "them",
    table.concat(changed, ", ", 1, math.min(#changed, 5))
      .. (#changed > 5 and (", ... %d more"):format(#changed - 5) or "")))
  os.exit(1)
end
if a.dry_run or new == 0 then
  say("feff_inputs: %d frame%s, %d folder%s to write, %d already there in %s%s", frames,
    frames == 1 and "" or "s", new, new == 1 and "" or "s", same, cfg.output,
    a.dry_run and " (dry run: nothing written)" or "")
  os.exit(0)
end

-- Pass 2: write the new folders, each file whole.
local written = 0
each_folder(function(dir, inp, rec)
  if not planned[dir] then return end
  assert(mdx.make_folders(dir))
  mdx.write_parts {
    { dir .. "/feff.inp", dir .. "/.feff.inp.tmp", function(tmp)
        local f = assert(io.open(tmp, "wb")); assert(f:write(inp)); assert(f:close()) end },
    { dir .. "/atom.txt", dir .. "/.atom.txt.tmp", function(tmp)
        local f = assert(io.open(tmp, "wb")); assert(f:write(rec)); assert(f:close()) end },
  }
  written = written + 1
end, function() end)
say("feff_inputs: %d frame%s, %d folder%s written, %d already there, in %s", frames,
  frames == 1 and "" or "s", written, written == 1 and "" or "s", same, cfg.output)
