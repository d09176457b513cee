-- mdexafs.feff_run: the runs of a tree from Lua, with stand-in FEFF
-- programs (shell scripts) that write what FEFF writes, or not.
local mdx = require "mdexafs"

local function sh(cmd) return os.execute(cmd) end

local function write(path, text)
  local f = assert(io.open(path, "w"))
  f:write(text)
  f:close()
end

local function read(path)
  local f = io.open(path)
  if not f then return nil end
  local s = f:read "a"
  f:close()
  return s
end

describe("feff_run", function()
  local dir, good, bad
  before_each(function()
    local p = io.popen "mktemp -d /tmp/mdx_feffrun_XXXXXX"
    dir = p:read "l"
    p:close()
    for _, f in ipairs { "frame_0/atom_1", "frame_0/atom_2", "frame_1/atom_1" } do
      assert(sh("mkdir -p " .. dir .. "/tree/" .. f))
      write(dir .. "/tree/" .. f .. "/feff.inp", "TITLE " .. f .. "\n")
    end
    good = dir .. "/good"
    local sample = os.getenv "MDX_TEST_DATA" .. "/uo2_feff85/frame_500/atom_0"
    write(good, "#!/bin/sh\ngrep -q TITLE feff.inp || exit 3\ncp " .. sample .. "/chi.dat "
      .. sample .. "/feff0001.dat .\necho ' feff0001.dat' > files.dat\necho done\n")
    bad = dir .. "/bad"
    write(bad, "#!/bin/sh\necho 'Fatal error: no potentials'\nexit 2\n")
    assert(sh("chmod +x " .. good .. " " .. bad))
  end)
  after_each(function() sh("rm -rf " .. dir) end)

  it("runs every folder once, with progress, and records each", function()
    local calls = 0
    local st = mdx.feff_run(dir .. "/tree", { program = good, jobs = 2,
      progress = function(s) calls = calls + 1; assert.is_true(s.running <= 2) end })
    assert.are.same({ 3, 0, 3, 3, 0 }, { st.folders, st.finished, st.todo, st.done, st.failed })
    assert.are.same({}, st.failures)
    assert.is_true(calls > 0)
    local rec = read(dir .. "/tree/frame_0/atom_2/mdexafs-run.txt")
    assert.truthy(rec:find("\nstatus = ok\n", 1, true))
    assert.truthy(rec:find("\noutput = feff0001.dat\n", 1, true))
    assert.are.equal(read(os.getenv "MDX_TEST_DATA" .. "/uo2_feff85/frame_500/atom_0/feff0001.dat"),
      read(dir .. "/tree/frame_0/atom_2/feff0001.dat"))
    st = mdx.feff_run(dir .. "/tree", { program = good })
    assert.are.same({ 3, 3, 0 }, { st.folders, st.finished, st.todo })
  end)

  it("lists the failures with their reasons, and stops when asked", function()
    local st = mdx.feff_run(dir .. "/tree", { program = bad, jobs = 1 })
    assert.are.equal(3, st.failed)
    assert.are.equal(dir .. "/tree/frame_0/atom_1", st.failures[1].dir)
    assert.are.equal("exit status 2 (feff.log: Fatal error: no potentials)", st.failures[1].reason)
    assert.has_error(function()
      mdx.feff_run(dir .. "/tree", { program = good, jobs = 1, progress = function() return true end })
    end)
    assert.has_error(function()
      mdx.feff_run(dir .. "/tree", { program = good, progress = function() error "mine" end })
    end, "mine")
    assert.has_error(function() mdx.feff_run(dir .. "/tree", { jobs = -1 }) end)
    assert.has_error(function() mdx.feff_run(dir .. "/tree", { progress = 5 }) end,
      "feff_run: progress must be a function, not a number")
    assert.has_error(function() mdx.feff_run(dir .. "/tree", { program = dir .. "/none" }) end)
  end)

  it("stores each folder in a database, drops its path files, and runs a shard", function()
    local db = dir .. "/chi.db"
    local st = mdx.feff_run(dir .. "/tree", { program = good, db = db, drop_paths = true,
      scratch = dir, shard = "0/1" })
    assert.are.same({ 3, 3, 0, 0 }, { st.done, st.stored, st.unstored, st.failed })
    assert.are.same({}, st.failures)
    assert.is_nil(read(dir .. "/tree/frame_0/atom_2/feff0001.dat"))
    assert.truthy(read(dir .. "/tree/frame_0/atom_2/chi.dat"))
    local sel = mdx.open(db):select {}
    assert.are.equal(3, #sel:sums())
    -- a failed run is stored failed, with FEFF's reason
    write(dir .. "/tree/frame_1/atom_1/feff.inp", "no title\n")
    st = mdx.feff_run(dir .. "/tree", { program = good, db = db, shard = "0/1" })
    assert.are.same({ 1, 1 }, { st.todo, st.failed })
    local ok, why = pcall(function() return mdx.open(db):select {}:sums() end)
    assert.is_false(ok)
    assert.truthy(tostring(why):find("FEFF failed: exit status 3", 1, true), why)
    assert.has_error(function() mdx.feff_run(dir .. "/tree", { drop_paths = true }) end,
      "feff_run: drop_paths needs db: the database keeps what is dropped")
    assert.has_error(function() mdx.feff_run(dir .. "/tree", { shard = "2/2" }) end,
      'feff_run: shard must be "I/N" with 0 <= I < N, not "2/2"')
    assert.has_error(function() mdx.feff_run(dir .. "/tree", { scratch = dir .. "/none" }) end)
  end)

  it("shares each group's potentials, checks some in full and says what they cost", function()
    -- a stand-in that writes potential files only when CONTROL lets it,
    -- and fails without them
    local sample = os.getenv "MDX_TEST_DATA" .. "/uo2_feff85/frame_500/atom_0"
    local pots = dir .. "/pots"
    write(pots, "#!/bin/sh\ngrep -q '^CONTROL   0 0' feff.inp || { echo p > pot.pad; "
      .. "echo x > phase.pad; }\n[ -f pot.pad ] || exit 4\ncp " .. sample .. "/chi.dat "
      .. sample .. "/feff0001.dat .\necho ' feff0001.dat' > files.dat\n")
    assert(sh("chmod +x " .. pots))
    for _, f in ipairs { "frame_0/atom_1", "frame_0/atom_2", "frame_1/atom_1" } do
      write(dir .. "/tree/" .. f .. "/feff.inp", "TITLE " .. f .. "\nEDGE L3\nPOTENTIALS\n"
        .. " 0 92 U\n 1 8 O\nATOMS\n 0 0 0 0\n 1.2 1.2 1.2 1\n")
    end
    local st = mdx.feff_run(dir .. "/tree", { program = pots, potentials = "once", check = 1,
      seed = 3, potentials_from = dir .. "/tree/frame_0/atom_2" })
    assert.are.same({ 3, 4, 0 }, { st.folders, st.done, st.failed })
    assert.are.equal(1, #st.groups)
    local g = st.groups[1]
    assert.are.same({ dir .. "/tree/frame_0/atom_2", "0 U, 1 O", 3, 0, 1 },
      { g.reference, g.label, g.folders, g.unchecked, #g.checks })
    -- the same chi.dat in full and shared: nothing to shift, nothing left
    local c = g.checks[1]
    assert.is_true(c.raw < 1e-12 and c.rfactor < 1e-20, c.raw .. " " .. c.rfactor)
    assert.is_true(math.abs(c.amplitude - 1) < 1e-12 and math.abs(c.e0) < 1e-6)
    assert.truthy(read(dir .. "/tree/frame_1/atom_1/mdexafs-potentials.txt")
      :find("\nfrom = ../../frame_0/atom_2\n", 1, true))
    assert.is_nil(read(dir .. "/tree/frame_0/atom_2/mdexafs-potentials.txt"))
    st = mdx.feff_run(dir .. "/tree", { program = pots })   -- each its own again
    assert.are.same({ 2, 2, nil }, { st.todo, st.done, st.groups })
    assert.has_error(function() mdx.feff_run(dir .. "/tree", { potentials = "twice" }) end,
      'feff_run: potentials must be "once" or "own", not "twice"')
    assert.has_error(function() mdx.feff_run(dir .. "/tree", { check = 2 }) end,
      'feff_run: check and potentials_from need potentials = "once"')
    assert.has_error(function() mdx.feff_run(dir .. "/tree", { potentials = "once",
      potentials_from = { 7 } }) end, "feff_run: potentials_from[1] must be a folder, not a number")
    assert.has_error(function() mdx.feff_run(dir .. "/tree", { potentials = "once",
      potentials_from = dir }) end)
  end)
end)
