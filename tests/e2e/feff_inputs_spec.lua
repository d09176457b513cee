-- recipes/feff_inputs.lua end to end: the quick start's UO2 example
-- checked against a brute-force cluster computed here from the XYZ text,
-- a rerun that rewrites nothing, a changed configuration refused by
-- folder, the same clusters from extended XYZ and LAMMPS dumps of one ASE
-- MD run, each way of choosing absorbers, and each mistake refused with
-- one line (exit 2 for a mistaken configuration, 1 for bad data) and
-- nothing written.
package.path = debug.getinfo(1, "S").source:match "^@(.*/)" .. "?.lua;" .. package.path
local t = require "support"
local q = t.q

local md = t.data .. "/md"

local function read(path) return assert(t.read(path), path) end
local write = t.write

-- A configuration file in dir: the settings of `lua`, after a line
-- pointing at the trajectory.
local function config(dir, trajectory, lua)
  local path = dir .. "/config.lua"
  write(path, ("trajectory = %q\n%s\n"):format(trajectory, lua))
  return path
end

local header = 'header = "TITLE t\\nEDGE K"\n'

-- The ATOMS of a feff.inp: {x, y, z, ipot, element} each.
local function atoms_of(text)
  local out = {}
  local block = assert(text:match "\nATOMS\n(.-)END\n$", "no ATOMS ... END")
  for line in block:gmatch "[^\n]+" do
    local x, y, z, ipot, el = line:match "^(%S+)\t(%S+)\t(%S+)\t(%d+)\t(%a+)$"
    assert(x, "not an ATOMS line: " .. line)
    out[#out + 1] = { tonumber(x), tonumber(y), tonumber(z), tonumber(ipot), el }
  end
  return out
end

local function field(record, key) return record:match("\n" .. key .. " = ([^\n]+)") end

-- Frames of an XYZ file with numeric types: { {type, x, y, z}, ... } each.
local function xyz_frames(path)
  local frames, lines = {}, {}
  for line in io.lines(path) do lines[#lines + 1] = line end
  local i = 1
  while i <= #lines do
    local n = tonumber(lines[i])
    local atoms = {}
    for k = 1, n do
      local w = {}
      for s in lines[i + 1 + k]:gmatch "%S+" do w[#w + 1] = s end
      atoms[k] = { w[1], tonumber(w[2]), tonumber(w[3]), tonumber(w[4]) }
    end
    frames[#frames + 1] = atoms
    i = i + n + 2
  end
  return frames
end

-- Sorted distances of every image within rc of atom a in a cube of side L.
local function brute_distances(atoms, a, L, rc)
  local d = {}
  local o = atoms[a]
  for j, p in ipairs(atoms) do
    for nx = -2, 2 do for ny = -2, 2 do for nz = -2, 2 do
      if not (j == a and nx == 0 and ny == 0 and nz == 0) then
        local dx, dy, dz = p[2] - o[2] + nx * L, p[3] - o[3] + ny * L, p[4] - o[4] + nz * L
        local r = math.sqrt(dx * dx + dy * dy + dz * dz)
        if r <= rc then d[#d + 1] = r end
      end
    end end end
  end
  table.sort(d)
  return d
end

local function distances(atoms)
  local d = {}
  for i = 2, #atoms do
    local a = atoms[i]
    d[#d + 1] = math.sqrt(a[1] ^ 2 + a[2] ^ 2 + a[3] ^ 2)
  end
  return d
end

local function folders(out)
  local _, list = t.sh("cd " .. q(out) .. " && find . -name feff.inp | sort")
  local names = {}
  for p in list:gmatch "%./([^\n]+)/feff%.inp" do names[#names + 1] = p end
  return names
end

-- mtime (ns) and content of every file under dir.
local function snapshot(dir)
  local _, list = t.sh("find " .. q(dir) .. " -type f -printf '%p %T@\\n' | sort")
  return list
end

describe("feff_inputs", function()
  local dir
  before_each(function() dir = t.tempdir() end)
  after_each(function() t.rmtree(dir) end)

  it("writes the quick start's folders, each cluster the brute force's", function()
    local out = dir .. "/feff"
    local code, _, err = t.run("feff_inputs " .. q(md .. "/uo2_config.lua") .. " --output=" .. q(out))
    assert.are.equal(0, code, err)
    assert.truthy(err:find("3 frames, 6 folders written", 1, true), err)
    local names = folders(out)
    assert.are.equal(6, #names)
    local frames = xyz_frames(md .. "/uo2.xyz")
    for _, name in ipairs(names) do
      local frame, id = name:match "^frame_(%d+)/atom_(%d+)$"
      local inp = read(out .. "/" .. name .. "/feff.inp")
      local rec = read(out .. "/" .. name .. "/atom.txt")
      assert.are.equal(id, field(rec, "atom"))
      assert.are.equal(frame, field(rec, "frame"))
      assert.are.equal("U", field(rec, "element"))
      assert.truthy(inp:find("^TITLE   UO2 MD snapshot\nEDGE      L3\n"))
      local atoms = atoms_of(inp)
      assert.are.equal(tonumber(field(rec, "cluster_atoms")), #atoms)
      assert.are.same({ 0, 0, 0, 0, "U" }, atoms[1])
      -- the atom is the trajectory's atom id (from 0), in the frame named
      local src = frames[tonumber(frame) + 1][tonumber(id) + 1]
      assert.are.equal("1", src[1])
      local px, py, pz = field(rec, "position"):match "(%S+) (%S+) (%S+)"
      assert.are.equal(("%.6f %.6f %.6f"):format(src[2], src[3], src[4]),
                       ("%s %s %s"):format(px, py, pz))
      -- the distances of the brute force over images, nearest first
      local want = brute_distances(frames[tonumber(frame) + 1], tonumber(id) + 1, 10.94, 7.0)
      local got = distances(atoms)
      assert.are.equal(#want, #got)
      for k = 1, #want do
        assert.is_true(math.abs(want[k] - got[k]) < 2e-6, ("%s: %g %g"):format(name, want[k], got[k]))
        if k > 1 then assert.is_true(got[k] >= got[k - 1] - 2e-6) end
      end
      -- POTENTIALS: each element's count, O before U, absorber 0
      local nO, nU = 0, 0
      for k = 2, #atoms do
        if atoms[k][5] == "O" then nO = nO + 1; assert.are.equal(1, atoms[k][4])
        else nU = nU + 1; assert.are.equal(2, atoms[k][4]) end
      end
      assert.truthy(inp:find(("\n    1   8    O     %-1d      %-1d       %d\n"):format(-1, -1, nO), 1, true))
      assert.truthy(inp:find(("\n    2   92    U     -1      -1       %d\n"):format(nU), 1, true))
    end
  end)

  it("rewrites nothing on a rerun and refuses a changed configuration by folder", function()
    local out = dir .. "/feff"
    local cfg = md .. "/uo2_config.lua"
    assert.are.equal(0, (t.run("feff_inputs -q " .. q(cfg) .. " --output=" .. q(out))))
    local before = snapshot(out)
    local code, _, err = t.run("feff_inputs " .. q(cfg) .. " --output=" .. q(out))
    assert.are.equal(0, code, err)
    assert.truthy(err:find("0 folders to write, 6 already there", 1, true), err)
    assert.are.equal(before, snapshot(out))
    -- another cutoff: every folder would change; nothing is written
    local changed = config(dir, md .. "/uo2.xyz", read(cfg):gsub("trajectory = [^\n]+\n", "")
      :gsub("cutoff = 7.0", "cutoff = 6.5"))
    code, _, err = t.run("feff_inputs " .. q(changed) .. " --output=" .. q(out))
    assert.are.equal(1, code)
    assert.truthy(err:find("6 folders would change, nothing written", 1, true), err)
    assert.truthy(err:find("/frame_0/atom_12/feff.inp", 1, true), err)
    assert.are.equal(1, select(2, err:gsub("\n", "")))
    assert.are.equal(before, snapshot(out))
    -- more frames, the same picks in the old ones: only the new are written
    local more = config(dir, md .. "/uo2.xyz", read(cfg):gsub("trajectory = [^\n]+\n", "")
      :gsub("count = 2", "count = 3"))
    code, _, err = t.run("feff_inputs " .. q(more) .. " --output=" .. q(out))
    assert.are.equal(0, code, err)
    assert.truthy(err:find("3 folders written, 6 already there", 1, true), err)
    -- fewer: the folders no longer chosen are named
    local fewer = config(dir, md .. "/uo2.xyz", read(cfg):gsub("trajectory = [^\n]+\n", "")
      :gsub("count = 2", "count = 1"))
    code, _, err = t.run("feff_inputs " .. q(fewer) .. " --output=" .. q(out) .. " --dry-run")
    assert.are.equal(1, code)
    assert.truthy(err:find("not an absorber of this configuration", 1, true), err)
  end)

  it("gives the same clusters from extended XYZ and a LAMMPS dump of one MD run", function()
    for _, system in ipairs { "cu_cubic", "cu_tri" } do
      local common = header .. "cutoff = 6.0\nframes = { first = 1, step = 2 }\n"
      local a = config(dir, md .. "/" .. system .. ".extxyz",
        common .. "absorbers = { ids = { 0, 17, 63 } }\noutput = '" .. system .. "_xyz'")
      assert.are.equal(0, (t.run("feff_inputs -q " .. q(a))))
      local b = config(dir, md .. "/" .. system .. ".dump",
        common .. "types = { [1] = 'Cu' }\nabsorbers = { ids = { 1, 18, 64 } }\noutput = '" .. system .. "_dump'")
      assert.are.equal(0, (t.run("feff_inputs -q " .. q(b))))
      for _, frame in ipairs { 1, 3 } do
        for k, id in ipairs { 0, 17, 63 } do
          local x = atoms_of(read(("%s/%s_xyz/frame_%d/atom_%d/feff.inp"):format(dir, system, frame, id)))
          local y = atoms_of(read(("%s/%s_dump/frame_%d/atom_%d/feff.inp"):format(dir, system, frame, ({ 1, 18, 64 })[k])))
          assert.are.equal(#x, #y)
          local dx, dy = distances(x), distances(y)
          for i = 1, #dx do assert.is_true(math.abs(dx[i] - dy[i]) < 2e-6) end
          if system == "cu_cubic" then   -- the same orientation: the same atoms
            for i = 1, #x do
              for c = 1, 3 do assert.is_true(math.abs(x[i][c] - y[i][c]) < 2e-6) end
            end
          end
        end
      end
    end
  end)

  it("chooses absorbers by id, by a Lua rule, and at random reproducibly", function()
    local traj = md .. "/uo2.xyz"
    local base = header .. "types = { [1] = 'U', [2] = 'O' }\ncutoff = 4.0\nframes = { last = 0 }\n"
      .. "cell = { a = { 10.94, 0, 0 }, b = { 0, 10.94, 0 }, c = { 0, 0, 10.94 } }\n"
    -- U atoms with fewer than 8 O within 2.45 Å: each chosen one has, no other U
    local rule = config(dir, traj, base .. [[
absorbers = { element = "U", where = function(atom, frame)
  return frame:cluster(atom.index, 2.45):count("O") < 8 end }
output = "rule"]])
    local code, _, err = t.run("feff_inputs -q " .. q(rule))
    assert.are.equal(0, code, err)
    local chosen = {}
    for _, name in ipairs(folders(dir .. "/rule")) do chosen[tonumber(name:match "atom_(%d+)")] = true end
    local frame = xyz_frames(traj)[1]
    local n = 0
    for i, atom in ipairs(frame) do
      if atom[1] == "1" then
        local o = 0
        for _, p in ipairs(frame) do
          if p[1] == "2" then
            for nx = -1, 1 do for ny = -1, 1 do for nz = -1, 1 do
              local dx, dy, dz = p[2] - atom[2] + nx * 10.94, p[3] - atom[3] + ny * 10.94,
                                 p[4] - atom[4] + nz * 10.94
              if dx * dx + dy * dy + dz * dz <= 2.45 ^ 2 then o = o + 1 end
            end end end
          end
        end
        assert.are.equal(o < 8, chosen[i - 1] == true, ("atom %d: %d O"):format(i - 1, o))
        if o < 8 then n = n + 1 end
      end
    end
    assert.is_true(n > 0 and n < 32, "the rule chose " .. n .. " of 32")
    -- the same seed picks the same atoms; the picks are U atoms
    local r1 = config(dir, traj, base .. "absorbers = { element = 'U', count = 4, seed = 9 }\noutput = 'r1'")
    assert.are.equal(0, (t.run("feff_inputs -q " .. q(r1))))
    local r2 = config(dir, traj, base .. "absorbers = { element = 'U', count = 4, seed = 9 }\noutput = 'r2'")
    assert.are.equal(0, (t.run("feff_inputs -q " .. q(r2))))
    assert.are.same(folders(dir .. "/r1"), folders(dir .. "/r2"))
    assert.are.equal(4, #folders(dir .. "/r1"))
    -- ids: exactly those
    local ids = config(dir, traj, base .. "absorbers = { ids = { 40, 5 } }\noutput = 'ids'")
    assert.are.equal(0, (t.run("feff_inputs -q " .. q(ids))))
    assert.are.same({ "frame_0/atom_40", "frame_0/atom_5" }, folders(dir .. "/ids"))
  end)

  it("refuses what is in the way of its folders and files, having written nothing", function()
    local cfg = md .. "/uo2_config.lua"
    local function run(out, extra)
      return t.run("feff_inputs " .. q(cfg) .. " --output=" .. q(out) .. (extra or ""))
    end
    write(dir .. "/afile", "x")
    local code, _, err = run(dir .. "/afile")
    assert.are.equal(2, code)
    assert.truthy(err:find("output " .. dir .. "/afile: not a folder", 1, true), err)
    -- a file where frame_1 goes
    assert.are.equal(0, (t.sh("mkdir " .. q(dir .. "/w1") .. " && touch " .. q(dir .. "/w1/frame_1"))))
    code, _, err = run(dir .. "/w1")
    assert.are.equal(1, code)
    assert.truthy(err:find("frame_1: a file, where a folder goes: nothing written", 1, true), err)
    assert.are.equal("", select(2, t.sh("ls " .. q(dir .. "/w1") .. " | grep -v '^frame_1$'")))
    -- a folder where feff.inp goes
    assert.are.equal(0, (t.sh("mkdir -p " .. q(dir .. "/w2/frame_0/atom_12/feff.inp"))))
    code, _, err = run(dir .. "/w2")
    assert.are.equal(1, code)
    assert.truthy(err:find("atom_12/feff.inp: a folder, where a file goes", 1, true), err)
    -- an option where a value goes; a word too many
    code, _, err = t.run("feff_inputs " .. q(cfg) .. " --output --dry-run")
    assert.are.equal(2, code)
    assert.truthy(err:find("--output needs a value, not the option '--dry-run'", 1, true), err)
    code, _, err = t.run("feff_inputs " .. q(cfg) .. " extra")
    assert.are.equal(2, code)
    assert.truthy(err:find("unexpected argument 'extra'", 1, true), err)
  end)

  it("refuses a dump whose NUMBER OF ATOMS is short of its rows, even in its last frame read", function()
    local text = read(md .. "/cu_cubic.dump"):gsub("NUMBER OF ATOMS\n108\n", "NUMBER OF ATOMS\n107\n", 1)
    write(dir .. "/short.dump", text)
    local cfg = config(dir, dir .. "/short.dump", header .. "types = { [1] = 'Cu' }\n"
      .. "frames = { last = 0 }\nabsorbers = { element = 'Cu' }\ncutoff = 4.0\noutput = 'out'")
    local code, _, err = t.run("feff_inputs " .. q(cfg))
    assert.are.equal(1, code)
    assert.truthy(err:find("short.dump:117: frame 0 has more rows than its NUMBER OF ATOMS (107)", 1, true), err)
    assert.is_nil(io.open(dir .. "/out"))
  end)

  -- { settings, exit status, words of the one line }
  local mistakes = {
    { "absorbers = { element = 'U' }\ncutof = 5", 2, "unknown setting 'cutof'" },
    { "absorbers = { element = 'U', count = 3 }", 2, "give a whole-number seed" },
    { "absorbers = { element = 'Uu' }", 2, "absorbers.element: Uu is not an element" },
    { "absorbers = { element = 'U' }\ncutoff = -1", 2, "cutoff must be a positive radius" },
    { "absorbers = { element = 'U' }\ncutoff = 'far'", 2, "cutoff must be a number" },
    { "absorbers = { element = 'U' }\nheader = nil", 2, "no header" },
    { "absorbers = { element = 'U' }\nthis is not lua", 2, "config.lua:" },
    { "absorbers = { element = 'U', count = 40, seed = 1 }", 1, "32 atoms meet absorbers' rule, 40 asked for" },
    { "absorbers = { ids = { 500 } }", 1, "frame 0 has no atom 500" },
    { "absorbers = { element = 'U' }\nframes = { first = 5 }", 1, "3 frames: no frame 5" },
    { "absorbers = { element = 'U' }\ntypes = { [1] = 'U' }", 1, "uo2.xyz:7: atom type 2 is not in the type map" },
    { "absorbers = { element = 'U' }\ncell = { a = { 1, 0, 0 }, b = { 0, 1, 0 }, c = { 1, 1, 0 } }", 2, "lie in a plane" },
    { "absorbers = { element = 'U' }\ncell = { a = { 10.94, 0, 0 }, b = { 0, 10.94, 0 }, c = { 0, 0, 1.5 } }", 1, "closer than 0.9260 Å" },
    { "absorbers = { element = 'U' }\nheader = 'TITLE x\\nATOMS'", 2, "ATOMS card" },
    { "absorbers = { element = 'U' }\npotentials = { 'O' }", 1, "no potential for U" },
    -- what the library would refuse only with frames read, refused first
    { "absorbers = { element = 'U' }\nformat = 'XYZ'", 2, 'format must be "xyz" or "lammps"' },
    { "absorbers = { element = 'U' }\ntypes = { [1] = 'U', [2] = 'u' }", 2, "types: type 2: u is not an element" },
    { "absorbers = { element = 'U' }\ntypes = { [true] = 'U' }", 2, "types: a key must be a type number or label" },
    { "absorbers = { element = 'U' }\ncell = { a = { 0/0, 0, 0 }, b = { 0, 1, 0 }, c = { 0, 0, 1 } }", 2, "lattice vector a is not finite" },
    { "absorbers = { element = 'U' }\nframes = { first = -1 }", 2, "frames: first and last count from 0" },
    { "absorbers = { element = 'U' }\nframes = { frist = 1 }", 2, "frames: unknown key 'frist'" },
    { "absorbers = { element = 'U' }\nframes = { first = 1.5 }", 2, "frames.first must be a whole number" },
    { "absorbers = { element = 'U' }\nmin_distance = -1", 2, "min_distance must be a distance from 0" },
    { "absorbers = { element = 'U' }\nmax_atoms = 1", 2, "max_atoms must be a whole number from 2" },
    { "absorbers = { element = 'U' }\npotentials = { 'O', 'O' }", 2, "potentials 1 and 2 are both O" },
    { "absorbers = { element = 'U' }\npotentials = { 'O', 'Xx' }", 2, 'potentials[2]: "Xx" is not an element' },
    { "absorbers = { element = 'U' }\npotentials = { 'O', 'U' }\nheader = 'POTENTIALS\\n0 92 U\\n1 8 O\\n2 92 U'", 2, "potentials given twice" },
    { "absorbers = { element = 'U' }\ntrajectory = 'nowhere.xyz'", 2, "nowhere.xyz: no such file" },
    { "absorbers = { element = 'U' }\ntrajectory = '.'", 2, "/.: not a file" },
    { "return 42", 2, "returns a number, not a table of settings" },
    -- data and rules found wrong when frames are read
    { "absorbers = { element = 'U', where = function(atom) return atom.nope.x end }", 1,
      "absorbers.where, frame 0, atom 0: " },
    { "absorbers = { element = 'U' }\ncutoff = 9.0\nmax_atoms = 100", 1, "more than max_atoms = 100" },
    { "absorbers = { element = 'U' }\ncutoff = 1.5", 1, "no atom within the cutoff of atom 0" },
  }
  for _, m in ipairs(mistakes) do
    it("refuses " .. m[1]:gsub("\n", "; "), function()
      local settings = "types = { [1] = 'U', [2] = 'O' }\nframes = { last = 0 }\ncutoff = 4.0\n"
        .. "cell = { a = { 10.94, 0, 0 }, b = { 0, 10.94, 0 }, c = { 0, 0, 10.94 } }\n"
        .. header .. "output = 'out'\n" .. m[1]
      local cfg = config(dir, md .. "/uo2.xyz", settings)   -- a later trajectory = wins
      local code, out, err = t.run("feff_inputs " .. q(cfg))
      assert.are.equal(m[2], code, err)
      assert.are.equal("", out)
      assert.truthy(err:find(m[3], 1, true), err)
      assert.are.equal(1, select(2, err:gsub("\n", "")), err)
      assert.is_nil(io.open(dir .. "/out"))
    end)
  end
end)
