-- The recipe API: sources, selections, averages and results, on the
-- sample tree and a database built from it.
local mdx = require "mdexafs"
local data = assert(os.getenv "MDX_TEST_DATA", "MDX_TEST_DATA not set")
local tree = data .. "/uo2_feff85"

local dir = os.tmpname()
os.remove(dir)
assert(os.execute("mkdir -p " .. dir))
local db = dir .. "/chi.db"

local function close(a, b, tol)
  for i = 1, #a do
    if math.abs(a[i] - b[i]) > tol then
      return false, ("index %d: %.17g vs %.17g"):format(i, a[i], b[i])
    end
  end
  return #a == #b
end

local function read_file(name)
  local f = assert(io.open(name))
  local text = f:read "a"
  f:close()
  return text
end

setup(function()
  assert(mdx.build { tree = tree, db = db })
end)
teardown(function() os.execute("rm -rf " .. dir) end)

describe("mdexafs sources", function()
  it("opens a database and a tree by what the path is", function()
    local d <close> = assert(mdx.open(db))
    local t <close> = assert(mdx.open(tree))
    assert.are.equal("database", d.kind)
    assert.are.equal("tree", t.kind)
    assert.matches("mdexafs tree", tostring(t))
  end)

  it("returns nil and a message for a missing or foreign file", function()
    local src, msg = mdx.open(dir .. "/none.db")
    assert.is_nil(src)
    assert.matches("none.db: cannot open", msg, 1, true)
    src, msg = mdx.open(data .. "/README.md")
    assert.is_nil(src)
    assert.matches("not an mdexafs database", msg, 1, true)
  end)

  it("gives the same averages from the database and from the files", function()
    local d <close> = assert(mdx.open(db))
    local t <close> = assert(mdx.open(tree))
    local query = { types = { ["U-O"] = 3.0, ["U-U"] = 4.5 }, reff = { 1.0, false } }
    local a, b = d:select(query):average(), t:select(query):average()
    assert.are.equal(a.nfolders, b.nfolders)
    assert.are.equal(a.npaths, b.npaths)
    assert.is_true(close(a.chi, b.chi, 1e-13))
    assert.is_true(close(a.sem, b.sem, 1e-13))
  end)

  it("averages the folder sums: the mean of sel:sums()", function()
    local d <close> = assert(mdx.open(db))
    local sel = d:select { types = "U-O", reff = 3.0 }
    local sums, avg = sel:sums(), sel:average()
    assert.are.equal(4, #sums)
    assert.are.equal(500, sums[1].frame)
    assert.are.equal(0, sums[1].atom)
    assert.are.equal(1, sums[2].atom)
    local total = sums[1] + sums[2] + sums[3] + sums[4]
    assert.is_true(close((total / 4).chi, avg.chi, 1e-15))
    assert.are.equal(avg.npaths, sums[1].npaths + sums[2].npaths + sums[3].npaths + sums[4].npaths)
  end)

  it("splits the average into per-type shares that add up to it", function()
    local d <close> = assert(mdx.open(db))
    local sel = d:select { reff = 4.5 }
    local parts, avg = sel:by_type(), sel:average()
    local sum
    for _, part in pairs(parts) do sum = sum and sum + part or part end
    assert.is_not_nil(parts["U-O"])
    assert.is_not_nil(parts["U-O-O"])
    assert.is_true(close(sum.chi, avg.chi, 1e-14))
  end)

  it("selects with a where function over metadata", function()
    local d <close> = assert(mdx.open(db))
    local seen = {}
    local sel = d:select {
      where = function(p)
        seen[p.type] = true
        return p.nleg == 3 and p.reff < 4.2
      end,
    }
    local paths = sel:paths()
    assert.is_true(#paths > 0)
    for _, p in ipairs(paths) do
      assert.are.equal(3, p.nleg)
      assert.is_true(p.reff < 4.2)
    end
    assert.is_true(seen["U-O"])
    local n, folders = sel:count()
    assert.are.equal(#paths, n)
    assert.are.equal(4, folders)
  end)

  it("refuses lists with gaps or other keys, and predicates that return no boolean", function()
    local d <close> = assert(mdx.open(db))
    for _, atoms in ipairs { { [1] = 0, [3] = 1 }, { 0, x = 1 } } do
      assert.has_error(function() d:select { atoms = atoms } end,
        "select: 'atoms' must be a list of atom numbers, without gaps or other keys")
    end
    assert.has_error(function() d:select { frames = { 500, 510, x = 1 } } end,
      "select: 'frames' must be a number or {low, high} (false for an open end)")
    local ok, err = pcall(function()
      return d:select { where = function(p) return p.nleg == 2 and 1 or 0 end }:average()
    end)
    assert.is_false(ok)
    assert.are.equal("select: the where function returned number, not true or false", err)
  end)

  it("refuses to close a source from a function of its own query", function()
    local d <close> = assert(mdx.open(db))
    local ok, err = pcall(function()
      return d:select { where = function() d:close() return true end }:average()
    end)
    assert.is_false(ok)
    assert.matches("a query of this source is running; close it after", err, 1, true)
    assert.is_true(d:select { types = "U-O" }:average().npaths > 0)
  end)

  it("gives an average over one folder no standard error", function()
    local d <close> = assert(mdx.open(db))
    local one = d:select { frames = 500, atoms = 0, types = "U-O" }:average()
    assert.are.equal(1, one.nfolders)
    assert.is_nil(one.sem)
    local two = d:select { frames = 500, types = "U-O" }:average()
    assert.are.equal(2, two.nfolders)
    assert.is_true(two.sem[100] > 0)
  end)

  it("lets a selection's function query the same database", function()
    local d <close> = assert(mdx.open(db))
    local first = d:select { types = { ["U-O"] = 3.0 } }:average()
    local inner = 0
    local avg = d:select {
      types = { ["U-O"] = 3.0 },
      where = function()
        inner = inner + 1
        if inner == 1 then  -- a whole query inside the outer one
          assert(d:select { types = { ["U-U"] = 4.5 } }:count() > 0)
        elseif inner == 2 then  -- and an average, while the outer one sums
          local uu = d:select { types = { ["U-U"] = 4.5 } }:average()
          assert(uu.npaths > 0 and uu.nfolders == 4)
        end
        return true
      end,
    }:average()
    assert.is_true(close(first.chi, avg.chi, 0))
    -- and the database is free again for a writer afterwards
    local copy = dir .. "/nested.db"
    assert(os.execute("cp " .. db .. " " .. copy))
    local c <close> = assert(mdx.open(copy))
    assert(c:select { types = { ["U-O"] = 3.0 } }:average())
    assert(mdx.build { tree = tree, db = copy })
  end)

  it("selects by frames (inclusive), atoms, nleg, elements and absorber", function()
    local d <close> = assert(mdx.open(db))
    local n, folders = d:select { frames = { 510, 510 } }:count()
    assert.are.equal(2, folders)
    n, folders = d:select { frames = 510, atoms = 1 }:count()
    assert.are.equal(1, folders)
    assert.are.equal(339, n)
    for _, p in ipairs(d:select { nleg = { 4, 4 }, elements = "U-O-U-O" }:paths()) do
      assert.are.equal(4, p.nleg)
      assert.are.equal("U-O-U-O", p.elements)
    end
    local ok, err = pcall(function() return d:select { absorber = "Fe" }:count() end)
    assert.is_false(ok)  -- nothing is never an answer
    assert.matches("no folder is in the selection's frames, atoms and absorber", err, 1, true)
    assert.are.equal(1417, (d:select { absorber = "U" }:count()))
  end)

  it("raises on a misspelt key, naming it", function()
    local d <close> = assert(mdx.open(db))
    assert.has_error(function() d:select { type = "U-O" } end,
      "select: unknown key 'type' (known: types elements reff nleg frames atoms absorber where folders empty params)")
    assert.has_error(function() d:select { frames = { 520, 500 } } end,
      "select: 'frames' range is empty (520 > 500)")
  end)

  it("raises when a selection matches nothing, and on a where error", function()
    local d <close> = assert(mdx.open(db))
    assert.error_matches(function() d:select { frames = { 600, 700 } }:average() end, "no folder is in the selection's frames, atoms and absorber", 1, true)
    local ok, err = pcall(function()
      d:select { where = function(p) return p.reff < nil end }:average()
    end)
    assert.is_false(ok)
    assert.matches("attempt to compare", err)
  end)

  it("averages FEFF's chi.dat, the same from database and files", function()
    local d <close> = assert(mdx.open(db))
    local t <close> = assert(mdx.open(tree))
    local a, b = d:chidat {}, t:chidat { frames = { 500, 510 } }
    assert.are.equal(4, a.nfolders)
    assert.are.equal(0.05, a.k[1])
    assert.is_true(close(a.chi, b.chi, 0))
    assert.has_error(function() d:chidat { types = "U-O" } end,
      "chidat: unknown key 'types' (known: frames atoms)")
  end)

  it("writes %.6f files with a header line, a label line, and a third column on request", function()
    local d <close> = assert(mdx.open(db))
    local avg = d:select { types = "U-O", reff = 3.0 }:average()
    local out = dir .. "/uo.dat"
    assert(avg:write(out, { sem = true }))
    local text = read_file(out)
    local header, labels, first = text:match "^(#[^\n]*)\n(#[^\n]*)\n([^\n]*)\n"
    assert.matches("U%-O; reff <= 3", header)
    assert.matches("mean over 4 folders", header, 1, true)
    assert.are.equal("# k chi sem", labels)
    assert.matches("^0%.000000 %-?%d%.%d%d%d%d%d%d %d%.%d%d%d%d%d%d$", first)
    local _, lines = text:gsub("\n", "")
    assert.are.equal(403, lines)
    assert.is_nil(select(1, avg:write(dir .. "/no/such/dir/x.dat")))
  end)

  it("labels a k-weighted result as such and refuses to weight it twice", function()
    local d <close> = assert(mdx.open(db))
    local avg = d:select { types = "U-O", reff = 3.0 }:average()
    local k2 = avg:kweight(2)
    assert.are.equal(2, k2.k_weight)
    local out = dir .. "/k2.dat"
    assert(k2:write(out))
    local text = read_file(out)
    assert.matches("^# k%(A%^%-1%)  k%^2 chi%(k%)", text)
    assert.matches("\n# k k2chi\n", text)
    local back = assert(mdx.read_chi(out))  -- the label line says k2chi
    assert.are.equal(2, back.k_weight)
    assert.has_error(function() back:xftf {} end, "xftf: this result is k^2 chi(k); xftf weights chi(k) itself (its kweight): transform the result before :kweight()")
    assert(k2:write(out, { xdi = true }))
    assert.matches("Column.2: k2chi", read_file(out), 1, true)
    assert.error_matches(function() k2:write(out, { columns = "athena" }) end,
      "not written: Athena's columns are k^n chi(k) of an unweighted chi(k); this one is k^2 chi(k)", 1, true)
    assert.has_error(function() k2:xftf { kweight = 2 } end, "xftf: this result is k^2 chi(k); xftf weights chi(k) itself (its kweight): transform the result before :kweight()")
    assert.has_error(function() return k2 + avg end, "cannot add k^2 chi(k) and k^0 chi(k)")
    assert.has_error(function() avg:write(out, { sem = "no" }) end, "write: 'sem' must be true or false, not a string")
    assert.error_matches(function() avg:write(out, { xdi = { element = "Xx" } }) end,
      "not written: XDI element 'Xx' is not an element symbol", 1, true)
    assert.error_matches(function() avg:write(out, { xdi = { edge = "L4" } }) end,
      "not written: XDI edge 'L4' is not one XDI knows (K, L1-L3, M1-M5, N1-N7)", 1, true)
    assert(avg:write(out, { xdi = { element = "U", edge = "L3" } }))
  end)

  it("writes the fewest digits that read back exactly with precision = full", function()
    local d <close> = assert(mdx.open(db))
    local avg = d:select { types = "U-O", reff = 3.0 }:average()
    local out = dir .. "/full.dat"
    assert(avg:write(out, { precision = "full" }))
    local i = 0
    for line in io.lines(out) do
      if not line:match "^#" then
        i = i + 1
        local k, chi = line:match "^(%S+) (%S+)$"
        assert.are.equal(avg.k[i], tonumber(k))
        assert.are.equal(avg.chi[i], tonumber(chi))
      end
    end
    assert.are.equal(401, i)
    assert.has_error(function() avg:write(out, { precision = "high" }) end, "write: precision must be one of: reference full")
  end)

  it("k-weights, scales and refuses mixing grids", function()
    local d <close> = assert(mdx.open(db))
    local avg = d:select { types = "U-O", reff = 3.0 }:average()
    local k2 = avg:kweight(2)
    assert.are.equal(avg.chi[201] * 100, k2.chi[201])
    assert.are.equal(avg.chi[201] * 3, (3 * avg).chi[201])
    assert.are.equal(-avg.chi[201], (-avg).chi[201])
    local chidat = d:chidat {}
    assert.has_error(function() return avg + chidat end,
      "cannot add results on different k grids")
  end)
end)

describe("mdexafs.source", function()
  local copy, cdb
  before_each(function()
    copy = dir .. "/tree"
    cdb = dir .. "/c.db"
    assert(os.execute("rm -rf " .. copy .. " " .. cdb .. " && cp -R " .. data
      .. "/uo2_feff6 " .. copy))
  end)

  it("falls back to the files when the database is missing", function()
    local src <close> = mdx.source { db = cdb, tree = copy, quiet = true }
    assert.are.equal("tree", src.kind)
  end)

  it("builds a missing database when asked, then uses it", function()
    local src <close> = mdx.source { db = cdb, tree = copy, build = true, quiet = true }
    assert.are.equal("database", src.kind)
    local again <close> = mdx.source { db = cdb, quiet = true }
    assert.are.equal("database", again.kind)
  end)

  it("notices a stale database and updates it or falls back", function()
    assert(mdx.build { tree = copy, db = cdb })
    assert(os.execute("rm -rf " .. copy .. "/frame_600/atom_1"))
    local state, detail = mdx.freshness(cdb)
    assert.are.equal("stale", state)
    assert.matches("1 gone", detail, 1, true)
    local src <close> = mdx.source { db = cdb, quiet = true }
    assert.are.equal("tree", src.kind)
    local built <close> = mdx.source { db = cdb, build = true, quiet = true }
    assert.are.equal("database", built.kind)
    assert.are.equal("fresh", (mdx.freshness(cdb)))
  end)

  it("falls back from a damaged database", function()
    local f = assert(io.open(cdb, "w"))
    f:write "not a database"
    f:close()
    assert.are.equal("damaged", (mdx.freshness(cdb)))
    local src <close> = mdx.source { db = cdb, tree = copy, quiet = true }
    assert.are.equal("tree", src.kind)
    assert.error_matches(function() mdx.source { db = cdb, quiet = true } end, "c.db is damaged (not an mdexafs database (not SQLite)) and no tree was given to compute from", 1, true)
  end)

  it("refuses unknown options", function()
    assert.has_error(function() mdx.source { db = cdb, biuld = true } end,
      "source: unknown key 'biuld' (known: db tree build quiet failed verify prefer)")
  end)
end)
