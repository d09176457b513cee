-- chi(R) as xraylarch's xftf makes it, and the column files results write.
local mdx = require "mdexafs"
local golden = dofile(debug.getinfo(1, "S").source:match "^@(.*/)" .. "golden.lua")
local data = assert(os.getenv "MDX_TEST_DATA", "MDX_TEST_DATA not set")
local mix = data .. "/goldens/reference/uo2_feff85/mix_file.dat"
local goldens = data .. "/goldens/science/"

-- The cases of tests/tools/larch_goldens.py.
local cases = {
  kaiser_kw2 = { kweight = 2, kmin = 3, kmax = 14, dk = 1, window = "kaiser" },
  hanning_kw3 = { kweight = 3, kmin = 2.5, kmax = 15, dk = 2, window = "hanning" },
  sine_kw1 = { kweight = 1, kmin = 2, kmax = 12, dk = 1.5, window = "sine" },
  parzen_kw2 = { kweight = 2, kmin = 3, kmax = 13, dk = 2, window = "parzen" },
  welch_kw2 = { kweight = 2, kmin = 3, kmax = 13, dk = 2, window = "welch" },
  gaussian_kw2 = { kweight = 2, kmin = 3, kmax = 13, dk = 3, window = "gaussian" },
  fhanning_kw2 = { kweight = 2, kmin = 3, kmax = 13, dk = 0.2, window = "fhanning" },
  bessel_kw2 = { kweight = 2, kmin = 3, kmax = 13, dk = 2.5, window = "bessel" },
  kaiser_dk2_kw0 = { kweight = 0, kmin = 4, kmax = 16, dk = 3, dk2 = 1,
                     window = "kaiser", rmax_out = 6, nfft = 4096 },
}

describe("xftf", function()
  local chi = assert(mdx.read_chi(mix))

  for name, opts in pairs(cases) do
    it("matches xraylarch with " .. name, function()
      local want = golden.columns(goldens .. "xftf_" .. name .. ".txt")
      local chir = chi:xftf(opts)
      assert.are.equal(#want[1], #chir)
      assert(golden.maxdiff(chir.r, want[1]) < 1e-12)
      local peak = 0
      for _, v in ipairs(want[4]) do peak = math.max(peak, v) end
      for i, field in ipairs { "re", "im", "mag" } do
        local diff = golden.maxdiff(chir[field], want[i + 1])
        assert(diff < 1e-10 * peak, ("%s differs by %g"):format(field, diff))
      end
    end)
  end

  it("refuses unknown options and windows", function()
    assert.has_error(function() chi:xftf { kwieght = 2 } end, "xftf: unknown option 'kwieght' (known: kmin kmax dk dk2 kweight kw window rmax_out nfft kstep)")
    assert.has_error(function() chi:xftf { window = "square" } end,
      "unknown window 'square' (known: hanning fhanning gaussian kaiser "
      .. "parzen welch sine bessel)")
  end)
end)

describe("writing", function()
  local chi = assert(mdx.read_chi(mix))
  local file = os.tmpname()
  teardown(function() os.remove(file) end)

  local function lines()
    local t = {}
    for l in io.lines(file) do t[#t + 1] = l end
    return t
  end

  it("writes the Athena chi(k) columns with an XDI header", function()
    assert(chi:write(file, { columns = "athena",
                             xdi = { element = "U", edge = "L3" } }))
    local t = lines()
    assert.are.equal("# XDI/1.0 mdexafs/", t[1]:sub(1, 18))
    assert.are.equal("# Element.symbol: U", t[2])
    assert.are.equal("# Element.edge: L3", t[3])
    assert.are.equal("# Column.1: k inverse Angstrom", t[4])
    assert.are.equal("# Column.5: k3chi inverse Angstrom^3", t[8])
    local cols = golden.columns(file)
    assert.are.equal(5, #cols)
    for i = 1, #cols[1], 37 do
      local k, x = cols[1][i], cols[2][i]
      assert.are.equal(chi.chi[i], x)
      assert(math.abs(cols[5][i] - k ^ 3 * x) <= 1e-9 * math.abs(k ^ 3 * x))
    end
    local title = t[#t - #cols[1]]
    assert.are.equal("#  k  chi  kchi  k2chi  k3chi", title)
  end)

  it("takes the XDI element and edge from the selected paths", function()
    for tree, edge in pairs { uo2_feff85 = "L3", uo2_feff6 = "L3" } do
      local src <close> = assert(mdx.open(data .. "/" .. tree))
      local avg = src:select { types = "U-O", reff = 3 }:average()
      assert.are.equal("U", avg.element)
      assert.are.equal(edge, avg.edge)  -- FEFF 6 writes LIII
      local chir = avg:xftf { kweight = 2, kmin = 3, kmax = 12 }
      assert(chir:write(file, { xdi = true }))
      local t = lines()
      assert.are.equal("# Element.symbol: U", t[2])
      assert.are.equal("# Element.edge: L3", t[3])
      assert.are.equal("U", src:select { types = "U-O" }:sums()[1].element)
    end
  end)

  it("writes chi(R) as r, Re, Im, |chi(R)|", function()
    local chir = chi:xftf { kweight = 2, kmin = 3, kmax = 14 }
    assert(chir:write(file))
    local cols = golden.columns(file)
    assert.are.equal(4, #cols)
    local mag = chir.mag
    for i = 1, #mag do  -- written with 11 significant digits
      assert(math.abs(cols[4][i] - mag[i]) <= 1e-10 * math.abs(mag[i]))
    end
  end)
end)
