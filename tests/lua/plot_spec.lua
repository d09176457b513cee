-- Plots: PNG, SVG and PDF files of chi(k) and |chi(R)|, read back (format,
-- size, text kept as text, bands), and clear refusals.
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
    os.remove(base .. ".pdf")
  end)

  -- The text of each <text> element of PLplot's SVG, entities decoded.
  local function svg_texts(svg)
    local texts = {}
    for block in svg:gmatch "<text(.-)</text>" do
      local s = ""
      for t in block:gmatch ">([^<]*)</tspan>" do s = s .. t end
      texts[#texts + 1] = s:gsub("&#x(%x+);", function(h) return utf8.char(tonumber(h, 16)) end)
    end
    return texts
  end

  local function count(list, value)
    local n = 0
    for _, v in ipairs(list) do n = n + (v == value and 1 or 0) end
    return n
  end

  it("writes a PNG of both panels", function()
    assert(mdx.plot { file = base .. ".png", results = { a, b },
                      labels = { "mix", "U-O" }, kweight = 2,
                      xftf = { kmin = 2, kmax = 14, window = "hanning" } })
    local png = slurp(base .. ".png")
    assert.are.equal("\137PNG\r\n\26\n", png:sub(1, 8))
    assert.is_true(#png > 20000)
  end)

  it("writes a PNG of the size asked: 900 wide, 420 high per panel", function()
    assert(mdx.plot { file = base .. ".png", results = { a }, panels = "k" })
    local png = slurp(base .. ".png")
    local w, h = string.unpack(">I4>I4", png, 17)  -- IHDR
    assert.are.same({ 900, 420 }, { w, h })
  end)

  it("writes an SVG that keeps its text as text: axis labels and legend", function()
    assert(mdx.plot { file = base .. ".svg", results = { a, b },
                      labels = { "first curve", "second curve" }, panels = "r" })
    local svg = slurp(base .. ".svg")
    assert.truthy(svg:find("<svg", 1, true))
    local texts = svg_texts(svg)
    assert.are.equal(1, count(texts, "R (Å)"))
    assert.are.equal(1, count(texts, "first curve"))
    assert.are.equal(1, count(texts, "second curve"))
    local _, bands = svg:gsub('fill%-opacity="0%.25', "")
    assert.are.equal(0, bands)
  end)

  it("shades the standard error of each average as a band, within the axis ranges asked", function()
    local src <close> = assert(mdx.open(data .. "/uo2_feff85"))
    local x = src:select { types = { ["U-O"] = 3.0 } }:average()
    local y = src:select { types = { ["U-U"] = 4.5 } }:average()
    assert(mdx.plot { file = base .. ".svg", results = { x, y }, labels = { "U-O", "U-U" },
                      sem = true, krange = { 2, 12 }, rrange = { 0, 6 } })
    local svg = slurp(base .. ".svg")
    local _, bands = svg:gsub('fill%-opacity="0%.25', "")
    assert.are.equal(2, bands)  -- one per average, in the k panel only
    local texts = svg_texts(svg)
    assert.are.equal(2, count(texts, "U-O"))  -- a legend in each panel
    assert.is_true(count(texts, "12") >= 1)   -- the k axis ends at 12,
    assert.are.equal(0, count(texts, "14"))   -- not at the data's 20
    assert.are.equal(0, count(texts, "7"))    -- the R axis ends at 6
    local minus = 0
    for _, text in ipairs(texts) do
      assert.is_nil(text:match "^%-%d", text)  -- a true minus, not a hyphen
      minus = minus + (text:match "^\u{2212}%d" and 1 or 0)
    end
    assert.is_true(minus > 0)
    assert.has_error(function() mdx.plot { file = base .. ".svg", results = { a }, sem = true } end,
      "plot: sem = true, but result 1 has no standard error (an average has one)")
    assert.has_error(function() mdx.plot { file = base .. ".svg", results = { a }, krange = { 5, 2 } } end,
      "plot: krange must be {lo, hi} with lo < hi")
  end)

  it("writes a PDF that keeps its text as text", function()
    assert(mdx.plot { file = base .. ".pdf", results = { a, b }, labels = { "mix", "U-O" } })
    local pdf = slurp(base .. ".pdf")
    assert.are.equal("%PDF-", pdf:sub(1, 5))
    assert.truthy(pdf:find("/FontFile", 1, true) or pdf:find("/Font", 1, true))
  end)

  it("draws any curves with mdx.figure, at the size and resolution asked", function()
    local x, y, z, lo, hi = {}, {}, {}, {}, {}
    for i = 1, 50 do
      x[i], y[i], z[i] = i / 10, math.sin(i / 10), math.cos(i / 10)
      lo[i], hi[i] = z[i] - 0.1, z[i] + 0.1
    end
    local panels = { { xlabel = "x (Å)", ylabel = "density", title = "histograms",
                       curves = { { x = x, y = y, label = "sin" },
                                  { x = x, y = z, label = "cos", lo = lo, hi = hi } } },
                     { xlabel = "x", ylabel = "y", curves = { { x = x, y = y } } } }
    assert(mdx.figure { file = base .. ".png", size = { 16, 10, "cm" }, dpi = 200,
                        legend = "outside", panels = panels })
    local w, h = string.unpack(">I4>I4", slurp(base .. ".png"), 17)
    assert.are.same({ 1260, 787 }, { w, h })  -- 16 x 10 cm at 200 dpi
    assert(mdx.figure { file = base .. ".pdf", size = { 4, 3, "in" }, panels = panels })
    assert.truthy(slurp(base .. ".pdf"):find("/MediaBox [ 0 0 288 216 ]", 1, true))
    assert(mdx.figure { file = base .. ".svg", panels = panels })
    local svg = slurp(base .. ".svg")
    local texts = svg_texts(svg)
    assert.are.equal(1, count(texts, "histograms"))
    assert.are.equal(1, count(texts, "density"))
    local _, bands = svg:gsub('fill%-opacity="0%.25', "")
    assert.are.equal(1, bands)
    assert.has_error(function() mdx.figure { file = base .. ".png", size = { 16, 10, "mm" },
      panels = panels } end, "figure: size's unit must be \"cm\" or \"in\", not 'mm'")
    assert.has_error(function() mdx.figure { file = base .. ".png", panels = {
      { curves = { { x = { 1, 2, 3 }, y = { 1, 2 } } } } } } end,
      "figure: panel 1, curve 1: y has 2 numbers, x has 3")
    assert.has_error(function() mdx.figure { file = base .. ".png", panels = {
      { curves = { { x = { 1, 2 }, y = { 1, 0 / 0 } } } } } } end,
      "figure: panel 1, curve 1: y[2] is not a finite number")
    assert.has_error(function() mdx.figure { file = base .. ".png", legend = "left", panels = panels } end, "figure: legend must be one of: inside outside none")
    assert.has_error(function() mdx.figure { file = base .. ".png", panels = {
      { curves = { { x = { 1, 2 }, y = { 1, 1 }, lo = { 2, 2 }, hi = { 0, 0 } } } } } } end,
      "figure: panel 1, curve 1: the band's lo is above its hi at x = 1.0")
    assert.has_error(function() mdx.figure { file = base .. ".png", panels = {
      { curves = { { x = { 2, 1 }, y = { 1, 1 } } } } } } end,
      "figure: panel 1, curve 1: x must not decrease (x[2] = 1.0 after 2.0)")
    assert.has_error(function() mdx.figure { file = base .. ".png", dpi = -3, panels = panels } end,
      "figure: dpi must be a positive number")
  end)

  it("refuses what PLplot would refuse, with an error and no file, and goes on", function()
    local curve = { x = { 0, 1, 2 }, y = { 0, 1, 0 } }
    local function figure(panel) return pcall(mdx.figure, { file = base .. ".png", panels = { panel } }) end
    os.remove(base .. ".png")
    local ok, err = figure { xstep = 1e-5, curves = { curve } }
    assert.is_false(ok)
    assert.matches("plot: panel 1: x ticks 1e-05 apart from 0 to 2 would be 2e+05 of them (at most 1000)",
      err, 1, true)
    ok, err = figure { xrange = { 1e10, 1e10 + 1e-3 }, curves = { curve } }
    assert.is_false(ok)
    assert.matches("plot: panel 1: x from 1e+10 to 1e+10 is no range a plot can show", err, 1, true)
    ok, err = figure { curves = { { x = { 0, 1 }, y = { -1e308, 1e308 } } } }
    assert.is_false(ok)
    assert.matches("plot: panel 1: y from", err, 1, true)
    assert.is_nil(io.open(base .. ".png"))
    assert.is_nil(io.open(base .. ".png.part.png"))
    assert.is_true(figure { curves = { { x = { 0, 1 }, y = { 1e20, 1e20 } } } })  -- a flat line far from 0
    assert.is_true(figure { xstep = 0.002, curves = { curve } })                  -- 1000 ticks
  end)

  it("refuses other formats, empty lists and non-results", function()
    local ok, msg = pcall(mdx.plot, { file = base .. ".jpg", results = { a } })
    assert.is_false(ok)
    assert.matches("must end in .png, .svg or .pdf", msg, 1, true)
    local _, err = mdx.plot { file = base .. "/none/x.png", results = { a } }
    assert.matches("cannot write here", err, 1, true)
    assert.has_error(function() mdx.plot { file = base .. ".png", results = {} } end,
                     "plot: give 1 to 16 results")
    assert.has_error(function() mdx.plot { file = base .. ".png", results = { 1 } } end,
                     "plot: results must be chi(k) results")
    assert.has_error(function() mdx.plot { file = base .. ".png", results = { a },
                                           panels = "x" } end, "plot: panels must be one of: both k r")
  end)
end)
