-- Plots: PNG and SVG files of chi(k) and |chi(R)|, and clear refusals.
local mdx = require "mdexafs"
local data = assert(os.getenv "MDX_TEST_DATA", "MDX_TEST_DATA not set")
local mix = data .. "/goldens/reference/uo2_feff85/mix_file.dat"
local uo = data .. "/goldens/reference/uo2_feff85/uo_file.dat"

local function slurp(file)
  local f = assert(io.open(file, "rb"))
  local s = f:read "a"
  f:close()
  return s
end

describe("plot", function()
  local a, b = assert(mdx.read_chi(mix)), assert(mdx.read_chi(uo))
  local base = os.tmpname()
  teardown(function()
    os.remove(base)
    os.remove(base .. ".png")
    os.remove(base .. ".svg")
  end)

  it("writes a PNG of both panels", function()
    assert(mdx.plot { file = base .. ".png", results = { a, b },
                      labels = { "mix", "U-O" }, kweight = 2,
                      xftf = { kmin = 2, kmax = 14, window = "hanning" } })
    local png = slurp(base .. ".png")
    assert.are.equal("\137PNG\r\n\26\n", png:sub(1, 8))
    assert.is_true(#png > 20000)
  end)

  it("writes an SVG with the labels in it", function()
    assert(mdx.plot { file = base .. ".svg", results = { a, b },
                      labels = { "first curve", "second curve" }, panels = "r" })
    local svg = slurp(base .. ".svg")
    assert.truthy(svg:find("<svg", 1, true))
    -- cairo draws text as glyphs: two curves and a legend make paths
    local _, npaths = svg:gsub("<path", "")
    assert.is_true(npaths > 10)
  end)

  it("refuses other formats, empty lists and non-results", function()
    local ok, msg = mdx.plot { file = base .. ".jpg", results = { a } }
    assert.is_nil(ok)
    assert.matches("must end in .png or .svg", msg, 1, true)
    assert.has_error(function() mdx.plot { file = base .. ".png", results = {} } end,
                     "plot: give 1 to 16 results")
    assert.has_error(function() mdx.plot { file = base .. ".png", results = { 1 } } end,
                     "plot: results must be chi(k) results")
    assert.has_error(function() mdx.plot { file = base .. ".png", results = { a },
                                           panels = "x" } end)
  end)
end)
