-- r:wavelet against xraylarch's cauchy_wavelet (goldens/wavelet, made by
-- tests/tools/larch_wavelet.py from goldens/fit/ensemble.chik): the map's
-- size and R grid, and every golden point within 1e-10 of the map's peak,
-- for two k-weights and FFT lengths; then bad input.
local mdx = require "mdexafs"
local data = assert(os.getenv "MDX_TEST_DATA", "MDX_TEST_DATA not set")
local goldens = data .. "/goldens/wavelet/"
local chik = data .. "/goldens/fit/ensemble.chik"

local function golden(case)
  local g = { points = {} }
  for line in io.lines(goldens .. case .. ".txt") do
    local key, rest = line:match "^(%S+) (.*)$"
    if key == "w" then
      local i, j, re, im, mag = rest:match "^(%d+) (%d+) (%S+) (%S+) (%S+)$"
      g.points[#g.points + 1] = { tonumber(i) + 1, tonumber(j) + 1, tonumber(re), tonumber(im),
                                  tonumber(mag) }
    else
      g[key] = tonumber(rest)
    end
  end
  return g
end

describe("r:wavelet agrees with xraylarch's cauchy_wavelet", function()
  for _, case in ipairs { { "kw2", { kweight = 2 } },
                          { "kw3", { kweight = 3, rmax_out = 6, nfft = 1024 } } } do
    it(case[1], function()
      local g = golden(case[1])
      local w = assert(mdx.read_chi(chik)):wavelet(case[2])
      assert.are.equal(g.nk, w.nk)
      assert.are.equal(g.nr, w.nr)
      assert.are.equal(w.nr, #w.mag)
      assert.are.equal(w.nk, #w.mag[1])
      assert(math.abs(w.r[w.nr] - g.r_last) <= 1e-12)
      assert.are.equal(1e-19, w.r[1])
      local peak, worst = 0, 0
      for i = 1, w.nr do
        for j = 1, w.nk do peak = math.max(peak, w.mag[i][j]) end
      end
      assert(math.abs(peak - g.peak) <= 1e-10 * g.peak)
      assert(#g.points > 1000)
      for _, p in ipairs(g.points) do
        local i, j = p[1], p[2]
        worst = math.max(worst, math.abs(w.re[i][j] - p[3]), math.abs(w.im[i][j] - p[4]),
                         math.abs(w.mag[i][j] - p[5]))
      end
      assert(worst <= 1e-10 * g.peak, ("worst %.3g of the peak"):format(worst / g.peak))
    end)
  end
end)

describe("r:wavelet refuses", function()
  local r = assert(mdx.read_chi(chik))
  it("k-weighted results and unknown options", function()
    assert.has_error(function() r:kweight(2):wavelet() end,
      "wavelet: this result is k^2.0 chi(k); wavelet weights chi(k) itself (its kweight)")
    assert.has_error(function() r:wavelet { kw = 2 } end,
      "wavelet: unknown option 'kw' (known: kweight rmax_out nfft)")
  end)
  it("a grid larch would misread, and sizes it cannot make", function()
    local file = os.tmpname()
    local f = assert(io.open(file, "w"))
    f:write "# k chi\n0.1 0\n0.15 1\n0.2 0\n0.25 1\n"
    f:close()
    local odd = assert(mdx.read_chi(file))
    os.remove(file)
    assert.has_error(function() odd:wavelet() end,
      "wavelet: chi(k) must be on an even grid from k = 0, as larch assumes (k 0.1, 0.15 at rows 1, 2)")
    assert.has_error(function() r:wavelet { nfft = 1000 } end,
      "wavelet: nfft 1000 is not a power of two from 16 to 65536")
    assert.has_error(function() r:wavelet { rmax_out = 0 } end,
      "wavelet: rmax_out 0 Å is not within 0 .. 1000")
    -- larch would cut chi(k) at nfft/2 points and still map k to the end
    assert.has_error(function() r:wavelet { nfft = 512 } end,
      "wavelet: 301 points of chi(k) are more than nfft/2 = 256, where larch cuts it "
      .. "(at k = 12.75): give nfft 1024 or more")
  end)
end)
