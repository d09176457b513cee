-- mdexafs: EXAFS chi(k) from MD snapshots, for Lua recipes.
--
-- Everything of the C module mdexafs.core (open, build, parse, chi,
-- freshness, kgrid, version, read_chi, plot), plus source{}, which picks
-- the database when it is fresh and the FEFF files otherwise, and says
-- which on stderr, and helpers for recipe arguments (args, types, range).
local core = require "mdexafs.core"

local M = {}
for name, value in pairs(core) do M[name] = value end

local function say(quiet, fmt, ...)
  if not quiet then io.stderr:write("mdexafs: ", fmt:format(...), "\n") end
end

local source_keys = { db = true, tree = true, build = true, quiet = true }

local function is_dir(path)
  local f = io.open(path .. "/.")
  if f then f:close() end
  return f ~= nil
end

--- Open the best source for a recipe.
-- A string is a FEFF tree (a folder: computed from the files) or a
-- database (anything else, with the options' defaults). A table:
-- opts.db     the database file
-- opts.tree   the FEFF tree (default: the one the database was built from)
-- opts.build  build or update the database when it is missing, stale or
--             damaged (default: fall back to computing from the files)
-- opts.quiet  say nothing on stderr
-- Returns the opened source (database or tree); raises when neither can
-- be had.
function M.source(opts)
  if type(opts) == "string" then
    opts = is_dir(opts) and { tree = opts } or { db = opts }
  end
  assert(type(opts) == "table", "source: expected a path or {db = ..., tree = ...}")
  for key in pairs(opts) do
    if not source_keys[key] then
      error(("source: unknown key '%s' (known: db tree build quiet)"):format(key), 2)
    end
  end
  local db, quiet = opts.db, opts.quiet
  if not db then
    assert(opts.tree, "source: give db, tree or both")
    say(quiet, "computing from the files in %s", opts.tree)
    return assert(core.open(opts.tree))
  end
  local state, detail, tree = core.freshness(db, opts.tree)
  tree = opts.tree or (tree ~= "" and tree) or nil
  if state == "fresh" then
    local src, err = core.open(db)
    if src then
      say(quiet, "using the database %s", db)
      return src
    end
    state, detail = "damaged", err
  end
  if opts.build and tree then
    say(quiet, "%s is %s (%s): %s it from %s", db, state, detail,
        state == "stale" and "updating" or "building", tree)
    local stats = assert(core.build { tree = tree, db = db,
                                      rebuild = state == "damaged" })
    if stats.failed > 0 then
      say(quiet, "%d folders failed to build; they are left out", stats.failed)
    end
    return assert(core.open(db))
  end
  if not tree then
    error(("%s is %s (%s) and no tree was given to compute from"):format(
      db, state, detail), 2)
  end
  say(quiet, "%s is %s (%s): computing from the files in %s", db, state,
      detail, tree)
  return assert(core.open(tree))
end

--- Arguments of a recipe: positional ones, and --name=value options
-- (--name alone is true). Prints `usage` and exits on -h or --help, and
-- with status 2 when fewer than `npositional` are given or an option is
-- not among `known` (a set of names).
function M.args(argv, usage, npositional, known)
  local positional, options = {}, {}
  for _, a in ipairs(argv) do
    if a == "-h" or a == "--help" then
      io.stdout:write(usage, "\n")
      os.exit(0)
    end
    local name, value = a:match "^%-%-([%w_]+)=(.*)$"
    if not name then
      name = a:match "^%-%-([%w_]+)$"
      value = name and true
    end
    if name then
      if not (known or {})[name] then
        io.stderr:write("mdexafs: unknown option --", name, "\n", usage, "\n")
        os.exit(2)
      end
      options[name] = value
    else
      positional[#positional + 1] = a
    end
  end
  if #positional < (npositional or 0) then
    io.stderr:write(usage, "\n")
    os.exit(2)
  end
  return positional, options
end

--- Path types from recipe arguments "TYPE[:RMAX]" (U-O:3.0 U-U): a
-- `types` table for select, each type with its RMAX or else `rmax` (no
-- limit when nil). Returns nil for an empty list (any type).
function M.types(list, rmax)
  local types
  for _, word in ipairs(list) do
    local name, limit = word:match "^([^:]+):?(.*)$"
    if not name then error(("not a path type: '%s'"):format(word), 2) end
    types = types or {}
    types[name] = tonumber(limit) or tonumber(rmax) or math.huge
  end
  return types
end

--- "500:520" -> {500, 520}; "500" -> 500 (inclusive frame ranges).
function M.range(text)
  if text == nil then return nil end
  local lo, hi = tostring(text):match "^(%-?[%d.]*):(%-?[%d.]*)$"
  if lo then
    return { tonumber(lo) or false, tonumber(hi) or false }
  end
  return assert(tonumber(text), "not a number or range: " .. tostring(text))
end

return M
