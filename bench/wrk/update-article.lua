-- An editor changes published articles with a JSON Merge Patch and If-Match. Each thread owns its own articles
-- (update-ids.txt: id TAB version) and keeps their versions from the answers, so no update is ever stale; every
-- article is in flight on at most one connection.
package.path = os.getenv("BENCH_WRK") .. "/?.lua;" .. package.path
local common = require("common")
local key = os.getenv("EDITOR_KEY")
local queue, head, tail = {}, 1, 0
local counter = 0
local lost = 0

setup = common.setup
done = common.done
function init(args)
  common.seed()
  -- The warm-up and the measured run take different halves, so the measured run starts from the versions seeded.
  local threads = tonumber(common.env("WRK_THREADS", "2"))
  local half = common.env("BENCH_PHASE", "run") == "warmup" and 1 or 0
  for i, line in ipairs(common.lines("update-ids.txt")) do
    if i % 2 == half and math.floor(i / 2) % threads == tid - 1 then
      local id, version = line:match("^(%S+)\t(%d+)$")
      tail = tail + 1
      queue[tail] = { id = id, v = tonumber(version) }
    end
  end
end

function request()
  assert(head <= tail, "no article left to update")
  local a = queue[head]
  queue[head] = nil
  head = head + 1
  counter = counter + 1
  local body = string.format('{"summary":"Diperbarui redaksi, revisi %d.","section":"Nasional"}', counter)
  return wrk.format("PATCH", "/v1/articles/" .. a.id, {
    ["Authorization"] = "Bearer " .. key,
    ["Content-Type"] = "application/merge-patch+json",
    ["If-Match"] = '"' .. a.v .. '"',
  }, body)
end

function response(status, headers, body)
  local id = body:match('"id":"([%x%-]+)"')
  local v = body:match('"version":(%d+)')
  if status == 200 and id and v then
    tail = tail + 1
    queue[tail] = { id = id, v = tonumber(v) }
  else
    lost = lost + 1
  end
end
