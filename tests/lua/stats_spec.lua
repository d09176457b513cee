-- Ensemble statistics against numpy (goldens/stats, made by
-- tests/tools/numpy_stats.py): reff cumulants per path type, a histogram,
-- leg lengths and angles of a multiple-scattering type, and each folder's
-- distance from the ensemble mean; from the tree and from a database.
local mdx = require "mdexafs"
local data = assert(os.getenv "MDX_TEST_DATA", "MDX_TEST_DATA not set")
local tree = data .. "/uo2_feff85"
local goldens = data .. "/goldens/stats/"

local dir = os.tmpname()
os.remove(dir)
assert(os.execute("mkdir -p " .. dir))
local db = dir .. "/chi.db"
setup(function() assert(mdx.build { tree = tree, db = db, tables_only = true }) end)
teardown(function() os.execute("rm -rf " .. dir) end)

local function rows(file)
  local out = {}
  for line in io.lines(goldens .. file) do
    if not line:match "^#" then
      local row = {}
      for w in line:gmatch "%S+" do row[#row + 1] = tonumber(w) or w end
      out[#out + 1] = row
    end
  end
  return out
end

local function near(a, b, what)
  assert(math.abs(a - b) <= 1e-10 * math.max(1, math.abs(b)),
    ("%s: %.17g, numpy %.17g"):format(what, a, b))
end

local names = { "n", "weight", "mean", "variance", "c3", "min", "max" }
local function same_moments(m, row, first, what)
  for i, name in ipairs(names) do near(m[name], row[first + i - 1], what .. " " .. name) end
end

for _, source in ipairs { "tree", "database" } do
  describe("statistics from the " .. source, function()
    local function open() return assert(mdx.open(source == "tree" and tree or db)) end

    it("gives the reff cumulants of every path type, weighted by degeneracy", function()
      local src <close> = open()
      local stats = src:select {}:stats()
      for _, row in ipairs(rows "reff_moments.txt") do
        same_moments(stats[row[1]], row, 2, row[1])
      end
    end)

    it("makes a histogram of reff", function()
      local src <close> = open()
      local h = src:select { types = "U-O" }:histogram { bins = 20, range = { 2.0, 3.2 } }
      local want = rows "histogram_UO.txt"
      assert.are.equal(#want, #h.counts)
      local total = 0
      for i, row in ipairs(want) do
        near(h.x[i], row[1], "centre " .. i)
        near(h.counts[i], row[2], "bin " .. i)
        total = total + h.counts[i]
      end
      near(total + h.outside, h.weight, "all weight")
      assert.are.equal("reff", h.of)
    end)

    it("gives the moments of leg lengths and angles of a multiple-scattering type", function()
      local src <close> = open()
      local sel = src:select { types = "U-O-U" }
      for _, row in ipairs(rows "geometry_UOU.txt") do
        same_moments(sel:histogram { of = row[1] }, row, 2, row[1])
      end
    end)

    it("measures each folder's distance from the ensemble mean, farthest first", function()
      local src <close> = open()
      local spread = src:select { types = { ["U-O"] = 3.0 } }:spread { kmin = 3, kmax = 12 }
      local want = {}
      for _, row in ipairs(rows "spread_UO.txt") do want[row[1] .. "/" .. row[2]] = row[3] end
      assert.are.equal(4, #spread)
      for i, f in ipairs(spread) do
        near(f.distance, want[f.frame .. "/" .. f.atom], f.dir)
        if i > 1 then assert.is_true(spread[i - 1].distance >= f.distance) end
        assert.are.equal(f.distance > spread.threshold, f.flagged)
      end
      local sums = src:select { types = { ["U-O"] = 3.0 } }:sums()
      local mean = src:select { types = { ["U-O"] = 3.0 } }:average()
      for _, s in ipairs(sums) do
        near(mdx.distance(s, mean, { kmin = 3, kmax = 12 }), want[s.frame .. "/" .. s.atom], "distance")
      end
      local strict = src:select { types = { ["U-O"] = 3.0 } }:spread { threshold = 0.1 }
      assert.is_true(strict[1].flagged and strict[2].flagged and not strict[3].flagged)
    end)
  end)
end

describe("statistics refuse", function()
  it("bad options, and a selection with nothing in it", function()
    local src <close> = assert(mdx.open(tree))
    local sel = src:select { types = "U-O" }
    assert.has_error(function() sel:histogram { of = "angle" } end,
      "histogram: of must be one of: reff legs angles, not 'angle'")
    assert.has_error(function() sel:histogram { bins = 0 } end,
      "histogram: bins must be a whole number 1 .. 100000")
    assert.has_error(function() sel:histogram { range = { 3, 2 } } end, "histogram: need at least one bin and lo < hi (40 bins, 3 .. 2)")
    assert.has_error(function() sel:histogram { bin = 10 } end, "histogram: unknown option 'bin' (known: of bins range)")
    assert.has_error(function() sel:spread { kmin = 12, kmax = 3 } end,
      "spread: kmin 12, kmax 3: need 0 <= kmin < kmax <= 20")
    assert.has_error(function() sel:spread { kweight = 0 / 0 } end,
      "spread: kweight must be a finite number")
  end)

  it("a negative k-weight with kmin 0, where k^w is infinite, naming both", function()
    local src <close> = assert(mdx.open(tree))
    local sel = src:select { types = "U-O" }
    local msg = "kweight -2 with kmin 0: k^-2 is infinite at k = 0, so a negative k-weight needs kmin > 0"
    assert.has_error(function() sel:spread { kmin = 0, kweight = -2 } end, "spread: " .. msg)
    local avg = sel:average()
    assert.has_error(function() mdx.distance(avg, avg, { kmin = 0, kweight = -2 }) end,
      "distance: " .. msg)
    assert.are.equal(0, mdx.distance(avg, avg, { kmin = 0.05, kweight = -2 }))
    for _, f in ipairs(sel:spread { kmin = 1, kweight = -1 }) do
      assert.is_true(f.distance >= 0 and f.distance < math.huge, f.dir)
    end
    assert.error_matches(function() src:select { frames = { 900, 901 } }:histogram {} end, "no folder is in the selection's frames, atoms and absorber", 1, true)
  end)
end)
