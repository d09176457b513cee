-- mdexafs.args: a recipe's command-line arguments, read strictly by a
-- declarative spec (mdx.args is args.read), and the parsers of their
-- types that recipes may call themselves (mdx.types, mdx.range).
local core = require "mdexafs.core"

local M = {}

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

-- The arguments of a spec with source = true: what mdx.open_source reads.
local source = {
  { "SOURCE", "source", "a database (chi.db) or a FEFF tree folder" },
  { "--skip-failed", "flag", "leave out folders that failed to build (the output says so)" },
}

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
        if text:find "^%-%-" then
          fail("%s needs a value, not the option '%s' (%s=VALUE)", name, text, name)
        end
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
    -- a word too many is named as such, but for path types: there it is
    -- more likely a cut-off written apart ("U-O 3.0"), which converting names
    local extra = #mine > 1 and not a.many and mine[2]
    if extra and a.type ~= "types" then
      fail("unexpected argument '%s' (%s)", extra, usage(script, args))
    end
    if #mine > 0 then
      values[a.key] = convert(a, mine)
    elseif a.default == nil and not a.optional then
      fail("%s is missing (%s)", a.name, usage(script, args))
    end
    if extra then fail("unexpected argument '%s' (%s)", extra, usage(script, args)) end
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

-- The recipe's file name, for messages: multipath.lua.
local function script_name(argv)
  return (argv[0] or "recipe"):match "[^/]*$"
end

-- The arguments of a spec, as argument() makes them: with spec.source
-- first SOURCE, then the spec's own, --skip-failed, and the common ones.
local function arguments(spec)
  assert(type(spec.about) == "string", "mdx.args: the spec needs `about`, what the recipe does")
  assert(spec.source == nil or spec.source == true, "mdx.args: source must be true or nil")
  local args = {}
  local function add(item) args[#args + 1] = argument(item) end
  if spec.source then add(source[1]) end
  for _, item in ipairs(spec) do add(item) end
  if spec.source then add(source[2]) end
  for _, item in ipairs(common) do add(item) end
  return args
end

-- The values of argv by the arguments of spec, or the one-line message
-- of the first mistake raised; spec.check's own error or the core's
-- loses its position.
local function values_of(argv, spec, args)
  local values = parse_argv(argv, args, script_name(argv))
  if spec.check then
    local ok, err = pcall(spec.check, values)
    if not ok then fail("%s", (tostring(err):gsub("^[^\n:]*%.lua:%d+: ", ""))) end
  end
  return values
end

--- The values of a recipe's arguments `argv` read by `spec` (as read
-- returns them), or an error: the one-line message read prints, without
-- a position. --help is only read here (a.help): read answers it.
function M.parse(argv, spec)
  return values_of(argv, spec, arguments(spec))
end

--- The help of a recipe: what read prints on --help.
function M.help(argv, spec)
  return help(script_name(argv), spec, arguments(spec))
end

--- A recipe's arguments, read strictly by a spec (see the README); this
-- is mdx.args:
--   mdx.args(arg, {
--     about = "what the recipe does",
--     source = true,   -- SOURCE and --skip-failed (mdx.open_source)
--     { "OUT", "string", "the k chi file to write" },
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
-- default lets it be left out. source = true puts SOURCE (type source)
-- before the spec's positional arguments and --skip-failed after its
-- options. --quiet (-q) and --help (-h) are always there.
-- spec.check(values), when given, checks what is left (relations whose
-- rule the core holds: mdx.check_distance); what it raises is a mistake
-- in the arguments too.
-- Returns the values by name (no dashes, lower case: a.source, a.rmin);
-- prints the help and exits on --help; on a mistake prints one line
-- naming the argument and exits with status 2.
function M.read(argv, spec)
  local args = arguments(spec)  -- a mistaken spec raises as it is
  for _, word in ipairs(argv) do
    if word == "-h" or word == "--help" then
      io.stdout:write(help(script_name(argv), spec, args))
      os.exit(0)
    end
  end
  local ok, values = pcall(values_of, argv, spec, args)
  if not ok then M.usage_error(argv, "%s", values) end
  return values
end

--- Stop a recipe for a mistake in its arguments that mdx.args cannot see
-- (two options that disagree, say): one line naming it on stderr and exit
-- status 2, as for mdx.args's own.
function M.usage_error(argv, fmt, ...)
  io.stderr:write("mdexafs: ", script_name(argv), ": ", fmt:format(...), "\n")
  os.exit(2)
end

return M
