-- Full-text search over articles, ranked, 20 results without bodies (search.txt: words of both languages, names).
package.path = os.getenv("BENCH_WRK") .. "/?.lua;" .. package.path
local common = require("common")
local terms

setup = common.setup
done = common.done
function init(args)
  common.seed()
  terms = common.lines("search.txt")
end

function request()
  return wrk.format("GET", "/v1/articles?limit=20&fields=slug,title,summary,publishedAt&q=" .. terms[math.random(1, #terms)])
end
