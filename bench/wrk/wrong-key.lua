-- GET /v1/articles?limit=1 with a fresh random bearer key on every request: the wrong-key flood of issue 29.
package.path = os.getenv("BENCH_WRK") .. "/?.lua;" .. package.path
local common = require("common")

setup = common.setup
done = common.done
function init(args) common.seed() end

function request()
  local key = string.format("%08x%08x%08x%08x", math.random(0, 0x7fffffff), math.random(0, 0x7fffffff),
    math.random(0, 0x7fffffff), math.random(0, 0x7fffffff))
  return wrk.format("GET", "/v1/articles?limit=1", { ["Authorization"] = "Bearer wrong-" .. key })
end
