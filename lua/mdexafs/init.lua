-- mdexafs: EXAFS chi(k) from MD snapshots, for Lua recipes.
--
-- Everything of the C module mdexafs.core (open, build, parse, chi,
-- freshness, choose, kgrid, version, read_chi, plot), plus source{},
-- which picks the database when it is fresh and the FEFF files otherwise
-- (the core's mdx_source_choose decides), and says which on stderr, and
-- helpers for recipe arguments (args, types, range).
local core = require "mdexafs.core"

local M = {}
for name, value in pairs(core) do M[name] = value end

local function say(quiet, fmt, ...)
  if not quiet then io.stderr:write("mdexafs: ", fmt:format(...), "\n") end
end

local source_key_list = { "db", "tree", "build", "quiet", "failed", "verify", "prefer" }
local source_keys = {}
for _, key in ipairs(source_key_list) do source_keys[key] = true end

local function is_dir(path) return core.path_kind(path) == "folder" end

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
-- be had.
function M.source(opts, more)
  if type(opts) == "string" then
    local path = opts
    opts = {}
    for key, value in pairs(more or {}) do opts[key] = value end
    opts[is_dir(path) and "tree" or "db"] = path
  end
  assert(type(opts) == "table", "source: expected a path or {db = ..., tree = ...}")
  for key in pairs(opts) do
    if not source_keys[key] then
      error(("source: unknown key '%s' (known: %s)"):format(key, table.concat(source_key_list, " ")), 2)
    end
  end
  local db, quiet = opts.db, opts.quiet
  if opts.prefer ~= nil and opts.prefer ~= "feff.bin" and opts.prefer ~= "feffNNNN.dat" then
    error(("source: prefer must be \"feff.bin\" or \"feffNNNN.dat\", not '%s'"):format(
      tostring(opts.prefer)), 2)
  end
  for _, flag in ipairs { "build", "quiet" } do  -- "no" is no false
    if opts[flag] ~= nil and type(opts[flag]) ~= "boolean" then
      error(("source: '%s' must be true or false, not '%s'"):format(
        flag, tostring(opts[flag])), 2)
    end
  end
  if opts.failed ~= nil and opts.failed ~= "stop" and opts.failed ~= "skip" then
    -- (open would refuse it too, and the database would pass for damaged)
    error(("source: failed must be \"stop\" or \"skip\", not '%s'"):format(
      tostring(opts.failed)), 2)
  end
  if opts.verify ~= nil and opts.verify ~= "folders" and opts.verify ~= "files" then
    error(("source: verify must be \"folders\" or \"files\", not '%s'"):format(
      tostring(opts.verify)), 2)
  end
  if not db and not opts.tree then error("source: give db, tree or both", 2) end
  -- the core decides (mdx_source_choose); this says what it chose
  local src, plan = core.choose { db = db, tree = opts.tree, build = opts.build,
                                  prefer = opts.prefer, verify = opts.verify,
                                  failed = opts.failed }
  if type(plan) ~= "table" then error(plan, 2) end  -- at the caller's line
  local why = ("%s is %s (%s)"):format(db, plan.state, plan.detail)
  if plan.choice == "tree" then
    say(quiet, "computing from the files in %s", plan.tree)
  elseif plan.choice == "database" then
    say(quiet, "using the database %s", db)
  elseif plan.choice == "unchecked" then
    say(quiet, "%s: %s: using the database as it was built, unchecked", db, plan.detail)
  elseif plan.choice == "build" then
    say(quiet, "%s: %s it from %s", why, plan.state == "stale" and "updating" or "building",
        plan.tree)
    assert(core.build { tree = plan.tree, db = db, rebuild = plan.rebuild, prefer = plan.prefer })
    src = assert(core.open(db, { failed = opts.failed, prefer = opts.prefer }))
  else
    say(quiet, "%s: computing from the files in %s", why, plan.tree)
  end
  return src
end

--- Write several results as one: every file, or none. `files` is a list
-- of {result, file, options}; each is written to a temporary name beside
-- its file, and all are renamed only when all were written (write_parts,
-- below). Raises the first failure (after removing what it wrote).
function M.write_all(files)
  local outputs = {}
  for i, f in ipairs(files) do
    outputs[i] = { f[2], f[2] .. ".mdexafs-part", M.result_writer(f[1], f[3]) }
  end
  local ok, err = pcall(M.write_parts, outputs)
  if not ok then error(err, 2) end
  return true
end

-- ---- Recipe arguments ----
--
-- Each type's parser takes the text of one argument and returns its value,
-- or raises a one-line message.

-- Raise a message without a position: mdx.args prints it as it is.
local function fail(fmt, ...)
  error(fmt:format(...), 0)
end

-- The number a text spells as a whole in plain decimal (3, -0.5, 1e-3),
-- if finite; else nil. (tonumber alone takes hex, spaces, inf and nan.)
local function decimal(text)
  local mantissa, exponent = text:match "^[+-]?([%d.]+)(.*)$"
  if not mantissa
     or not (mantissa:find "^%d+%.?%d*$" or mantissa:find "^%.%d+$")
     or not (exponent == "" or exponent:find "^[eE][+-]?%d+$") then
    return nil
  end
  local n = tonumber(text) + 0.0
  return math.abs(n) < math.huge and n or nil
end

-- The texts between commas: "a,,b" -> {"a", "", "b"}.
local function split(text)
  local parts = {}
  for part in (text .. ","):gmatch "([^,]*)," do parts[#parts + 1] = part end
  return parts
end

-- Check a path type's name: FEFF labels joined by '-' (U-O, U-O-O). `fix`
-- is what to write instead when the name is a number.
local function type_name(name, fix)
  if decimal(name) then
    fail("'%s' is a number, not a path type%s", name, fix and ": write " .. fix or "")
  end
  if name == "" or name:find "^%-" or name:find "%-$" or name:find "%-%-"
     or name:find "[%s:,=*]" then
    fail("'%s' is not a path type (labels joined by '-', as U-O)", name)
  end
  return name
end

local parse = {}

-- n within the bounds the argument declares: min and max (included),
-- above (excluded).
local function bounded(n, text, item)
  if not item then return n end
  if item.min and n < item.min then fail("'%s' is below %s", text, item.min) end
  if item.max and n > item.max then fail("'%s' is above %s", text, item.max) end
  if item.above and n <= item.above then fail("'%s' is not above %s", text, item.above) end
  return n
end

function parse.number(text, item)
  return bounded(decimal(text) or fail("'%s' is not a finite number", text), text, item)
end

-- A whole number within ±2^53, where doubles still hold every integer.
function parse.integer(text, item)
  local n = decimal(text)
  if not n or n ~= math.floor(n) then fail("'%s' is not an integer", text) end
  if math.abs(n) >= 2^53 then fail("'%s' is at or beyond ±2^53", text) end
  return bounded(math.tointeger(n), text, item)
end

-- What the core must know, checked by the core as the functions that take
-- it will read it: a transform window (larch's names), an element symbol,
-- an XDI edge, a source (not a data file in its place; after parse.file).
for _, kind in ipairs { "window", "element", "edge", "source" } do
  parse[kind] = function(text)
    local known, err = core.known(kind, kind ~= "source" and text or parse.file(text))
    return known or fail("%s", err)
  end
end

-- Inclusive integer ranges, as select's frames: "500:520" -> {500, 520},
-- "500:" -> {500, false}, ":520" -> {false, 520}, "500" -> 500; nil -> nil.
function parse.range(text)
  if text == nil then return nil end
  text = tostring(text)
  local lo, hi = text:match "^([^:]*):(.*)$"
  if not lo then return parse.integer(text) end
  if lo == "" and hi == "" then fail("'%s' is not a range A:B", text) end
  lo = lo ~= "" and parse.integer(lo)
  hi = hi ~= "" and parse.integer(hi)
  if lo and hi and lo > hi then fail("'%s' is empty (%d > %d)", text, lo, hi) end
  return { lo, hi }
end

-- Any text but "", or with item.choices one of those.
function parse.string(text, item)
  if text == "" then fail("the text is empty") end
  if not item.choices then return text end
  for _, choice in ipairs(item.choices) do
    if text == choice then return text end
  end
  fail("'%s' is not one of %s", text, table.concat(item.choices, ", "))
end

-- A file or folder that exists.
function parse.file(text)
  local f, err = io.open(text)
  if not f then fail("%s", err) end
  f:close()
  return text
end

-- Values of type item.of between commas: "0,2" -> {0, 2}.
function parse.list(text, item)
  local values = {}
  for i, part in ipairs(split(text)) do values[i] = parse[item.of](part, item) end
  return values
end

-- A path parameter: "0.003" -> 0.003, or one value per path type with '*'
-- for the others: "U-O=0.003,*=0.006" -> {["U-O"] = 0.003, ["*"] = 0.006}.
function parse.param(text)
  if not text:find "=" then
    return decimal(text) or fail("'%s' is neither a number nor TYPE=VALUE,...", text)
  end
  local by_type = {}
  for _, part in ipairs(split(text)) do
    local name, value = part:match "^([^=]*)=(.*)$"
    if not name then fail("'%s' is not TYPE=VALUE", part) end
    if name ~= "*" then type_name(name) end
    if by_type[name] then fail("'%s' is given twice", name) end
    by_type[name] = parse.number(value)
  end
  return by_type
end

-- Path types from words "TYPE[:RMAX]" (U-O:3.0 U-U): a `types` table for
-- select, each type with its RMAX, else `rmax` (no limit when nil); nil
-- for no words (any type). Unlike the other parsers it takes a list.
function parse.types(words, rmax)
  local default = math.huge
  if rmax ~= nil then default = type(rmax) == "number" and rmax or parse.number(rmax) end
  local types, previous
  for _, word in ipairs(words) do
    local name, colon, limit = word:match "^([^:]*)(:?)(.*)$"
    type_name(name, (previous or "TYPE") .. ":" .. name)
    types = types or {}
    if types[name] then fail("'%s' is given twice", name) end
    local r = colon == "" and default or decimal(limit)
    if not (r and r >= 0) then
      fail("RMAX '%s' in '%s' is not a number >= 0", limit, word)
    end
    types[name], previous = r, colon == "" and name or nil
  end
  return types
end

M.types, M.range = parse.types, parse.range

-- How each type is written, for the help.
local syntax = { number = "X", integer = "N", range = "A:B", types = "TYPE[:RMAX]",
                 string = "TEXT", file = "FILE", source = "SOURCE", param = "X|TYPE=X,...",
                 window = "WINDOW", element = "SYMBOL", edge = "EDGE" }

-- Options every recipe has.
local common = {
  { "--quiet", "flag", "say nothing on stderr", short = "-q" },
  { "--help", "flag", "print this help and exit", short = "-h" },
}

-- An argument of a spec, { "--name" or "NAME", type, help, ... }, with
-- named fields: name, type, help, option (true for --name), key (the
-- name without leading dashes, in lower case, '-' as '_': skip_failed)
-- and the item's own fields.
local function argument(item)
  local a = { name = item[1], type = item[2], help = item[3] }
  for field, value in pairs(item) do
    if type(field) == "string" then a[field] = value end
  end
  assert(type(a.help) == "string", "mdx.args: " .. tostring(a.name) .. " has no help")
  assert(a.type == "flag" or parse[a.type], "mdx.args: unknown type " .. tostring(a.type))
  assert(a.type ~= "list" or parse[a.of], "mdx.args: a list needs `of`, the type of its values")
  for _, bound in ipairs { "min", "max", "above" } do
    assert(a[bound] == nil or type(a[bound]) == "number", "mdx.args: " .. bound .. " is no number")
  end
  a.option = a.name:sub(1, 1) == "-"
  a.key = (a.name:match "^%-*(.*)$":lower():gsub("-", "_"))
  return a
end

-- How an argument is written on the command line.
local function spelling(a)
  if not a.option then return a.name .. (a.many and "..." or "") end
  local name = a.short and a.short .. ", " .. a.name or a.name
  if a.type == "flag" then return name end
  local value = a.choices and table.concat(a.choices, "|")
                or a.type == "list" and syntax[a.of] .. ",..."
                or a.type == "types" and syntax.types .. ",..."
                or syntax[a.type]
  return name .. "=" .. value
end

-- The usage line: the recipe and its positional arguments.
local function usage(script, args)
  local words = { "usage: mdexafs " .. script:gsub("%.lua$", "") }
  for _, a in ipairs(args) do
    if not a.option then
      local optional = a.optional or a.default ~= nil
      words[#words + 1] = optional and "[" .. spelling(a) .. "]" or spelling(a)
    end
  end
  words[#words + 1] = "[options]"
  return table.concat(words, " ")
end

-- The help: usage, what the recipe does, each argument with its unit and
-- default, and the files it writes.
local function help(script, spec, args)
  local width = 0
  for _, a in ipairs(args) do width = math.max(width, #spelling(a)) end
  local lines = { usage(script, args), "", spec.about, "" }
  for _, section in ipairs { "arguments", "options" } do
    lines[#lines + 1] = section .. ":"
    for _, a in ipairs(args) do
      if a.option == (section == "options") then
        local unit = a.unit and ", in " .. a.unit or ""
        local limits = {}
        if a.min then limits[#limits + 1] = ">= " .. a.min end
        if a.above then limits[#limits + 1] = "> " .. a.above end
        if a.max then limits[#limits + 1] = "<= " .. a.max end
        if a.below then limits[#limits + 1] = "< " .. a.below end
        limits = #limits > 0 and " (" .. table.concat(limits, ", ") .. ")" or ""
        local default = a.default ~= nil and "; default " .. tostring(a.default) or ""
        lines[#lines + 1] = ("  %-" .. width .. "s  %s%s%s%s"):format(
          spelling(a), a.help, unit, limits, default)
      end
    end
  end
  if spec.writes then
    lines[#lines + 1] = "writes:"
    for _, file in ipairs(spec.writes) do lines[#lines + 1] = "  " .. file end
  end
  return table.concat(lines, "\n") .. "\n"
end

-- The value of an argument from its words, as its type's parser reads
-- them: all of them for types, else each (a list for `many`). A message
-- starts with the argument's name.
local function convert(a, words)
  local ok, value = pcall(function()
    if a.type == "types" then return parse.types(words) end
    local values = {}
    for i, word in ipairs(words) do values[i] = parse[a.type](word, a) end
    return a.many and values or values[1]
  end)
  if not ok then fail("%s: %s", a.name, value) end
  return value
end

-- The value of an option's text (a types option's words are between
-- commas), or of a default.
local function convert_text(a, text)
  return convert(a, (a.option and a.type == "types") and split(text) or { text })
end

-- Sort argv into options' texts (or true for flags), by argument, and
-- the positional words.
local function read_argv(argv, options)
  local given, words, i = {}, {}, 1
  while argv[i] do
    local word = argv[i]
    if word:find "^%-." then
      local name, text = word:match "^([^=]+)=(.*)$"
      name = name or word
      local a = options[name] or fail("unknown option '%s' (see --help)", name)
      if a.type == "flag" then
        if text then fail("%s is a flag and takes no value: '%s'", name, word) end
        text = true
      elseif not text then
        i = i + 1
        text = argv[i] or fail("%s needs a value", name)
      end
      if given[a] ~= nil then fail("%s is given twice", a.name) end
      given[a] = text
    else
      words[#words + 1] = word
    end
    i = i + 1
  end
  return given, words
end

-- The values of all arguments, by key; raises a message on the first
-- mistake. Each positional argument takes one word, the last one the rest.
local function parse_argv(argv, args, script)
  local options, positionals, values = {}, {}, {}
  for _, a in ipairs(args) do
    if a.option then
      options[a.name] = a
      if a.short then options[a.short] = a end
    else
      positionals[#positionals + 1] = a
    end
  end
  local given, words = read_argv(argv, options)
  for _, a in ipairs(args) do
    if a.type == "flag" then
      values[a.key] = given[a] == true
    elseif given[a] then
      values[a.key] = convert_text(a, given[a])
    end
  end
  for n, a in ipairs(positionals) do
    local mine = { table.unpack(words, n, n == #positionals and #words or n) }
    if #mine > 0 then
      values[a.key] = convert(a, mine)
    elseif a.default == nil and not a.optional then
      fail("%s is missing (%s)", a.name, usage(script, args))
    end
    if #mine > 1 and not a.many then
      fail("unexpected argument '%s' (%s)", mine[2], usage(script, args))
    end
  end
  if #positionals == 0 and words[1] then
    fail("unexpected argument '%s' (%s)", words[1], usage(script, args))
  end
  for _, a in ipairs(args) do
    if values[a.key] == nil and a.default ~= nil then
      values[a.key] = convert_text(a, tostring(a.default))
    end
  end
  for _, a in ipairs(args) do  -- one below another: --kmin below --kmax
    local other = a.below and options[a.below]
    assert(not a.below or other, "mdx.args: " .. a.name .. " is below no option " .. tostring(a.below))
    local v, w = values[a.key], other and values[other.key]
    if v and w and not (v < w) then
      fail("%s %g is not below %s %g", a.name, v, other.name, w)
    end
  end
  return values
end

--- A recipe's arguments, read strictly by a spec (see the README):
--   mdx.args(arg, {
--     about = "what the recipe does",
--     { "SOURCE", "file", "a database or a FEFF tree folder" },
--     { "--rmin", "number", "smallest reff", unit = "Å", default = 0 },
--     writes = { "OUT: the k, chi file" },
--   })
-- Types: number, integer, range (A:B), types (TYPE[:RMAX]), string
-- (choices = {...}), file (that exists), source (a database or a FEFF tree
-- that exists, not a data file), list (of = a type; comma-separated),
-- param (a number or TYPE=X,...), window, element and edge (names the core
-- knows, as xftf and write read them) and flag. A number or integer (or a
-- list's) may have bounds: min, max (included), above (excluded), and
-- below = "--other": less than that option's value. A positional argument
-- with many = true takes all the remaining words; optional = true or a
-- default lets it be left out. --quiet (-q) and --help (-h) are always
-- there. spec.check(values), when given, checks what is left (relations
-- whose rule the core holds: mdx.check_distance); what it raises is a
-- mistake in the arguments too.
-- Returns the values by name (no dashes, lower case: a.source, a.rmin);
-- prints the help and exits on --help; on a mistake prints one line
-- naming the argument and exits with status 2.
function M.args(argv, spec)
  assert(type(spec.about) == "string", "mdx.args: the spec needs `about`, what the recipe does")
  local script = (argv[0] or "recipe"):match "[^/]*$"
  local args = {}
  for _, item in ipairs(spec) do args[#args + 1] = argument(item) end
  for _, item in ipairs(common) do args[#args + 1] = argument(item) end
  for _, word in ipairs(argv) do
    if word == "-h" or word == "--help" then
      io.stdout:write(help(script, spec, args))
      os.exit(0)
    end
  end
  local ok, values = pcall(parse_argv, argv, args, script)
  if ok and spec.check then  -- its own error or the core's, without a position
    local checked, err = pcall(spec.check, values)
    ok, values = checked, checked and values or tostring(err):gsub("^[^\n:]*%.lua:%d+: ", "")
  end
  if not ok then
    io.stderr:write("mdexafs: ", script, ": ", values, "\n")
    os.exit(2)
  end
  return values
end

--- Refuse, before anything is written, outputs that exist as something
-- other than a regular file (a folder, say), or whose folder is missing:
-- one line naming the file.
function M.check_outputs(files)
  for _, file in ipairs(files) do
    local kind = core.path_kind(file)
    if kind and kind ~= "file" then
      error(("%s: not a regular file: nothing written"):format(file), 0)
    end
    local folder = file:match "^(.*)/[^/]*$"
    if folder and folder ~= "" and not is_dir(folder) then
      error(("%s: no folder %s: nothing written"):format(file, folder), 0)
    end
  end
end

--- Write several outputs whole, all of them or none: write(part) is
-- called for each {file, part, write} with a temporary name beside the
-- file; when all succeeded they are renamed into place, else the parts
-- are removed and the first failure raised, naming the file.
function M.write_parts(outputs)
  local files = {}
  for i, o in ipairs(outputs) do files[i] = o[1] end
  M.check_outputs(files)
  local function undo() for _, o in ipairs(outputs) do os.remove(o[2]) end end
  for _, o in ipairs(outputs) do
    local ok, err = pcall(o[3], o[2])
    if not ok then
      undo()
      error((tostring(err):gsub(o[2]:gsub("%p", "%%%0"), o[1])), 0)
    end
  end
  for _, o in ipairs(outputs) do
    local ok, err = os.rename(o[2], o[1])
    if not ok then
      undo()
      error(err, 0)
    end
  end
end

--- Write result with `options` to a file (for write_parts).
function M.result_writer(result, options)
  return function(file)
    local ok, err = result:write(file, options)
    if not ok then error(err, 0) end
  end
end

--- Write `text` to `file` (for write_parts).
function M.text_writer(text)
  return function(file)
    local f = assert(io.open(file, "w"))
    assert(f:write(text))
    assert(f:close())
  end
end

--- Stop a recipe for a mistake in its arguments that mdx.args cannot see
-- (two options that disagree, say): one line naming it on stderr and exit
-- status 2, as for mdx.args's own.
function M.usage_error(argv, fmt, ...)
  local script = (argv[0] or "recipe"):match "[^/]*$"
  io.stderr:write("mdexafs: ", script, ": ", fmt:format(...), "\n")
  os.exit(2)
end

return M
