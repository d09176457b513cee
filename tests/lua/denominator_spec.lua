-- The denominator of an average: every folder the selection admits, a
-- folder without selected paths counting as zero (numpy goldens from
-- xraylarch's per-path chi, tests/tools/numpy_goldens.py); the
-- reference's rule on request; folder predicates.
package.path = debug.getinfo(1, "S").source:match "^@(.*/)" .. "?.lua;" .. package.path
local mdx = require "mdexafs"
local golden = require "golden"
local data = assert(os.getenv "MDX_TEST_DATA", "MDX_TEST_DATA not set")
local tree = data .. "/uo2_feff85"
local expected = golden.columns(data .. "/goldens/science/denominator.txt")

local dir = os.tmpname()
os.remove(dir)
assert(os.execute("mkdir -p " .. dir))
local db = dir .. "/chi.db"
setup(function() assert(mdx.build { tree = tree, db = db }) end)
teardown(function() os.execute("rm -rf " .. dir) end)

local shell = { types = { ["U-O"] = 2.22 } }  -- in two folders of four

local function with(extra)
  local t = {}
  for key, value in pairs(shell) do t[key] = value end
  for key, value in pairs(extra) do t[key] = value end
  return t
end

describe("the denominator", function()
  for _, kind in ipairs { "database", "tree" } do
    it("counts a folder without selected paths as zero (" .. kind .. ")", function()
      local src <close> = assert(mdx.open(kind == "tree" and tree or db))
      local avg = src:select(shell):average()
      assert.are.equal(4, avg.nfolders)
      assert.are.equal(2, avg.folders_with_paths)
      assert.is_true(golden.maxdiff(avg.chi, expected[2]) < 1e-12)
      assert.matches("4 folders (2 with selected paths)", tostring(avg), 1, true)
    end)

    it("skips them only when asked, as the reference does (" .. kind .. ")", function()
      local src <close> = assert(mdx.open(kind == "tree" and tree or db))
      local avg = src:select(with { empty = "skip" }):average()
      assert.are.equal(2, avg.nfolders)
      assert.is_true(golden.maxdiff(avg.chi, expected[3]) < 1e-12)
      assert.are.equal(2, #src:select(with { empty = "skip" }):sums())
      assert.are.equal(4, #src:select(shell):sums())
    end)
  end

  it("makes by_type shares add up to the average when a type is absent", function()
    local src <close> = assert(mdx.open(db))
    local sel = src:select { types = { ["U-O"] = 2.22, ["U-U"] = 4.0 } }
    local total, parts = sel:average(), sel:by_type()
    local sum
    for _, part in pairs(parts) do sum = sum and sum + part or part end
    assert.is_true(golden.maxdiff(sum.chi, total.chi) < 1e-15)
    assert.are.equal(4, parts["U-O"].nfolders)
  end)

  it("writes both counts in the file header", function()
    local src <close> = assert(mdx.open(db))
    local out = dir .. "/uo.dat"
    assert(src:select(shell):average():write(out))
    local f = assert(io.open(out))
    local head = f:read "l"
    f:close()
    assert.matches("mean over 4 folders (2 with selected paths)", head, 1, true)
  end)

  it("admits folders by a function of frame, atom, absorber and dir", function()
    local src <close> = assert(mdx.open(db))
    local seen = {}
    local avg = src:select(with { folders = function(f)
      seen[#seen + 1] = f.absorber
      return f.atom == 0
    end }):average()
    assert.are.equal(2, avg.nfolders)
    assert.are.equal(1, avg.folders_with_paths)
    assert.are.same({ "U", "U", "U", "U" }, seen)
    local ok, err = pcall(function()
      src:select(with { folders = function(f) return f.atoms == 0 end }):average()
    end)
    assert.is_false(ok)
    assert.matches("folder has no field 'atoms'", err, 1, true)
    assert.has_error(function() src:select(with { empty = "none" }) end, "select: 'empty' must be \"zero\" (a folder without selected paths counts as zero) or \"skip\", not 'none'")
  end)
end)
