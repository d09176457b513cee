-- feff.bin from the command line: parse and chi of its paths, trees of
-- feff.bin folders built and averaged, --prefer, and paths re-exported
-- as files xraylarch reads (goldens/feffbin, tests/tools).
package.path = debug.getinfo(1, "S").source:match "^@(.*/)" .. "?.lua;" .. package.path
local t = require "support"
local run, q, data_rows = t.run, t.q, t.data_rows

-- A copy of the sample tree: "both" as it is (frame_900 has path files
-- and feff.bin, frame_910 feff.bin only), "bin" and "dat" with frame_900
-- alone, read from one kind of file each.
local function sample_trees()
  local dir = t.tempdir()
  assert(t.sh(("cp -R %s %s/both && mkdir -p %s/bin/frame_900 %s/dat/frame_900"
    .. " && cp -R %s/both/frame_900/atom_0 %s/bin/frame_900"
    .. " && cp -R %s/both/frame_900/atom_0 %s/dat/frame_900"
    .. " && rm %s/bin/frame_900/atom_0/feff0*.dat %s/dat/frame_900/atom_0/feff.bin")
    :format(q(t.data .. "/uo2_feffbin"), q(dir), q(dir), q(dir), q(dir), q(dir),
            q(dir), q(dir), q(dir), q(dir))) == 0)
  return dir
end

local function read(file) return assert(t.read(file), file) end

describe("mdexafs and feff.bin", function()
  local bin = t.data .. "/uo2_feffbin/frame_900/atom_0/feff.bin"

  it("parse lists every path of a feff.bin, one a line", function()
    local code, out, err = run("parse " .. bin)
    assert.are.equal(0, code, err)
    assert.truthy(out:find("paths     356, 59 rows each", 1, true), out)
    local lines = 0
    for _ in out:gmatch "\n +%d+ +%d+ +[%d.]+ +[%d.]+ +[%d.]+%%  U%-" do lines = lines + 1 end
    assert.are.equal(356, lines)
    code, out = run("parse " .. bin .. ":5")
    assert.are.equal(0, code)
    assert.truthy(out:find("path      5", 1, true))
  end)

  it("chi of a feff.bin path agrees with FEFF's own path file", function()
    local code, out, err = run("chi " .. bin .. ":5 " .. t.data
      .. "/uo2_feffbin/frame_900/atom_0/feff0005.dat")
    assert.are.equal(0, code, err)
    assert.truthy(out:find("# k feff.bin:5 feff0005.dat", 1, true))
    local big, diff = 0, 0
    for _, row in ipairs(data_rows(out)) do
      big = math.max(big, math.abs(row[3]))
      diff = math.max(diff, math.abs(row[2] - row[3]))
    end
    assert.is_true(diff <= 3e-3 * big, diff / big)
  end)

  it("knows a feff.bin by its first line, whatever its name", function()
    local dir = t.tempdir()  -- with the files read beside it
    local folder = bin:match "^(.*)/"
    assert.are.equal(0, (t.sh(("cp %s/list.dat %s/xsect.bin %s/paths.dat %s"):format(
      q(folder), q(folder), q(folder), q(dir)))))
    local _, want = run("parse " .. bin)
    local _, want_chi = run("chi --paths 2,5 " .. bin)
    local _, want_5 = run("chi " .. bin .. ":5")
    for _, name in ipairs { "FEFF.BIN", "run1_feff.bin", "full.bin" } do
      local file = dir .. "/" .. name
      assert.are.equal(0, (t.sh("cp " .. q(bin) .. " " .. q(file))))
      local code, out, err = run("parse " .. q(file))
      assert.are.equal(0, code, err)
      assert.are.equal(want:gsub("^file [^\n]*", ""), (out:gsub("^file [^\n]*", "")))
      code, out, err = run("chi --paths 2,5 " .. q(file))
      assert.are.equal(0, code, err)
      assert.are.equal(want_chi, out)
      code, out, err = run("chi " .. q(file .. ":5"))
      assert.are.equal(0, code, err)
      assert.are.equal(want_5, out)
      local lua = dir .. "/p.lua"
      local f = assert(io.open(lua, "w"))
      f:write('local mdx = require "mdexafs"\nassert(mdx.parse(arg[1]))\n')
      f:close()
      code, _, err = run(q(lua) .. " " .. q(file))
      assert.are.equal(1, code)
      assert.truthy(err:find(name .. ": a feff.bin (every path of a FEFF run), not one path file", 1, true), err)
    end
    t.rmtree(dir)
  end)

  it("selects paths with --paths and refuses a bad list or a missing path", function()
    local code, out = run("chi --paths 1,3-4 " .. bin)
    assert.are.equal(0, code)
    assert.truthy(out:find("# k feff.bin:1 feff.bin:3 feff.bin:4\n", 1, true))
    local err
    code, _, err = run("chi --paths 1,x " .. bin)
    assert.are.equal(2, code)
    assert.truthy(err:find("--paths: '1,x'", 1, true))
    code, _, err = run("chi " .. bin .. ":999")
    assert.are.equal(1, code)
    assert.truthy(err:find("no path 999", 1, true))
  end)

  it("builds a tree of feff.bin folders whose averages agree with the path files'", function()
    local dir = sample_trees()
    local types = " U-O:3.0 U-U:4.5 U-O-O:4.0 -q --full-precision"
    local code, _, err = run(("build -q %s/bin -o %s/bin.db"):format(q(dir), q(dir)))
    assert.are.equal(0, code, err)
    for _, source in ipairs { "bin.db", "bin", "dat" } do
      code, _, err = run(("multipath %s/%s %s/%s.out%s"):format(q(dir), source, q(dir),
        source, types))
      assert.are.equal(0, code, err)
    end
    local db, tree, dat = read(dir .. "/bin.db.out"), read(dir .. "/bin.out"),
      read(dir .. "/dat.out")
    assert.are.equal((tree:gsub("\n#[^\n]*", "")), (db:gsub("\n#[^\n]*", "")))
    local big, diff = 0, 0
    local a, b = data_rows(db), data_rows(dat)
    for i = 1, #a do
      big = math.max(big, math.abs(b[i][2]))
      diff = math.max(diff, math.abs(a[i][2] - b[i][2]))
    end
    assert.is_true(diff > 0 and diff <= 3e-3 * big, diff / big)
    local out
    code, out = run(("info %s/bin.db"):format(q(dir)))
    assert.are.equal(0, code)
    assert.truthy(out:find("read from   0 folders' feffNNNN.dat files, 1 folders' feff.bin", 1, true), out)
    t.rmtree(dir)
  end)

  it("reads folders with both from their path files unless told --prefer feff.bin", function()
    local dir = sample_trees()
    local code, out, err = run(("build -q %s/both -o %s/chi.db"):format(q(dir), q(dir)))
    assert.are.equal(0, code, err)
    code, out = run(("info %s/chi.db"):format(q(dir)))
    assert.truthy(out:find("1 folders' feffNNNN.dat files, 1 folders' feff.bin; "
      .. "folders with both: their feffNNNN.dat files", 1, true), out)
    code, _, err = run(("build %s/both -o %s/chi.db --prefer feff.bin"):format(q(dir), q(dir)))
    assert.are.equal(0, code, err)
    assert.truthy(err:find("1 replaced", 1, true), err)
    code, out = run(("info %s/chi.db"):format(q(dir)))
    assert.truthy(out:find("0 folders' feffNNNN.dat files, 2 folders' feff.bin", 1, true), out)
    code, _, err = run(("build %s/both -o %s/chi.db --prefer bin"):format(q(dir), q(dir)))
    assert.are.equal(2, code)
    assert.truthy(err:find("--prefer: feff.bin or feffNNNN.dat, not 'bin'", 1, true), err)
    t.rmtree(dir)
  end)

  it("falls back from a stale database to the files it was built from", function()
    local dir = sample_trees()
    local types = " U-O:3.0 -q --full-precision"
    local code, _, err = run(("build -q %s/both -o %s/chi.db --prefer feff.bin"):format(q(dir), q(dir)))
    assert.are.equal(0, code, err)
    local ok = t.sh(("cp -R %s/both/frame_910 %s/both/frame_920"):format(q(dir), q(dir)))
    assert.are.equal(0, ok)
    code, _, err = run(("multipath %s/chi.db %s/stale.dat%s"):format(q(dir), q(dir), types))
    assert.are.equal(0, code, err)
    code, _, err = run(("build -q %s/both -o %s/fresh.db --prefer feff.bin"):format(q(dir), q(dir)))
    assert.are.equal(0, code, err)
    code, _, err = run(("multipath %s/fresh.db %s/fresh.dat%s"):format(q(dir), q(dir), types))
    assert.are.equal(0, code, err)
    assert.are.same(data_rows(read(dir .. "/fresh.dat")), data_rows(read(dir .. "/stale.dat")))
    t.rmtree(dir)
  end)

  it("re-exports feff.bin paths as files xraylarch reads to the same chi(k)", function()
    local golden = read(t.data .. "/goldens/feffbin/reexport_larch.txt")
    local labels = golden:match "\n# k ([^\n]+)"
    local nums = {}
    for n in labels:gmatch "feff.bin:(%d+)" do nums[#nums + 1] = n end
    local bin = t.data .. "/uo2_feffbin/frame_910/atom_0/feff.bin"
    local code, out, err = run(("chi --paths %s %s"):format(table.concat(nums, ","), q(bin)))
    assert.are.equal(0, code, err)
    local ours, larch, worst = data_rows(out), data_rows(golden), 0
    assert.are.equal(401, #ours)
    for i = 1, 401 do
      for c = 2, #nums + 1 do
        worst = math.max(worst, math.abs(ours[i][c] - larch[i][c]))
      end
    end
    assert.is_true(worst <= 1e-12, worst)

    -- the files mdexafs writes give it back the same bits
    local dir = t.tempdir()
    assert(t.sh(("mkdir -p %s/tree && cp -R %s %s/tree/"):format(q(dir),
      q(t.data .. "/uo2_feffbin/frame_910"), q(dir))) == 0)
    code, _, err = run(("build -q %s/tree -o %s/chi.db"):format(q(dir), q(dir)))
    assert.are.equal(0, code, err)
    code, _, err = run(("export_paths -q %s/chi.db %s/out"):format(q(dir), q(dir)))
    assert.are.equal(0, code, err)
    local files = {}
    for _, n in ipairs(nums) do
      files[#files + 1] = q(("%s/out/frame_910/atom_0/feff%04d.dat"):format(dir, n))
    end
    local again
    code, again, err = run("chi " .. table.concat(files, " "))
    assert.are.equal(0, code, err)
    local function table_of(text) return (text:gsub("\n# k [^\n]*", "")) end
    assert.are.equal(table_of(out), table_of(again))
    t.rmtree(dir)
  end)
end)
