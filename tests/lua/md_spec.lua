-- The Lua API of trajectories, frames and clusters (lua_trajectory.c,
-- lua_cluster.c) and the file helpers recipes use with them (lua_fs.c):
-- what each gives, and what each refuses.
local mdx = require "mdexafs"
local data = assert(os.getenv "MDX_TEST_DATA", "MDX_TEST_DATA not set")
local cubic = data .. "/md/cu_cubic.extxyz"

describe("trajectory", function()
  it("walks the frames asked for, stepping over the others", function()
    local t <close> = mdx.trajectory(cubic)
    local seen = {}
    for f in t:frames { first = 1, step = 2 } do
      seen[#seen + 1] = f.index
      assert.are.equal(108, f.natoms)
      assert.are.same({ true, true, true }, f.cell.pbc)
      assert.are.equal(10.83, f.cell.a[1])
    end
    assert.are.same({ 1, 3 }, seen)
    assert.is_true(t.bytes > 0)
  end)

  it("gives atoms, from index 1, with the file's ids and elements", function()
    local t <close> = mdx.trajectory(data .. "/md/cu_cubic.dump", { types = { [1] = "Cu" } })
    local f = t:read()
    assert.are.equal(0, f.timestep)
    local a = f:atom(1)
    assert.are.equal(1, a.index)
    assert.are.equal(1, a.id)
    assert.are.equal("Cu", a.element)
    assert.are.equal(108, #f:atoms "Cu")
    assert.are.equal(0, #f:atoms "O")
    assert.has_error(function() f:atom(109) end, "frame 0 has 108 atoms: no atom 109 (atoms count from 1)")
  end)

  it("refuses a frame used after the trajectory read on", function()
    local t <close> = mdx.trajectory(cubic)
    local f = t:read()
    t:read()
    assert.has_error(function() return f.natoms end,
      "frame: the trajectory has read on since (a frame is valid in its own turn of the loop only)")
  end)

  it("refuses frames it does not have, and bad ranges", function()
    local t <close> = mdx.trajectory(cubic)
    assert.has_error(function() for _ in t:frames { last = 9 } do end end)
    local u <close> = mdx.trajectory(cubic)
    assert.has_error(function() u:frames { first = 3, last = 1 } end)
    assert.has_error(function() u:frames { step = 0 } end)
    assert.has_error(function() u:frames { frist = 1 } end)
    assert.has_error(function() mdx.trajectory(cubic, { types = { [1] = "Xx" } }) end,
      "trajectory: types: type 1: Xx is not an element")
    assert.has_error(function() mdx.trajectory(cubic, { cell = { a = { 1, 0, 0 } } }) end)
  end)
end)

describe("cluster", function()
  it("is the absorber and its neighbours, nearest first, and outlives its frame", function()
    local t <close> = mdx.trajectory(cubic)
    local f = t:read()
    local c = f:cluster(1, 6.0)
    t:read()
    assert.are.equal(c.n, #c)
    assert.are.same({ 0, 0, 0 }, { c[1].x, c[1].y, c[1].z })
    assert.are.equal(0, c[1].r)
    for k = 2, #c do
      assert.is_true(c[k].r >= c[k - 1].r)
      assert.is_true(c[k].r <= 6.0)
      assert.are.equal(3, #c[k].image)
    end
    assert.are.equal(12, c:count("Cu", 3.0))
    assert.are.equal(#c - 1, c:count())
    assert.is_nil(c[#c + 1])
    local text = mdx.feff_input { header = "TITLE t", cluster = c }
    assert.truthy(text:find("\nATOMS\n0.000000\t0.000000\t0.000000\t0\tCu\n", 1, true))
    assert.has_error(function() mdx.feff_input { cluster = c } end)
    assert.has_error(function() mdx.feff_input { header = "x", cluster = c, potentials = { "Q" } } end,
      'feff_input: potentials[1]: "Q" is not an element')
  end)
end)

describe("file helpers", function()
  it("gives a file's size, time, hash and absolute path", function()
    local info = mdx.file_info(cubic, { hash = true })
    local f = assert(io.open(cubic, "rb"))
    assert.are.equal(#f:read "a", info.size)
    f:close()
    assert.truthy(info.hash:match "^%x+$")
    assert.are.equal(16, #info.hash)
    assert.are.equal("/", info.path:sub(1, 1))
    assert.is_nil((mdx.file_info "/nonexistent/x"))
    assert.is_nil(mdx.file_info(cubic).hash)
    local none, why = mdx.file_info(data)
    assert.is_nil(none)
    assert.truthy(why:find("not a regular file", 1, true))
    local names = mdx.list_folder(data .. "/md")
    assert.are.same(names, (function() local c = { table.unpack(names) } table.sort(c) return c end)())
    assert.truthy(#names >= 5)
  end)
end)
