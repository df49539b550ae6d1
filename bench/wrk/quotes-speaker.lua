-- A speaker's newest quotes, 20 a page (speakers.txt: people with quotes readers can see, most quoted first).
package.path = os.getenv("BENCH_WRK") .. "/?.lua;" .. package.path
local common = require("common")
local speakers

setup = common.setup
done = common.done
function init(args)
  common.seed()
  speakers = common.lines("speakers.txt")
end

function request()
  return wrk.format("GET", "/v1/quotes?limit=20&speakerId=" .. speakers[math.random(1, #speakers)])
end
