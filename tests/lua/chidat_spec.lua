-- FEFF's chi.dat averaged by k value, not by row: four chi.dat files of
-- the sample tree put on different grids (the changes below, the same as
-- tests/tools/numpy_goldens.py makes its golden with), from the files and
-- from a database.
package.path = debug.getinfo(1, "S").source:match "^@(.*/)" .. "?.lua;" .. package.path
local mdx = require "mdexafs"
local golden = require "golden"
local data = assert(os.getenv "MDX_TEST_DATA", "MDX_TEST_DATA not set")
local sample = data .. "/uo2_feff85"
local expected = golden.columns(data .. "/goldens/science/chidat_grids.txt")

local dir = os.tmpname()
os.remove(dir)
local tree, db = dir .. "/tree", dir .. "/chi.db"

-- The rows of each folder's chi.dat (k, chi and the rest), changed:
-- as is; a row at k = 0; the first two dropped; the last ten dropped.
local folders = { "frame_500/atom_0", "frame_500/atom_1", "frame_510/atom_0",
                  "frame_510/atom_1" }
local changes = {
  function(rows) return rows end,
  function(rows)
    local zero = rows[1]:gsub("^%s*%S+", "     0.0000")
    table.insert(rows, 1, zero)
    return rows
  end,
  function(rows) return { table.unpack(rows, 3) } end,
  function(rows) return { table.unpack(rows, 1, #rows - 10) } end,
}

local function write_chidat(from, to, change)
  local header, rows = {}, {}
  for line in io.lines(from) do
    if line:match "^#" then header[#header + 1] = line else rows[#rows + 1] = line end
  end
  local f = assert(io.open(to, "w"))
  f:write(table.concat(header, "\n"), "\n", table.concat(change(rows), "\n"), "\n")
  f:close()
end

setup(function()
  for i, folder in ipairs(folders) do
    local to = tree .. "/" .. folder
    assert(os.execute("mkdir -p " .. to .. " && ln -s " .. sample .. "/" .. folder
                      .. "/feff*.dat " .. sample .. "/" .. folder .. "/feff.inp " .. to))
    write_chidat(sample .. "/" .. folder .. "/chi.dat", to .. "/chi.dat", changes[i])
  end
  assert(mdx.build { tree = tree, db = db })
end)
teardown(function() os.execute("rm -rf " .. dir) end)

describe("chi.dat averages", function()
  for _, kind in ipairs { "tree", "database" } do
    it("are over the k values every file has (" .. kind .. ")", function()
      local src <close> = assert(mdx.open(kind == "tree" and tree or db))
      local avg = src:chidat {}
      assert.are.equal(388, #avg)
      assert.are.equal(4, avg.nfolders)
      assert.is_true(golden.maxdiff(avg.k, expected[1]) < 1e-12)
      assert.is_true(golden.maxdiff(avg.chi, expected[2]) < 1e-12)
    end)
  end

  it("name a folder without chi.dat rather than leave it out", function()
    os.rename(tree .. "/frame_510/atom_1/chi.dat", dir .. "/saved.dat")
    local src <close> = assert(mdx.open(tree))
    local ok, err = pcall(function() return src:chidat {} end)
    os.rename(dir .. "/saved.dat", tree .. "/frame_510/atom_1/chi.dat")
    assert.is_false(ok)
    assert.matches("1 of 4 folders have no chi.dat that could be read, the first frame_510/atom_1", err, 1, true)
  end)
end)
