-- GET /v1/articles/{slug}?include=quotes.speaker,quotes.source,people,sources as an anonymous reader.
-- BENCH_SLUGS=cold: any published slug (bench-article-1..PUBLISHED), so the output cache rarely if ever has it;
-- BENCH_SLUGS=hot: the newest BENCH_HOT (100) articles, the front page everybody reads.
package.path = os.getenv("BENCH_WRK") .. "/?.lua;" .. package.path
local common = require("common")
local published = tonumber(os.getenv("PUBLISHED"))
local hot = common.env("BENCH_SLUGS", "cold") == "hot"
local hotCount = tonumber(common.env("BENCH_HOT", "100"))
local include = "?include=quotes.speaker,quotes.source,people,sources"

setup = common.setup
done = common.done
function init(args) common.seed() end

function request()
  local n
  if hot then n = published - math.random(0, hotCount - 1) else n = math.random(1, published) end
  return wrk.format("GET", "/v1/articles/bench-article-" .. n .. include)
end
