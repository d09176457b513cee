-- The mdexafs Lua module: reading paths and computing chi(k) from Lua.
local mdx = require "mdexafs"
local data = assert(os.getenv "MDX_TEST_DATA", "MDX_TEST_DATA not set")
local folder = data .. "/uo2_feff85/frame_500/atom_0/"

-- Column `name` of a larch golden file, as an array of numbers.
local function golden_column(file, name)
  local col, idx = {}, nil
  for line in io.lines(file) do
    if line:match "^# k " then
      local i = 1
      for word in line:sub(3):gmatch "%S+" do
        if word == name then idx = i end
        i = i + 1
      end
    elseif not line:match "^#" then
      local i = 1
      for word in line:gmatch "%S+" do
        if i == idx then col[#col + 1] = tonumber(word) end
        i = i + 1
      end
    end
  end
  assert(idx, name .. " not in " .. file)
  return col
end

describe("mdexafs.parse", function()
  it("reads a FEFF 8.5L path file", function()
    local p = assert(mdx.parse(folder .. "feff0005.dat"))
    assert.are.equal("Feff 8.50L", p.version)
    assert.are.equal(5, p.index)
    assert.are.equal("U-O", p.type)
    assert.are.equal(2, p.nleg)
    assert.are.equal(2.3822, p.reff)
    assert.are.equal("U", p.absorber)
    assert.are.equal("L3", p.edge)
    assert.are.equal(59, p.nrows)
    assert.are.equal("O", p.legs[2].element)
    assert.are.equal(8, p.legs[2].iz)
  end)

  it("returns nil and a message naming the file for a missing file", function()
    local p, msg = mdx.parse(folder .. "nope.dat")
    assert.is_nil(p)
    assert.matches("nope.dat: cannot open", msg, 1, true)
  end)
end)

describe("mdexafs.chi", function()
  it("matches xraylarch on the standard grid", function()
    local r = assert(mdx.chi(folder .. "feff0005.dat"))
    local chi, k = r.chi, r.k
    local want = golden_column(
      data .. "/goldens/uo2_feff85/frame_500/atom_0/larch_paths.txt",
      "feff0005.dat")
    assert.are.equal(401, #r)
    assert.are.equal(20.0, k[401])
    for i = 1, 401 do
      assert.is_true(math.abs(chi[i] - want[i]) < 1e-10)
    end
  end)

  it("takes path parameters", function()
    local plain = mdx.chi(folder .. "feff0005.dat").chi
    local damped = mdx.chi(folder .. "feff0005.dat", { sigma2 = 0.01, s02 = 0.9 }).chi
    assert.is_true(math.abs(damped[200]) < math.abs(plain[200]))
  end)

  it("refuses a misspelt parameter", function()
    assert.has_error(function() mdx.chi(folder .. "feff0005.dat", { sigma = 0.01 }) end,
      "unknown path parameter 'sigma' (known: s02 e0 sigma2 deltar c3 c4 ei degen; "
      .. "third = c3, fourth = c4)")
  end)
end)
