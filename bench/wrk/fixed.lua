-- Ceiling (a): GET / on the bare Kestrel server, a fixed 1 KB JSON document.
package.path = os.getenv("BENCH_WRK") .. "/?.lua;" .. package.path
local common = require("common")

setup = common.setup
done = common.done
function init(args) common.seed() end

function request()
  return wrk.format("GET", "/")
end
