-- Newest published articles, 20 a page, without bodies (fields=): a mobile list screen.
-- BENCH_PAGE=first: the first page; BENCH_PAGE=deep: a page after a real cursor from anywhere in the list (cursors.txt).
package.path = os.getenv("BENCH_WRK") .. "/?.lua;" .. package.path
local common = require("common")
local fields = "&fields=slug,title,summary,publishedAt,section,tags,byline,heroImage"
local deep = common.env("BENCH_PAGE", "first") == "deep"
local cursors

setup = common.setup
done = common.done
function init(args)
  common.seed()
  if deep then cursors = common.lines("cursors.txt") end
end

function request()
  if deep then
    return wrk.format("GET", "/v1/articles?limit=20" .. fields .. "&cursor=" .. cursors[math.random(1, #cursors)])
  end
  return wrk.format("GET", "/v1/articles?limit=20" .. fields)
end
