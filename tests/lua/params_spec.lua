-- Path parameters at query time: one value for all paths, by path type,
-- or a function of the path, from the FEFF files and from both database
-- layouts, against xraylarch (tests/tools/larch_goldens.py).
local mdx = require "mdexafs"
local golden = dofile(debug.getinfo(1, "S").source:match "^@(.*/)" .. "golden.lua")
local data = assert(os.getenv "MDX_TEST_DATA", "MDX_TEST_DATA not set")
local tree = data .. "/uo2_feff85"
local goldens = data .. "/goldens/science/"

-- The parameter sets of larch_goldens.py, in mdexafs's words.
local sets = {
  uniform = { s02 = 0.85, e0 = 3.1, sigma2 = 0.0045, deltar = 0.012,
              c3 = 0.0002, third = nil, fourth = 0.00004, ei = 0.7 },
  by_type = { s02 = 0.9, e0 = 1.5,
              sigma2 = { ["U-O"] = 0.003, ["U-U"] = 0.004, ["*"] = 0.006 } },
  ["function"] = {
    sigma2 = function(p) return p.nleg == 2 and 0.003 or 0.006 end,
    deltar = function(p) return 0.01 * p.reff end },
}

local dir = os.tmpname()
os.remove(dir)
assert(os.execute("mkdir -p " .. dir))
local dbs = { default = dir .. "/chi.db", tables = dir .. "/tables.db" }
assert(mdx.build { tree = tree, db = dbs.default })
assert(mdx.build { tree = tree, db = dbs.tables, tables_only = true })

local sources = {
  files = function() return assert(mdx.open(tree)) end,
  database = function() return assert(mdx.open(dbs.default)) end,
  ["tables-only database"] = function() return assert(mdx.open(dbs.tables)) end,
}

teardown(function() os.execute("rm -rf " .. dir) end)

for kind, open in pairs(sources) do
  describe("params from the " .. kind, function()
    for name, params in pairs(sets) do
      it("match xraylarch's path2chi for the " .. name .. " set", function()
        local want = golden.columns(goldens .. "params_" .. name .. ".txt")
        local src <close> = open()
        local sums = src:select { reff = 4.5, params = params }:sums()
        assert.are.equal(4, #sums)
        for i, r in ipairs(sums) do
          local diff = golden.maxdiff(r.chi, want[i + 1])
          assert(diff < 1e-10, ("folder %d differs by %g"):format(i, diff))
        end
        -- and they do change the result
        local plain = src:select { reff = 4.5 }:sums()
        assert.is_true(golden.maxdiff(plain[1].chi, want[2]) > 1e-4)
      end)
    end
  end)
end

describe("default params", function()
  it("give the stored chi exactly", function()
    local src <close> = mdx.open(dbs.default)
    local stored = src:select { types = { "U-O", "U-U" } }:average()
    for _, params in ipairs { {}, { s02 = 1, sigma2 = 0 },
                              { e0 = function() return 0 end } } do
      local computed = src:select { types = { "U-O", "U-U" },
                                    params = params }:average()
      assert.are.same(stored.chi, computed.chi)
    end
  end)
end)

describe("bad params", function()
  local src = assert(mdx.open(dbs.default))
  it("refuse an unknown name", function()
    assert.has_error(function() src:select { params = { sigma = 0.1 } } end,
      "unknown path parameter 'sigma' (known: s02 e0 sigma2 deltar c3 c4 ei "
      .. "degen; third = c3, fourth = c4)")
  end)
  it("refuse a value that is not a number, table or function", function()
    assert.has_error(function() src:select { params = { e0 = "2" } } end, "path parameter 'e0' must be a number, a table of path type = number, or a function of the path")
    assert.has_error(function()
      src:select { params = { e0 = { ["U-O"] = "x" } } } end, "path parameter 'e0' must be a number, a table of path type = number, or a function of the path")
  end)
  it("stop the query when a function fails or returns no number", function()
    local ok, msg = pcall(function()
      src:select { params = { e0 = function() return "x" end } }:average()
    end)
    assert.is_false(ok)
    assert.matches("path parameter 'e0': the function returned string", msg, 1, true)
    ok, msg = pcall(function()
      src:select { params = { e0 = function() error "boom" end } }:average()
    end)
    assert.is_false(ok)
    assert.matches("boom", msg, 1, true)
  end)
end)
