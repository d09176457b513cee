-- mdexafs build, info and check, driven as a user would.
package.path = debug.getinfo(1, "S").source:match "^@(.*/)" .. "?.lua;" .. package.path
local t = require "support"
local q = t.q

describe("mdexafs build", function()
  local dir
  before_each(function() dir = t.tempdir() end)
  after_each(function() t.rmtree(dir) end)

  it("builds the sample tree and reports what it did", function()
    local db = dir .. "/chi.db"
    local code, _, err = t.run("build " .. q(t.data .. "/uo2_feff85") .. " -o " .. q(db))
    assert.are.equal(0, code)
    assert.matches("4 folders in the tree: 4 added", err, 1, true)
    assert.matches("1417 paths in", err, 1, true)
    assert.matches("4/4 folders", err, 1, true)  -- progress, not a terminal

    local _, out = t.run("info " .. q(db))
    assert.matches("paths       1417 (1417 with chi)", out, 1, true)
    assert.matches("k grid      0 .. 20 step 0.05 (401 points)", out, 1, true)
    assert.matches("U%-O%-O%s+304%s+nleg 3", out)
    local bytes = tonumber(out:match "(%d+) bytes per path")
    assert.is_true(bytes > 3000 and bytes < 4400)

    code, out = t.run("check --recompute 100 " .. q(db))
    assert.are.equal(0, code)
    assert.matches("0 damaged", out, 1, true)
    assert.matches("0 differ", out, 1, true)
  end)

  it("builds runs of FEFF 6L and larch's feff8l and names both versions", function()
    local tree = dir .. "/tree"
    local runs = { ["frame_1/atom_0"] = "cu_feff6", ["frame_1/atom_1"] = "zns_feff8l_pol",
                   ["frame_2/atom_0"] = "feo_feff8l_scf" }
    for folder, run in pairs(runs) do
      assert.are.equal(0, (t.sh("mkdir -p " .. q(tree .. "/" .. folder) .. " && cp "
        .. q(t.data .. "/corpus/" .. run) .. "/* " .. q(tree .. "/" .. folder))))
    end
    local db = dir .. "/chi.db"
    local code, _, err = t.run("build -q " .. q(tree) .. " -o " .. q(db))
    assert.are.equal(0, code, err)
    local _, out = t.run("info " .. q(db))
    assert.matches("paths       20 (20 with chi)", out, 1, true)
    assert.matches("FEFF        Feff8L (EXAFS)       0.1 (2 folders)", out, 1, true)
    assert.matches("            Feff 6L.02 (1 folder)", out, 1, true)
    code, out = t.run("check --recompute 20 " .. q(db))
    assert.are.equal(0, code)
    assert.matches("0 differ", out, 1, true)
  end)

  it("is quiet with -q and skips an unchanged tree", function()
    local db = dir .. "/chi.db"
    assert.are.equal(0, (t.run("build -q " .. q(t.data .. "/uo2_feff6") .. " -o " .. q(db))))
    local code, _, err = t.run("build -q " .. q(t.data .. "/uo2_feff6") .. " -o " .. q(db))
    assert.are.equal(0, code)
    assert.are.equal("", err)
    code, _, err = t.run("build " .. q(t.data .. "/uo2_feff6") .. " -o " .. q(db))
    assert.matches("2 unchanged", err, 1, true)
  end)

  it("reports a bad path file with its line, stores the rest, exits 1", function()
    local tree = dir .. "/tree"
    assert.are.equal(0, (t.sh("cp -R " .. q(t.data .. "/uo2_feff6") .. " " .. q(tree))))
    local bad = tree .. "/frame_600/atom_1/feff0003.dat"
    local f = assert(io.open(bad, "a"))
    f:write "  20.500  1.0E+00  2.0E+00\n"
    f:close()
    local db = dir .. "/chi.db"
    local code, _, err = t.run("build " .. q(tree) .. " -o " .. q(db))
    assert.are.equal(1, code)
    assert.matches(bad .. ":%d+: table row has 3 numbers", err)
    assert.matches("1 added", err, 1, true)
    assert.matches("1 failed", err, 1, true)
    local _, out = t.run("info " .. q(db))
    assert.matches("failed folders", out, 1, true)
    assert.matches("frame_600/atom_1: 1 of 116 path files bad", out, 1, true)
  end)

  it("survives kill -9 at any moment and resumes to a fresh build's content", function()
    local tree, db, fresh = dir .. "/tree", dir .. "/chi.db", dir .. "/fresh.db"
    local total = 48
    t.linked_tree(tree, total)
    local _, pid = t.sh("sh -c " .. q(t.bin .. " build -q -j 1 " .. q(tree) .. " -o "
      .. q(db) .. " >/dev/null 2>&1 & echo $!"))
    pid = assert(tonumber(pid))
    local stored
    local deadline = os.time() + 60
    repeat  -- wait for the first committed folders
      stored = t.info_number(db, "folders")
      local alive = t.sh("kill -0 " .. pid) == 0
    until (stored and stored >= 2) or not alive or os.time() > deadline
    local killed = t.sh("kill -9 " .. pid) == 0
    while t.sh("kill -0 " .. pid) == 0 do end
    assert.is_true(killed, "the build ended before it could be killed")

    stored = t.info_number(db, "folders")
    assert.is_true(stored >= 2 and stored < total, "stored " .. tostring(stored))
    local code, out = t.run("check " .. q(db))
    assert.are.equal(0, code, out)

    local err
    code, _, err = t.run("build " .. q(tree) .. " -o " .. q(db))
    assert.are.equal(0, code, err)
    assert.matches(stored .. " unchanged", err, 1, true)
    assert.matches((total - stored) .. " added", err, 1, true)
    assert.are.equal(0, (t.run("build -q " .. q(tree) .. " -o " .. q(fresh))))
    assert.are.equal(t.digest(fresh), t.digest(db))
  end)

  it("refuses bad usage with status 2", function()
    local code, _, err = t.run("build " .. q(t.data .. "/uo2_feff6"))
    assert.are.equal(2, code)
    assert.matches("need one TREE and -o DB", err, 1, true)
    code, _, err = t.run("build -j 0 x -o y")
    assert.are.equal(2, code)
    assert.matches("--jobs", err, 1, true)
  end)

  it("names a missing tree", function()
    local code, _, err = t.run("build " .. q(dir .. "/none") .. " -o " .. q(dir .. "/x.db"))
    assert.are.equal(1, code)
    assert.matches(dir .. "/none: No such file or directory", err, 1, true)
  end)
end)

describe("damaged databases", function()
  local dir, db
  before_each(function()
    dir = t.tempdir()
    db = dir .. "/chi.db"
    assert.are.equal(0, (t.run("build -q " .. q(t.data .. "/uo2_feff6") .. " -o " .. q(db))))
  end)
  after_each(function() t.rmtree(dir) end)

  it("finds a flipped byte inside a blob", function()
    assert.are.equal(0, (t.sh("sqlite3 " .. q(db) .. " " .. q(
      "UPDATE chi SET data = substr(data, 1, 999) || x'00' || substr(data, 1001) WHERE id = 7"))))
    local code, out, err = t.run("check " .. q(db))
    assert.are.equal(1, code)
    assert.matches("frame_600/atom_0/feff0007.dat: damaged blob", err, 1, true)
    assert.matches("1 damaged", out, 1, true)
  end)

  it("reports bytes flipped in the file without crashing", function()
    local f = assert(io.open(db, "r+b"))
    local size = f:seek "end"
    for offset = 40000, size - 1, 50000 do
      f:seek("set", offset)
      f:write(string.rep("\255", 64))
    end
    f:close()
    local code, _, err = t.run("check " .. q(db))
    assert.are.equal(1, code)
    assert.matches("mdexafs: ", err, 1, true)
  end)

  it("reports a truncated file", function()
    assert.are.equal(0, (t.sh("truncate -s 70000 " .. q(db))))
    local code, _, err = t.run("check " .. q(db))
    assert.are.equal(1, code)
    assert.matches(db .. ": .*malformed", err)
    code, _, err = t.run("info " .. q(db))
    assert.are.equal(1, code)
  end)

  it("refuses a file that is not a database", function()
    local code, _, err = t.run("info " .. q(t.data .. "/README.md"))
    assert.are.equal(1, code)
    assert.matches("not an mdexafs database", err, 1, true)
  end)
end)
