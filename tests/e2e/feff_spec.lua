-- mdexafs feff end to end, with Debian's feff8l on the quick start's UO2
-- folders (six small runs): the files are those FEFF writes when run by
-- hand; a second run runs nothing; a changed feff.inp reruns its folder
-- only, its old outputs gone; a failing FEFF (CFAVERAGE, which feff8l
-- does not support: exit 0, nothing written) is recorded with its reason and
-- run again next time; runs killed at any moment are redone and give the
-- same database as runs never killed; programs that misbehave are judged
-- by what they wrote.
package.path = debug.getinfo(1, "S").source:match "^@(.*/)" .. "?.lua;" .. package.path
local t = require "support"
local q = t.q

local config = t.data .. "/md/uo2_config.lua"

local read, write = t.read, t.write

local function field(dir, key)
  return (read(dir .. "/mdexafs-run.txt") or ""):match("\n" .. key .. " = ([^\n]*)")
end

-- The UO2 example's six folders under dir/tree.
local function inputs(dir)
  local tree = dir .. "/tree"
  assert(t.run("feff_inputs -q " .. q(config) .. " --output=" .. q(tree)) == 0)
  return tree
end

local function folders(tree)
  local _, list = t.sh("cd " .. q(tree) .. " && find . -name feff.inp | sort")
  local out = {}
  for d in list:gmatch "%./([^\n]+)/feff%.inp" do out[#out + 1] = tree .. "/" .. d end
  return out
end

-- The multipath average of a tree's database, at full precision.
local function average(tree, db)
  assert(t.run("build -q " .. q(tree) .. " -o " .. q(db)) == 0)
  local out = db .. ".dat"
  assert(t.run("multipath -q " .. q(db) .. " " .. q(out) .. " U-O:3.0 U-U:4.5 --full-precision") == 0)
  return read(out)
end

-- The digest of a database's decoded content: equal for equal databases.
local function digest(db)
  local code, out, err = t.run("check " .. q(db))
  assert.are.equal(0, code, err)
  return out:match "digest +(%x+)"
end

describe("mdexafs feff", function()
  local dir
  before_each(function() dir = t.tempdir() end)
  after_each(function() t.rmtree(dir) end)

  it("runs FEFF in every folder, as by hand, and a second time not at all", function()
    local tree = inputs(dir)
    local code, _, err = t.run("feff " .. q(tree) .. " -j 2")
    assert.are.equal(0, code, err)
    assert.truthy(err:find("6 folders with a feff.inp: 0 finished before, 6 run now (6 finished, 0 failed)", 1, true), err)
    local dirs = folders(tree)
    assert.are.equal(6, #dirs)
    for _, d in ipairs(dirs) do
      assert.are.equal("ok", field(d, "status"))
      assert.are.equal("/usr/bin/feff8l", field(d, "program"))
      assert.are.equal("0\n", select(2, t.sh("ls -a " .. q(d) .. " | grep -c '^.mdexafs-run'")))
      assert.truthy(read(d .. "/feff.log"))
    end
    -- FEFF by hand in a copy of one folder writes the same files
    local d = dirs[1]
    local hand = dir .. "/hand"
    assert(t.sh("mkdir " .. q(hand) .. " && cp " .. q(d .. "/feff.inp") .. " " .. q(hand)
      .. " && cd " .. q(hand) .. " && feff8l >/dev/null 2>&1") == 0)
    local _, names = t.sh("cd " .. q(hand) .. " && ls feff0*.dat chi.dat files.dat paths.dat")
    local n = 0
    for name in names:gmatch "[^\n]+" do
      assert.are.equal(read(hand .. "/" .. name), read(d .. "/" .. name), name)
      n = n + 1
    end
    assert.is_true(n > 20)
    local _, before = t.sh("find " .. q(tree) .. " -type f -printf '%p %T@\\n' | sort")
    code, _, err = t.run("feff " .. q(tree))
    assert.are.equal(0, code, err)
    assert.truthy(err:find("6 finished before, 0 run now", 1, true), err)
    local _, after = t.sh("find " .. q(tree) .. " -type f -printf '%p %T@\\n' | sort")
    assert.are.equal(before, after)
  end)

  it("reruns a changed feff.inp's folder only, and records a failure and retries it", function()
    local tree = inputs(dir)
    assert.are.equal(0, (t.run("feff -q " .. q(tree))))
    local dirs = folders(tree)
    local smaller, bad = dirs[2], dirs[3]
    local npaths = #(read(smaller .. "/files.dat"):gsub("[^\n]", ""))
    write(smaller .. "/feff.inp", read(smaller .. "/feff.inp"):gsub("RPATH    5.0", "RPATH    3.5"))
    local good = read(bad .. "/feff.inp")
    write(bad .. "/feff.inp", good:gsub("CRITERIA", "CFAVERAGE 1 1 6.5\nCRITERIA"))
    local code, _, err = t.run("feff " .. q(tree))
    assert.are.equal(1, code)
    assert.truthy(err:find("4 finished before, 2 run now (1 finished, 1 failed)", 1, true), err)
    assert.truthy(err:find(bad .. ": failed: exit status 0 but neither files.dat nor feff.bin (feff.log: ", 1, true), err)
    assert.are.equal("failed", field(bad, "status"))
    assert.truthy(field(bad, "reason"):find("neither files.dat nor feff.bin", 1, true))
    local _, info = t.run("info " .. q(tree))
    assert.truthy(info:find("runs        5 finished, 0 finished with another feff.inp, 1 failed, "
      .. "0 interrupted, 0 not run\n", 1, true), info)
    assert.truthy(info:find("failed      " .. bad .. ": exit status 0 but neither", 1, true), info)
    -- the smaller RPATH's run left no path file of the larger one behind
    assert.are.equal("ok", field(smaller, "status"))
    assert.is_true(#(read(smaller .. "/files.dat"):gsub("[^\n]", "")) < npaths)
    local _, listed = t.sh("ls " .. q(smaller) .. " | grep -c '^feff0.*\\.dat$'")
    local kept = 0
    for _ in read(smaller .. "/files.dat"):gmatch "feff%d+%.dat" do kept = kept + 1 end
    assert.are.equal(kept, tonumber(listed))
    -- fixed, the failed folder runs again; nothing else does
    write(bad .. "/feff.inp", good)
    code, _, err = t.run("feff " .. q(tree))
    assert.are.equal(0, code, err)
    assert.truthy(err:find("5 finished before, 1 run now (1 finished, 0 failed)", 1, true), err)
  end)

  it("gives the same database after kills at any moment as without", function()
    local tree = inputs(dir)
    local clean = dir .. "/clean"
    assert(t.sh("cp -r " .. q(tree) .. " " .. q(clean)) == 0)
    assert.are.equal(0, (t.run("feff -q " .. q(clean))))
    local want = average(clean, dir .. "/clean.db")
    -- kill -9 the runner after 0.3, 0.9, ... s, until a run finishes them all
    local delay, rounds = 0.3, 0
    repeat
      rounds = rounds + 1
      t.sh(("(%s feff -q %s & pid=$!; sleep %.1f; kill -9 $pid; wait $pid) 2>/dev/null")
        :format(t.bin, q(tree), delay))
      delay = delay + 0.6
      local _, ok = t.sh("grep -l 'status = ok' $(find " .. q(tree) .. " -name mdexafs-run.txt) 2>/dev/null | wc -l")
    until tonumber(ok) == 6 or rounds == 8
    local code, _, err = t.run("feff " .. q(tree))
    assert.are.equal(0, code, err)
    assert.are.equal(want, average(tree, dir .. "/killed.db"))
  end)

  it("stores into a database as runs end: kills, a FEFF killed and drops change nothing", function()
    local tree = inputs(dir)
    local clean = dir .. "/clean"
    assert(t.sh("cp -r " .. q(tree) .. " " .. q(clean)) == 0)
    local code, _, err = t.run("feff -q " .. q(clean) .. " --db " .. q(dir .. "/clean.db"))
    assert.are.equal(0, code, err)
    local want = digest(dir .. "/clean.db")
    local db = dir .. "/killed.db"
    local feff = ("%s feff -q %s --db %s --drop-paths"):format(t.bin, q(tree), q(db))
    -- one FEFF of the first round killed (one of this runner's: tests may
    -- run FEFF beside), then the runner killed after
    -- 1.0, 1.6, ... s, until a run finishes them all
    t.sh(("(%s & pid=$!; for i in $(seq 100); do for p in /proc/[0-9]*; do"
      .. " c=; read -r c < $p/comm; [ \"$c\" = feff8l ] && read -r _ _ _ up _ < $p/stat &&"
      .. " [ \"$up\" = $pid ] && kill -9 ${p#/proc/} && break 2;"
      .. " done; sleep 0.05; done; wait $pid) >/dev/null 2>&1"):format(feff))
    local _, failed = t.sh("grep -l 'status = failed' $(find " .. q(tree) .. " -name mdexafs-run.txt)")
    assert.truthy(failed:find("mdexafs-run.txt", 1, true), "no FEFF was killed")
    local delay, rounds = 1.0, 0
    repeat
      rounds = rounds + 1
      t.sh(("(%s & pid=$!; sleep %.1f; kill -9 $pid; wait $pid) 2>/dev/null"):format(feff, delay))
      delay = delay + 0.6
      local _, ok = t.sh("grep -l 'status = ok' $(find " .. q(tree) .. " -name mdexafs-run.txt) 2>/dev/null | wc -l")
    until tonumber(ok) == 6 or rounds == 8
    code, _, err = t.run("feff -q " .. q(tree) .. " --db " .. q(db) .. " --drop-paths")
    assert.are.equal(0, code, err)
    assert.are.equal(want, digest(db))
    local _, left = t.sh("find " .. q(tree) .. " -name 'feff[0-9]*.dat' -o -name feff.pad | wc -l")
    assert.are.equal("0\n", left)
    code, _, err = t.run("build " .. q(tree) .. " -o " .. q(db))
    assert.are.equal(0, code, err)
    assert.truthy(err:find("0 added, 0 replaced, 0 touched, 6 unchanged", 1, true), err)
    -- a changed feff.inp whose run fails: its old paths are gone for good
    local bad = folders(tree)[2]
    write(bad .. "/feff.inp", read(bad .. "/feff.inp"):gsub("CRITERIA", "CFAVERAGE 1 1 6.5\nCRITERIA"))
    code = t.run("feff -q " .. q(tree) .. " --db " .. q(db) .. " --drop-paths")
    assert.are.equal(1, code)
    local _, info = t.run("info " .. q(db))
    assert.truthy(info:find("folders     6 (1 failed)", 1, true), info)
    assert.truthy(info:find("FEFF failed: exit status 0 but neither", 1, true), info)
    code, _, err = t.run("build " .. q(tree) .. " -o " .. q(db))
    assert.are.equal(1, code)
    assert.falsy(err:find("kept the paths", 1, true), err)
  end)

  it("shares potentials the same after kills at any moment as without", function()
    local tree = inputs(dir)
    local clean = dir .. "/clean"
    assert(t.sh("cp -r " .. q(tree) .. " " .. q(clean)) == 0)
    local opts = " --potentials=once --check 1 --drop-paths --db "
    local code, _, err = t.run("feff -q " .. q(clean) .. opts .. q(dir .. "/clean.db"))
    assert.are.equal(0, code, err)
    local db = dir .. "/killed.db"
    local delay, rounds = 0.3, 0
    repeat
      rounds = rounds + 1
      t.sh(("(%s feff -q %s%s%s & pid=$!; sleep %.1f; kill -9 $pid; wait $pid) 2>/dev/null")
        :format(t.bin, q(tree), opts, q(db), delay))
      delay = delay + 0.5
      local _, ok = t.sh("grep -l 'status = ok' $(find " .. q(tree) .. " -name mdexafs-run.txt) 2>/dev/null | wc -l")
    until tonumber(ok) == 6 or rounds == 8
    code, _, err = t.run("feff -q " .. q(tree) .. opts .. q(db))
    assert.are.equal(0, code, err)
    assert.are.equal(digest(dir .. "/clean.db"), digest(db))
    local function said(file)   -- info's potentials and checked lines
      local _, info = t.run("info " .. q(file))
      return info:match "\n(potentials[^\n]*\n)", info:match "\n(checked[^\n]*\n)"
    end
    local want_p, want_c = said(dir .. "/clean.db")
    local got_p, got_c = said(db)
    assert.truthy(want_p and want_c)
    assert.are.same({ want_p, want_c }, { got_p, got_c })
  end)

  it("takes FEFF 6L's runs, which write no chi.dat, as finished", function()
    local cfg = read(config):gsub('trajectory = "uo2.xyz"', ("trajectory = %q"):format(t.data .. "/md/uo2.xyz"))
      :gsub("EDGE      L3", "HOLE 4 1.0"):gsub("S02       1.0\n", "")
      :gsub("\nCONTROL[^\n]*", ""):gsub("\nPRINT[^\n]*", ""):gsub("\nEXAFS[^\n]*", "")
      :gsub("\nCRITERIA[^\n]*%]%]", "]]"):gsub("RPATH    5.0", "RMAX 4.0"):gsub("NLEGS    4", "NLEG 4")
    write(dir .. "/feff6.lua", cfg)
    local tree = dir .. "/tree6"
    assert.are.equal(0, (t.run("feff_inputs -q " .. q(dir .. "/feff6.lua") .. " --output=" .. q(tree))))
    local code, _, err = t.run("feff -q --feff feff6l " .. q(tree))
    assert.are.equal(0, code, err)
    for _, d in ipairs(folders(tree)) do
      assert.are.equal("ok", field(d, "status"))
      assert.is_nil(read(d .. "/chi.dat"))
    end
    code, _, err = t.run("build -q " .. q(tree) .. " -o " .. q(dir .. "/feff6.db"))
    assert.are.equal(0, code, err)
  end)

  it("runs the folders of a shard that the build's same shard reads", function()
    local tree = inputs(dir)
    local total = 0
    for i = 0, 1 do
      local code, _, err = t.run(("feff -q --shard %d/2 %s"):format(i, q(tree)))
      assert.are.equal(0, code, err)
      -- the build's shard holds exactly the folders run: none unrun, none missing
      local db = ("%s/part%d.db"):format(dir, i)
      code, _, err = t.run(("build --shard %d/2 %s -o %s"):format(i, q(tree), q(db)))
      assert.are.equal(0, code, err)
      local ran = 0
      for _, d in ipairs(folders(tree)) do
        if field(d, "status") == "ok" then ran = ran + 1 end
      end
      assert.truthy(err:find(("%d folders in the tree: %d added"):format(ran - total, ran - total), 1, true), err)
      total = ran
    end
    assert.are.equal(6, total)
  end)

  it("judges a program by what it wrote", function()
    local tree = inputs(dir)
    local one = folders(tree)[1]
    -- a FEFF that says it worked and wrote nothing
    local liar = dir .. "/liar"
    write(liar, "#!/bin/sh\necho 'all done'\nexit 0\n")
    -- one killed by a signal
    local killed = dir .. "/killed"
    write(killed, "#!/bin/sh\necho started\nkill -9 $$\n")
    -- one that writes files.dat but not all the paths it lists
    local short = dir .. "/short"
    local sample = t.data .. "/uo2_feff85/frame_500/atom_0"
    write(short, "#!/bin/sh\ncp " .. sample .. "/chi.dat " .. sample .. "/feff0001.dat .\n"
      .. "printf ' feff0001.dat  1\\n feff0002.dat 2\\n' > files.dat\n")
    assert(t.sh("chmod +x " .. q(liar) .. " " .. q(killed) .. " " .. q(short)) == 0)
    for _, case in ipairs {
      { liar, "exit status 0 but neither files.dat nor feff.bin (feff.log: all done)" },
      { killed, "killed by signal 9 (feff.log: started)" },
    } do
      local code, _, err = t.run("feff -q -j 1 --feff " .. q(case[1]) .. " " .. q(tree))
      assert.are.equal(1, code)
      assert.truthy(err:find(one .. ": failed: " .. case[2], 1, true), err)
      assert.truthy(err:find("6 run now (0 finished, 6 failed)", 1, true), err)
    end
    local code, _, err = t.run("feff -q -j 1 --feff " .. q(short) .. " " .. q(tree))
    assert.are.equal(1, code)
    assert.truthy(err:find("files.dat lists feff0002.dat, which is not there", 1, true), err)
    code, _, err = t.run("feff --feff no-such-feff " .. q(tree))
    assert.are.equal(2, code)
    assert.truthy(err:find("no-such-feff: no such program to run", 1, true), err)
    code, _, err = t.run("feff " .. q(dir .. "/nowhere"))
    assert.are.equal(1, code)
    assert.truthy(err:find("nowhere: cannot list", 1, true), err)
  end)
end)
