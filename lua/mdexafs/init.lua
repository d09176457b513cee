-- mdexafs: EXAFS chi(k) from MD snapshots, for Lua recipes.
--
-- Everything of the C module mdexafs.core (open, build, parse, chi,
-- freshness, choose, kgrid, version, read_chi, plot), plus source{},
-- which picks the database when it is fresh and the FEFF files otherwise
-- (the core's mdx_source_choose decides), and says which on stderr, and
-- open_source, the source a recipe's arguments name. It also gives, under
-- the same names, mdexafs.args's args (its read), types, range and
-- usage_error, and mdexafs.outputs's all-or-none writing (check_outputs, overwrites,
-- write_parts, write_all, result_writer, text_writer).
local core = require "mdexafs.core"
local args = require "mdexafs.args"
local outputs = require "mdexafs.outputs"

local M = {}
for name, value in pairs(core) do M[name] = value end
for name, value in pairs(outputs) do M[name] = value end
M.args, M.types, M.range, M.usage_error = args.read, args.types, args.range, args.usage_error

local function say(quiet, fmt, ...)
  if not quiet then io.stderr:write("mdexafs: ", fmt:format(...), "\n") end
end

local source_key_list = { "db", "tree", "build", "quiet", "failed", "verify", "prefer" }
local source_keys = {}
for _, key in ipairs(source_key_list) do source_keys[key] = true end

local function is_dir(path) return core.path_kind(path) == "folder" end

-- The source mdx.source opens for `opts` and `more`, raising its errors
-- at `level` as error() counts it: 3 is the line that called the function
-- that called this one.
local function open(opts, more, level)
  if type(opts) == "string" then
    local path = opts
    opts = {}
    for key, value in pairs(more or {}) do opts[key] = value end
    opts[is_dir(path) and "tree" or "db"] = path
  end
  assert(type(opts) == "table", "source: expected a path or {db = ..., tree = ...}")
  for key in pairs(opts) do
    if not source_keys[key] then
      error(("source: unknown key '%s' (known: %s)"):format(key, table.concat(source_key_list, " ")), level)
    end
  end
  local db, quiet = opts.db, opts.quiet
  for _, flag in ipairs { "build", "quiet" } do  -- "no" is no false
    if opts[flag] ~= nil and type(opts[flag]) ~= "boolean" then
      error(("source: '%s' must be true or false, not '%s'"):format(
        flag, tostring(opts[flag])), level)
    end
  end
  if not db and not opts.tree then error("source: give db, tree or both", level) end
  -- the library reads the options' words, decides (mdx_source_choose) and
  -- words the plan; this says it
  local request = { db = db, tree = opts.tree, build = opts.build }
  for _, key in ipairs { "prefer", "verify", "failed" } do
    if opts[key] ~= nil then request[key] = tostring(opts[key]) end
  end
  local ok, src, plan = pcall(core.choose, request)
  if not ok then error(src, level) end
  if type(plan) ~= "table" then error(plan, level) end  -- at the caller's line
  say(quiet, "%s", plan.note)
  if plan.choice == "build" then
    assert(core.build { tree = plan.tree, db = db, rebuild = plan.rebuild, prefer = plan.prefer })
    src = assert(core.open(db, { failed = request.failed, prefer = request.prefer }))
  end
  return src
end

--- Open the best source for a recipe.
-- A string is a FEFF tree (a folder: computed from the files) or a
-- database (anything else), with the options in `more` (say
-- {quiet = true}) or their defaults. A table:
-- opts.db     the database file
-- opts.tree   the FEFF tree (default: the one the database was built from)
-- opts.build  build or update the database when it is missing, stale or
--             damaged (default: fall back to computing from the files)
-- opts.failed "stop" (default): a query stops on folders that failed to
--             build, naming them; "skip": it leaves them out and says so
-- opts.quiet  say nothing on stderr
-- opts.verify how the database is compared with its tree: "folders" (the
--             default, O(folders): each folder's time and its witness
--             files) or "files" (every file's size and time, as a build)
-- A database whose tree cannot be read is used only when the tree is gone
-- altogether (a database travels without its tree), with a note; when a
-- part of it cannot be read, the files are tried, which names the part.
-- Returns the opened source (database or tree); raises when neither can
-- be had, at the line that called mdx.source.
function M.source(opts, more)
  local src = open(opts, more, 3)
  return src  -- (no tail call: it would lose the caller's line)
end

--- The source a recipe's arguments name, as mdx.args reads them with
-- spec.source = true: values.source, saying nothing with --quiet, and
-- leaving out folders that failed to build with --skip-failed (else a
-- query stops on them). Raises as mdx.source, at the caller's line.
function M.open_source(values)
  local src = open(values.source, { quiet = values.quiet,
                                    failed = values.skip_failed and "skip" or "stop" }, 3)
  return src
end

return M
