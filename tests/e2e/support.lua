-- Helpers for the end-to-end specs: run the mdexafs binary, make trees.
local M = {}

M.bin = assert(os.getenv "MDX_BIN", "MDX_BIN not set")
M.data = assert(os.getenv "MDX_TEST_DATA", "MDX_TEST_DATA not set")

-- Quote s for the shell.
function M.q(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end

-- Run a shell command; return its exit code, stdout and stderr.
function M.sh(cmd)
  local err = os.tmpname()
  local pipe = assert(io.popen(cmd .. " 2>" .. err))
  local out = pipe:read "a"
  local _, _, code = pipe:close()
  local f = assert(io.open(err))
  local stderr = f:read "a"
  f:close()
  os.remove(err)
  return code, out, stderr
end

-- The whole of a file, or nil when it cannot be read.
function M.read(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read "a"
  f:close()
  return s
end

-- Write text as the whole of a file.
function M.write(path, text)
  local f = assert(io.open(path, "w"))
  assert(f:write(text))
  assert(f:close())
end

-- Run mdexafs with already-quoted arguments.
function M.run(args)
  return M.sh(M.bin .. " " .. args)
end

-- A fresh temporary folder.
function M.tempdir()
  local code, out = M.sh "mktemp -d /tmp/mdx_e2e_XXXXXX"
  assert(code == 0)
  return (out:gsub("%s+$", ""))
end

-- The rows of numbers of a column file ('#' lines are comments).
function M.data_rows(text)
  local rows = {}
  for line in text:gmatch "[^\n]+" do
    if not line:match "^#" then
      local row = {}
      for w in line:gmatch "%S+" do row[#row + 1] = tonumber(w) end
      rows[#rows + 1] = row
    end
  end
  return rows
end

function M.rmtree(dir)
  assert(M.sh("rm -rf " .. M.q(dir)) == 0)
end

-- A tree of n folders whose files are symbolic links to the sample's,
-- each folder its own (frame, atom).
function M.linked_tree(dir, n)
  local samples = {}
  for _, f in ipairs { "frame_500/atom_0", "frame_500/atom_1",
                       "frame_510/atom_0", "frame_510/atom_1" } do
    samples[#samples + 1] = M.data .. "/uo2_feff85/" .. f
  end
  local script = {}
  for i = 1, n do
    local d = string.format("%s/batch_%d/frame_%d/atom_%d", dir, i % 3,
                            1000 + i // 2, i % 2)
    script[#script + 1] = "mkdir -p " .. M.q(d) .. " && ln -s "
      .. M.q(samples[(i - 1) % 4 + 1]) .. "/* " .. M.q(d)
  end
  assert(M.sh(table.concat(script, " && ")) == 0)
end

-- The number after `key` in `mdexafs info DB`, or nil.
function M.info_number(db, key)
  local code, out = M.run("info " .. M.q(db))
  if code ~= 0 then return nil end
  return tonumber(out:match(key .. "%s+(%d+)"))
end

-- The content digest `mdexafs check` prints.
function M.digest(db)
  local code, out, err = M.run("check " .. M.q(db))
  assert(code == 0, "check failed: " .. out .. err)
  return out:match "digest%s+(%x+)"
end

return M
