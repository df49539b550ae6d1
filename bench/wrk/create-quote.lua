-- An editor creates quotes (POST /v1/quotes) with an Idempotency-Key, as the README tells clients to.
package.path = os.getenv("BENCH_WRK") .. "/?.lua;" .. package.path
local common = require("common")
local key = os.getenv("EDITOR_KEY")
local run = common.env("BENCH_RUN_ID", tostring(os.time()))
local phase = common.env("BENCH_PHASE", "run") -- the warm-up's keys must not come back in the measured run
local speakers, sources
local counter = 0
local texts = {
  "Kami akan terus memantau perkembangan harga beras di seluruh provinsi",
  "Pemerintah tidak akan menaikkan harga bahan bakar tahun ini",
  "We will not accept any deal that leaves our farmers behind",
  "The talks were constructive and we expect progress next week",
}

setup = common.setup
done = common.done
function init(args)
  common.seed()
  speakers = common.lines("speakers.txt")
  sources = common.lines("sources.txt")
end

function request()
  counter = counter + 1
  local text = texts[math.random(1, #texts)]
  local lang = text:sub(1, 1) == "K" or text:sub(1, 1) == "P"
  local body = string.format(
    '{"text":"%s (%d)","language":"%s","type":"direct","speakerId":"%s","speakerRole":"Juru bicara","saidOn":"2025-06-%02d",' ..
    '"occasion":"kepada wartawan di Jakarta","sourceId":"%s"}',
    text, counter, lang and "id" or "en", speakers[math.random(1, #speakers)], math.random(1, 28), sources[math.random(1, #sources)])
  return wrk.format("POST", "/v1/quotes", {
    ["Authorization"] = "Bearer " .. key,
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = "bench-" .. run .. "-" .. phase .. "-" .. tid .. "-" .. counter,
  }, body)
end
