-- Recipe arguments are strict: a mistaken one stops the recipe with one
-- line naming it, exit status 2 and no file written; the same arguments
-- spelled another way give the same bytes; --help tells every option.
package.path = debug.getinfo(1, "S").source:match "^@(.*/)" .. "?.lua;" .. package.path
local t = require "support"
local q = t.q

local recipes = t.data .. "/../../recipes/"
local tree = t.data .. "/uo2_feff85"
local chi = t.data .. "/goldens/reference/uo2_feff85/uo_file.dat"

-- Run a recipe; in `args` DB, OUT and CHI stand for the database, the
-- output (file, prefix or folder) and a chi file to read.
local function run(name, args, db, out)
  local words = {}
  for word in args:gmatch "%S+" do
    words[#words + 1] = q(word == "DB" and db or word == "OUT" and out
                          or word == "CHI" and chi or word)
  end
  return t.run(q(recipes .. name) .. " " .. table.concat(words, " "))
end

-- Each mistake and a text its message must hold (the argument or the bad
-- text, with what is wrong).
local mistakes = {
  { "multipath.lua", "DB OUT U-O:3.O", "RMAX '3.O' in 'U-O:3.O'" },
  { "multipath.lua", "DB OUT U-O:300pm", "RMAX '300pm' in 'U-O:300pm'" },
  { "multipath.lua", "DB OUT U-O:3,0", "RMAX '3,0' in 'U-O:3,0'" },
  { "multipath.lua", "DB OUT U-O:", "RMAX '' in 'U-O:'" },
  { "multipath.lua", "DB OUT U-O:-1", "RMAX '-1' in 'U-O:-1'" },
  { "multipath.lua", "DB OUT U-O:inf", "RMAX 'inf' in 'U-O:inf'" },
  { "multipath.lua", "DB OUT U-O:0x10", "RMAX '0x10' in 'U-O:0x10'" },
  { "multipath.lua", "DB OUT U-O 3.0", "TYPES: '3.0' is a number, not a path type: write U-O:3.0" },
  { "multipath.lua", "DB OUT U--O", "TYPES: 'U--O' is not a path type" },
  { "multipath.lua", "DB OUT U-O:3.0 U-O:4.5", "TYPES: 'U-O' is given twice" },
  { "multipath.lua", "DB OUT", "TYPES is missing" },
  { "multipath.lua", "DB OUT U-O:3.0 --rmin=abc", "--rmin: 'abc' is not a finite number" },
  { "multipath.lua", "DB OUT U-O:3.0 --rmin=nan", "--rmin: 'nan' is not a finite number" },
  { "multipath.lua", "DB OUT U-O:3.0 --rmax=1e999", "--rmax: '1e999' is not a finite number" },
  { "multipath.lua", "DB OUT U-O:3.0 --rmin=", "--rmin: '' is not a finite number" },
  { "multipath.lua", "DB OUT U-O:3.0 --rmin", "--rmin needs a value" },
  { "multipath.lua", "DB OUT U-O:3.0 --rmin --sem", "--rmin needs a value, not the option '--sem'" },
  { "multipath.lua", "DB OUT U-O:3.0 --rmin 1 --rmin=2", "--rmin is given twice" },
  { "multipath.lua", "DB OUT U-O:3.0 --sem=no", "--sem is a flag and takes no value: '--sem=no'" },
  { "multipath.lua", "DB OUT U-O:3.0 --frames=1e19", "--frames: '1e19' is at or beyond ±2^53" },
  { "multipath.lua", "DB OUT U-O:3.0 --frames=500.5", "--frames: '500.5' is not an integer" },
  { "multipath.lua", "DB OUT U-O:3.0 --frames=520:500", "--frames: '520:500' is empty" },
  { "multipath.lua", "DB OUT U-O:3.0 --frames=500-520", "--frames: '500-520' is not an integer" },
  { "multipath.lua", "DB OUT U-O:3.0 --frames=:", "--frames: ':' is not a range" },
  { "multipath.lua", "DB OUT U-O:3.0 --rmni=1.0", "unknown option '--rmni'" },
  { "multipath.lua", "DB OUT U-O:3.0 -x", "unknown option '-x'" },
  { "multipath.lua", "/nonexistent/chi.db OUT U-O:3.0", "SOURCE: /nonexistent/chi.db" },
  { "first_shell.lua", "DB OUT U-O 3.0", "SHELL: '3.0' is a number, not a path type: write U-O:3.0" },
  { "first_shell.lua", "DB OUT 3.0", "SHELL: '3.0' is a number, not a path type: write TYPE:3.0" },
  { "first_shell.lua", "DB OUT U-O:3.0 U-U:4.5", "unexpected argument 'U-U:4.5'" },
  { "first_shell.lua", "DB OUT U-O:3.0 --frames=500:5l9", "--frames: '5l9' is not an integer" },
  { "chir.lua", "DB OUT U-O:3.0 --kweight=abc", "--kweight: 'abc' is not a finite number" },
  { "chir.lua", "DB OUT U-O:3.0 --kmax=12A", "--kmax: '12A' is not a finite number" },
  { "chir.lua", "DB OUT U-O:3.0 --kmin 2,5", "--kmin: '2,5' is not a finite number" },
  { "chir.lua", "DB OUT U-O:3.0 --dk=1..5", "--dk: '1..5' is not a finite number" },
  { "chir.lua", "DB OUT U-O:3.0 --plot=yes", "--plot is a flag and takes no value" },
  { "chir.lua", "DB OUT U-O:3.0 --element=", "--element: '' is not an element symbol" },
  { "decompose.lua", "DB OUT 4.5A", "unexpected argument '4.5A'" },
  { "decompose.lua", "DB OUT 4.5", "unexpected argument '4.5'" },
  { "decompose.lua", "DB OUT --rmax=4,5", "--rmax: '4,5' is not a finite number" },
  { "decompose.lua", "DB OUT --nleg=2.5", "--nleg: '2.5' is not an integer" },
  { "path_params.lua", "DB OUT U-O --sigma2=U-0", "--sigma2: 'U-0' is neither a number nor TYPE=VALUE" },
  { "path_params.lua", "DB OUT U-O --sigma2=U-O=0.003,U-U", "--sigma2: 'U-U' is not TYPE=VALUE" },
  { "path_params.lua", "DB OUT U-O --sigma2=U-O=3e", "--sigma2: '3e' is not a finite number" },
  { "path_params.lua", "DB OUT U-O --sigma2=U-O=1,U-O=2", "--sigma2: 'U-O' is given twice" },
  { "path_params.lua", "DB OUT U-O --sigma2=3.0=0.1", "--sigma2: '3.0' is a number, not a path type" },
  { "path_params.lua", "DB OUT U-O --s02=0.9.1", "--s02: '0.9.1' is neither a number" },
  { "path_params.lua", "DB OUT U-O --e0=1,5", "--e0: '1,5' is neither a number" },
  { "export_paths.lua", "DB OUT --types=U-O,3.0", "--types: '3.0' is a number, not a path type: write U-O:3.0" },
  { "export_paths.lua", "DB OUT --types=", "--types: '' is not a path type" },
  { "export_paths.lua", "DB OUT --types=U-O,,U-U", "--types: '' is not a path type" },
  { "export_paths.lua", "DB OUT --atoms=1,x", "--atoms: 'x' is not an integer" },
  { "export_paths.lua", "DB OUT --atoms=1.5", "--atoms: '1.5' is not an integer" },
  { "chidat_average.lua", "DB OUT --sem --sem", "--sem is given twice" },
  { "chidat_average.lua", "DB OUT extra", "unexpected argument 'extra'" },
  { "chidat_average.lua", "DB", "OUT is missing" },
  { "convergence.lua", "DB OUT U-O:3.0 --rmax=3.0", "unknown option '--rmax'" },
  { "plot.lua", "OUT /nonexistent/chi.dat", "FILES: /nonexistent/chi.dat" },
  { "plot.lua", "OUT CHI --panels=kr", "--panels: 'kr' is not one of both, k, r" },
  { "plot.lua", "OUT CHI --kweight=two", "--kweight: 'two' is not a finite number" },
  -- values the functions they go to would refuse, refused as arguments
  { "fit.lua", "DB CHI OUT U-O:3.0 --window=box", "--window: unknown window 'box' (known: hanning" },
  { "fit.lua", "DB CHI OUT U-O:3.0 --vary=amp,s02", "--vary: 's02' is not one of amp, e0" },
  { "fit.lua", "DB CHI OUT U-O:3.0 --kweight=2,11", "--kweight: '11' is above 10" },
  { "fit.lua", "DB CHI OUT U-O:3.0 --rmin=3 --rmax=2", "--rmin 3 is not below --rmax 2" },
  { "chir.lua", "DB OUT U-O:3.0 --kmin=14 --kmax=2", "--kmin 14 is not below --kmax 2" },
  { "chir.lua", "DB OUT U-O:3.0 --kmax=1e9", "--kmax: '1e9' is above 20" },
  { "chir.lua", "DB OUT U-O:3.0 --dk=-1", "--dk: '-1' is below 0" },
  { "chir.lua", "DB OUT U-O:3.0 --window=box", "--window: unknown window 'box'" },
  { "chir.lua", "DB OUT U-O:3.0 --element=Xx", "--element: 'Xx' is not an element symbol" },
  { "chir.lua", "DB OUT U-O:3.0 --edge=L9", "--edge: 'L9' is not an edge XDI knows" },
  { "chir.lua", "DB OUT U-O:3.0 --rmin=4 --rmax=3", "--rmin 4 is not below --rmax 3" },
  { "plot.lua", "OUT CHI --window=box", "--window: unknown window 'box'" },
  { "plot.lua", "OUT CHI --dpi=0", "--dpi: '0' is not above 0" },
  { "plot.lua", "OUT CHI --size=16,-1", "--size: '-1' is not above 0" },
  { "plot.lua", "OUT CHI --kmin=5 --kmax=5", "--kmin 5 is not below --kmax 5" },
  { "outliers.lua", "DB OUT U-O:3.0 --kweight=-2 --kmin=0",
    "distance: kweight -2 with kmin 0: k^-2 is infinite at k = 0, so a negative k-weight needs kmin > 0" },
  { "outliers.lua", "DB OUT U-O:3.0 --threshold=-1", "--threshold: '-1' is below 0" },
  { "convergence.lua", "DB OUT U-O:3.0 --kweight=-2 --kmin=0", "a negative k-weight needs kmin > 0" },
  { "convergence.lua", "DB OUT U-O:3.0 --kmax=21", "--kmax: '21' is above 20" },
  { "multipath.lua", "DB OUT U-O:3.0 --rmin=5 --rmax=3", "--rmin 5 is not below --rmax 3" },
  { "decompose.lua", "DB OUT --nleg=1", "--nleg: '1' is below 2" },
  { "export_paths.lua", "DB OUT --atoms=0,-1", "--atoms: '-1' is below 0" },
  { "path_stats.lua", "DB OUT U-O:3.0 --bins=0", "--bins: '0' is below 1" },
  -- arguments swapped: a data file where the source belongs
  { "fit.lua", "CHI DB OUT U-O:3.0", "SOURCE: " .. chi .. ": a data file (2 columns), not a database or a FEFF tree" },
  { "multipath.lua", "CHI OUT U-O:3.0", "SOURCE: " .. chi .. ": a data file (2 columns), not a database" },
}

-- Pairs of arguments that mean the same; the files each writes (with OUT
-- its prefix) must be byte for byte the same.
local spellings = {
  { "multipath.lua", "DB OUT U-O:3.0 U-U:4.5 --rmin=1.0 --frames=500:520",
    "DB OUT U-O:3 U-U:4.50 --rmin 1.0 --frames 500:520", { "" } },
  { "multipath.lua", "DB OUT U-O U-U --rmax=4.5 --sem", "DB OUT --sem U-O --rmax 45e-1 U-U", { "" } },
  { "first_shell.lua", "DB OUT", "DB OUT U-O:3", { "" } },
  { "first_shell.lua", "DB OUT U-O:3.0 --frames=510:", "DB OUT U-O:3.00 --frames 510:", { "" } },
  { "chir.lua", "DB OUT U-O:3.0 --kweight=3 --kmax=12", "DB OUT --kweight 3 U-O:3 --kmax 12.0",
    { "_k.dat", "_r.dat" } },
  { "decompose.lua", "DB OUT --rmax=4.0 --nleg=2", "DB OUT --rmax 4 --nleg 2.0", { "_total.dat" } },
  { "path_params.lua", "DB OUT U-O:3.0 --sigma2=U-O=0.003,*=0.006 --e0=-1.5",
    "DB OUT U-O:3 --sigma2 U-O=3e-3,*=6e-3 --e0 -1.50", { "" } },
  { "chidat_average.lua", "DB OUT --frames=500", "DB OUT --frames 500.0", { "" } },
}

-- The whole text of a file, or nil.
local function slurp(file)
  local f = io.open(file, "rb")
  if not f then return nil end
  local text = f:read "a"
  f:close()
  return text
end

describe("recipe arguments", function()
  local dir, db
  setup(function()
    dir = t.tempdir()
    db = dir .. "/chi.db"
    assert.are.equal(0, (t.run("build -q " .. q(tree) .. " -o " .. q(db))))
  end)
  teardown(function() t.rmtree(dir) end)

  for i, m in ipairs(mistakes) do
    local name, args, culprit = m[1], m[2], m[3]
    it(("stop %s %s with one line"):format(name, args), function()
      local out_dir = ("%s/mistake_%d"):format(dir, i)
      assert.are.equal(0, (t.sh("mkdir " .. q(out_dir))))
      local code, out, err = run(name, args, db, out_dir .. "/out.png")
      assert.are.equal(2, code, err)
      assert.are.equal("", out)
      assert.matches("^mdexafs: " .. name:gsub("%p", "%%%0") .. ": [^\n]+\n$", err)
      assert.truthy(err:find(culprit, 1, true), err)
      local _, files = t.sh("ls -A " .. q(out_dir))
      assert.are.equal("", files)
    end)
  end

  for i, s in ipairs(spellings) do
    local name, canonical, other, suffixes = s[1], s[2], s[3], s[4]
    it(("take %s %s as %s"):format(name, other, canonical), function()
      local a, b = ("%s/same_%d_a"):format(dir, i), ("%s/same_%d_b"):format(dir, i)
      local code_a, out_a, err_a = run(name, canonical, db, a)
      local code_b, out_b, err_b = run(name, other, db, b)
      assert.are.equal(0, code_a, err_a)
      assert.are.equal(0, code_b, err_b)
      assert.are.equal(out_a, out_b)
      for _, suffix in ipairs(suffixes) do
        local text = slurp(a .. suffix)
        assert.truthy(text, a .. suffix)
        assert.are.equal(text, slurp(b .. suffix))
      end
    end)
  end

  it("say nothing on stderr with -q or --quiet", function()
    for _, flag in ipairs { "-q", "--quiet" } do
      local code, _, err = run("multipath.lua", "DB OUT U-O:3.0 " .. flag, db, dir .. "/quiet.dat")
      assert.are.equal(0, code, err)
      assert.are.equal("", err)
    end
    local _, _, err = run("multipath.lua", "DB OUT U-O:3.0", db, dir .. "/loud.dat")
    assert.matches("using the database", err, 1, true)
  end)
end)

describe("recipe help", function()
  -- The shipped recipes; each one's arguments are read from its spec.
  local names = {}
  for name in io.popen("ls " .. q(recipes)):lines() do
    if name:match "%.lua$" then names[#names + 1] = name end
  end

  it("covers every recipe", function()
    assert.is_true(#names >= 9)
  end)

  for _, name in ipairs(names) do
    it(name .. " --help tells what it does, every argument and its files", function()
      local source = slurp(recipes .. name)
      for _, flag in ipairs { "--help", "-h" } do
        local code, out, err = t.run(q(recipes .. name) .. " " .. flag)
        assert.are.equal(0, code, err)
        assert.are.equal("", err)
        assert.truthy(out:find("usage: mdexafs " .. name:gsub("%.lua$", "") .. " ", 1, true))
        for argument in source:gmatch '{ "([%-%u][%-%w]*)", "' do
          assert.truthy(out:find("\n  " .. argument:gsub("%p", "%%%0") .. "[=. ]"), argument)
        end
        assert.truthy(out:find("-q, --quiet", 1, true))
        assert.truthy(out:find("\nwrites:\n  %S"))
      end
    end)
  end

  -- source = true declares SOURCE and --skip-failed for mdx.open_source.
  for _, name in ipairs(names) do
    if slurp(recipes .. name):find("\n  source = true,", 1, true) then
      it(name .. " --help tells SOURCE first and --skip-failed", function()
        local code, out, err = t.run(q(recipes .. name) .. " --help")
        assert.are.equal(0, code, err)
        assert.truthy(out:find("usage: mdexafs " .. name:gsub("%.lua$", "") .. " SOURCE ", 1, true))
        assert.truthy(out:find("\narguments:\n  SOURCE +a database %(chi%.db%) or a FEFF tree folder\n"), out)
        assert.truthy(out:find("\n  %-%-skip%-failed +leave out folders that failed to build"), out)
      end)
    end
  end

  it("comes first, whatever else is given", function()
    local code, out = t.run(q(recipes .. "multipath.lua") .. " nothing --rmin=abc -h")
    assert.are.equal(0, code)
    assert.truthy(out:find("usage: mdexafs multipath SOURCE", 1, true))
  end)
end)
