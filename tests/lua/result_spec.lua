-- The arrays of results: r.k, r.chi, r.sem (and a chi(R)'s r, re, im,
-- mag) are made on their first read and are the same table at every
-- later one. They are read-only: write, kweight, xftf, distance and
-- arithmetic use the result's own numbers, and refuse a result whose table
-- was changed in place rather than disagree with it (a chi(R)'s write
-- likewise).
local mdx = require "mdexafs"

local file = os.tmpname()
teardown(function() os.remove(file) end)

-- The text of a file.
local function slurp(name) local f <close> = assert(io.open(name)) return f:read "a" end

-- A result read from "k chi sem" rows.
local function result()
  assert(assert(io.open(file, "w")):write "# k chi sem\n1 0.5 0.1\n2 0.25 0.2\n3 0.125 0.3\n"):close()
  return assert(mdx.read_chi(file))
end

describe("a result's arrays", function()
  it("are one table each, made once", function()
    local r = result()
    for _, field in ipairs { "k", "chi", "sem" } do
      local t = r[field]
      assert.are.equal("table", type(t))
      assert.are.equal(t, r[field])  -- the same table, not an equal one
    end
    assert.are.same({ 1, 2, 3 }, r.k)
    assert.are.same({ 0.5, 0.25, 0.125 }, r.chi)
    assert.are.same({ 0.1, 0.2, 0.3 }, r.sem)
    assert.are_not.equal(r.k, r.chi)
    assert.are_not.equal(r.chi, (r * 1).chi)  -- a new result has its own
  end)

  it("leave a result without sem without one", function()
    local r = result():kweight(0) + result()  -- a sum has no standard error
    assert.is_nil(r.sem)
    assert.is_nil(r.sem)
  end)

  it("are read-only: a result whose table was changed is refused, naming it", function()
    for field, change in pairs {
      chi = function(t) t[1] = 99 end, k = function(t) t[2] = 99 end,
      sem = function(t) t[3] = 99 end, [""] = function(t) t[4] = 99 end,
    } do
      local r = result()
      change(r[field == "" and "chi" or field])
      local msg = ("result.%s was changed in place: its arrays are read-only "
                   .. "(copy one to change it)"):format(field == "" and "chi" or field)
      assert.has_error(function() r:write(file .. ".b") end, msg)
      assert.has_error(function() return r * 1 end, msg)
      assert.has_error(function() return r:kweight(2) end, msg)
      assert.has_error(function() return r - result() end, msg)
      assert.has_error(function() return mdx.distance(result(), r, { kmin = 1, kmax = 3 }) end, msg)
      assert.has_error(function() return r:xftf { kmin = 1, kmax = 3, dk = 0.5 } end, msg)
    end
    local r = result()  -- read, copied, unchanged: all goes on
    local copy = {}
    for i, v in ipairs(r.chi) do copy[i] = 2 * v end
    assert.are.same({ 1, 0.5, 0.25 }, copy)
    assert.are.same({ 0.5, 0.25, 0.125 }, (r * 1).chi)
    assert.are.same({ 0, 0, 0 }, (r - r).chi)
    assert(r:write(file .. ".b", { sem = true }))
    os.remove(file .. ".b")
  end)
end)

describe("a chi(R)'s arrays", function()
  it("are one table each, made once, and read-only", function()
    local r = result()
    local chir = r:xftf { kmin = 1, kmax = 3, dk = 0.5, kweight = 0 }
    local first = {}
    for _, field in ipairs { "r", "re", "im", "mag" } do
      first[field] = chir[field]
      assert.are.equal(#chir, #first[field])
      assert.are.equal(first[field], chir[field])
    end
    assert(chir:write(file .. ".a"))
    os.remove(file .. ".a")
    first.mag[1] = -1
    assert.has_error(function() chir:write(file .. ".b") end,
      "chir.mag was changed in place: its arrays are read-only (copy one to change it)")
    local again = r:xftf { kmin = 1, kmax = 3, dk = 0.5, kweight = 0 }
    assert.are_not.equal(-1, again.mag[1])
  end)
end)
