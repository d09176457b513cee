-- Re-exported paths: from the files and from both database layouts, a
-- written feffNNNN.dat gives bit for bit the chi(k) of the original.
-- (tests/tools/larch_reexport.py checks the same with xraylarch.)
local mdx = require "mdexafs"
local data = assert(os.getenv "MDX_TEST_DATA", "MDX_TEST_DATA not set")

local dir = os.tmpname()
os.remove(dir)
assert(os.execute("mkdir -p " .. dir))
teardown(function() os.execute("rm -rf " .. dir) end)

for _, case in ipairs {
  { tree = data .. "/uo2_feff85", frame = 510, atom = 1 },
  { tree = data .. "/uo2_feff6", frame = 600, atom = 0 },
} do
  local db, tables = dir .. "/chi.db", dir .. "/tables.db"
  describe("export from " .. case.tree, function()
    setup(function()
      os.remove(db)
      os.remove(tables)
      assert(mdx.build { tree = case.tree, db = db })
      assert(mdx.build { tree = case.tree, db = tables, tables_only = true })
    end)

    for _, kind in ipairs { "tree", "database", "tables" } do
      it("from the " .. kind .. " gives the original chi exactly", function()
        local src <close> = assert(mdx.open(kind == "tree" and case.tree
                                            or kind == "database" and db or tables))
        local paths = src:select { frames = case.frame, atoms = case.atom }:paths()
        assert.is_true(#paths > 100)
        for _, p in ipairs(paths) do
          local file = ("%s/feff%04d.dat"):format(dir, p.num)
          assert(src:export(p.frame, p.atom, p.num, file))
          local again = assert(mdx.chi(file))
          local orig = assert(mdx.chi(("%s/%s/feff%04d.dat"):format(case.tree,
                                                                    p.dir, p.num)))
          assert.are.same(orig.chi, again.chi)
          local parsed = assert(mdx.parse(file))
          assert.are.equal(p.type, parsed.type)
          assert.are.equal(p.reff, parsed.reff)
          os.remove(file)
        end
      end)
    end

    it("says which path is missing", function()
      local src <close> = assert(mdx.open(db))
      local ok, msg = src:export(case.frame, case.atom, 9999, dir .. "/x.dat")
      assert.is_nil(ok)
      assert.matches(("no path 9999 in frame %d, atom %d"):format(case.frame,
                                                                  case.atom),
                     msg, 1, true)
    end)
  end)
end
