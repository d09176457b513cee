-- mdexafs.fit against xraylarch's feffit (goldens/fit, made by
-- tests/tools/larch_feffit.py): one path with noise in k, R and q space
-- and with three k-weights at once, and the MD average of 121 paths in
-- four folders, from the tree and from a database; then bad input.
local mdx = require "mdexafs"
local data = assert(os.getenv "MDX_TEST_DATA", "MDX_TEST_DATA not set")
local tree = data .. "/uo2_feff85"
local goldens = data .. "/goldens/fit/"

local dir = os.tmpname()
os.remove(dir)
assert(os.execute("mkdir -p " .. dir))
local db = dir .. "/chi.db"

setup(function() assert(mdx.build { tree = tree, db = db }) end)
teardown(function() os.execute("rm -rf " .. dir) end)

local function golden(case)
  local g = {}
  for line in io.lines(goldens .. case .. ".txt") do
    local key, rest = line:match "^(%S+) (.*)$"
    local values = {}
    for w in rest:gmatch "%S+" do values[#values + 1] = tonumber(w) end
    g[key] = #values == 1 and values[1] or values
  end
  return g
end

local function rel(a, b) return math.abs(a - b) / math.abs(b) end

-- Best values within 2e-5 relative or 1e-7 absolute (the measured worst
-- is 1.1e-5: the finite-difference Jacobian turns the two codes' last-bit
-- differences in chi(k) into slightly different paths to the minimum),
-- uncertainties and correlations within 1e-3, statistics within 1e-6.
local function agrees(fit, g)
  for _, n in ipairs(fit.names) do
    local v, want = fit.values[n], g["value_" .. n]
    assert(rel(v, want) <= 2e-5 or math.abs(v - want) <= 1e-7,
      ("%s = %.10g, xraylarch %.10g"):format(n, v, want))
    assert(rel(fit.stderr[n], g["stderr_" .. n]) <= 1e-3, n .. " stderr")
    for _, m in ipairs(fit.names) do
      local c = g["correl_" .. n .. "_" .. m]
      if c then
        assert(rel(fit.correl[n][m], c) <= 1e-3, n .. ", " .. m)
        assert.are.equal(fit.correl[n][m], fit.correl[m][n])
      end
    end
  end
  for key, gkey in pairs { n_idp = "n_independent", chi_square = "chi_square",
                           chi2_reduced = "chi2_reduced", rfactor = "rfactor",
                           aic = "aic", bic = "bic" } do
    assert(rel(fit[key], g[gkey]) <= 1e-6, ("%s %.10g, xraylarch %.10g"):format(key, fit[key], g[gkey]))
  end
  assert.are.equal(g.ndata, fit.ndata)
  local function list(v) return type(v) == "table" and v or { v } end
  local eps_k, want = list(fit.epsilon_k), list(g.epsilon_k)
  assert.are.equal(#want, #eps_k)
  for i, e in ipairs(want) do assert(rel(eps_k[i], e) <= 1e-6, "epsilon_k") end
end

local function single_path(src)
  return src:select { frames = { 500, 500 }, atoms = { 0 },
                      where = function(p) return p.num == 1 end }
end

local function fit_single(src, space, kweight)
  return mdx.fit {
    data = mdx.read_chi(goldens .. "single.chik"),
    model = single_path(src),
    vars = { amp = 1.0, de0 = 0.0, ss2 = 0.003, dr = 0.0 },
    params = function(_, v)
      return { s02 = v.amp, e0 = v.de0, sigma2 = v.ss2, deltar = v.dr }
    end,
    transform = { kmin = 3, kmax = 14, kweight = kweight, dk = 1,
                  window = "hanning", rmin = 1.2, rmax = 2.6, fitspace = space },
  }
end

local function fit_ensemble(src)
  return mdx.fit {
    data = mdx.read_chi(goldens .. "ensemble.chik"),
    model = src:select { reff = 4.0 },
    vars = { amp = 1.0, e0 = { 0.0, min = -10, max = 10 }, ss2 = 0.003 },
    params = function(_, v) return { s02 = v.amp, e0 = v.e0, sigma2 = v.ss2 } end,
    transform = { kmin = 3, kmax = 13, kweight = 2, dk = 2, window = "kaiser",
                  rmin = 1.4, rmax = 4.2 },
  }
end

-- A temperature series: two data sets of the single path (sigma2 0.004
-- and 0.009) on their own k grids and transforms, amp, de0 and dr shared,
-- ss2_1 and ss2_2 one per data set, told apart by params' third argument.
local function fit_two_sets(src)
  local function set(i, kmax, kweight)
    return { data = mdx.read_chi(goldens .. "two_set" .. i .. ".chik"), model = single_path(src),
             transform = { kmin = 3, kmax = kmax, kweight = kweight, dk = 1,
                           window = "hanning", rmin = 1.2, rmax = 2.6 } }
  end
  return mdx.fit {
    datasets = { set(1, 14, 2), set(2, 12, 3) },
    vars = { amp = 1.0, de0 = 0.0, dr = 0.0, ss2_1 = 0.003, ss2_2 = 0.003 },
    params = function(_, v, d)
      return { s02 = v.amp, e0 = v.de0, deltar = v.dr, sigma2 = v["ss2_" .. d] }
    end,
  }
end

describe("mdexafs.fit agrees with xraylarch's feffit", function()
  it("on two data sets with variables shared and one per data set", function()
    local src <close> = assert(mdx.open(tree))
    local fit, g = fit_two_sets(src), golden "two_sets"
    fit.epsilon_k = fit.datasets[1].epsilon_k  -- the golden's is data set 1's
    agrees(fit, g)
    for i = 1, 2 do
      assert(rel(fit.datasets[i].epsilon_k, g["epsilon_k_" .. i]) <= 1e-6)
      assert(rel(fit.datasets[i].n_idp, g["n_idp_" .. i]) <= 1e-12)
    end
    assert.is_nil(fit.data)  -- each data set has its own
    assert.truthy(fit.report:find("[[Datasets (2)]]", 1, true))
    assert.truthy(fit.report:find(" dataset 2:\n   data               = ", 1, true))
  end)


  for _, case in ipairs { { "single_r", "r", 2 }, { "single_k", "k", 2 },
                          { "single_q", "q", 2 }, { "single_w", "w", 2 },
                          { "single_kw123", "r", { 1, 2, 3 } } } do
    it("on one path with noise: " .. case[1], function()
      local src <close> = assert(mdx.open(tree))
      agrees(fit_single(src, case[2], case[3]), golden(case[1]))
    end)
  end

  it("on the MD average of four folders, from the tree and the database", function()
    local g = golden "ensemble_r"
    local t <close> = assert(mdx.open(tree))
    local d <close> = assert(mdx.open(db))
    local from_tree, from_db = fit_ensemble(t), fit_ensemble(d)
    agrees(from_tree, g)
    agrees(from_db, g)
    assert.are.equal(from_tree.values.amp, from_db.values.amp)
    assert.truthy(tostring(from_db):find("[[Correlations]]", 1, true))
    -- the model at the best values is the average with those parameters
    local avg = d:select { reff = 4.0, params = { s02 = from_db.values.amp,
      e0 = from_db.values.e0, sigma2 = from_db.values.ss2 } }:average()
    for i = 1, #from_db.model.k do
      assert(math.abs(from_db.model.chi[i] - avg.chi[i]) <= 1e-12)
    end
  end)
end)

describe("mdexafs.fit's model", function()
  it("is the average with the fitted parameters, over hundreds of paths", function()
    local d <close> = assert(mdx.open(db))
    local fit = mdx.fit {
      data = mdx.read_chi(goldens .. "ensemble.chik"),
      model = d:select { reff = 5.0 },
      vars = { amp = 1.0, ss2 = 0.003 },
      params = function(p, v) return { s02 = v.amp, sigma2 = p.nleg == 2 and v.ss2 or 0.006 } end,
      transform = { kmin = 3, kmax = 13, dk = 2, rmin = 1.4, rmax = 4.2 },
    }
    local n = d:select { reff = 5.0 }:count()
    assert.is_true(n > 600)
    assert.truthy(fit.report:find(("paths used in fit  = %d,"):format(n), 1, true))
    local avg = d:select { reff = 5.0, params = { s02 = fit.values.amp,
      sigma2 = function(p) return p.nleg == 2 and fit.values.ss2 or 0.006 end } }:average()
    for i = 1, #fit.model.k do
      assert(math.abs(fit.model.chi[i] - avg.chi[i]) <= 1e-12)
    end
  end)

  it("is the sum of several selections' averages, and a selection's own params are refused", function()
    local d <close> = assert(mdx.open(db))
    local function fit_of(model)
      return mdx.fit {
        data = mdx.read_chi(goldens .. "ensemble.chik"), model = model,
        vars = { amp = 1.0 }, params = function(_, v) return { s02 = v.amp } end,
        transform = { kmin = 3, kmax = 13, dk = 2, rmin = 1.4, rmax = 4.2 },
      }
    end
    local one = fit_of(d:select { types = { ["U-O"] = 3.0, ["U-U"] = 4.0 } })
    local two = fit_of { d:select { types = { ["U-O"] = 3.0 } }, d:select { types = { ["U-U"] = 4.0 } } }
    assert(math.abs(one.values.amp - two.values.amp) <= 1e-9 * math.abs(one.values.amp))
    assert.has_error(function() fit_of(d:select { params = { s02 = 0.9 } }) end,
      "fit: a model selection with its own params: give every path parameter through the fit's params")
  end)
end)

describe("mdexafs.fit's R-factor", function()
  it("is sum(resid^2) / sum(data^2) whatever epsilon_k, for one k-weight and several", function()
    local src <close> = assert(mdx.open(tree))
    for _, kweight in ipairs { 2, { 1, 2, 3 } } do
      local function fit_with(eps)
        return mdx.fit {
          data = mdx.read_chi(goldens .. "single.chik"), model = single_path(src),
          vars = { amp = 1.0, ss2 = 0.003 },
          params = function(_, v) return { s02 = v.amp, sigma2 = v.ss2 } end,
          transform = { kmin = 3, kmax = 14, kweight = kweight, dk = 1, window = "hanning",
                        rmin = 1.2, rmax = 2.6, epsilon_k = eps },
        }
      end
      local base = fit_with(1e-3)
      for _, eps in ipairs { 1, 1e-150 } do
        local fit = fit_with(eps)
        assert(rel(fit.rfactor, base.rfactor) <= 1e-9, ("epsilon_k %g: %.12g, not %.12g"):format(
          eps, fit.rfactor, base.rfactor))
        assert.is_true(fit.chi_square < math.huge and fit.success)
      end
    end
  end)
end)

describe("mdexafs.fit refuses", function()
  local function refuses(opts, words)
    local src <close> = assert(mdx.open(tree))
    local o = {
      data = mdx.read_chi(goldens .. "single.chik"),
      model = single_path(src),
      vars = { amp = 1.0 },
      params = function(_, v) return { s02 = v.amp } end,
      transform = { kmin = 3, kmax = 14, dk = 1, rmin = 1.2, rmax = 2.6 },
    }
    for k, v in pairs(opts) do o[k] = v end
    local ok, err = pcall(mdx.fit, o)
    assert.is_false(ok)
    assert(tostring(err):find(words, 1, true), tostring(err))
  end

  it("no variables, bounds with min > max, a start outside them", function()
    refuses({ vars = {} }, "no variables to vary")
    refuses({ vars = { amp = { 1, min = 2, max = 0 } } }, "has min 2 >= max 0")
    refuses({ vars = { amp = { 3, min = 0, max = 2 } } }, "starts at 3, outside its bounds")
    refuses({ vars = { amp = { 1, mni = 0 } } }, "unknown key 'mni'")
  end)

  it("nothing of data whose chi column is labelled chi(k) or chi_k: they are chi", function()
    local src <close> = assert(mdx.open(tree))
    local text = assert(io.open(goldens .. "single.chik")):read "a"
    for _, label in ipairs { "chi(k)", "chi_k" } do
      local f = dir .. "/measured.chik"
      local out = assert(io.open(f, "w"))
      out:write((text:gsub("^# k chi\n", "# k " .. label .. "\n")))
      out:close()
      local fit = mdx.fit {
        data = mdx.read_chi(f), model = single_path(src), vars = { amp = 1.0 },
        params = function(_, v) return { s02 = v.amp } end,
        transform = { kmin = 3, kmax = 14, dk = 1, rmin = 1.2, rmax = 2.6 },
      }
      assert.is_true(fit.success, label)
    end
  end)

  it("a k range outside the data, and data that are not chi(k)", function()
    refuses({ transform = { kmin = 3, kmax = 18 } }, "not within the data's k = 0 .. 15.984")
    refuses({ data = mdx.read_chi(goldens .. "single.chik"):kweight(2) }, "k^2-weighted")
    refuses({ data = "single.chik" }, "data must be chi(k)")
  end)

  it("params that are not path parameters, and an unknown transform option", function()
    refuses({ params = function() return { s2 = 1 } end }, "s2")
    refuses({ params = function() return 1 end }, "not a table")
    refuses({ params = function() error "boom" end }, "boom")
    refuses({ params = function(_, v) return { s02 = v.ampp } end },
      "params read v.ampp, which is not one of the variables (amp) (path 1, U-O, of frame_500/atom_0)")
    refuses({ params = function(_, v) v.amp = 3 return { s02 = v.amp } end },
      "params must not change the variables (v.amp = ...)")
    refuses({ transform = { kmin = 3, kmax = 14, kweight = { 2, 2 } } }, "k-weight 2 given twice")
    refuses({ transform = { kmin = 3, kmax = 14, fitspace = "x" } }, "fitspace must be one of")
    refuses({ transform = { kmni = 3 } }, "unknown option 'kmni'")
  end)

  it("an epsilon_k that is not a positive finite number, naming it", function()
    local function with_eps(e) return { transform = { kmin = 3, kmax = 14, dk = 1, rmin = 1.2, rmax = 2.6,
                                                      epsilon_k = e } } end
    refuses(with_eps(0 / 0), "fit: transform: epsilon_k is NaN")
    refuses(with_eps(math.huge), "fit: epsilon_k inf must be a positive finite number")
    refuses(with_eps(0), "fit: epsilon_k 0 must be a positive finite number")
    refuses(with_eps(-1e-3), "fit: epsilon_k -0.001 must be a positive finite number")
    refuses({ transform = { kmin = 3, kmax = 14, dk2 = 0 / 0 } }, "fit: transform: dk2 is NaN")
  end)

  it("statistics that are not finite (an epsilon_k so small that chi-square overflows)", function()
    refuses({ transform = { kmin = 3, kmax = 14, dk = 1, rmin = 1.2, rmax = 2.6, epsilon_k = 1e-160 } },
      "epsilon_k 1e-160 is too small for these data")
    refuses({ transform = { kmin = 3, kmax = 14, dk = 1, rmin = 1.2, rmax = 2.6, epsilon_k = 1e-320 } },
      "epsilon_k 9.99989e-321) is too small for these data")
  end)

  it("a variable that changes nothing: no uncertainties, said so, none printed as numbers", function()
    local src <close> = assert(mdx.open(tree))
    local fit = mdx.fit {
      data = mdx.read_chi(goldens .. "single.chik"),
      model = single_path(src),
      vars = { amp = 1.0, idle = 0.5 },
      params = function(_, v) return { s02 = v.amp } end,
      transform = { kmin = 3, kmax = 14, dk = 1, rmin = 1.2, rmax = 2.6 },
    }
    assert.is_false(fit.errorbars)
    assert.is_nil(fit.stderr.amp)
    assert.truthy(fit.message:find("Could not estimate error-bars. 'idle' changes nothing.", 1, true),
      fit.message)
    local report = tostring(fit)
    assert.truthy(report:find("+/- unknown", 1, true))
    assert.is_nil(report:find("nan", 1, true))
  end)
end)

describe("mdexafs.read_chi", function()
  local function file(name, text)
    local path = dir .. "/" .. name
    local f = assert(io.open(path, "w"))
    f:write(text)
    f:close()
    return path
  end

  it("takes the columns labelled k and chi, by label or number, in any column file", function()
    local athena = file("a.chik", "# made by someone\n# k chi kchi k2chi\n"
      .. "1 0.5 0.5 0.5\n2 0.25 0.5 1\n")
    local r = mdx.read_chi(athena)
    assert.are.same({ 1, 2 }, r.k)
    assert.are.same({ 0.5, 0.25 }, r.chi)
    local swapped = file("b.chik", "# k2chi k chi\n7 1 0.5\n8 2 0.25\n")
    assert.are.same({ 1, 2 }, mdx.read_chi(swapped).k)
    assert.are.same({ 0.5, 0.25 }, mdx.read_chi(swapped).chi)
    assert.are.same({ 7, 8 }, mdx.read_chi(swapped, { chi = 1, k = "k" }).chi)
    assert.are.equal(2, mdx.read_chi(swapped, { chi = "k2chi" }).k_weight)
    local xdi = file("c.xdi", "# XDI/1.0\n# Column.1: chi\n# Column.2: k\n"
      .. "# Element.symbol: U\n#----\n# chi k\n0.5 1\n0.25 2\n")
    assert.are.same({ 1, 2 }, mdx.read_chi(xdi).k)
    local plain = file("d.dat", "1 0.5\n2 0.25\n")
    assert.are.same({ 0.5, 0.25 }, mdx.read_chi(plain).chi)
  end)

  it("names the file, line, column and value of a number that is not finite", function()
    for _, bad in ipairs { "nan", "NaN", "-inf", "inf", "1e999", "-nan" } do
      local f = file("nan.dat", "# k chi\n1 0.5\n2 " .. bad .. "\n")
      local r, err = mdx.read_chi(f)
      assert.is_nil(r)
      assert.are.equal(f .. ":3: column 2 is '" .. bad .. "', not a finite number", err)
    end
    local f = file("text.dat", "1 0.5\n2 0.3 abc\n")
    assert.are.equal(f .. ":2: expected a row of numbers: column 3 is 'abc'", select(2, mdx.read_chi(f)))
  end)

  it("reads labels between commas: # k, chi", function()
    for _, header in ipairs { "# k, chi", "# k,chi", "#k ,  chi" } do
      local f = file("comma.dat", header .. "\n1 0.5\n2 0.3\n")
      assert.are.same({ 0.5, 0.3 }, mdx.read_chi(f, { chi = "chi" }).chi, header)
      assert.are.same({ 1, 2 }, mdx.read_chi(f, { k = "k" }).k, header)
    end
    local f = file("comma2.dat", "# chi, k\n0.5, 1\n0.3, 2\n")
    assert.are.same({ 1, 2 }, mdx.read_chi(f).k)
  end)

  it("reads back what write writes, in each form", function()
    local d <close> = assert(mdx.open(db))
    local avg = d:select { types = "U-O", reff = 3.0 }:average()
    for _, opts in ipairs { {}, { columns = "athena" }, { xdi = { element = "U", edge = "L3" } } } do
      local out = dir .. "/w.dat"
      assert(avg:write(out, opts))
      local back = mdx.read_chi(out)
      for i = 1, #avg.k, 37 do
        assert(math.abs(back.chi[i] - avg.chi[i]) <= 5e-7)
      end
    end
  end)

  it("says which column is missing", function()
    local one = file("e.dat", "1\n2\n")
    assert.has_error(function() mdx.read_chi(one) end, "read_chi: " .. one .. ": one column only: no chi column")
    local energy = file("h.chik", "# energy chi\n17000 2\n17001 3\n")
    assert.has_error(function() mdx.read_chi(energy) end, "read_chi: " .. energy
      .. ": no column labelled k (columns: energy chi): name one: {k = N} or {k = \"label\"}")
    for label, w in pairs { chik2 = 2, ["k^2chi"] = 2, ["chi*k^3"] = 3, chik = 1, kchi = 1 } do
      assert.are.equal(w, mdx.read_chi(file("w.chik", "# k " .. label .. "\n1 2\n2 3\n")).k_weight, label)
    end
  end)

  it("reads a column as weighted only when its label says a weight, and as the user says", function()
    local weights = { chi = 0, ["chi(k)"] = 0, chi_k = 0, ["CHI(K)"] = 0,
                      kchi = 1, ["k*chi"] = 1, chik = 1, ["chi*k"] = 1, k2chi = 2, chik2 = 2,
                      ["k^2chi"] = 2, ["k^2*chi"] = 2, ["chi*k^2"] = 2, ["chi(k)*k^2"] = 2,
                      ["chik^3"] = 3, chi_k2 = 2, ["k2.5chi"] = 2.5, ["k-1chi"] = -1, K3CHI = 3,
                      ["k2chi(k)"] = 2 }
    for label, w in pairs(weights) do
      local f = file("l.chik", "# k " .. label .. "\n1 2\n2 3\n")
      assert.are.equal(w, mdx.read_chi(f).k_weight, label)
    end
    for _, label in ipairs { "chi_re", "mu", "kappa", "k^chi", "chi_k^", "chi2" } do
      local f = file("l.chik", "# k " .. label .. "\n1 2\n2 3\n")
      assert.has_error(function() mdx.read_chi(f) end, "read_chi: " .. f .. ": no column labelled chi "
        .. "(columns: k " .. label .. "): name one: {chi = N} or {chi = \"label\"}")
      assert.are.equal(0, mdx.read_chi(f, { chi = label }).k_weight, label)
    end
    local measured = file("m.chik", "# k energy chi(k)\n1 17000 2\n2 17001 3\n")
    assert.are.same({ 2, 3 }, mdx.read_chi(measured).chi)
    local weighted = file("k2.chik", "# k k2chi\n1 2\n2 3\n")
    assert.are.equal(0, mdx.read_chi(weighted, { chi = 2 }).k_weight)   -- by number: chi
    assert.are.equal(2, mdx.read_chi(weighted, { chi = "k2chi" }).k_weight)
    assert.are.equal(0, mdx.read_chi(weighted, { chi = "k2chi", kweight = 0 }).k_weight)
    assert.are.equal(3, mdx.read_chi(weighted, { chi = 2, kweight = 3 }).k_weight)
    assert.has_error(function() mdx.read_chi(weighted, { kweight = 0 / 0 }) end,
      "read_chi: kweight must be a finite number")
    local labelled = file("f.chik", "# k mu\n1 2\n2 3\n")
    assert.has_error(function() mdx.read_chi(labelled, { chi = "chi" }) end,
      "read_chi: " .. labelled .. ": no column labelled 'chi' (columns: k mu)")
    assert.has_error(function() mdx.read_chi(labelled, { chi = 5 }) end,
      "read_chi: " .. labelled .. ": chi = 5, but it has 2 columns")
    assert.has_error(function() mdx.read_chi(labelled, { chis = 1 }) end, "read_chi: unknown option 'chis' (known: k chi kweight)")
    local ragged = file("g.dat", "1 2\n2 3 4\n")
    local r, err = mdx.read_chi(ragged)
    assert.is_nil(r)
    assert.truthy(err:find(ragged .. ":2: 3 numbers where the rows before have 2", 1, true), err)
  end)
end)
