-- The mistakes a careless user makes with the commands and the Lua API
-- (recipe arguments are args_spec's). Each is refused with exit status 1
-- (2 for a command-line usage mistake), one line on stderr naming the
-- culprit, and nothing left behind: no output file, no database, no file
-- changed. What is merely spelled another way gives the same output.
package.path = debug.getinfo(1, "S").source:match "^@(.*/)" .. "?.lua;" .. package.path
local t = require "support"
local q = t.q

local recipes = t.data .. "/../../recipes/"
local feff6 = t.data .. "/uo2_feff6"
local feff85 = t.data .. "/uo2_feff85"

-- A Lua script run as `mdexafs SCRIPT DB OUT`: `src` is the database
-- opened; `select` cases write the average of their selection to OUT.
local prelude = 'local mdx = require "mdexafs"\nlocal src = assert(mdx.open(arg[1]))\n'
local function select_script(selection)
  return prelude .. "local avg = src:select " .. selection .. ":average()\n"
    .. "print(avg)\nassert(avg:write(arg[2]))\n"
end

-- In `cmd` and `setup`, these words stand for (quoted) paths: DB the
-- database of uo2_feff6, CASE the case's own folder, OUT the file
-- CASE/out.dat, SCRIPT CASE/script.lua, FILE a good path file, DATA the
-- test data, RECIPES the recipes, P85 and P6 shards of two trees.
-- `select` or `lua` cases run `mdexafs SCRIPT DB OUT`.
-- { name, cmd | select | lua | script, setup =, status = (1), says = {...} }
local mistakes = {
  -- select{} values
  { 'select{atoms = "x"}', select = '{atoms = "x"}', says = { "'atoms'", "string" } },
  { "select{atoms = 1.5}", select = "{atoms = 1.5}", says = { "'atoms'", "1.5" } },
  { "select{atoms = {}}", select = "{atoms = {}}", says = { "'atoms'", "empty" } },
  { "select{frames = 1e19}", select = "{frames = 1e19}", says = { "'frames'", "1e+19" } },
  { "select{frames = {}}", select = "{frames = {}}", says = { "'frames'" } },
  { "select{frames = {500}}", select = "{frames = {500}}", says = { "'frames'", "{low, high}" } },
  { 'select{frames = "500:520"}', select = '{frames = "500:520"}', says = { "'frames'", "{low, high}" } },
  { "select{nleg = 2.5}", select = "{nleg = 2.5}", says = { "'nleg'", "2.5" } },
  { "select{reff = 0/0}", select = "{reff = 0/0}", says = { "'reff'", "NaN" } },
  { "select{reff = {3.0, 1.0}}", select = "{reff = {3.0, 1.0}}", says = { "'reff'", "empty" } },
  { 'select{types = {["U-O"] = 0/0}}', select = '{types = {["U-O"] = 0/0}}', says = { "'types'", "'U-O'" } },
  { 'select{types = {["U-O"] = -1}}', select = '{types = {["U-O"] = -1}}', says = { "'types'", "'U-O'", "-1" } },
  { 'select{types = "U-O:3.0"} (recipe syntax)', select = '{types = "U-O:3.0"}', says = { "U-O:3.0" } },
  { 'select{type = "U-O"} (unknown key)', select = '{type = "U-O"}', says = { "unknown key 'type'" } },
  { "select{where = ...p.nlegs...} (misspelt field)",
    select = "{where = function(p) return p.nlegs == 2 end}", says = { "path has no field 'nlegs'" } },
  { "select{folders = ...f.atoms...} (misspelt field)",
    select = "{folders = function(f) return f.atoms end}", says = { "folder has no field 'atoms'" } },
  { 'select{empty = "none"}', select = '{empty = "none"}', says = { "'empty'", "'none'" } },
  -- transform ranges that give no finite chi(R)
  { "xftf{kmax = 1e300}", lua = 'print(src:select{types = {"U-O"}}:average():xftf{kmax = 1e300})',
    says = { "xftf", "far beyond the data" } },
  { "xftf{dk = 0/0}", lua = 'print(src:select{types = {"U-O"}}:average():xftf{dk = 0/0})',
    says = { "xftf", "finite" } },
  { "xftf{kweight = 0/0}", lua = 'print(src:select{types = {"U-O"}}:average():xftf{kweight = 0/0})',
    says = { "xftf", "finite" } },
  { "xftf{dk = -1}", lua = 'print(src:select{types = {"U-O"}}:average():xftf{dk = -1})',
    says = { "xftf", "negative" } },
  -- found by a second hunt
  { "params = {degen = 0/0}", select = "{params = {degen = 0/0}}", says = { "'degen'", "not a finite number" } },
  { "params = {degen = -1}", select = "{params = {degen = -1}}", says = { "'degen'", "counts paths" } },
  { 'types = {"U-O", ["U-O"] = 3} (one type twice)', select = '{types = {"U-O", ["U-O"] = 3}}',
    says = { "'U-O' twice" } },
  { "mdx.plot of a NaN result", lua = 'local a = src:select{}:average(); '
      .. 'assert(mdx.plot{file = arg[2] .. ".png", results = {a * (0/0)}, labels = {"x"}})',
    says = { "plot", "not finite" } },
  { "read_chi of a file whose k goes back", setup = "printf '0 1\\n1 2\\n0.5 3\\n2 4\\n' > CASE/u.dat",
    lua = 'assert(mdx.read_chi((arg[2]:gsub("out.dat$", "u.dat"))))', says = { "u.dat:3", "does not increase" } },
  { "xftf{kmin = 25} (beyond the data)", lua = 'print(src:select{}:average():xftf{kmin = 25, kmax = 30})',
    says = { "kmin 25", "beyond the end of the data" } },
  { "a recipe in a folder named with '?'", setup = "mkdir -p 'CASE/q?x' && echo 'print(1)' > 'CASE/q?x/r.lua'",
    cmd = "'CASE/q?x/r.lua'", says = { "'?' or ';'" } },
  { "a script requiring a module that is not there", script = 'require "nothere"',
    says = { "module 'nothere' not found" } },
  { "chi --sigma2 given twice", cmd = "chi --sigma2 0.003 --sigma2 0.004 FILE", status = 2,
    says = { "--sigma2 given twice" } },
  { "convergence.lua whose file is a folder (none written)", setup = "mkdir -p CASE/cv_001.dat",
    cmd = "RECIPES/convergence.lua -q DATA/uo2_feff85 CASE/cv U-O:3.0", says = { "cv_001.dat", "not a regular file" } },
  { "decompose.lua whose U-O file is a folder (none written)", setup = "mkdir -p CASE/dd_U-O.dat",
    cmd = "RECIPES/decompose.lua -q DB CASE/dd --rmax=3.0", says = { "dd_U-O.dat", "not a regular file" } },
  -- convergence with nothing to converge
  { "convergence.lua on one folder", setup = "mkdir -p CASE/t/frame_500 && cp -r DATA/uo2_feff85/frame_500/atom_0 CASE/t/frame_500/",
    cmd = "RECIPES/convergence.lua -q CASE/t CASE/cv U-O:3.0", says = { "one folder (frame 500, atom 0)", "two or more" } },
  { "convergence.lua on one frame, by frames", setup = "mkdir -p CASE/t && cp -r DATA/uo2_feff85/frame_500 CASE/t/",
    cmd = "RECIPES/convergence.lua -q CASE/t CASE/cv U-O:3.0", says = { "all 2 folders are of frame 500", "--by=atoms" } },
  { "convergence.lua by atoms with one absorber a frame",
    setup = "mkdir -p CASE/t/frame_500 CASE/t/frame_510 && cp -r DATA/uo2_feff85/frame_500/atom_0 CASE/t/frame_500/ "
      .. "&& cp -r DATA/uo2_feff85/frame_510/atom_0 CASE/t/frame_510/",
    cmd = "RECIPES/convergence.lua -q CASE/t CASE/cv U-O:3.0 --by=atoms",
    says = { "every frame has one absorber", "--by=frames" } },
  -- folders that are not there
  { "select{atoms = {0, 7}} (no atom 7)", select = "{atoms = {0, 7}}", says = { "no folder of atom 7" } },
  { "export_paths.lua --atoms=7", cmd = "RECIPES/export_paths.lua -q DB CASE/paths --atoms=7",
    says = { "atom 7" } },
  { "export_paths.lua into a folder that is not empty", setup = "mkdir -p CASE/paths && touch CASE/paths/old.dat",
    cmd = "RECIPES/export_paths.lua -q DB CASE/paths --types=U-O:3.0", says = { "not empty" } },
  -- names that match nothing in the source
  { 'select{types = {"U-0"}} (zero for O)', select = '{types = {"U-0"}}',
    says = { "no path type 'U-0'", "did you mean 'U-O'?" } },
  { 'select{elements = {"U-0"}}', select = '{elements = {"U-0"}}',
    says = { "no path elements 'U-0'", "did you mean 'U-O'?" } },
  { 'select{types = {["U-O"] = 0.3}} (a cut-off below every U-O path)',
    select = '{types = {["U-O"] = 0.3}}', says = { "no 'U-O' path passes the selection" } },
  { 'params = {sigma2 = {["U-0"] = 0.003}} (a type no path has)',
    select = '{types = {"U-O"}, params = {sigma2 = {["U-0"] = 0.003, ["*"] = 0.005}}}',
    says = { "params", "no path type 'U-0'", "did you mean 'U-O'?" } },
  { "path_params.lua --sigma2=U-0=0.003",
    cmd = "RECIPES/path_params.lua -q DB OUT U-O:3.0 --sigma2=U-0=0.003", says = { "'U-0'", "'U-O'" } },
  { "export_paths.lua --types=U-0", cmd = "RECIPES/export_paths.lua -q DB CASE/paths --types=U-0",
    says = { "'U-0'", "did you mean 'U-O'?" } },
  { "multipath.lua U-O:3.0 U-U:4.5 U-X (a type no folder has)",
    cmd = "RECIPES/multipath.lua -q DB OUT U-O:3.0 U-U:4.5 U-X", says = { "'U-X'" } },
  { "select{absorber = 5}", select = "{absorber = 5}", says = { "absorber", "5" } },
  { "select{absorber = 92}:count() (Z, not the symbol)",
    lua = "print(src:select{absorber = 92}:count())", says = { "absorber", "92" } },
  { "select{params = {s03 = 1}} (unknown parameter)", select = "{params = {s03 = 1}}",
    says = { "unknown path parameter 's03'" } },
  { "select{params = {s02 = 0/0}} (no NaN in OUT)", select = "{params = {s02 = 0/0}}",
    says = { "s02" } },
  { 'select{params = {sigma2 = {["U-O"] = 0/0}}}', select = '{params = {sigma2 = {["U-O"] = 0/0}}}',
    says = { "sigma2" } },
  { "select{params = {e0 = 1e300}} (chi not finite)", select = "{params = {e0 = 1e300}}",
    says = { "not finite" } },
  { "select{params = {sigma2 = function ... p.sigma}}",
    select = "{params = {sigma2 = function(p) return p.sigma end}}", says = { "path has no field 'sigma'" } },
  { 'select{params = {sigma2 = {["U-O"] = "0.003"}}}',
    select = '{params = {sigma2 = {["U-O"] = "0.003"}}}', says = { "'sigma2'" } },
  -- the rest of the Lua API
  { 'mdx.open(db, {failed = "maybe"})',
    script = 'local mdx = require "mdexafs"\nassert(mdx.open(arg[1], {failed = "maybe"}))',
    says = { "'failed'", "'maybe'" } },
  { 'mdx.open(db, {faild = "skip"})',
    script = 'local mdx = require "mdexafs"\nassert(mdx.open(arg[1], {faild = "skip"}))',
    says = { "'faild'" } },
  { "mdx.open of a missing database", lua = 'assert(mdx.open(arg[2] .. ".db"))', says = { "out.dat.db" } },
  { "mdx.source of a missing database", lua = 'mdx.source(arg[2] .. ".db")', says = { "out.dat.db", "missing" } },
  { "mdx.build{out = ...} (unknown key)", lua = 'mdx.build{tree = "' .. feff6 .. '", out = arg[2]}',
    says = { "'out'" } },
  { "mdx.chi with {sigma = ...}", lua = 'mdx.chi("' .. feff6 .. '/frame_600/atom_0/feff0003.dat", {sigma = 0.003})',
    says = { "'sigma'" } },
  { "mdx.read_chi of a text that is not a chi file", lua = 'assert(mdx.read_chi("' .. t.data .. '/README.md"))',
    says = { "README.md:" } },
  { "src:chidat{frame = 600}", lua = "src:chidat{frame = 600}", says = { "'frame'" } },
  { "src:export of a path that is not there", lua = "assert(src:export(600, 0, 9999, arg[2]))",
    says = { "9999" } },
  { "avg:write into a missing folder", lua = 'assert(src:select{}:average():write(arg[2] .. "/none/x.dat"))',
    says = { "none/x.dat" } },
  { 'avg:write{columns = "athen"}', lua = 'assert(src:select{}:average():write(arg[2], {columns = "athen"}))',
    says = { "columns" } },
  { 'avg:xftf{window = "box"}', lua = 'assert(src:select{}:average():xftf{window = "box"}:write(arg[2]))',
    says = { "window 'box'" } },
  { 'avg:xftf{windw = "hanning"}', lua = 'assert(src:select{}:average():xftf{windw = "hanning"}:write(arg[2]))',
    says = { "'windw'" } },
  { "avg + a result on another k grid",
    lua = 'print(src:select{}:average() + mdx.read_chi("' .. t.data
      .. '/goldens/reference/uo2_feff85/uo_file.dat"))', says = { "k grid" } },
  { "mdx.plot to a .jpg", lua = 'assert(mdx.plot{file = arg[2] .. ".jpg", results = {src:select{}:average()}})',
    says = { "out.dat.jpg", ".png, .svg or .pdf" } },
  { "a script indexing nil", script = "local x = nil; print(x.y)",
    says = { "mdexafs: script.lua:1: attempt to index a nil value" } },
  { "a script with a syntax error", script = "local x = = 1", says = { "script.lua:1:", "near '='" } },
  { "a script that is not there", cmd = "CASE/nothere.lua DB OUT", says = { "nothere.lua" } },
  -- writes that would give NaN or replace what is not an output
  { "writing NaN (0/0 * avg)", lua = 'assert(((0/0) * src:select{}:average()):write(arg[2]))',
    says = { "not written", "not finite" } },
  { "writing k^-1 chi (infinite at k = 0)", lua = 'assert(src:select{}:average():kweight(-1):write(arg[2]))',
    says = { "not finite" } },
  { "path_params.lua --s02=1e300 --sem (the sem overflows)",
    cmd = "RECIPES/path_params.lua -q DB OUT U-O:3.0 --s02=1e300 --sem", says = { "not finite" } },
  { "an output over the database", cmd = "RECIPES/multipath.lua -q DB DB U-O:3.0",
    says = { "is a database", "not overwritten" } },
  { "an output onto a pipe", setup = "mkfifo CASE/fifo", cmd = "RECIPES/multipath.lua -q DB CASE/fifo U-O:3.0",
    says = { "fifo", "not a regular file" } },
  { "xdi comment of two lines", lua = 'assert(src:select{}:average():write(arg[2], {xdi = {comment = "a\\nb: c"}}))',
    says = { "xdi.comment", "one line" } },
  { "c3 and third both", select = "{params = {c3 = 0.002, third = 0.001}}", says = { "'c3'", "'third'" } },
  { "xftf{rmax_out = -1}", lua = 'print(src:select{}:average():xftf{rmax_out = -1})', says = { "rmax_out" } },
  { "plot with fewer labels than results",
    lua = 'local a = src:select{}:average(); assert(mdx.plot{file = arg[2] .. ".png", results = {a, a}, labels = {"a"}})',
    says = { "labels" } },
  -- recipes on the wrong things
  { "a recipe on a folder without frame_N/atom_M folders", setup = "mkdir -p CASE/runs/sub",
    cmd = "RECIPES/multipath.lua -q CASE/runs OUT U-O:3.0", says = { "runs", "no frame_N" } },
  { "a recipe on one run's folder", cmd = "RECIPES/multipath.lua -q DATA/uo2_feff85/frame_500/atom_0 OUT U-O:3.0",
    says = { "atom_0", "directly in this folder" } },
  { "a recipe on a text file as database", cmd = "RECIPES/multipath.lua -q DATA/README.md OUT U-O:3.0",
    says = { "README.md", "not an mdexafs database" } },
  -- build
  { "build with no arguments", cmd = "build", status = 2, says = { "build", "TREE" } },
  { "build TREE without -o", cmd = "build DATA/uo2_feff6", status = 2, says = { "-o DB" } },
  { "build TREE -o (no value)", cmd = "build DATA/uo2_feff6 -o", status = 2, says = { "-o" } },
  { "build --rebuilt (misspelt option)", cmd = "build --rebuilt DATA/uo2_feff6 -o CASE/x.db", status = 2,
    says = { "--rebuilt" } },
  { "build -j abc", cmd = "build -j abc DATA/uo2_feff6 -o CASE/x.db", status = 2, says = { "--jobs", "abc" } },
  { "build --shard 3/2", cmd = "build --shard 3/2 DATA/uo2_feff6 -o CASE/x.db", status = 2,
    says = { "--shard", "3/2" } },
  { "build of one run's folder", cmd = "build DATA/uo2_feff85/frame_500/atom_0 -o CASE/X.db",
    says = { "frame_500/atom_0", "directly in this folder" } },
  { "build of a folder without frame_N/atom_M folders", setup = "mkdir -p CASE/runs/sub",
    cmd = "build CASE/runs -o CASE/x.db", says = { "runs", "no frame_N" } },
  { "build of a path file", cmd = "build FILE -o CASE/x.db", says = { "feff0003.dat", "not a folder" } },
  { "build -o a text file", setup = "cp DATA/README.md CASE/notes.db", cmd = "build -q DATA/uo2_feff6 -o CASE/notes.db",
    says = { "notes.db", "not an mdexafs database" } },
  { "build -o into a missing folder", cmd = "build -q DATA/uo2_feff6 -o CASE/none/x.db", says = { "none/x.db" } },
  -- info, check
  { "info missing.db", cmd = "info CASE/missing.db", says = { "missing.db" } },
  { "info of a text file", cmd = "info DATA/README.md", says = { "README.md", "not an mdexafs database" } },
  { "info of a chi(k) data file", cmd = "info DATA/goldens/fit/single.chik",
    says = { "single.chik: a data file (2 columns: k chi), not an mdexafs database" } },
  { "mdx.source of a chi(k) data file", lua = 'mdx.source("' .. t.data .. '/goldens/fit/single.chik")',
    says = { "single.chik: a data file (2 columns: k chi), not a database or a FEFF tree" } },
  { "info of the tree instead of the database", cmd = "info DATA/uo2_feff6",
    says = { "uo2_feff6", "is a folder, not a database" } },
  { "info with no database", cmd = "info", status = 2, says = { "info", "DB" } },
  { "check missing.db", cmd = "check CASE/missing.db", says = { "missing.db" } },
  { "check --recompute abc", cmd = "check --recompute abc DB", status = 2, says = { "--recompute", "abc" } },
  -- chi, parse
  { "chi --e0 abc", cmd = "chi --e0 abc -o OUT FILE", status = 2, says = { "e0", "'abc'" } },
  { "chi --e0 1e300", cmd = "chi --e0 1e300 -o OUT FILE", says = { "feff0003.dat", "not finite" } },
  { "chi --s02 without its value", cmd = "chi --s02 FILE", status = 2, says = { "s02", "feff0003.dat" } },
  { "chi --frob (unknown option)", cmd = "chi --frob 1 FILE", status = 2, says = { "--frob" } },
  { "chi -d 0", cmd = "chi -d 0 FILE", status = 2, says = { "--digits" } },
  { "chi with no path file", cmd = "chi", status = 2, says = { "chi", "no path file" } },
  { "chi of a missing file", cmd = "chi -o OUT CASE/feff0001.dat", says = { "feff0001.dat" } },
  { "chi -o into a missing folder", cmd = "chi -o CASE/none/x.dat FILE", says = { "none/x.dat" } },
  { "chi of a path file cut at a row", setup = "sed '/^  4.800 /q' FILE > CASE/cut.dat",
    cmd = "chi -o OUT CASE/cut.dat", says = { "cut.dat", "the table covers" } },
  { "chi of a path file with lambda = 0",
    setup = "sed '/^  1.000 /s/4.0116E+00/0.0000E+00/' FILE > CASE/lam0.dat",
    cmd = "chi -o OUT CASE/lam0.dat", says = { "lam0.dat:19:", "lambda 0" } },
  { "parse of a path file with lambda = 0",
    setup = "sed '/^  1.000 /s/4.0116E+00/0.0000E+00/' FILE > CASE/lam0.dat",
    cmd = "parse CASE/lam0.dat", says = { "lam0.dat:19:", "lambda 0" } },
  { "parse of a folder", cmd = "parse DATA/uo2_feff6/frame_600/atom_0", says = { "atom_0", "directory" } },
  { "parse of a binary file", cmd = "parse /bin/ls", says = { "/bin/ls", "not a FEFF path file" } },
  -- merge
  { "merge of parts of different trees", cmd = "merge P85 P6 -o CASE/all.db", says = { "not parts of one build" } },
  { "merge of one part twice", cmd = "merge P85 P85 -o CASE/all.db", says = { "overlap" } },
  { "merge without -o", cmd = "merge P85 P6", status = 2, says = { "merge", "-o DB" } },
  { "merge -o an existing database", setup = "cp DB CASE/chi.db", cmd = "merge P85 -o CASE/chi.db",
    says = { "chi.db", "exists already" } },
  { "merge of a text file", cmd = "merge P85 DATA/README.md -o CASE/all.db", says = { "README.md" } },
}

-- Inputs spelled other ways that mean the same: each variant must give
-- the first one's output, byte for byte (`rows`: the data rows of OUT,
-- as the header and the printed summary name the parameters), and the
-- first one print `says`.
local spellings = {
  { "nleg 2.0 and {2, 2} as 2", select = { "{nleg = 2}", "{nleg = 2.0}", "{nleg = {2, 2}}" },
    says = "2 folders (2 with selected paths), 94 paths: nleg 2..2" },
  { "frames 600.0 and {600, 600} as 600", select = { "{frames = 600}", "{frames = 600.0}", "{frames = {600, 600}}" },
    says = "2 folders (2 with selected paths), 234 paths: frames 600..600" },
  { "atoms 1.0 and {1} as 1", select = { "{atoms = 1}", "{atoms = 1.0}", "{atoms = {1}}" },
    says = "1 folder (1 with selected paths), 116 paths" },
  { 'types "U-O" and elements "U-O" as {"U-O"}',
    select = { '{types = {"U-O"}}', '{types = "U-O"}', '{elements = "U-O"}' },
    says = "2 folders (2 with selected paths), 63 paths: U-O" },
  { "reff 3.0 as {false, 3.0}", select = { "{reff = {false, 3.0}}", "{reff = 3.0}", "{reff = {false, 3}}" },
    says = "2 folders (2 with selected paths), 16 paths: reff <= 3" },
  { "default path parameters as none", rows = true,
    select = { "{}", "{params = {s02 = 1, e0 = 0, sigma2 = {['*'] = 0}}}", "{params = {s02 = 1.0}}" },
    says = "2 folders (2 with selected paths), 234 paths: all paths" },
  { 'window "hann" as "hanning" (xraylarch reads three letters)',
    lua = { 'assert(src:select{}:average():xftf{window = "hanning"}:write(arg[2]))',
            'assert(src:select{}:average():xftf{window = "hann"}:write(arg[2]))',
            'assert(src:select{}:average():xftf{window = "Hanning"}:write(arg[2]))' } },
  { "chi --e0=1.5 and 15e-1 as --e0 1.5",
    cmd = { "chi --e0 1.5 -o OUT FILE", "chi --e0=1.5 -o OUT FILE", "chi --e0 15e-1 --output=OUT FILE" } },
}

local function slurp(file)
  local f = io.open(file, "rb")
  if not f then return nil end
  local text = f:read "a"
  f:close()
  return text
end

local function spit(file, text)
  local f = assert(io.open(file, "w"))
  f:write(text)
  f:close()
end

-- The lines of a text that are not '#' headers.
local function rows(text)
  return (text:gsub("#[^\n]*\n", ""))
end

-- Every file and folder under dir with its content's checksum.
local function snapshot(dir)
  local _, out = t.sh("cd " .. q(dir) .. " && find . | sort && find . -type f -exec md5sum {} + | sort")
  return out
end

describe("mistakes", function()
  local dir, db, db_sum
  local paths = {}

  setup(function()
    dir = t.tempdir()
    db = dir .. "/chi.db"
    paths.DB, paths.DATA, paths.RECIPES = q(db), q(t.data), q(recipes)
    paths.FILE = q(feff6 .. "/frame_600/atom_0/feff0003.dat")
    paths.P85, paths.P6 = q(dir .. "/p85_0.db"), q(dir .. "/p6_1.db")
    assert.are.equal(0, (t.run("build -q " .. q(feff6) .. " -o " .. q(db))))
    assert.are.equal(0, (t.run("build -q --shard 0/2 " .. q(feff85) .. " -o " .. paths.P85)))
    assert.are.equal(0, (t.run("build -q --shard 1/2 " .. q(feff6) .. " -o " .. paths.P6)))
    db_sum = snapshot(dir)
  end)
  teardown(function() t.rmtree(dir) end)

  -- The text with the placeholder words replaced by the case's paths.
  local function fill(text, case_dir)
    local words = setmetatable({ CASE = q(case_dir), OUT = q(case_dir .. "/out.dat"),
                                 SCRIPT = q(case_dir .. "/script.lua") }, { __index = paths })
    return (text:gsub("%f[%w_]([%u%d_]+)%f[^%w_]", words))
  end

  -- Make the case's folder, its script and inputs; return the folder and
  -- the command line (after `mdexafs`).
  local function prepare(name, case)
    local case_dir = dir .. "/" .. name
    assert.are.equal(0, (t.sh("mkdir " .. q(case_dir))))
    local script = case.script or case.lua and prelude .. case.lua .. "\n"
      or case.select and select_script(case.select)
    if script then spit(case_dir .. "/script.lua", script) end
    if case.setup then assert.are.equal(0, (t.sh(fill(case.setup, case_dir)))) end
    return case_dir, fill(case.cmd or "SCRIPT DB OUT", case_dir)
  end

  for i, case in ipairs(mistakes) do
    local status = case.status or 1
    it(("refuses %s with status %d and one line"):format(case[1], status), function()
      local case_dir, cmd = prepare("mistake_" .. i, case)
      local before = snapshot(case_dir)
      local code, out, err = t.run(cmd)
      local report = ("mdexafs %s\nexit %s\nstdout: %s\nstderr: %s"):format(cmd, code, out, err)
      assert.are.equal(status, code, report)
      assert.matches("^mdexafs: [^\n]+\n$", err, report)
      for _, word in ipairs(case.says) do
        assert.truthy(err:find(word, 1, true), ("'%s' not named\n%s"):format(word, report))
      end
      assert.falsy(out:lower():find("nan", 1, true), report)
      assert.are.equal(before, snapshot(case_dir), "files were left or changed\n" .. report)
    end)
  end

  for i, s in ipairs(spellings) do
    it("takes " .. s[1], function()
      local variants = s.select or s.lua or s.cmd
      local first
      for j, variant in ipairs(variants) do
        local case = { cmd = s.cmd and variant, lua = s.lua and variant,
                       select = s.select and variant }
        local case_dir, cmd = prepare(("same_%d_%d"):format(i, j), case)
        local code, out, err = t.run(cmd)
        assert.are.equal(0, code, "mdexafs " .. cmd .. "\n" .. err)
        local written = assert(slurp(case_dir .. "/out.dat"), "mdexafs " .. cmd .. " wrote no file")
        assert.falsy(written:lower():find("nan", 1, true))
        local got = { out = out, file = s.rows and rows(written) or written }
        if not first then
          first = got
          if s.says then assert.truthy(out:find(s.says, 1, true), out) end
        else
          if not s.rows then assert.are.equal(first.out, out, variant) end
          assert.are.equal(first.file, got.file, variant)
        end
      end
    end)
  end

  it("takes a tree written with a trailing slash as the same tree", function()
    local case_dir = dir .. "/slash"
    assert.are.equal(0, (t.sh("mkdir " .. q(case_dir))))
    local slash_db = case_dir .. "/chi.db"
    assert.are.equal(0, (t.run("build -q " .. q(feff6 .. "/") .. " -o " .. q(slash_db))))
    assert.are.equal(t.digest(db), t.digest(slash_db))
    local code, out, err = t.run(q(recipes .. "multipath.lua") .. " " .. q(slash_db) .. " "
      .. q(case_dir .. "/a.dat") .. " U-O:3.0")
    assert.are.equal(0, code, err)
    assert.are.equal("mdexafs: using the database " .. slash_db .. "\n", err)
    local _, _, err_b = t.run(q(recipes .. "multipath.lua") .. " " .. q(feff6) .. " "
      .. q(case_dir .. "/b.dat") .. " U-O:3.0")
    assert.truthy(err_b:find("computing from the files", 1, true), err_b)
    assert.are.equal(slurp(case_dir .. "/b.dat"), slurp(case_dir .. "/a.dat"))
    assert.matches("16 paths: U-O reff <= 3", out, 1, true)
  end)

  it("shows the traceback of a script error with MDX_DEBUG=1 only", function()
    local case_dir = dir .. "/debug"
    assert.are.equal(0, (t.sh("mkdir " .. q(case_dir))))
    local script = q(case_dir .. "/script.lua")
    spit(case_dir .. "/script.lua", "local x = nil; print(x.y)\n")
    local code, _, err = t.run(script)
    assert.are.equal(1, code)
    assert.are.equal("mdexafs: script.lua:1: attempt to index a nil value (local 'x')\n", err)
    code, _, err = t.sh("MDX_DEBUG=1 " .. t.bin .. " " .. script)
    assert.are.equal(1, code)
    assert.matches("^mdexafs: script.lua:1: attempt to index a nil value", err)
    assert.truthy(err:find("\nstack traceback:\n", 1, true), err)
    assert.truthy(err:find("script.lua:1: in main chunk", 1, true), err)
  end)

  it("leaves the shared database and parts as they were", function()
    -- every case folder is new; the files set up before them are unchanged
    local now = snapshot(dir)
    local kept = {}
    for line in now:gmatch "[^\n]+" do
      if not line:find "mistake_" and not line:find "same_" and not line:find "slash"
         and not line:find "debug" then
        kept[#kept + 1] = line
      end
    end
    assert.are.equal(db_sum, table.concat(kept, "\n") .. "\n")
  end)
end)

describe("a folder that failed to build", function()
  local dir, tree, db, bad, good
  local multipath = q(recipes .. "multipath.lua")

  setup(function()
    dir = t.tempdir()
    tree, db = dir .. "/tree", dir .. "/chi.db"
    assert.are.equal(0, (t.sh("cp -R " .. q(feff6) .. " " .. q(tree))))
    bad = tree .. "/frame_600/atom_1/feff0003.dat"
    good = slurp(bad)
    spit(bad, good .. "  20.500  1.0E+00  2.0E+00\n")
  end)
  teardown(function() t.rmtree(dir) end)

  it("stops a recipe naming the folder, until --skip-failed or a fix", function()
    local code, _, err = t.run("build -q " .. q(tree) .. " -o " .. q(db))
    assert.are.equal(1, code)
    assert.truthy(err:find(bad .. ":63: table row has 3 numbers", 1, true), err)

    local out_file = dir .. "/mix.dat"
    local recipe = multipath .. " -q " .. q(db) .. " " .. q(out_file) .. " U-O:3.0"
    code, _, err = t.run(recipe)
    assert.are.equal(1, code, err)
    assert.matches("^mdexafs: [^\n]+\n$", err)
    assert.truthy(err:find("frame_600/atom_1", 1, true), err)
    assert.truthy(err:find("--skip-failed", 1, true), err)
    assert.is_nil(slurp(out_file))

    code, _, err = t.run(recipe .. " --skip-failed")
    assert.are.equal(0, code, err)
    local header = assert(slurp(out_file)):match "^[^\n]*"
    assert.truthy(header:find("1 failed folder left out", 1, true), header)
    assert.truthy(header:find("mean over 1 folder (", 1, true), header)
    os.remove(out_file)

    -- a second build tries the folder again
    code, _, err = t.run("build -q " .. q(tree) .. " -o " .. q(db))
    assert.are.equal(1, code)
    assert.truthy(err:find(bad .. ":63:", 1, true), err)
    assert.truthy(err:find("1 failed", 1, true), err)

    -- fixed, it is built and used
    spit(bad, good)
    code, _, err = t.run("build -q " .. q(tree) .. " -o " .. q(db))
    assert.are.equal(0, code, err)
    assert.are.equal("", err)
    code, _, err = t.run(recipe)
    assert.are.equal(0, code, err)
    assert.are.equal("", err)
    header = assert(slurp(out_file)):match "^[^\n]*"
    assert.falsy(header:find("failed", 1, true), header)
    assert.truthy(header:find("mean over 2 folders", 1, true), header)
  end)
end)

-- check lists every problem it finds, one line each (an edit with
-- sqlite3 also breaks the checksums of the pages it wrote).
local function assert_problems(err)
  assert.truthy(err ~= "", "check said nothing on stderr")
  for line in err:gmatch "[^\n]+" do assert.matches("^mdexafs: ", line) end
end

describe("a damaged database", function()
  local dir, db
  local all_paths = prelude .. "local avg = src:select{}:average()\nprint(avg)\nassert(avg:write(arg[2]))\n"
  before_each(function()
    dir = t.tempdir()
    db = dir .. "/chi.db"
    assert.are.equal(0, (t.run("build -q " .. q(feff6) .. " -o " .. q(db))))
    spit(dir .. "/all.lua", all_paths)
  end)
  after_each(function() t.rmtree(dir) end)

  it("with a chi row deleted fails check and every query on it", function()
    assert.are.equal(0, (t.sh("sqlite3 " .. q(db) .. " " .. q "delete from chi where id=7")))
    local code, out, err = t.run("check " .. q(db))
    assert.are.equal(1, code)
    assert_problems(err)
    assert.truthy(("\n" .. err):find("\nmdexafs: frame_600/atom_0/feff0007.dat: chi(k) missing\n", 1, true), err)
    assert.truthy(out:find("1 damaged", 1, true), out)
    code, out, err = t.run(q(dir .. "/all.lua") .. " " .. q(db) .. " " .. q(dir .. "/out.dat"))
    assert.are.equal(1, code, out)
    assert.matches("^mdexafs: [^\n]+\n$", err)
    assert.truthy(err:find(db, 1, true), err)
    assert.is_nil(slurp(dir .. "/out.dat"))
  end)

  it("with a path file stored under another number fails check naming both files", function()
    -- as an older mdexafs stored a copy: feff0001.dat again as feff0400.dat
    local copy = "insert into paths select NULL, frame, atom, 400, nleg, deg, reff, type, elements "
      .. "from paths where id=1; insert into feff select max(id), (select data from feff where id=1) "
      .. "from paths; insert into chi select max(id), (select data from chi where id=1) from paths"
    assert.are.equal(0, (t.sh("sqlite3 " .. q(db) .. " " .. q(copy))))
    local code, out, err = t.run("check " .. q(db))
    assert.are.equal(1, code)
    assert_problems(err)
    assert.truthy(err:find('frame_600/atom_0: feff0001.dat and feff0400.dat both say "Path 1" inside: one is a copy', 1, true), err)
    assert.truthy(out:find("copies      1\n", 1, true), out)
  end)

  it("with a path's type changed fails check naming the path file", function()
    assert.are.equal(0, (t.sh("sqlite3 " .. q(db) .. " " .. q "update paths set type='U-U' where id=3")))
    local code, _, err = t.run("check " .. q(db))
    assert.are.equal(1, code)
    assert_problems(err)
    assert.truthy(("\n" .. err):find("\nmdexafs: frame_600/atom_0/feff0003%.dat: [^\n]*disagrees"), err)
  end)
end)

describe("a tree with a path file cut short", function()
  local dir
  setup(function() dir = t.tempdir() end)
  teardown(function() t.rmtree(dir) end)

  it("builds the rest, names the file and exits 1", function()
    local tree = dir .. "/tree"
    assert.are.equal(0, (t.sh("cp -R " .. q(feff6) .. " " .. q(tree))))
    local cut = tree .. "/frame_600/atom_0/feff0003.dat"
    assert.are.equal(0, (t.sh("sed -i '/^  4.800 /q' " .. q(cut))))
    local code, _, err = t.run("build -q " .. q(tree) .. " -o " .. q(dir .. "/chi.db"))
    assert.are.equal(1, code)
    -- the bad file, then the build's summary: every line mdexafs's
    local first = err:match "^[^\n]*"
    assert.truthy(first:find(cut .. ": the table covers k = 0 .. 4.8", 1, true), err)
    for line in err:gmatch "[^\n]+" do assert.matches("^mdexafs: ", line) end
    assert.truthy(err:find("1 failed", 1, true), err)
    local _, out = t.run("info " .. q(dir .. "/chi.db"))
    assert.truthy(out:find("frame_600/atom_0: 1 of", 1, true), out)
  end)
end)

describe("a database whose tree", function()
  local dir, tree, db, out_dir
  local multipath = q(recipes .. "multipath.lua")
  before_each(function()
    dir = t.tempdir()
    tree, db, out_dir = dir .. "/tree", dir .. "/chi.db", dir .. "/out"
    assert.are.equal(0, (t.sh("cp -R " .. q(feff6) .. " " .. q(tree) .. " && mkdir " .. q(out_dir)
      .. " && chmod 755 " .. q(dir) .. " && chmod 777 " .. q(out_dir))))
    assert.are.equal(0, (t.run("build -q " .. q(tree) .. " -o " .. q(db))))
  end)
  after_each(function()
    t.sh("chmod -R u+rwx " .. q(dir))
    t.rmtree(dir)
  end)

  it("cannot be read in part is not used as fresh: the files name the folder", function()
    -- root reads through chmod 000: run the recipe as nobody then
    local as_user = ""
    if select(2, t.sh "id -u"):match "^0%s" then
      if t.sh "command -v setpriv" == 0 then
        as_user = "setpriv --reuid=65534 --regid=65534 --clear-groups "
      else
        pending "running as root without setpriv: chmod 000 does not stop root's reads"
        return
      end
    end
    -- nobody may not read the checkout (a clone in a mktemp -d folder):
    -- run a copy of the program (its Lua module is inside) and the recipe
    local kit = dir .. "/kit"
    assert.are.equal(0, (t.sh("mkdir " .. q(kit) .. " && cp " .. q(recipes .. "multipath.lua") .. " "
      .. q(t.bin) .. " " .. q(kit) .. " && chmod -R a+rX " .. q(kit))))
    local program = as_user .. q(kit .. "/" .. t.bin:match "[^/]+$")
    local recipe = q(kit .. "/multipath.lua")
    local atom = tree .. "/frame_600/atom_1"
    assert.are.equal(0, (t.sh("chmod 000 " .. q(atom))))
    local out_file = out_dir .. "/mix.dat"
    local code, out, err = t.sh(program .. " " .. recipe .. " " .. q(db) .. " "
      .. q(out_file) .. " U-O:3.0")
    assert.are.equal(1, code, out .. err)
    assert.falsy(err:find("using the database", 1, true), err)
    assert.truthy(err:find("computing from the files", 1, true), err)
    local last = err:match "([^\n]*)\n$"
    assert.truthy(last:find(atom, 1, true), err)
    assert.is_nil(slurp(out_file))
    code, out, err = t.sh(program .. " " .. recipe .. " -q " .. q(db) .. " "
      .. q(out_file) .. " U-O:3.0")
    assert.are.equal(1, code, out .. err)
    assert.matches("^mdexafs: [^\n]+\n$", err)
    assert.truthy(err:find(atom, 1, true), err)
  end)

  it("is gone is used, with a note that it is not there", function()
    local from_db = out_dir .. "/db.dat"
    local code, _, err = t.run(multipath .. " " .. q(db) .. " " .. q(out_dir .. "/fresh.dat") .. " U-O:3.0")
    assert.are.equal(0, code, err)
    assert.are.equal(0, (t.sh("rm -rf " .. q(tree))))
    code, _, err = t.run(multipath .. " " .. q(db) .. " " .. q(from_db) .. " U-O:3.0")
    assert.are.equal(0, code, err)
    assert.truthy(err:find(tree .. " is not there", 1, true), err)
    assert.are.equal(slurp(out_dir .. "/fresh.dat"), slurp(from_db))
  end)
end)

describe("a tree scan", function()
  local dir
  before_each(function() dir = t.tempdir() end)
  after_each(function() t.rmtree(dir) end)

  it("fails the folders it cannot read whole, names them, and builds the rest", function()
    local tree = dir .. "/tree"
    local a0, a1 = tree .. "/frame_600/atom_0", tree .. "/frame_600/atom_1"
    assert.are.equal(0, (t.sh("mkdir -p " .. q(tree) .. " && cp -R " .. q(feff6 .. "/frame_600")
      .. " " .. q(tree) .. " && ln -s /nonexistent " .. q(a0 .. "/feff0999.dat")
      .. " && cp " .. q(a1 .. "/feff0002.dat") .. " " .. q(a1 .. "/feff002.dat")
      .. " && cp " .. q(a1 .. "/feff0003.dat") .. " " .. q(a1 .. "/feff_old.dat")
      .. " && mkdir -p " .. q(dir .. "/elsewhere") .. " && cp -R " .. q(feff6 .. "/frame_600")
      .. " " .. q(dir .. "/elsewhere/frame_700") .. " && ln -s " .. q(dir .. "/elsewhere/frame_700")
      .. " " .. q(tree .. "/frame_700") .. " && ln -s .. " .. q(tree .. "/frame_600/up"))))
    local db = dir .. "/chi.db"
    local code, _, err = t.run("build -q " .. q(tree) .. " -o " .. q(db))
    assert.are.equal(1, code, err)
    assert.matches(a0 .. ": feff0999.dat: No such file or directory", err, 1, true)
    assert.matches(a1 .. ": feff0002.dat and feff002.dat are the same path number", err, 1, true)
    assert.matches("frame_600/atom_1/feff_old.dat: not a feffNNNN.dat name: passed over", err, 1, true)
    assert.matches("frame_600/up: a symbolic link to a folder above it", err, 1, true)
    local _, out = t.run("info " .. q(db))
    assert.matches("folders     4 (2 failed)", out, 1, true)  -- the linked frame_700 too
    assert.matches("frames      1 (600 .. 700)", out, 1, true)
  end)
end)

describe("more trees", function()
  local dir
  before_each(function() dir = t.tempdir() end)
  after_each(function() t.rmtree(dir) end)

  local function tree_of(folders)
    local tree = dir .. "/tree"
    for name, from in pairs(folders) do
      assert.are.equal(0, (t.sh("mkdir -p " .. q(tree .. "/" .. name) .. " && cp " .. q(from)
        .. "/* " .. q(tree .. "/" .. name))))
    end
    return tree
  end

  it("indexes frame numbers beyond 10^8 and notes names that are no numbers", function()
    local tree = tree_of { ["frame_2147483647/atom_0"] = feff6 .. "/frame_600/atom_0",
                           ["frame_99999999999999999999/atom_0"] = feff6 .. "/frame_600/atom_1" }
    local db = dir .. "/chi.db"
    local code, _, err = t.run("build -q " .. q(tree) .. " -o " .. q(db))
    assert.are.equal(0, code, err)
    assert.matches("frame_99999999999999999999: not frame_N or atom_M", err, 1, true)
    local _, out = t.run("info " .. q(db))
    assert.matches("frames      1 (2147483647 .. 2147483647)", out, 1, true)
  end)

  it("refuses two folders for one frame and atom, from a build and from the files", function()
    local tree = tree_of { ["frame_600/atom_0"] = feff6 .. "/frame_600/atom_0",
                           ["frame_0600/atom_0"] = feff6 .. "/frame_600/atom_1" }
    local db = dir .. "/twice.db"
    local code, _, err = t.run("build -q " .. q(tree) .. " -o " .. q(db))
    assert.are.equal(1, code, err)
    local both = "frame 600 atom 0 is in two folders, frame_0600/atom_0 and "
                 .. "frame_600/atom_0: which one is meant?"
    assert.matches(both, err, 1, true)
    code, _, err = t.run(q(recipes .. "multipath.lua") .. " -q " .. q(tree) .. " "
      .. q(dir .. "/out.dat") .. " U-O:3.0")
    assert.are.equal(1, code, err)
    assert.matches("frame 600 atom 0 again", err, 1, true)
    -- the database keeps neither: its queries stop on the pair, as the files'
    code, _, err = t.run(q(recipes .. "multipath.lua") .. " -q " .. q(db) .. " "
      .. q(dir .. "/out.dat") .. " U-O:3.0")
    assert.are.equal(1, code, err)
    assert.matches(both, err, 1, true)
    -- and a second build, with the first folder unchanged, says it again
    code, _, err = t.run("build -q " .. q(tree) .. " -o " .. q(db))
    assert.are.equal(1, code, err)
    assert.matches(both, err, 1, true)
  end)

  it("fails a folder below a frame_N folder inside another", function()
    local tree = tree_of { ["frame_500/frame_520/atom_0"] = feff6 .. "/frame_600/atom_0",
                           ["frame_510/atom_0"] = feff6 .. "/frame_600/atom_1" }
    local nested = "frame_500/frame_520/atom_0: a frame_N folder inside another: which frame is it?"
    local code, _, err = t.run("build -q " .. q(tree) .. " -o " .. q(dir .. "/nested.db"))
    assert.are.equal(1, code, err)
    assert.matches(nested, err, 1, true)
    code, _, err = t.run(q(recipes .. "multipath.lua") .. " -q " .. q(tree) .. " "
      .. q(dir .. "/out.dat") .. " U-O:3.0")
    assert.are.equal(1, code, err)
    assert.matches(nested, err, 1, true)
  end)

  for _, case in ipairs {
    { "lacks a path file its files.dat lists", "rm %s/feff0002.dat",
      "frame_500/atom_0: feff0002.dat is listed in files.dat but missing" },
    { "has a path file its files.dat does not list (an earlier run's)",
      "cp %s/feff0002.dat %s/feff0900.dat",
      "frame_500/atom_0: feff0900.dat is not listed in files.dat" },
    -- FEFF 8.5 names the paths past 9999 feff****.dat, each overwriting
    -- the last (seen in a real run of 18,464 paths; made up here)
    { "has no path file and no files.dat (a FEFF run cut short)",
      "rm %s/feff0*.dat %s/files.dat",
      "frame_500/atom_0: no feffNNNN.dat files and no feff.bin: a FEFF run that did not finish?" },
    { "has no path file and a files.dat that lists none (FEFF found no path)",
      "rm %s/feff0*.dat && sed -i '/^ *feff0/d' %s/files.dat",
      "frame_500/atom_0: FEFF found no path (its files.dat lists none)" },
    { "ran past 9999 paths (FEFF lists them as feff****.dat)",
      "echo ' feff****.dat 0.00000     1.000     1.000     2   6.5000' >> %s/files.dat",
      "frame_500/atom_0: files.dat lists feff****.dat: FEFF wrote more than 9999 paths" },
  } do
    it("fails a folder that " .. case[1], function()
      local tree = tree_of { ["frame_500/atom_0"] = t.data .. "/uo2_feff85/frame_500/atom_0" }
      local folder = q(tree .. "/frame_500/atom_0")
      assert.are.equal(0, (t.sh(case[2]:format(folder, folder))))
      local code, _, err = t.run("build -q " .. q(tree) .. " -o " .. q(dir .. "/lost.db"))
      assert.are.equal(1, code, err)
      assert.matches(case[3], err, 1, true)
      code, _, err = t.run(q(recipes .. "multipath.lua") .. " -q " .. q(tree) .. " "
        .. q(dir .. "/out.dat") .. " U-O:3.0")
      assert.are.equal(1, code, err)
      assert.matches(case[3], err, 1, true)
    end)
  end

  it("finds a path file copied under another number, from a build and from the files", function()
    local tree = tree_of { ["frame_600/atom_0"] = feff6 .. "/frame_600/atom_0" }
    local folder = tree .. "/frame_600/atom_0"
    assert.are.equal(0, (t.sh("cp " .. q(folder .. "/feff0003.dat") .. " " .. q(folder .. "/feff0400.dat"))))
    -- (with its files.dat, the copy is a file files.dat does not list)
    assert.are.equal(0, (t.sh("rm " .. q(folder .. "/files.dat"))))
    local copy = 'frame_600/atom_0: feff0003.dat and feff0400.dat both say "Path 3" inside: one is a copy'
    local code, _, err = t.run("build -q " .. q(tree) .. " -o " .. q(dir .. "/chi.db"))
    assert.are.equal(1, code, err)
    assert.matches(copy, err, 1, true)
    code, _, err = t.run(q(recipes .. "multipath.lua") .. " -q " .. q(tree) .. " "
      .. q(dir .. "/out.dat") .. " U-O:3.0")
    assert.are.equal(1, code, err)
    assert.matches(copy, err, 1, true)
  end)

  it("counts two listed path files alike but for their Path line as two paths", function()
    -- what FEFF's path finder writes at times (tests/data/uo2_feff8l_pair
    -- holds such a pair, tests/python/test_real_feff.py checks it); here
    -- one made from FEFF 6 files, to check the rule in Lua as well
    local tree = tree_of { ["frame_600/atom_0"] = feff6 .. "/frame_600/atom_0" }
    local folder = tree .. "/frame_600/atom_0"
    local two = folder .. "/feff0002.dat"
    assert.are.equal(0, (t.sh("sed 's/^ Path    1 / Path    2 /' " .. q(folder .. "/feff0001.dat")
      .. " > " .. q(two))))
    local code, _, err = t.run("build -q " .. q(tree) .. " -o " .. q(dir .. "/pair.db"))
    assert.are.equal(0, code, err)
    local count = prelude .. 'print(src:select{}:count())'
    spit(dir .. "/count.lua", count)
    local out
    code, out, err = t.run(q(dir .. "/count.lua") .. " " .. q(dir .. "/pair.db"))
    assert.are.equal(0, code, err)
    local n = tonumber(out:match "%d+")
    code, out, err = t.run(q(dir .. "/count.lua") .. " " .. q(tree))
    assert.are.equal(0, code, err)
    assert.are.equal(n, tonumber(out:match "%d+"))
    code, out = t.sh("ls " .. q(folder) .. " | grep -c '^feff0.*dat$'")
    assert.are.equal(n, tonumber(out))
  end)

  it("refuses an average over two absorbers", function()
    local tree = tree_of { ["frame_1/atom_0"] = t.data .. "/corpus/cu_feff6",
                           ["frame_1/atom_1"] = t.data .. "/corpus/pt_feff8l_l3" }
    local code, _, err = t.run(q(recipes .. "path_params.lua") .. " -q " .. q(tree) .. " "
      .. q(dir .. "/out.dat"))
    assert.are.equal(1, code, err)
    assert.matches("absorbers Cu", err, 1, true)
  end)

  it("does not answer from a shard as if it were the whole tree", function()
    local db = dir .. "/part.db"
    assert.are.equal(0, (t.run("build -q --shard 0/3 " .. q(feff85) .. " -o " .. q(db))))
    local code, _, err = t.run(q(recipes .. "first_shell.lua") .. " " .. q(db) .. " "
      .. q(dir .. "/out.dat"))
    assert.are.equal(0, code, err)
    assert.matches("shard 0/3 of its tree", err, 1, true)
    assert.matches("computing from the files", err, 1, true)
  end)

  it("writes through a link to the file it points to", function()
    local target, link = dir .. "/t.dat", dir .. "/link.dat"
    assert.are.equal(0, (t.sh("echo old > " .. q(target) .. " && ln -s t.dat " .. q(link))))
    local code, _, err = t.run(q(recipes .. "first_shell.lua") .. " -q " .. q(feff6) .. " " .. q(link))
    assert.are.equal(0, code, err)
    local f = assert(io.open(target))
    assert.matches("^# k", f:read "l")
    f:close()
    assert.are.equal(0, (t.sh("test -L " .. q(link))))
  end)
end)
