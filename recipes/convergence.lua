-- Convergence: how the average moves as frames are added. Writes the
-- average over the first 1, 2, ... frames (all their atoms) as
-- OUTPREFIX_NNN.dat, and prints per step the largest and the RMS change
-- of k^2 chi against the average of all frames.
--
--   mdexafs recipes/convergence.lua SOURCE OUTPREFIX TYPE[:RMAX]...
local mdx = require "mdexafs"

local usage = "usage: mdexafs convergence.lua SOURCE OUTPREFIX TYPE[:RMAX]..."
local pos = mdx.args(arg, usage, 3)

local types = {}
for i = 3, #pos do
  local name, rmax = pos[i]:match "^([^:]+):?(.*)$"
  types[name] = tonumber(rmax) or math.huge
end

local src <close> = mdx.source(pos[1])
local sums = src:select { types = types }:sums()  -- one per folder
local final = src:select { types = types }:average():kweight(2)

local frames, total, count, step = {}, nil, 0, 0
print("frames folders   max|dk2chi|   rms|dk2chi|")
for i, s in ipairs(sums) do
  total = total and total + s or s
  count = count + 1
  local last_of_frame = not sums[i + 1] or sums[i + 1].frame ~= s.frame
  if last_of_frame then
    step = step + 1
    frames[#frames + 1] = s.frame
    local avg = total / count
    assert(avg:write(("%s_%03d.dat"):format(pos[2], step)))
    local diff, max, sq = (avg:kweight(2) - final).chi, 0, 0
    for _, d in ipairs(diff) do
      max = math.max(max, math.abs(d))
      sq = sq + d * d
    end
    print(("%6d %7d %13.6f %13.6f"):format(step, count, max, math.sqrt(sq / #diff)))
  end
end
