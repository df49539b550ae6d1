-- Conditional GETs for the hot set: If-None-Match with the ETag the API gave (etags.txt: path TAB etag), answered 304.
package.path = os.getenv("BENCH_WRK") .. "/?.lua;" .. package.path
local common = require("common")
local rows = {}

setup = common.setup
done = common.done
function init(args)
  common.seed()
  for _, line in ipairs(common.lines("etags.txt")) do
    local path, etag = line:match("^(%S+)\t(.+)$")
    rows[#rows + 1] = { path = path, etag = etag }
  end
end

function request()
  local r = rows[math.random(1, #rows)]
  return wrk.format("GET", r.path, { ["If-None-Match"] = r.etag })
end
