-- An editor imports a 600-word Indonesian story with 8 direct quotes (POST /v1/imports, text/plain).
-- BENCH_IMPORT=dry: ?dryRun=true (the proposal only); commit: a draft is written each time. Every request puts its own
-- number into the title and two quotes' paragraphs ({n}), so a commit is a new story with new quotes, never a replay;
-- its people and sources exist after the first commit, as in a newsroom where the same officials speak every day.
package.path = os.getenv("BENCH_WRK") .. "/?.lua;" .. package.path
local common = require("common")
local key = os.getenv("EDITOR_KEY")
local run = common.env("BENCH_RUN_ID", tostring(os.time()))
local phase = common.env("BENCH_PHASE", "run")
local path = common.env("BENCH_IMPORT", "dry") == "commit" and "/v1/imports" or "/v1/imports?dryRun=true"
local story
local counter = 0

setup = common.setup
done = common.done
function init(args)
  common.seed()
  local f = assert(io.open(os.getenv("BENCH_WRK") .. "/import-story.txt", "r"))
  story = f:read("*a")
  f:close()
end

function request()
  counter = counter + 1
  local n = string.format("%s%s%d%06d", run, phase == "warmup" and "1" or "2", tid, counter)
  local body = story:gsub("{n}", n)
  return wrk.format("POST", path, {
    ["Authorization"] = "Bearer " .. key,
    ["Content-Type"] = "text/plain; charset=utf-8",
  }, body)
end
