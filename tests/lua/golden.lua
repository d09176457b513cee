-- Reading golden files: whitespace-separated columns after '#' lines.
local M = {}

-- The columns of `file` as arrays of numbers: cols[1] is the first.
function M.columns(file)
  local cols = {}
  for line in io.lines(file) do
    if not line:match "^%s*#" then
      local i = 0
      for word in line:gmatch "%S+" do
        i = i + 1
        cols[i] = cols[i] or {}
        table.insert(cols[i], (assert(tonumber(word), word)))
      end
    end
  end
  return cols
end

-- Largest |a[i] - b[i]|; the arrays must have the same length.
function M.maxdiff(a, b)
  assert(#a == #b, ("lengths differ: %d and %d"):format(#a, #b))
  local worst = 0
  for i = 1, #a do worst = math.max(worst, math.abs(a[i] - b[i])) end
  return worst
end

return M
