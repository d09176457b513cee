-- The mdexafs command line, driven as a user would.
package.path = debug.getinfo(1, "S").source:match "^@(.*/)" .. "?.lua;" .. package.path
local t = require "support"
local run = t.run
local folder = t.data .. "/uo2_feff85/frame_500/atom_0/"

local data_rows = t.data_rows

describe("mdexafs", function()
  it("explains itself with --help", function()
    local code, out = run "--help"
    assert.are.equal(0, code)
    assert.matches("usage: mdexafs COMMAND", out, 1, true)
  end)

  it("rejects an unknown command with status 2", function()
    local code, _, err = run "frobnicate"
    assert.are.equal(2, code)
    assert.matches("unknown command 'frobnicate'", err, 1, true)
  end)
end)

describe("mdexafs finding recipes", function()
  local q, dir, here
  before_each(function()
    q, dir = t.q, t.tempdir()
    here = "cd " .. q(dir) .. " && env -u MDX_RECIPE_PATH " .. q(t.bin) .. " "
  end)
  after_each(function() t.rmtree(dir) end)

  local function write(file, text)
    local f = assert(io.open(dir .. "/" .. file, "w"))
    f:write(text)
    f:close()
  end

  it("names its version and those of Lua, SQLite, zstd and FFTW", function()
    local code, out = run "--version"
    assert.are.equal(0, code)
    for _, name in ipairs { "mdexafs %d+%.%d+%.%d+", "Lua 5%.4", "SQLite 3%.", "zstd 1%.", "FFTW 3%." } do
      assert.truthy(out:find(name), name)
    end
  end)

  it("runs a library recipe by its name, with or without .lua", function()
    for _, name in ipairs { "multipath", "multipath.lua" } do
      local code, out, err = t.sh(here .. name .. " --help")
      assert.are.equal(0, code, err)
      assert.truthy(out:find("usage: mdexafs multipath SOURCE", 1, true))
    end
  end)

  it("does not run a file without .lua for a bare name", function()
    write("multipath", "")  -- an output file named like the recipe
    local code, out = t.sh(here .. "multipath --help")
    assert.are.equal(0, code)
    assert.truthy(out:find("usage: mdexafs multipath SOURCE", 1, true))
  end)

  it("says so when a recipe in the current folder hides the library's", function()
    write("multipath.lua", 'print "mine"')
    local code, out, err = t.sh(here .. "multipath")
    assert.are.equal(0, code, err)
    assert.are.equal("mine\n", out)
    assert.truthy(err:find("note: running ./multipath.lua, not ", 1, true), err)
  end)

  it("looks in MDX_RECIPE_PATH before the library, and lists what it finds", function()
    assert.are.equal(0, (t.sh("mkdir " .. q(dir .. "/mine"))))
    write("mine/multipath.lua", "-- My multipath.\nprint((require 'helper'))")
    write("mine/helper.lua", "return 'helped'")
    write("mine/info.lua", "-- Named like a command.\n")
    local env = "cd / && MDX_RECIPE_PATH=" .. q(dir .. "/none:" .. dir .. "/mine:") .. " " .. q(t.bin) .. " "
    local code, out, err = t.sh(env .. "multipath")
    assert.are.equal(0, code, err)
    assert.are.equal("helped\n", out)
    code, out, err = t.sh(env .. "recipes")
    assert.are.equal(0, code, err)
    assert.truthy(out:find("My multipath.", 1, true), out)
    assert.truthy(out:find("multipath +Multiple paths:.*%(hidden by the one above%)"), out)
    assert.truthy(out:find("info +Named like a command%. %(hidden: a command"), out)
    assert.truthy(err:find(dir .. "/none: cannot read this recipe folder", 1, true), err)
  end)

  it("finds the helpers of a recipe reached through a symbolic link", function()
    assert.are.equal(0, (t.sh("mkdir " .. q(dir .. "/real") .. " " .. q(dir .. "/links"))))
    write("real/r.lua", "print((require 'near'))")
    write("real/near.lua", "return 'beside the file'")
    assert.are.equal(0, (t.sh("ln -s ../real/r.lua " .. q(dir .. "/links/r.lua"))))
    local code, out, err = t.sh(here .. "links/r.lua")
    assert.are.equal(0, code, err)
    assert.are.equal("beside the file\n", out)
  end)

  it("refuses a recipe that is nowhere, naming it", function()
    local code, _, err = t.sh(here .. "multipth.lua")
    assert.are.equal(1, code)
    assert.truthy(err:find("multipth.lua: no such recipe", 1, true), err)
    code, _, err = t.sh(here .. "./multipath")
    assert.are.equal(1, code)
    assert.truthy(err:find("./multipath: no such recipe file", 1, true), err)
  end)
end)

describe("mdexafs chi", function()
  it("prints k and one chi column per path, at full precision", function()
    local code, out = run("chi " .. folder .. "feff0005.dat " .. folder .. "feff0100.dat")
    assert.are.equal(0, code)
    local rows = data_rows(out)
    assert.are.equal(401, #rows)
    assert.are.equal(3, #rows[1])
    assert.are.equal(20, rows[401][1])
  end)

  it("writes the same numbers as mdexafs.chi to -o, round-tripping", function()
    local mdx = require "mdexafs"
    local out = os.tmpname()
    local code = run("chi --sigma2 0.004 -o " .. out .. " " .. folder .. "feff0005.dat")
    assert.are.equal(0, code)
    local f = assert(io.open(out))
    local rows = data_rows(f:read "a")
    f:close()
    os.remove(out)
    local chi = mdx.chi(folder .. "feff0005.dat", { sigma2 = 0.004 }).chi
    for i = 1, 401 do assert.are.equal(chi[i], rows[i][2]) end
  end)

  it("honours --digits", function()
    local _, out = run("chi -d 4 " .. folder .. "feff0005.dat")
    for line in out:gmatch "[^\n]+" do
      if not line:match "^#" then
        local chi = line:match "%S+%s+(%S+)"
        local digits = chi:gsub("e.*", ""):gsub("[-.]", ""):gsub("^0+", "")
        assert.is_true(#digits <= 4, chi)
      end
    end
  end)

  it("names the file and line of a bad path file and exits 1", function()
    local bad = os.tmpname()
    local f = assert(io.open(bad, "w"))
    f:write " title Feff 8.50L\n   2 1.0 2.3 2.6 -8.9 nleg, deg, reff\n"
    f:write "  x y z pot at#\n  0 0 0 0 92 U\n  1 1 x 2 8 O\n"
    f:close()
    local code, out, err = run("chi " .. bad)
    os.remove(bad)
    assert.are.equal(1, code)
    assert.are.equal("", out)
    assert.matches(bad .. ":5: 'x' is not a finite number", err, 1, true)
  end)

  it("rejects a parameter that is not a number", function()
    local code, _, err = run("chi --e0 abc " .. folder .. "feff0005.dat")
    assert.are.equal(2, code)
    assert.matches("e0: 'abc' is not a finite number", err, 1, true)
  end)
end)

describe("mdexafs parse", function()
  it("shows version, type, legs and rows", function()
    local code, out = run("parse " .. folder .. "feff0100.dat")
    assert.are.equal(0, code)
    assert.matches("version   Feff 8.50L", out, 1, true)
    assert.matches("type      U-O-U-O", out, 1, true)
    assert.matches("nleg      4", out, 1, true)
    assert.matches("rows      59", out, 1, true)
  end)

  it("fails on a directory", function()
    local code, _, err = run("parse " .. folder)
    assert.are.equal(1, code)
    assert.matches("is a directory", err, 1, true)
  end)
end)

describe("mdexafs check --tree", function()
  it("compares every file with the build's, stale being a problem", function()
    local q, dir = t.q, t.tempdir()
    local tree, db = dir .. "/tree", dir .. "/chi.db"
    assert.are.equal(0, (t.sh("cp -R " .. q(t.data .. "/uo2_feff6") .. " " .. q(tree))))
    assert.are.equal(0, (run("build -q " .. q(tree) .. " -o " .. q(db))))
    local code, out, err = run("check " .. q(db) .. " --tree")
    assert.are.equal(0, code, err)
    assert.truthy(out:find("tree .*: fresh"), out)
    -- a path file edited in place, not the last one written: only a
    -- look at every file sees it
    assert.are.equal(0, (t.sh("touch -d 2001-01-01 " .. q(tree .. "/frame_600/atom_0/feff0001.dat"))))
    code, out = run("check " .. q(db) .. " --tree=" .. q(tree))
    assert.are.equal(1, code)
    assert.truthy(out:find("stale (1 folders changed", 1, true), out)
    t.rmtree(dir)
  end)
end)
