-- scripts/check-layout's layer rule on copies of the source tree: the tree
-- as it is passes; a call or an include from a layer to one above it, and
-- a file outside every layer folder, each fail with a line naming them.
local t = require "support"

local root = t.data .. "/../.."
local script = root .. "/scripts/check-layout"

-- A copy of src/, include/ and lua/ in a fresh folder.
local function copy_tree()
  local dir = t.tempdir()
  for _, part in ipairs { "src", "include", "lua" } do
    assert(t.sh(("cp -R %s %s"):format(t.q(root .. "/" .. part), t.q(dir))) == 0)
  end
  return dir
end

local function append(file, text)
  local f = assert(io.open(file, "a"))
  f:write(text)
  f:close()
end

local function check(dir)
  return t.sh(("lua5.4 %s %s"):format(t.q(script), t.q(dir)))
end

describe("check-layout's layers", function()
  it("pass the tree as it is", function()
    local dir = copy_tree()
    local code, out = check(dir)
    t.rmtree(dir)
    assert.are.equal(0, code)
    assert.truthy(out:find("12 layers in order", 1, true), out)
  end)

  it("refuse a call, an include and a file against them, naming each", function()
    local dir = copy_tree()
    append(dir .. "/src/core/util/grow.c",
           "int mdx_up(void) { return mdx_source_choose(0, 0, 0, 0); }\n")
    append(dir .. "/src/core/feff/feff.c", '#include "query/query_private.h"\n')
    append(dir .. "/src/core/loose.c", "int mdx_loose(void) { return 0; }\n")
    local code, _, err = check(dir)
    t.rmtree(dir)
    assert.are.equal(1, code)
    for _, want in ipairs {
      "src/core/util/grow.c: line %d+ calls mdx_source_choose%(%) of "
        .. "src/core/query/source_choose.c, a layer above %(util comes before query%)",
      "src/core/feff/feff.c: line %d+ includes src/core/query/query_private.h, a "
        .. "layer above %(feff comes before query%)",
      "src/core/loose.c: not in a layer folder of src/core",
    } do
      assert.truthy(err:find(want), err)
    end
  end)
end)
