-- The other client during the wrong-key flood: GET /v1/articles?limit=1 with a valid reader key, paced by delay()
-- to about BENCH_RATE requests a second per connection.
package.path = os.getenv("BENCH_WRK") .. "/?.lua;" .. package.path
local common = require("common")
local key = os.getenv("READER_KEY")
local pause = 1000 / tonumber(common.env("BENCH_RATE", "20"))

setup = common.setup
done = common.done
function init(args) common.seed() end
function delay() return pause end

function request()
  return wrk.format("GET", "/v1/articles?limit=1", { ["Authorization"] = "Bearer " .. key })
end
