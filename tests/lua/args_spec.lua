-- The parsers of recipe arguments that recipes may call themselves:
-- mdx.types and mdx.range take exactly what they document, and raise on
-- anything else; the module mdexafs.args reads a spec's arguments, its
-- source = true those of mdx.open_source.
local mdx = require "mdexafs"
local args = require "mdexafs.args"
local tree = assert(os.getenv "MDX_TEST_DATA", "MDX_TEST_DATA not set") .. "/uo2_feff85"

describe("mdx.types", function()
  it("reads TYPE[:RMAX] words into a select table", function()
    assert.are.same({ ["U-O"] = 3.0, ["U-U"] = math.huge },
                    mdx.types { "U-O:3", "U-U" })
    assert.are.same({ ["U-O"] = 3.0, ["U-U"] = 4.5 },
                    mdx.types({ "U-O:3.0", "U-U" }, "4.5"))
    assert.are.same({ ["Fe_abs-O"] = 2.5 }, mdx.types({ "Fe_abs-O" }, 2.5))
    assert.is_nil(mdx.types {})
  end)

  for _, case in ipairs {
    { { "U-O:3.O" }, "RMAX '3.O' in 'U-O:3.O' is not a number >= 0" },
    { { "U-O:300pm" }, "RMAX '300pm' in 'U-O:300pm' is not a number >= 0" },
    { { "U-O", "3.0" }, "'3.0' is a number, not a path type: write U-O:3.0" },
    { { "3.0" }, "'3.0' is a number, not a path type: write TYPE:3.0" },
    { { "U-O-" }, "'U-O-' is not a path type (labels joined by '-', as U-O)" },
    { { "U-O", "U-O:3" }, "'U-O' is given twice" },
  } do
    it("refuses " .. table.concat(case[1], " "), function()
      assert.has_error(function() mdx.types(case[1]) end, case[2])
    end)
  end

  it("refuses an RMAX default that is not a number", function()
    assert.has_error(function() mdx.types({ "U-O" }, "3A") end, "'3A' is not a finite number")
  end)
end)

describe("mdx.range", function()
  it("reads A:B, A:, :B and A as integers", function()
    assert.are.same({ 500, 520 }, mdx.range "500:520")
    assert.are.same({ 500, false }, mdx.range "500:")
    assert.are.same({ false, 520 }, mdx.range ":520")
    assert.are.equal(math.tointeger(510), mdx.range "510.0")
    assert.are.equal(math.tointeger(510), mdx.range(510))
    assert.is_nil(mdx.range(nil))
  end)

  for text, message in pairs {
    ["1e19"] = "'1e19' is at or beyond ±2^53",
    ["500:5l9"] = "'5l9' is not an integer",
    ["500.5"] = "'500.5' is not an integer",
    ["520:500"] = "'520:500' is empty (520 > 500)",
    [":"] = "':' is not a range A:B",
    ["0x10"] = "'0x10' is not an integer",
    [" 500"] = "' 500' is not an integer",
  } do
    it("refuses '" .. text .. "'", function()
      assert.has_error(function() mdx.range(text) end, message)
    end)
  end
end)

describe("mdx.known", function()
  it("takes the names the core reads, as it reads them, and says what is wrong with others", function()
    assert.are.equal("Hann", mdx.known("window", "Hann"))  -- larch reads three letters, any case
    assert.are.equal("U", mdx.known("element", "U"))
    assert.are.equal("L3", mdx.known("edge", "L3"))
    local none, err = mdx.known("window", "box")
    assert.is_nil(none)
    assert.matches("unknown window 'box' (known: hanning", err, 1, true)
    assert.are.equal("'u' is not an element symbol", select(2, mdx.known("element", "u")))
    assert.are.equal("'L4' is not an edge XDI knows (K, L1-L3, M1-M5, N1-N7)",
                     select(2, mdx.known("edge", "L4")))
    assert.has_error(function() mdx.known("colour", "red") end, "bad argument #1 to 'known' (invalid option 'colour')")
  end)
end)

describe("mdx.check_distance", function()
  it("raises what mdx.distance and sel:spread would for the options, else is true", function()
    assert.is_true(mdx.check_distance { kmin = 0, kmax = 12, kweight = 2 })
    assert.is_true(mdx.check_distance { kmin = 0.5, kweight = -2 })
    assert.has_error(function() mdx.check_distance { kmin = 0, kweight = -1 } end,
      "distance: kweight -1 with kmin 0: k^-1 is infinite at k = 0, so a negative k-weight needs kmin > 0")
    assert.has_error(function() mdx.check_distance { kmin = 5, kmax = 4 } end,
      "distance: kmin 5, kmax 4: need 0 <= kmin < kmax <= 20")
    assert.has_error(function() mdx.check_distance { kmni = 5 } end, "distance: unknown option 'kmni' (known: kmin kmax kweight)")
  end)
end)

describe("mdexafs.args", function()
  -- A spec as recipes write them, reading SOURCE through source = true.
  local spec = {
    about = "what it does",
    source = true,
    { "OUT", "string", "the file to write" },
    { "--kmin", "number", "start", default = 3, below = "--kmax" },
    { "--kmax", "number", "end", default = 12 },
    { "--sem", "flag", "add sem" },
    writes = { "OUT: a file" },
  }
  local argv = { [0] = "/somewhere/multi.lua" }

  -- argv with these words after the script's name.
  local function words(...)
    local t = { ... }
    t[0] = argv[0]
    return t
  end

  it("is what mdexafs gives as args, types, range and usage_error", function()
    assert.are.equal(args.read, mdx.args)
    assert.are.equal(args.types, mdx.types)
    assert.are.equal(args.range, mdx.range)
    assert.are.equal(args.usage_error, mdx.usage_error)
  end)

  it("reads SOURCE, --skip-failed and the spec's own arguments by name", function()
    local a = args.parse(words(tree, "out.dat", "--skip-failed", "--kmin=2"), spec)
    assert.are.same({ source = tree, out = "out.dat", skip_failed = true, kmin = 2, kmax = 12,
                      sem = false, quiet = false, help = false }, a)
    a = args.parse(words("-q", tree, "out.dat"), spec)
    assert.is_false(a.skip_failed)
    assert.is_true(a.quiet)
    assert.is_true(args.parse(words(tree, "o", "-h"), spec).help)  -- read answers it, parse only reads it
  end)

  for _, case in ipairs {
    { { "/nonexistent/chi.db", "out.dat" }, "SOURCE: /nonexistent/chi.db: No such file or directory" },
    { {}, "SOURCE is missing (usage: mdexafs multi SOURCE OUT [options])" },
    { { tree }, "OUT is missing (usage: mdexafs multi SOURCE OUT [options])" },
    { { tree, "out.dat", "more" }, "unexpected argument 'more' (usage: mdexafs multi SOURCE OUT [options])" },
    { { tree, "out.dat", "--skip-failed=yes" }, "--skip-failed is a flag and takes no value: '--skip-failed=yes'" },
    { { tree, "out.dat", "--kmin=13" }, "--kmin 13 is not below --kmax 12" },
  } do
    it("raises the one line read prints for " .. table.concat(case[1], " "), function()
      assert.has_error(function() args.parse(words(table.unpack(case[1])), spec) end, case[2])
    end)
  end

  it("raises what spec.check raises, without its position", function()
    local checked = { about = "x", { "--kmin", "number", "start" },
                      check = function(a) mdx.check_distance { kmin = a.kmin, kmax = 4 } end }
    assert.has_error(function() args.parse(words "--kmin=5", checked) end,
      "distance: kmin 5, kmax 4: need 0 <= kmin < kmax <= 20")
    checked.check = function() error "no good" end
    assert.has_error(function() args.parse(words(), checked) end, "no good")
  end)

  it("helps with SOURCE first and --skip-failed after the spec's options", function()
    local text = args.help(argv, spec)
    assert.are.equal("usage: mdexafs multi SOURCE OUT [options]", text:match "^[^\n]*")
    local order = {}
    for name in text:gmatch "\n  (%-?%-?[%a][%w-]*)" do order[#order + 1] = name end
    assert.are.same({ "SOURCE", "OUT", "--kmin", "--kmax", "--sem", "--skip-failed", "-q", "-h",
                      "OUT" }, order)
    assert.truthy(text:find("\n  SOURCE +a database %(chi%.db%) or a FEFF tree folder\n"), text)
    assert.truthy(text:find("\n  %-%-skip%-failed +leave out folders that failed to build"), text)
  end)

  it("has no SOURCE or --skip-failed without source = true", function()
    local plain = { about = "x", { "FILE", "file", "a file" } }
    assert.has_error(function() args.parse(words(tree, "--skip-failed"), plain) end,
                     "unknown option '--skip-failed' (see --help)")
    assert.is_nil(args.help(argv, plain):find("SOURCE", 1, true))
  end)

  it("raises a mistaken spec as it is", function()
    assert.has_error(function() args.parse(words(), { source = true }) end,
                     "mdx.args: the spec needs `about`, what the recipe does")
    assert.has_error(function() args.parse(words(), { about = "x", source = "yes" }) end,
                     "mdx.args: source must be true or nil")
    assert.has_error(function() args.help(argv, { about = "x", { "N", "numbr", "n" } }) end,
                     "mdx.args: unknown type numbr")
  end)
end)
