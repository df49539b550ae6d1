-- The mobile sync feed from a saved token (tokens.txt: positions spread over the whole feed), 100 changes a page.
package.path = os.getenv("BENCH_WRK") .. "/?.lua;" .. package.path
local common = require("common")
local tokens

setup = common.setup
done = common.done
function init(args)
  common.seed()
  tokens = common.lines("tokens.txt")
end

function request()
  return wrk.format("GET", "/v1/sync?since=" .. tokens[math.random(1, #tokens)])
end
