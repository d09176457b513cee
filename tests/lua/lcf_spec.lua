-- mdx.lcf against xraylarch's lincombo_fit (goldens/lcf, made by
-- tests/tools/larch_lcf.py): two components summing to one and three
-- that need not, k^2 chi between k = 3 and 12; then an E0 shift per
-- component found again, and bad input.
local mdx = require "mdexafs"
local data = assert(os.getenv "MDX_TEST_DATA", "MDX_TEST_DATA not set")
local goldens = data .. "/goldens/lcf/"

local function golden(case)
  local g = {}
  for line in io.lines(goldens .. case .. ".txt") do
    local key, value = line:match "^(%S+) (%S+)$"
    g[key] = tonumber(value)
  end
  return g
end

local function chik(name) return assert(mdx.read_chi(goldens .. name)) end
local function rel(a, b) return math.abs(a - b) / math.abs(b) end

describe("mdx.lcf agrees with xraylarch's lincombo_fit", function()
  for _, case in ipairs { { "two", "mix.chik", 2, true }, { "three", "mix3.chik", 3, false } } do
    it(case[1], function()
      local g, comps = golden(case[1]), {}
      for i = 1, case[3] do comps[i] = chik(("comp%d.chik"):format(i)) end
      local r = mdx.lcf { data = chik(case[2]), components = comps, kmin = 3, kmax = 12,
                          kweight = 2, sum_to_one = case[4] }
      for i = 1, case[3] do
        assert(math.abs(r.fractions[i] - g["weight_" .. i]) <= 1e-7, "fraction " .. i)
        assert(rel(r.stderr[i], g["stderr_" .. i]) <= 1e-3, "stderr " .. i)
        assert.are.equal(0, r.e0[i])
      end
      assert(rel(r.chi_square, g.chisqr) <= 1e-6)
      assert(rel(r.chi2_reduced, g.redchi) <= 1e-6)
      assert(rel(r.rfactor, g.rfactor) <= 1e-6)
      assert.are.equal(g.ndata, r.ndata)
      assert.are.equal(g.nvarys, r.nvarys)
      assert.is_true(r.success and r.errorbars)
      assert.are.equal(g.ndata, #r.fit.k)
    end)
  end
end)

describe("mdx.lcf", function()
  it("finds an E0 shift per component again", function()
    -- component 2 shifted by 3 eV: k' = sqrt(k^2 - 3 ETOK)
    local c1, c2 = chik "comp1.chik", chik "comp2.chik"
    local file = os.tmpname()
    local f = assert(io.open(file, "w"))
    local etok = 1 / 3.8099821161548597
    for i = 1, #c1.k do
      local k = c1.k[i]
      local q = math.sqrt(math.max(k * k - 3 * etok, 0))
      local j = math.floor(q / 0.05) + 1  -- linear between grid points
      local t = (q - c2.k[j]) / 0.05
      local shifted = c2.chi[j] + t * ((c2.chi[j + 1] or c2.chi[j]) - c2.chi[j])
      f:write(("%.10f %.17g\n"):format(k, 0.4 * c1.chi[i] + 0.6 * shifted))
    end
    f:close()
    local r = mdx.lcf { data = assert(mdx.read_chi(file)), components = { c1, c2 },
                        vary_e0 = true, sum_to_one = false }
    os.remove(file)
    assert(math.abs(r.fractions[1] - 0.4) <= 0.01 and math.abs(r.fractions[2] - 0.6) <= 0.01)
    assert(math.abs(r.e0[2] - 3) <= 0.1 and math.abs(r.e0[1]) <= 0.2)
    assert(r.e0_stderr[2] > 0)
  end)

  it("says which fraction sits at 0 when it cannot give uncertainties", function()
    local c = { chik "comp1.chik", chik "comp2.chik", chik "comp3.chik" }
    local r = mdx.lcf { data = chik "mix3.chik", components = c }  -- summing to one
    assert.is_false(r.errorbars)
    assert(r.fractions[1] <= 1e-6)
    assert.truthy(r.message:find("component 1's fraction is at its bound 0", 1, true), r.message)
  end)

  it("refuses bad input with one line", function()
    local c1, c2 = chik "comp1.chik", chik "comp2.chik"
    local mix = chik "mix.chik"
    assert.has_error(function() mdx.lcf { data = mix, components = { c1 } } end,
      "lcf: give 2 to 32 components, not 1")
    local cut = assert(mdx.open(data .. "/uo2_feff85")):select { reff = 3 }:average()
    assert.has_error(function() mdx.lcf { data = mix, components = { c1, cut } } end,
      "lcf: component 2's k grid (401 points, 0 .. 20) is not component 1's (301 points, 0 .. 15)")
    assert.has_error(function() mdx.lcf { data = mix, components = { c1, c2 }, kmax = 16 } end,
      "lcf: the k range 3 .. 16 is not within the data's k = 0 .. 15")
    assert.has_error(function() mdx.lcf { data = mix, components = { c1, c2 }, weights = 1 } end,
      "lcf: unknown option 'weights' (known: data components kmin kmax kweight sum_to_one vary_e0)")
    -- components from k = 2: an E0 shift of 20 eV reaches below at kmin 3
    local file = os.tmpname()
    local f = assert(io.open(file, "w"))
    for i = 1, #c1.k do
      if c1.k[i] >= 2 then f:write(("%.10f %.17g\n"):format(c1.k[i], c1.chi[i])) end
    end
    f:close()
    local late = assert(mdx.read_chi(file))
    os.remove(file)
    assert.has_error(function() mdx.lcf { data = mix, components = { late, late }, vary_e0 = true } end,
      "lcf: the components start at k = 2, after 1.93665 (kmin and the largest E0 shift)")
    -- a mixture that sums to one only with a negative fraction
    local ok, err = pcall(mdx.lcf, { data = c1 * 2 - c2, components = { c1, c2 } })
    assert.is_false(ok)
    assert.truthy(tostring(err):find("lcf: fractions summing to one need component 2 at -1", 1, true), err)
  end)
end)
