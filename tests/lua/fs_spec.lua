-- What recipes ask of the file system without a shell: mdx.path_kind,
-- mdx.folder_empty and mdx.make_folders, on a fresh temporary folder.
local mdx = require "mdexafs"

describe("the file system helpers", function()
  local dir
  before_each(function()
    local p = io.popen "mktemp -d"
    dir = p:read "l"
    p:close()
  end)
  after_each(function() os.execute("rm -rf '" .. dir .. "'") end)

  it("tell a file, a folder, something else and nothing apart", function()
    assert.are.equal("folder", mdx.path_kind(dir))
    local f = assert(io.open(dir .. "/a.dat", "w"))
    f:close()
    assert.are.equal("file", mdx.path_kind(dir .. "/a.dat"))
    assert.are.equal("other", mdx.path_kind "/dev/null")
    assert.is_nil(mdx.path_kind(dir .. "/none"))
  end)

  it("say whether a folder is empty, and why they cannot", function()
    assert.is_true(mdx.folder_empty(dir))
    local f = assert(io.open(dir .. "/.hidden", "w"))
    f:close()
    assert.is_false(mdx.folder_empty(dir))  -- as ls -A sees it
    local empty, why = mdx.folder_empty(dir .. "/none")
    assert.is_nil(empty)
    assert.matches("none: No such file or directory", why, 1, true)
  end)

  it("make folders as mkdir -p, and refuse a file in the way", function()
    assert.is_true(mdx.make_folders(dir .. "/a/b/c"))
    assert.are.equal("folder", mdx.path_kind(dir .. "/a/b/c"))
    assert.is_true(mdx.make_folders(dir .. "/a/b/c/"))  -- there already
    local f = assert(io.open(dir .. "/x", "w"))
    f:close()
    local ok, why = mdx.make_folders(dir .. "/x/y")
    assert.is_nil(ok)
    assert.matches("Not a directory", why, 1, true)
    ok, why = mdx.make_folders(dir .. "/x")
    assert.is_nil(ok)
    assert.matches("x: Not a directory", why, 1, true)
    assert.has_error(function() mdx.make_folders "" end, "bad argument #1 to 'make_folders' (an empty path)")
  end)
end)
