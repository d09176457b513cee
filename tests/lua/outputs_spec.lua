-- mdexafs.outputs: a recipe's files written all or none, as mdexafs gives
-- them (mdx.check_outputs, mdx.write_parts, mdx.write_all and the writers),
-- in a fresh temporary folder.
local mdx = require "mdexafs"
local outputs = require "mdexafs.outputs"

local dir = os.tmpname()
os.remove(dir)
assert(mdx.make_folders(dir .. "/folder"))
local made = {}  -- the files a test may have left, removed at the end

-- A path in the folder, removed at the end.
local function path(name)
  made[#made + 1] = dir .. "/" .. name
  return made[#made]
end

teardown(function()
  for _, file in ipairs(made) do os.remove(file) end
  os.remove(dir .. "/folder")
  os.remove(dir)
end)

-- The text of a file, or nil when there is none.
local function slurp(name)
  local f <close> = io.open(name)
  return f and f:read "a"
end

-- A result read from two "k chi" rows.
local function result()
  local file = path "in.dat"
  assert(assert(io.open(file, "w")):write "1 0.5\n2 0.25\n"):close()
  return assert(mdx.read_chi(file))
end

describe("mdexafs.outputs", function()
  it("is what mdexafs gives under the same names", function()
    for _, name in ipairs { "check_outputs", "write_parts", "write_all", "result_writer",
                            "text_writer" } do
      assert.are.equal(outputs[name], mdx[name], name)
    end
  end)
end)

describe("check_outputs", function()
  it("takes new files and files to replace, in folders that are there", function()
    local old = path "old.dat"
    assert(io.open(old, "w")):close()
    assert.has_no.errors(function()
      outputs.check_outputs { path "new.dat", old, dir .. "/folder/new.dat" }
    end)
  end)

  it("refuses a folder in a file's place and a file whose folder is missing", function()
    assert.has_error(function() outputs.check_outputs { path "a.dat", dir .. "/folder" } end,
                     dir .. "/folder: not a regular file: nothing written")
    assert.has_error(function() outputs.check_outputs { dir .. "/none/a.dat" } end,
                     dir .. "/none/a.dat: no folder " .. dir .. "/none: nothing written")
    assert.is_nil(slurp(dir .. "/a.dat"))
  end)
end)

describe("write_parts", function()
  it("writes every file through its part, and leaves no part", function()
    local a, b = path "a.txt", path "b.txt"
    outputs.write_parts {
      { a, path "a.part", outputs.text_writer "one\n" },
      { b, path "b.part", outputs.result_writer(result(), { precision = "full" }) },
    }
    assert.are.equal("one\n", slurp(a))
    assert.truthy(slurp(b):find("\n1 0.5\n2 0.25\n", 1, true), slurp(b))
    assert.is_nil(slurp(dir .. "/a.part"))
    assert.is_nil(slurp(dir .. "/b.part"))
  end)

  it("writes none when one fails, naming its file, not its part", function()
    local a, b = path "c.txt", path "d.txt"
    assert.has_error(function()
      outputs.write_parts {
        { a, path "c.part", outputs.text_writer "one\n" },
        { b, path "d.part", function(part) error(part .. ": no room", 0) end },
      }
    end, b .. ": no room")
    assert.is_nil(slurp(a))
    assert.is_nil(slurp(dir .. "/c.part"))
  end)

  it("checks every file before it writes any", function()
    local a = path "e.txt"
    assert.has_error(function()
      outputs.write_parts {
        { a, path "e.part", outputs.text_writer "one\n" },
        { dir .. "/folder", path "f.part", outputs.text_writer "two\n" },
      }
    end, dir .. "/folder: not a regular file: nothing written")
    assert.is_nil(slurp(a))
  end)
end)

describe("write_all", function()
  it("writes several results, every file or none", function()
    local r = result()
    local a, b = path "g.dat", path "h.dat"
    assert.is_true(outputs.write_all { { r, a }, { r * 2, b, { precision = "full" } } })
    assert.truthy(slurp(a):find("\n1.000000 0.500000\n", 1, true), slurp(a))
    assert.truthy(slurp(b):find("\n1 1\n2 0.5\n", 1, true), slurp(b))
    local c = path "i.dat"
    assert.error_matches(function()  -- the position of the write is the module's
      outputs.write_all { { r, c }, { r, path "j.dat", { precision = "bad" } } }
    end, "^[^ ]*outputs%.lua:%d+: write: precision must be one of: reference full$")
    assert.is_nil(slurp(c))
    assert.is_nil(slurp(c .. ".mdexafs-part"))
  end)
end)
