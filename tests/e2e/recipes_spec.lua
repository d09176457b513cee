-- The shipped recipes reproduce the reference workflow's outputs, byte for
-- byte at %.6f, from a database and from the FEFF files; bad recipes and
-- bad sources fail clearly and write nothing.
package.path = debug.getinfo(1, "S").source:match "^@(.*/)" .. "?.lua;" .. package.path
local t = require "support"
local q = t.q

local recipes = t.data .. "/../../recipes/"
local reference = t.data .. "/goldens/reference/uo2_feff85/"
local tree = t.data .. "/uo2_feff85"

-- The data rows (not '#' lines) of a file.
local function rows(file)
  local out = {}
  for line in io.lines(file) do
    if not line:match "^#" then out[#out + 1] = line end
  end
  return out
end

local function recipe(name, args)
  return t.run(q(recipes .. name) .. " " .. args)
end

-- Each reference output and the recipe call that reproduces it.
local cases = {
  { "uo_file.dat", "first_shell.lua", "U-O:3.0 --frames=500:519" },
  { "uo_db.dat", "first_shell.lua", "--rmin=1.0 --frames=500:520" },
  { "mix_file.dat", "multipath.lua", "U-O U-U U-O-O --rmax=5.0 --frames=500:519" },
  { "mix_db.dat", "multipath.lua", "U-O:3.0 U-U:4.5 U-O-O:5.0 --rmin=1.0 --frames=500:520" },
  { "chidat.dat", "chidat_average.lua", "--frames=500:519" },
}

describe("recipes", function()
  local dir, db
  setup(function()
    dir = t.tempdir()
    db = dir .. "/chi.db"
    assert.are.equal(0, (t.run("build -q " .. q(tree) .. " -o " .. q(db))))
  end)
  teardown(function() t.rmtree(dir) end)

  for _, source in ipairs { "database", "files" } do
    for _, c in ipairs(cases) do
      local out_name, script, args = c[1], c[2], c[3]
      it(("reproduce %s from the %s"):format(out_name, source), function()
        local src = source == "database" and db or tree
        local out = dir .. "/" .. source .. "_" .. out_name
        local code, _, err = recipe(script, q(src) .. " " .. q(out) .. " " .. args)
        assert.are.equal(0, code, err)
        assert.matches(source == "database" and "using the database"
                       or "computing from the files", err)
        assert.are.same(rows(reference .. out_name), rows(out))
        local f = assert(io.open(out))
        assert.matches("^# k%(A%^%-1%)  chi%(k%) %- ", f:read "l")
        f:close()
      end)
    end
  end

  it("decompose writes shares that add up to the total", function()
    local prefix = dir .. "/dec"
    local code, out = recipe("decompose.lua", q(db) .. " " .. q(prefix) .. " --rmax=4.0")
    assert.are.equal(0, code)
    assert.matches("U%-O%s+%d+", out)
    local total = rows(prefix .. "_total.dat")
    local sum = {}
    for _, type in ipairs { "U-O", "U-U", "U-O-O", "U-U-O", "U-O-O-O", "U-O-U-O" } do
      local ok, lines = pcall(rows, prefix .. "_" .. type .. ".dat")
      if ok then
        for i, line in ipairs(lines) do
          sum[i] = (sum[i] or 0) + tonumber(line:match "%S+%s+(%S+)")
        end
      end
    end
    for i, line in ipairs(total) do
      assert.is_true(math.abs(tonumber(line:match "%S+%s+(%S+)") - sum[i]) < 5e-6)
    end
  end)

  it("convergence writes one average per number of frames", function()
    local prefix = dir .. "/conv"
    local code, out = recipe("convergence.lua", q(db) .. " " .. q(prefix) .. " U-O:3.0")
    assert.are.equal(0, code)
    -- all frames: no change, and converged from there
    assert.matches("\n%s+2%s+4%s+0%.000000e%+00%s+0%.000000%s+0%.000000", out)
    assert.truthy(out:find("converged: the distance to the final average stays below", 1, true))
    assert.are.same(rows(prefix .. "_002.dat"), rows(dir .. "/database_uo_file.dat"))
  end)

  it("passes its arguments in arg and explains itself with --help", function()
    local code, out = recipe("multipath.lua", "--help")
    assert.are.equal(0, code)
    assert.matches("usage: mdexafs multipath SOURCE OUT", out, 1, true)
    code = recipe("multipath.lua", q(db))
    assert.are.equal(2, code)
  end)
end)

describe("bad recipes and sources", function()
  local dir
  before_each(function() dir = t.tempdir() end)
  after_each(function() t.rmtree(dir) end)

  local function write(name, text)
    local f = assert(io.open(dir .. "/" .. name, "w"))
    f:write(text)
    f:close()
    return dir .. "/" .. name
  end

  it("reports a syntax error with the recipe's file and line", function()
    local r = write("bad.lua", "local x = 1\nlocal y = = 2\n")
    local code, _, err = t.run(q(r))
    assert.are.equal(1, code)
    assert.matches("bad.lua:2:", err, 1, true)
  end)

  it("reports a misspelt selection key with the recipe's line", function()
    local r = write("typo.lua", ([[
local mdx = require "mdexafs"
local src <close> = assert(mdx.open(%q))
src:select { typse = "U-O" }:average():write(%q)
]]):format(tree, dir .. "/out.dat"))
    local code, _, err = t.run(q(r))
    assert.are.equal(1, code)
    assert.matches("typo.lua:3: select: unknown key 'typse'", err, 1, true)
    assert.is_nil(io.open(dir .. "/out.dat"))
  end)

  it("runs the module built into the program, whatever lies beside the recipe", function()
    assert.are.equal(0, (t.sh("mkdir " .. q(dir .. "/mdexafs"))))
    for _, name in ipairs { "init", "args", "outputs" } do
      write("mdexafs/" .. name .. ".lua", "error 'not the built-in module'\n")
    end
    local r = write("mine.lua", ([[
local mdx = require "mdexafs"
local a = mdx.args(arg, { about = "x", source = true, { "OUT", "string", "out" } })
local src <close> = mdx.open_source(a)
mdx.write_all { { src:select { types = { ["U-O"] = 3.0 } }:average(), a.out } }
]]))
    local code, _, err = t.run(q(r) .. " " .. q(tree) .. " " .. q(dir .. "/out.dat") .. " -q")
    assert.are.equal(0, code, err)
    assert.are.equal("", err)
    assert.truthy(io.open(dir .. "/out.dat"))
  end)

  it("names the recipe's line where mdx.open_source fails", function()
    local db = write("chi.db", "not a database\n")
    local r = write("open.lua", ([[
local mdx = require "mdexafs"
local a = mdx.args(arg, { about = "x", source = true })
local src <close> = mdx.open_source(a)
]]))
    local code, _, err = t.run(q(r) .. " " .. q(db))
    assert.are.equal(1, code)
    assert.are.equal(("mdexafs: open.lua:3: %s is damaged (not an mdexafs database (not SQLite)) "
                      .. "and no tree was given to compute from\n"):format(db), err)
  end)

  it("fails on a frame range with nothing in it, writing nothing", function()
    local out = dir .. "/out.dat"
    local code, _, err = t.run(q(recipes .. "first_shell.lua") .. " " .. q(tree) .. " "
      .. q(out) .. " U-O:3.0 --frames=900:950")
    assert.are.equal(1, code)
    assert.matches("no folder is in the selection's frames", err, 1, true)
    assert.is_nil(io.open(out))
  end)

  it("fails on a missing database it cannot fall back from", function()
    local r = write("missing.lua", ('require "mdexafs".source(%q)\n'):format(dir .. "/none.db"))
    local code, _, err = t.run(q(r))
    assert.are.equal(1, code)
    assert.matches("none.db is missing (no such file) and no tree was given", err, 1, true)
  end)

  it("falls back to the files from a damaged database", function()
    local db = dir .. "/chi.db"
    assert.are.equal(0, (t.run("build -q " .. q(t.data .. "/uo2_feff6") .. " -o " .. q(db))))
    assert.are.equal(0, (t.sh("truncate -s 50000 " .. q(db))))
    local r = write("fallback.lua", ([[
local mdx = require "mdexafs"
local src <close> = mdx.source { db = %q, tree = %q }
print(src.kind, src:select { types = "U-O", reff = 2.5 }:average().nfolders)
]]):format(db, t.data .. "/uo2_feff6"))
    local code, out, err = t.run(q(r))
    assert.are.equal(0, code, err)
    assert.matches("chi.db is damaged", err, 1, true)
    assert.matches("computing from the files", err, 1, true)
    assert.are.equal("tree\t2\n", out)
  end)

  it("can require helpers from the recipe's folder", function()
    write("helper.lua", "return { answer = 42 }\n")
    local r = write("main.lua", 'print(require("helper").answer, arg[1], select("#", ...))\n')
    local code, out = t.run(q(r) .. " one two")
    assert.are.equal(0, code)
    assert.are.equal("42\tone\t2\n", out)
  end)
end)

-- The recipes of the science issue: path parameters against xraylarch,
-- chi(R) files, plots and re-export.
describe("science recipes", function()
  local dir
  setup(function() dir = t.tempdir() end)
  teardown(function() t.rmtree(dir) end)

  local columns = dofile(t.data .. "/../lua/golden.lua").columns

  it("path_params.lua averages with xraylarch's numbers", function()
    local out = dir .. "/params.dat"
    local code, _, err = recipe("path_params.lua", q(tree) .. " " .. q(out) ..
      " --rmax=4.5 --s02=0.85 --e0=3.1 --sigma2=0.0045 --deltar=0.012" ..
      " --c3=0.0002 --c4=0.00004 --ei=0.7")
    assert.are.equal(0, code, err)
    local want = columns(t.data .. "/goldens/science/params_uniform.txt")
    local got = columns(out)
    assert.are.equal(401, #got[1])
    for i = 1, 401 do
      local mean = (want[2][i] + want[3][i] + want[4][i] + want[5][i]) / 4
      assert(math.abs(got[2][i] - mean) <= 5.0000001e-7, i)
    end
  end)

  it("path_params.lua takes values per path type", function()
    local a, b = dir .. "/a.dat", dir .. "/b.dat"
    assert.are.equal(0, (recipe("path_params.lua", q(tree) .. " " .. q(a) ..
      " U-O:3 U-U:4.5 --sigma2=U-O=0.003,*=0.006")))
    assert.are.equal(0, (recipe("path_params.lua", q(tree) .. " " .. q(b) ..
      " U-O:3 U-U:4.5 --sigma2=U-O=0.003,U-U=0.006")))
    assert.are.same(rows(a), rows(b))
    local code, _, err = recipe("path_params.lua", q(tree) .. " " .. q(a) ..
      " U-O --sigma2=U-O=x")
    assert.are.equal(2, code)
    assert.matches("--sigma2: 'x' is not a finite number", err, 1, true)
  end)

  it("chir.lua writes Athena's chi(k) and chi(R) columns, XDI and a plot", function()
    local prefix = dir .. "/ft"
    local code, _, err = recipe("chir.lua", q(tree) .. " " .. q(prefix) ..
      " U-O:3 U-U:4.5 --xdi --element=U --edge=L3 --plot --kweight=3")
    assert.are.equal(0, code, err)
    local k, r = columns(prefix .. "_k.dat"), columns(prefix .. "_r.dat")
    assert.are.equal(5, #k)
    assert.are.equal(4, #r)
    local f = assert(io.open(prefix .. "_r.dat"))
    local text = f:read "a"
    f:close()
    assert.truthy(text:find("# Element.edge: L3\n", 1, true))
    assert.truthy(text:find("# Column.4: chir_mag inverse Angstrom^4\n", 1, true))
    assert.truthy(io.open(prefix .. ".png")):close()
  end)

  it("plot.lua plots files and export_paths.lua writes path files", function()
    local code, _, err = recipe("plot.lua", q(dir .. "/p.svg") .. " " ..
      q(reference .. "mix_file.dat") .. " " .. q(reference .. "uo_file.dat"))
    assert.are.equal(0, code, err)
    assert.truthy(io.open(dir .. "/p.svg")):close()
    code, _, err = recipe("plot.lua", q(dir .. "/p.png") .. " " .. q(reference .. "mix_file.dat")
      .. " --size=16,10 --dpi=150 --legend=outside --labels=mix")
    assert.are.equal(0, code, err)
    local png = assert(io.open(dir .. "/p.png", "rb"))
    local w, h = string.unpack(">I4>I4", png:read(24), 17)
    png:close()
    assert.are.same({ 945, 591 }, { w, h })  -- 16 x 10 cm at 150 dpi
    -- multipath's standard error column, shaded
    code, _, err = recipe("multipath.lua", q(tree) .. " " .. q(dir .. "/m.dat") .. " U-O:3.0 --sem")
    assert.are.equal(0, code, err)
    code, _, err = recipe("plot.lua", q(dir .. "/m.svg") .. " " .. q(dir .. "/m.dat") .. " --sem")
    assert.are.equal(0, code, err)
    local svgf = assert(io.open(dir .. "/m.svg"))
    local _, bands = svgf:read("a"):gsub('fill%-opacity="0%.25', "")
    svgf:close()
    assert.are.equal(1, bands)
    code, _, err = recipe("plot.lua", q(dir .. "/m.svg") .. " " .. q(reference .. "mix_file.dat") .. " --sem")
    assert.are.equal(2, code)
    assert.truthy(err:find("--sem: " .. reference .. "mix_file.dat has no column labelled sem", 1, true), err)
    -- text from the command line is shown as given ('#' is no escape)
    code, _, err = recipe("plot.lua", q(dir .. "/h.svg") .. " " .. q(reference .. "mix_file.dat")
      .. " --labels='run #1' --title='#frames 100%'")
    assert.are.equal(0, code, err)
    local hf = assert(io.open(dir .. "/h.svg"))
    local htext = hf:read "a"
    hf:close()
    assert.truthy(htext:find("&#x23;&#x31;", 1, true))  -- "#1" as text
    -- a chi(R) file is plotted against R; the two kinds are not mixed
    local chir = dir .. "/u.chir"
    local f = assert(io.open(chir, "w"))
    f:write("#  r  chir_re  chir_im  chir_mag\n0 0.1 0 0.1\n0.5 0.2 0 0.2\n1 0.1 0 0.1\n")
    f:close()
    code, _, err = recipe("plot.lua", q(dir .. "/r.svg") .. " " .. q(chir))
    assert.are.equal(0, code, err)
    code, _, err = recipe("plot.lua", q(dir .. "/r.svg") .. " " .. q(chir) .. " "
      .. q(reference .. "mix_file.dat"))
    assert.are.equal(1, code)
    assert.truthy(err:find("plot one kind at a time", 1, true), err)
    code, _, err = recipe("export_paths.lua", q(tree) .. " " .. q(dir .. "/x") ..
      " --types=U-O --rmax=3 --frames=510 --atoms=1")
    assert.are.equal(0, code, err)
    local n = 0
    for _ in io.popen("ls " .. q(dir .. "/x/frame_510/atom_1")):lines() do n = n + 1 end
    assert.is_true(n >= 6)
  end)

  it("fit.lua fits the MD average to measured chi(k) and writes the report, the model and a plot", function()
    local data = t.data .. "/goldens/fit/ensemble.chik"
    local out = dir .. "/u"
    local code, stdout, err = recipe("fit.lua", q(tree) .. " " .. q(data) .. " " .. q(out)
      .. " U-O:3.0 U-U:4.0 --kmax=13 --rmax=4.2 --dsigma2=U-O")
    assert.are.equal(0, code, err)
    local f = assert(io.open(out .. "_fit.txt"))
    local report = f:read "a"
    f:close()
    assert.are.equal(report, stdout)
    for _, words in ipairs { "[[Statistics]]", "[[Variables]]", "dsigma2_U_O", "+/-",
                             "[[Correlations]]", "Fit succeeded." } do
      assert.truthy(report:find(words, 1, true), words)
    end
    assert.truthy(io.open(out .. "_model.chik")):close()
    local png = assert(io.open(out .. "_fit.png", "rb"))
    assert.are.equal("\137PNG", png:read(4))
    png:close()
    code, _, err = recipe("fit.lua", q(tree) .. " " .. q(data) .. " " .. q(dir .. "/v")
      .. " U-O:3.0 --figure=pdf")
    assert.are.equal(0, code, err)
    local pdf = assert(io.open(dir .. "/v_fit.pdf", "rb"))
    assert.are.equal("%PDF", pdf:read(4))
    pdf:close()
    code, _, err = recipe("fit.lua", q(tree) .. " " .. q(data) .. " " .. q(out)
      .. " U-O:3.0 --dsigma2=U-U")
    assert.are.equal(2, code)
    assert.truthy(err:find("--dsigma2: 'U-U' is not one of the TYPES fitted", 1, true), err)
    -- nothing written over an input, nothing written in part
    code, _, err = recipe("fit.lua", q(tree) .. " " .. q(out .. "_model.chik") .. " " .. q(out)
      .. " U-O:3.0")
    assert.are.equal(2, code)
    assert.truthy(err:find("_model.chik would overwrite an input", 1, true), err)
    -- the same file by another name: a link to it, a path through ..
    assert(os.execute("ln -sf " .. q(out .. "_model.chik") .. " " .. q(dir .. "/link.chik")))
    local before = assert(io.open(out .. "_model.chik")):read "a"
    for _, input in ipairs { dir .. "/link.chik", dir .. "/../" .. dir:match "[^/]*$" .. "/u_model.chik" } do
      code, _, err = recipe("fit.lua", q(tree) .. " " .. q(input) .. " " .. q(out) .. " U-O:3.0")
      assert.are.equal(2, code, input)
      assert.truthy(err:find("_model.chik would overwrite an input", 1, true), err)
    end
    assert.are.equal(before, assert(io.open(out .. "_model.chik")):read "a")
    assert(os.execute("rm -f " .. q(out) .. "_* && mkdir " .. q(out .. "_fit.png")))
    code, _, err = recipe("fit.lua", q(tree) .. " " .. q(data) .. " " .. q(out) .. " U-O:3.0")
    assert.are.equal(1, code)
    assert.truthy(err:find("_fit.png: not a regular file: nothing written", 1, true), err)
    assert.is_nil(io.open(out .. "_fit.txt"))
    assert.is_nil(io.open(out .. "_model.chik"))
  end)

  it("fit.lua fits several data files at once, as mdx.fit with datasets does", function()
    local g = t.data .. "/goldens/fit/"
    local out = dir .. "/series"
    local code, stdout, err = recipe("fit.lua", q(tree) .. " " .. q(g .. "two_set1.chik") .. " "
      .. q(out) .. " U-O:2.5 --more-data=" .. q(g .. "two_set2.chik")
      .. " --dsigma2=U-O --per-set=dsigma2,e0 --kmax=12")
    assert.are.equal(0, code, err)
    for _, words in ipairs { "[[Datasets (2)]]", " dataset 2:", "dsigma2_U_O_1", "dsigma2_U_O_2",
                             "e0_1", "e0_2", "\n   amp    " } do
      assert.truthy(stdout:find(words, 1, true), words)
    end
    -- the same fit through mdx.fit: each data set's model file is its model
    local mdx = require "mdexafs"
    local src <close> = assert(mdx.open(tree))
    local model = src:select { types = { ["U-O"] = 2.5 } }
    local tr = { kmin = 3, kmax = 12, kweight = 2, dk = 1, window = "hanning", rmin = 1, rmax = 3 }
    local fit = mdx.fit {
      datasets = { { data = mdx.read_chi(g .. "two_set1.chik"), model = model, transform = tr },
                   { data = mdx.read_chi(g .. "two_set2.chik"), model = model, transform = tr } },
      vars = { amp = 1, e0_1 = { 0, min = -20, max = 20 }, e0_2 = { 0, min = -20, max = 20 },
               dsigma2_U_O_1 = 0, dsigma2_U_O_2 = 0 },
      params = function(_, v, d)
        return { s02 = v.amp, e0 = v["e0_" .. d], sigma2 = v["dsigma2_U_O_" .. d] }
      end,
    }
    for d = 1, 2 do
      local written = assert(mdx.read_chi(("%s_model_%d.chik"):format(out, d)))
      local want = fit.datasets[d].model
      for i = 1, #want.k, 7 do
        assert(math.abs(written.chi[i] - want.chi[i]) <= 1e-6, d)
      end
    end
    code, _, err = recipe("fit.lua", q(tree) .. " " .. q(g .. "two_set1.chik") .. " " .. q(out)
      .. " U-O:2.5 --more-data=" .. q(g .. "two_set1.chik"))
    assert.are.equal(2, code)
    assert.truthy(err:find("DATA and --more-data: '" .. g .. "two_set1.chik' given twice", 1, true), err)
    for _, case in ipairs {
      { " --per-set=amp", "--per-set needs --more-data" },
      { " --more-data=" .. q(g .. "two_set2.chik") .. " --per-set=e0 --vary=amp",
        "--per-set: 'e0' does not vary (see --vary)" } } do
      code, _, err = recipe("fit.lua", q(tree) .. " " .. q(g .. "two_set1.chik") .. " " .. q(out)
        .. " U-O:2.5" .. case[1])
      assert.are.equal(2, code, case[1])
      assert.truthy(err:find(case[2], 1, true), err)
    end
  end)

  it("wavelet.lua maps the MD average and the data as r:wavelet does", function()
    local mdx = require "mdexafs"
    local data = t.data .. "/goldens/fit/ensemble.chik"
    local out = dir .. "/wl"
    local code, _, err = recipe("wavelet.lua", q(tree) .. " " .. q(out) .. " U-O:3.0 --data="
      .. q(data) .. " --kweight=3 --rmax=5")
    assert.are.equal(0, code, err)
    local png = assert(io.open(out .. "_wavelet.png", "rb"))
    assert.are.equal("\137PNG", png:read(4))
    png:close()
    local src <close> = assert(mdx.open(tree))
    for file, chi in pairs { [out .. "_wavelet.dat"] = src:select { types = { ["U-O"] = 3.0 } }:average(),
                             [out .. "_wavelet_data.dat"] = assert(mdx.read_chi(data)) } do
      local w = chi:wavelet { kweight = 3, rmax_out = 5 }
      local rows = 0
      for line in io.lines(file) do
        if not line:find "^#" then
          rows = rows + 1
          local j, i = (rows - 1) // w.nr + 1, (rows - 1) % w.nr + 1
          local k, r, re, im, mag = line:match "^(%S+) (%S+) (%S+) (%S+) (%S+)$"
          assert(math.abs(tonumber(k) - w.k[j]) <= 1e-6 and math.abs(tonumber(r) - w.r[i]) <= 1e-6)
          assert(math.abs(tonumber(mag) - w.mag[i][j]) <= 1e-7 * math.abs(w.mag[i][j]) + 1e-300)
          assert(math.abs(tonumber(re) - w.re[i][j]) <= 1e-7 * math.abs(w.re[i][j]) + 1e-300)
          assert(math.abs(tonumber(im) - w.im[i][j]) <= 1e-7 * math.abs(w.im[i][j]) + 1e-300)
        end
      end
      assert.are.equal(w.nk * w.nr, rows)
    end
    -- data on a grid larch would misread: one line naming it, nothing written
    local odd = dir .. "/odd.chik"
    local f = assert(io.open(odd, "w"))
    f:write "0.1 0\n0.15 1\n0.2 0\n0.25 1\n"
    f:close()
    code, _, err = recipe("wavelet.lua", q(tree) .. " " .. q(dir .. "/wl2") .. " U-O:3.0 --data=" .. q(odd))
    assert.are.equal(1, code)
    assert.truthy(err:find("wavelet: chi(k) must be on an even grid from k = 0", 1, true), err)
    assert.is_nil(io.open(dir .. "/wl2_wavelet.dat"))
  end)

  it("reweight.lua writes sel:reweight's weights, the reweighted average and a figure", function()
    local mdx = require "mdexafs"
    local data = t.data .. "/goldens/fit/ensemble.chik"
    local out = dir .. "/rw"
    local code, stdout, err = recipe("reweight.lua", q(tree) .. " " .. q(data) .. " " .. q(out)
      .. " U-O:3.0 U-U:4.5 --kmax=13 --rmax=4.2 --theta=0.5")
    assert.are.equal(0, code, err)
    assert.truthy(stdout:find("# theta 0.5; chi-square ", 1, true), stdout)
    local src <close> = assert(mdx.open(tree))
    local sel = src:select { types = { ["U-O"] = 3.0, ["U-U"] = 4.5 } }
    local want = sel:reweight { data = assert(mdx.read_chi(data)), theta = 0.5,
      transform = { kmin = 3, kmax = 13, kweight = 2, dk = 1, window = "hanning", rmin = 1,
                    rmax = 4.2 } }
    local i, total = 0, 0
    for line in io.lines(out .. "_weights.txt") do
      if not line:find "^#" then
        i = i + 1
        local frame, atom, w = line:match "^(%d+) (%d+) (%S+)$"
        assert.are.equal(want.folders[i].frame, tonumber(frame))
        assert.are.equal(want.folders[i].atom, tonumber(atom))
        assert(math.abs(tonumber(w) - want.folders[i].weight) <= 1e-9)
        total = total + tonumber(w)
      end
    end
    assert.are.equal(#want.folders, i)
    assert(math.abs(total - 1) <= 1e-8)
    local avg = assert(mdx.read_chi(out .. "_reweighted.chik"))
    for j = 1, #avg.k, 20 do assert(math.abs(avg.chi[j] - want.average.chi[j]) <= 1e-6) end
    local png = assert(io.open(out .. "_reweight.png", "rb"))
    assert.are.equal("\137PNG", png:read(4))
    png:close()
    code, _, err = recipe("reweight.lua", q(tree) .. " " .. q(data) .. " " .. q(dir .. "/rw2")
      .. " U-O:3.0 --theta=0")
    assert.are.equal(1, code)
    assert.truthy(err:find("reweight: theta 0 must be above 0", 1, true), err)
    assert.is_nil(io.open(dir .. "/rw2_weights.txt"))
    code, _, err = recipe("reweight.lua", q(tree) .. " " .. q(data) .. " " .. q(dir .. "/rw2")
      .. " U-O:3.0 --theta=lots")
    assert.are.equal(2, code)
    assert.truthy(err:find("--theta: 'lots' is neither a number nor scan", 1, true), err)
  end)

  it("path_stats.lua writes the moments and histograms numpy gives", function()
    local prefix = dir .. "/ps"
    local code, out, err = recipe("path_stats.lua", q(tree) .. " " .. q(prefix) .. " U-O U-O-U --bins=20")
    assert.are.equal(0, code, err)
    local want = {}
    for line in io.lines(t.data .. "/goldens/stats/reff_moments.txt") do
      local kind, rest = line:match "^(%S+) (.*)$"
      if kind ~= "#" then want[kind] = rest end
    end
    local n = 0
    for _, line in ipairs(rows(prefix .. "_moments.dat")) do
      local kind, count, weight, mean, variance = line:match "^(%S+) (%S+) (%S+) (%S+) (%S+)"
      local w = {}
      for v in want[kind]:gmatch "%S+" do w[#w + 1] = tonumber(v) end
      assert.are.equal(w[1], tonumber(count))
      assert(math.abs(tonumber(mean) - w[3]) <= 1e-8 and math.abs(tonumber(variance) - w[4]) <= 1e-8, kind)
      n = n + 1
    end
    assert.are.equal(2, n)
    assert.are.equal(20, #rows(prefix .. "_U-O.dat"))
    assert.truthy(io.open(prefix .. "_hist.png")):close()
    assert.truthy(out:find("# type n weight mean variance c3 min max", 1, true))
    code, _, err = recipe("path_stats.lua", q(tree) .. " " .. q(prefix) .. " U-O --of=angles")
    assert.are.equal(2, code)
    assert.truthy(err:find("--of=angles: U-O is a single-scattering type (it has no angle)", 1, true), err)
    -- without TYPES, legs and angles are of the multiple-scattering types only
    code, out, err = recipe("path_stats.lua", q(tree) .. " " .. q(prefix .. "all") .. " --of=legs")
    assert.are.equal(0, code, err)
    assert.is_nil(out:find("\nU%-O "), out)
    assert.truthy(out:find("\nU%-O%-U "), out)
    -- an output that is a folder: nothing written at all
    assert(os.execute("mkdir -p " .. q(prefix .. "d_U-O-U.dat")))
    code, _, err = recipe("path_stats.lua", q(tree) .. " " .. q(prefix .. "d") .. " U-O U-O-U")
    assert.are.equal(1, code)
    assert.truthy(err:find("d_U-O-U.dat: not a regular file: nothing written", 1, true), err)
    assert.is_nil(io.open(prefix .. "d_U-O.dat"))
    assert.is_nil(io.open(prefix .. "d_moments.dat.part"))
  end)

  it("outliers.lua lists every folder by its distance from the mean, flagging the far ones", function()
    local out = dir .. "/outliers.dat"
    local code, stdout, err = recipe("outliers.lua", q(tree) .. " " .. q(out) .. " U-O:3.0 --threshold=0.1")
    assert.are.equal(0, code, err)
    local lines = rows(out)
    assert.are.equal(4, #lines)
    assert.truthy(lines[1]:match "^510 0 0%.2626087%d* 1 frame_510/atom_0$", lines[1])
    assert.truthy(stdout:find("2 of 4 folders flagged (threshold 0.1)", 1, true), stdout)
  end)

  it("convergence.lua by frames and by absorbers writes what numpy computes", function()
    local want = {}
    for line in io.lines(t.data .. "/goldens/stats/convergence_UO.txt") do
      local by, step, rest = line:match "^(%a+) (%d+) (.*)$"
      if by then want[by .. step] = rest end
    end
    for _, by in ipairs { "frames", "atoms" } do
      local prefix = dir .. "/cv" .. by
      local code, _, err = recipe("convergence.lua", q(tree) .. " " .. q(prefix) .. " U-O:3.0 --by=" .. by)
      assert.are.equal(0, code, err)
      for _, line in ipairs(rows(prefix .. "_convergence.dat")) do
        local got, wanted = {}, {}
        for v in line:gmatch "%S+" do got[#got + 1] = tonumber(v) end
        for v in want[by .. got[1]]:gmatch "%S+" do wanted[#wanted + 1] = tonumber(v) end
        for i = 2, 6 do
          assert(math.abs(got[i] - wanted[i - 1]) <= 1e-10 * math.max(1, math.abs(wanted[i - 1])),
            ("%s step %d column %d: %.17g, numpy %.17g"):format(by, got[1], i, got[i], wanted[i - 1]))
        end
      end
    end
  end)

  it("convergence.lua by absorbers writes a table with named columns", function()
    local prefix = dir .. "/cba"
    local code, out, err = recipe("convergence.lua", q(tree) .. " " .. q(prefix) .. " U-O:3.0 --by=atoms")
    assert.are.equal(0, code, err)
    local f = assert(io.open(prefix .. "_convergence.dat"))
    local text = f:read "a"
    f:close()
    assert.truthy(text:find("# atoms_per_frame folders distance_to_final max_abs_change rms_change sem_ratio",
      1, true), text)
    assert.are.equal(2, #rows(prefix .. "_convergence.dat"))
    assert.truthy(out:find("converged", 1, true))
    assert.truthy(io.open(prefix .. "_convergence.png")):close()
    -- whole steps on the step axis: ticks at 1 and 2, not at 1.2, 1.4 ...
    code, _, err = recipe("convergence.lua", q(tree) .. " " .. q(prefix .. "s")
      .. " U-O:3.0 --figure=svg")
    assert.are.equal(0, code, err)
    local f2 = assert(io.open(prefix .. "s_convergence.svg"))
    local svg = f2:read "a"
    f2:close()
    assert.is_nil(svg:find(">&#x31;&#x2e;&#x32;</tspan>", 1, true))
    assert.truthy(svg:find(">&#x32;</tspan>", 1, true))
  end)
end)
