-- mdexafs.outputs: a recipe's output files written whole, every one of
-- them or none: checked before anything is written, each written to a
-- temporary name beside it, then all renamed into place. mdexafs gives
-- each of these functions under its own name (mdx.write_parts, ...).
local core = require "mdexafs.core"

local M = {}

--- Refuse, before anything is written, outputs that exist as something
-- other than a regular file (a folder, say), or whose folder is missing:
-- one line naming the file.
function M.check_outputs(files)
  for _, file in ipairs(files) do
    local kind = core.path_kind(file)
    if kind and kind ~= "file" then
      error(("%s: not a regular file: nothing written"):format(file), 0)
    end
    local folder = file:match "^(.*)/[^/]*$"
    if folder and folder ~= "" and core.path_kind(folder) ~= "folder" then
      error(("%s: no folder %s: nothing written"):format(file, folder), 0)
    end
  end
end

--- The first output that is one of the inputs, whatever the names
-- (a link, another path to the same file), and that input; nil when none
-- is. Files that do not exist yet are no input.
function M.overwrites(outputs, inputs)
  for _, out in ipairs(outputs) do
    local o = core.file_info(out)
    for _, input in ipairs(inputs) do
      local i = input and core.file_info(input)
      if out == input or (o and i and o.device == i.device and o.inode == i.inode) then
        return out, input
      end
    end
  end
end

--- Write several outputs whole, all of them or none: write(part) is
-- called for each {file, part, write} with a temporary name beside the
-- file; when all succeeded they are renamed into place, else the parts
-- are removed and the first failure raised, naming the file.
function M.write_parts(outputs)
  local files = {}
  for i, o in ipairs(outputs) do files[i] = o[1] end
  M.check_outputs(files)
  local function undo() for _, o in ipairs(outputs) do os.remove(o[2]) end end
  for _, o in ipairs(outputs) do
    local ok, err = pcall(o[3], o[2])
    if not ok then
      undo()
      error((tostring(err):gsub(o[2]:gsub("%p", "%%%0"), o[1])), 0)
    end
  end
  for _, o in ipairs(outputs) do
    local ok, err = os.rename(o[2], o[1])
    if not ok then
      undo()
      error(err, 0)
    end
  end
end

--- Write result with `options` to a file (for write_parts).
function M.result_writer(result, options)
  return function(file)
    local ok, err = result:write(file, options)
    if not ok then error(err, 0) end
  end
end

--- Write `text` to `file` (for write_parts).
function M.text_writer(text)
  return function(file)
    local f = assert(io.open(file, "w"))
    assert(f:write(text))
    assert(f:close())
  end
end

--- Write several results as one: every file, or none. `files` is a list
-- of {result, file, options}; each is written to a temporary name beside
-- its file, and all are renamed only when all were written (write_parts).
-- Raises the first failure (after removing what it wrote).
function M.write_all(files)
  local outputs = {}
  for i, f in ipairs(files) do
    outputs[i] = { f[2], f[2] .. ".mdexafs-part", M.result_writer(f[1], f[3]) }
  end
  local ok, err = pcall(M.write_parts, outputs)
  if not ok then error(err, 2) end
  return true
end

return M
