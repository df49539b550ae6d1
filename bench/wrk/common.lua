-- Shared by the scenario scripts: reading the lists bench/run.sh prepared, a fixed random seed per thread, and the
-- summary each run writes for the report (exact percentiles from wrk's histogram, in microseconds).
local M = {}

function M.lines(name)
  local t = {}
  for line in io.lines(os.getenv("BENCH_DATA") .. "/" .. name) do
    if #line > 0 then t[#t + 1] = line end
  end
  assert(#t > 0, "empty list " .. name)
  return t
end

function M.env(name, default)
  local v = os.getenv(name)
  if v == nil or v == "" then return default end
  return v
end

local threads = 0
function M.setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function M.seed()
  math.randomseed(1000 + (tid or 1) * 7919)
end

function M.done(summary, latency, requests)
  local f = assert(io.open(os.getenv("WRK_RESULT"), "w"))
  local e = summary.errors
  f:write(string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,"non2xx3xx":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
  f:close()
end

return M
