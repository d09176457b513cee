-- Timing helper for bench_scale.sh: one query on a database opened
-- directly (no freshness scan). MODE: "shell" (U-O up to 3 Å) or "all".
--   mdexafs bench/scale_query.lua DB MODE OUT
local mdx = require "mdexafs"
local src <close> = assert(mdx.open(arg[1]))
local sel = arg[2] == "shell" and src:select { types = { ["U-O"] = 3.0 } }
            or src:select {}
assert(sel:average():write(arg[3]))
