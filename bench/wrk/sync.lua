-- The mobile sync feed from a saved token (tokens.txt: positions spread over the whole feed), 100 changes a page.
package.path = os.getenv("BENCH_WRK") .. "/?.lua;" .. package.path
local common = require("common")
local tokens

setup = common.setup
done = common.done
function init(args)
  common.seed()
  tokens = common.lines("tokens.txt")
  -- SYNC_ENCODING=br or gzip: ask for a compressed page, as a mobile client would (unset: no Accept-Encoding, as before).
  local encoding = common.env("SYNC_ENCODING", nil)
  if encoding then wrk.headers["Accept-Encoding"] = encoding end
end

function request()
  return wrk.format("GET", "/v1/sync?since=" .. tokens[math.random(1, #tokens)])
end
