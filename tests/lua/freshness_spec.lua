-- Freshness: what the quick check (folders and their last-written files)
-- and the full one (every file's size and time) each notice, on a copy of
-- the FEFF 6 sample tree and a database built from it.
local mdx = require "mdexafs"
local data = assert(os.getenv "MDX_TEST_DATA", "MDX_TEST_DATA not set")

local dir, tree, db

local function sh(cmd)
  assert(os.execute(cmd), cmd)
end

-- Both levels' states.
local function states()
  return (mdx.freshness(db, nil, "folders")), (mdx.freshness(db, nil, "files"))
end

before_each(function()
  dir = os.tmpname()
  os.remove(dir)
  tree, db = dir .. "/tree", dir .. "/chi.db"
  -- a tree written long ago: its times are not "racy" (too close to the
  -- build to vouch for), as they would be right after the copy
  sh("mkdir -p " .. dir .. " && cp -R " .. data .. "/uo2_feff6 " .. tree
    .. " && find " .. tree .. " -exec touch -d @1767225600 {} +")
  assert(mdx.build { tree = tree, db = db })
end)

after_each(function() sh("rm -rf " .. dir) end)

describe("freshness", function()
  it("finds a database just built fresh at both levels", function()
    local state, detail = mdx.freshness(db)
    assert.are.equal("fresh", state)
    assert.matches("2 folders as built", detail, 1, true)
    assert.are.equal("fresh", (mdx.freshness(db, nil, "files")))
  end)

  it("notices an added folder", function()
    sh("cp -R " .. tree .. "/frame_600/atom_1 " .. tree .. "/frame_600/atom_2")
    local quick, full = states()
    assert.are.equal("stale", quick)
    assert.are.equal("stale", full)
    assert.matches("1 new", select(2, mdx.freshness(db)), 1, true)
  end)

  it("notices a removed folder", function()
    sh("rm -r " .. tree .. "/frame_600/atom_1")
    assert.are.equal("stale", (states()))
    assert.matches("1 gone", select(2, mdx.freshness(db)), 1, true)
  end)

  it("notices a renamed folder", function()
    sh("mv " .. tree .. "/frame_600/atom_1 " .. tree .. "/frame_600/atom_7")
    assert.are.equal("stale", (states()))
    assert.matches("1 new, 1 gone", select(2, mdx.freshness(db)), 1, true)
  end)

  it("notices a file added to or removed from a folder", function()
    local atom = tree .. "/frame_600/atom_0"
    sh("cp " .. atom .. "/feff0001.dat " .. atom .. "/feff0999.dat")
    assert.are.equal("stale", (states()))
    sh("rm " .. atom .. "/feff0999.dat " .. atom .. "/feff0002.dat")
    assert.are.equal("stale", (states()))
  end)

  it("notices a FEFF run again in place (every file rewritten)", function()
    -- FEFF truncates and rewrites its files: no entry of the folder changes
    sh("cd " .. tree .. "/frame_600/atom_1 && sleep 0.01 && for f in *; do "
      .. "cat \"$f\" > " .. dir .. "/x && cat " .. dir .. "/x > \"$f\"; done")
    local quick, full = states()
    assert.are.equal("stale", quick)
    assert.are.equal("stale", full)
    assert.matches("1 folders changed", select(2, mdx.freshness(db)), 1, true)
  end)

  it("needs verify = files for one path file edited in place", function()
    -- not a witness (chi.dat, the first path file, the newest file): the
    -- folder and its witnesses look as built
    sh("touch -d '2001-01-01' " .. tree .. "/frame_600/atom_0/feff0002.dat")
    local quick, full = states()
    assert.are.equal("fresh", quick)
    assert.are.equal("stale", full)
    local src <close> = mdx.source { db = db, verify = "files", quiet = true }
    assert.are.equal("tree", src.kind)
  end)

  it("looks closer when the quick check sees a change that is not one", function()
    -- a file the build does not read: the folder's time moves, nothing else
    sh("touch " .. tree .. "/frame_600/atom_0/notes.txt")
    local state, detail = mdx.freshness(db)
    assert.are.equal("fresh", state)
    -- only that folder is looked at file by file, not the whole tree
    assert.matches("(1 folders compared file by file)", detail, 1, true)
  end)

  it("sees an edit of a witness: the first path file", function()
    sh("touch -d '2001-01-01' " .. tree .. "/frame_600/atom_0/feff0001.dat")
    assert.are.equal("stale", (states()))
  end)

  it("vouches for no folder changed just before its build", function()
    sh("rm -rf " .. tree .. " " .. db .. " && cp -R " .. data .. "/uo2_feff6 " .. tree)
    assert(mdx.build { tree = tree, db = db })
    local state, detail = mdx.freshness(db)
    assert.are.equal("fresh", state)
    assert.matches("0 folders changed", detail, 1, true)  -- every file looked at
  end)

  it("refuses an unknown level", function()
    assert.has_error(function() mdx.freshness(db, nil, "quick") end, "bad argument #3 to 'freshness' (invalid option 'quick')")
    assert.has_error(function() mdx.source { db = db, verify = "quick" } end,
      "source: verify must be \"folders\" or \"files\", not 'quick'")
  end)
end)
