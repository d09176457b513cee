-- mdexafs.feff_config: the configuration of recipes/feff_inputs.lua, a
-- Lua file that sets (or returns a table of) the settings below, read
-- and checked whole before any frame is read. Paths in it are relative
-- to the file's own folder.
local core = require "mdexafs.core"

local M = {}

M.defaults = { cutoff = 10.0, output = "feff_calculations", max_atoms = 1000 }

local known = {
  trajectory = "the MD trajectory (XYZ, extended XYZ or LAMMPS dump)",
  format = '"xyz" or "lammps" (nil: told from the file)',
  types = "what the file's atom types are: { [1] = \"U\", [2] = \"O\" }",
  cell = "{ a = {x, y, z}, b = ..., c = ..., pbc = {true, true, true} }",
  frames = "{ first = 0, last = N, step = 1 } (frames count from 0, both ends included)",
  absorbers = "{ element =, count =, seed =, ids =, where = } or function(atom, frame)",
  cutoff = "the cluster's radius, Å (10)",
  min_distance = "the closest two atoms may be, Å (0.926, FEFF's limit)",
  max_atoms = "the most atoms a cluster may have (1000, FEFF 8.50L's limit)",
  header = "feff.inp's cards before POTENTIALS and ATOMS",
  potentials = 'the elements of ipot 1, 2, ... ({ "O", "U" }; nil: made per cluster)',
  output = "the folder of frame_N/atom_M folders (feff_calculations)",
}

local function names(t)
  local list = {}
  for k in pairs(t) do list[#list + 1] = k end
  table.sort(list)
  return table.concat(list, ", ")
end

-- The environment a configuration runs in: Lua's pure libraries, no io.
local function sandbox()
  return setmetatable({}, { __index = {
    math = math, string = string, table = table, utf8 = utf8, ipairs = ipairs,
    pairs = pairs, tonumber = tonumber, tostring = tostring, type = type,
    select = select, error = error, assert = assert, pcall = pcall, next = next,
    os = { getenv = os.getenv }, print = print,
  } })
end

local function check_absorbers(fail, ab)
  if type(ab) == "function" then ab = { where = ab } end
  if type(ab) ~= "table" then
    fail("absorbers must be a table { element = \"U\", count = 10, seed = 1 } or a function")
  end
  for k in pairs(ab) do
    if not ({ element = 1, count = 1, seed = 1, ids = 1, where = 1 })[k] then
      fail("absorbers: unknown key '%s' (known: count, element, ids, seed, where)", tostring(k))
    end
  end
  if ab.element ~= nil and (type(ab.element) ~= "string" or not core.known("element", ab.element)) then
    fail("absorbers.element: %s is not an element", tostring(ab.element))
  end
  if ab.where ~= nil and type(ab.where) ~= "function" then
    fail("absorbers.where must be a function(atom, frame) -> true or false")
  end
  if ab.ids ~= nil then
    if type(ab.ids) ~= "table" or #ab.ids == 0 then fail("absorbers.ids must be a list of atom ids") end
    local set = {}
    for i, id in ipairs(ab.ids) do
      if math.type(id) ~= "integer" then fail("absorbers.ids[%d] is not a whole number", i) end
      if set[id] then fail("absorbers.ids: atom %d is listed twice", id) end
      set[id] = true
    end
    ab.id_set = set
  end
  if ab.count ~= nil then
    if math.type(ab.count) ~= "integer" or ab.count < 1 then
      fail("absorbers.count must be a whole number from 1")
    end
    if math.type(ab.seed) ~= "integer" then
      fail("absorbers.count picks atoms at random: give a whole-number seed (absorbers.seed)")
    end
  elseif ab.seed ~= nil then
    fail("absorbers.seed without a count: nothing is picked at random")
  end
  if not (ab.element or ab.ids or ab.where) then
    fail("absorbers: say which atoms (element, ids or where)")
  end
  return ab
end

-- What the library would refuse only once frames are read, refused now:
-- format, types, cell, frames, the distances, header and potentials.
local function check_values(fail, cfg)
  local function core_check(fn, arg)
    local ok, err = pcall(fn, arg)
    if not ok then fail("%s", tostring(err)) end
  end
  if cfg.format ~= nil and cfg.format ~= "xyz" and cfg.format ~= "lammps" then
    fail('format must be "xyz" or "lammps" (or left out: told from the file), not "%s"', cfg.format)
  end
  for k, v in pairs(cfg.types or {}) do
    if math.type(k) ~= "integer" and type(k) ~= "string" then
      fail("types: a key must be a type number or label, not %s", tostring(k))
    end
    if type(v) ~= "string" or not core.known("element", v) then
      fail("types: type %s: %s is not an element", tostring(k), tostring(v))
    end
  end
  if cfg.cell then core_check(core.check_cell, cfg.cell) end
  local f = cfg.frames or {}
  for k, v in pairs(f) do
    if k ~= "first" and k ~= "last" and k ~= "step" then
      fail("frames: unknown key '%s' (known: first, last, step)", tostring(k))
    end
    if math.type(v) ~= "integer" then fail("frames.%s must be a whole number", k) end
  end
  if (f.first or 0) < 0 or (f.step or 1) < 1 or (f.last and f.last < (f.first or 0)) then
    fail("frames: first and last count from 0, last not before first, step from 1")
  end
  if not (cfg.cutoff > 0 and cfg.cutoff < math.huge) then fail("cutoff must be a positive radius (Å)") end
  if cfg.min_distance ~= nil and not (cfg.min_distance >= 0 and cfg.min_distance < math.huge) then
    fail("min_distance must be a distance from 0 (Å)")
  end
  if math.type(cfg.max_atoms) ~= "integer" or cfg.max_atoms < 2 then
    fail("max_atoms must be a whole number from 2")
  end
  core_check(core.check_feff_input, { header = cfg.header, potentials = cfg.potentials })
end

--- Read and check the configuration file `path`; raises one line naming
-- the file and what is wrong.
function M.read(path)
  local function fail(fmt, ...) error(("%s: " .. fmt):format(path, ...), 0) end
  local env = sandbox()
  local chunk, err = loadfile(path, "t", env)
  if not chunk then error(err, 0) end
  local ok, ret = pcall(chunk)
  if not ok then error(tostring(ret), 0) end
  local c = type(ret) == "table" and ret or env
  if ret ~= nil and type(ret) ~= "table" then fail("returns a %s, not a table of settings", type(ret)) end
  local cfg = {}
  for k, v in pairs(c) do
    if not known[k] then fail("unknown setting '%s' (known: %s)", tostring(k), names(known)) end
    cfg[k] = v
  end
  for k, v in pairs(M.defaults) do if cfg[k] == nil then cfg[k] = v end end
  local function want(key, kind)
    if cfg[key] ~= nil and type(cfg[key]) ~= kind then
      fail("%s must be a %s, not a %s", key, kind, type(cfg[key]))
    end
  end
  for _, key in ipairs { "trajectory", "header" } do
    if cfg[key] == nil then fail("no %s (%s)", key, known[key]) end
  end
  for key, kind in pairs { trajectory = "string", format = "string", types = "table",
                           cell = "table", frames = "table", cutoff = "number",
                           min_distance = "number", max_atoms = "number",
                           header = "string", potentials = "table", output = "string" } do
    want(key, kind)
  end
  if cfg.absorbers == nil then fail("no absorbers (%s)", known.absorbers) end
  cfg.absorbers = check_absorbers(fail, cfg.absorbers)
  check_values(fail, cfg)
  local folder = path:match "^(.*)/[^/]*$" or "."
  local function place(p) return p:sub(1, 1) == "/" and p or folder .. "/" .. p end
  cfg.trajectory, cfg.output = place(cfg.trajectory), place(cfg.output)
  local kind = core.path_kind(cfg.trajectory)
  if kind ~= "file" then
    fail("trajectory %s: %s", cfg.trajectory, kind and "not a file" or "no such file")
  end
  cfg.file = path
  return cfg
end

-- count of cands picked at random, seeded by (seed, frame): the picks of
-- a frame depend on nothing else (not on which other frames are read).
local function picks(cands, count, seed, frame)
  math.randomseed(seed, frame)
  for i = 1, count do
    local j = math.random(i, #cands)
    cands[i], cands[j] = cands[j], cands[i]
  end
  return table.move(cands, 1, count, 1, {})
end

--- The absorbers of `frame` under the configuration's rule, ordered by
-- id: each an atom table {index, id, element, x, y, z}.
function M.absorbers(cfg, frame)
  local ab = cfg.absorbers
  local cands = {}
  local found = {}
  local function chosen(atom)
    if not ab.where then return true end
    local ok, yes = pcall(ab.where, atom, frame)
    if not ok then
      error(("%s: absorbers.where, frame %d, atom %d: %s"):format(cfg.file, frame.index,
        atom.id, tostring(yes)), 0)
    end
    return yes
  end
  for _, atom in ipairs(frame:atoms(ab.element)) do
    if not ab.id_set or ab.id_set[atom.id] then
      found[atom.id] = true
      if chosen(atom) then cands[#cands + 1] = atom end
    end
  end
  if ab.ids then
    for _, id in ipairs(ab.ids) do
      if not found[id] then
        error(("%s: frame %d has no atom %d%s"):format(cfg.file, frame.index, id,
          ab.element and (" of element " .. ab.element) or ""), 0)
      end
    end
  end
  if ab.count then
    if #cands < ab.count then
      error(("%s: frame %d: %d atoms meet absorbers' rule, %d asked for (absorbers.count)")
        :format(cfg.file, frame.index, #cands, ab.count), 0)
    end
    cands = picks(cands, ab.count, ab.seed, frame.index)
  end
  table.sort(cands, function(x, y) return x.id < y.id end)
  return cands
end

return M
