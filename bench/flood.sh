#!/usr/bin/env bash
# The wrong-key flood (issue 29), run by bench/run.sh as scenario wrong-key-flood against an API with production rate
# limits: one client sends a fresh random bearer key on every request while another reads with a valid key at about
# 20 requests a second. Reports the valid client's p99 without and with the flood, and the API's resident memory
# before, at its peak during and after the flood. Everything is bounded in time.
#   bench/flood.sh OUT_DIR API_PID API_PORT READER_KEY
set -euo pipefail
out=$1 pid=$2 port=$3 key=$4
flood_seconds=${FLOOD_SECONDS:-40} valid_seconds=${VALID_SECONDS:-20}
mkdir -p "$out"
rss() { awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status"; }
valid() { # result file
  READER_KEY=$key WRK_RESULT=$1 timeout $((valid_seconds + 30)) wrk -t1 -c1 -d"${valid_seconds}s" --latency \
    -s bench/wrk/valid-reader.lua "http://127.0.0.1:$port" >"${1%.json}.txt"
}
p99() { jq -r '.p99_us / 1000' "$1"; }

valid "$out/valid-alone.json"
sleep 2
before=$(rss)
WRK_RESULT="$out/flood.json" timeout $((flood_seconds + 30)) wrk -t1 -c16 -d"${flood_seconds}s" \
  -s bench/wrk/wrong-key.lua "http://127.0.0.1:$port" >"$out/flood.txt" &
flood=$!
peak=$before
( while kill -0 "$flood" 2>/dev/null; do rss; sleep 0.5; done ) >"$out/rss-samples.txt" &
sampler=$!
sleep 5
valid "$out/valid-flood.json"
wait "$flood"; wait "$sampler" || true
peak=$(sort -n "$out/rss-samples.txt" | tail -n1)
sleep 10
after=$(rss)
flood_requests=$(jq -r .requests "$out/flood.json")
flood_refused=$(jq -r .non2xx3xx "$out/flood.json")
alone=$(p99 "$out/valid-alone.json"); during=$(p99 "$out/valid-flood.json")
{
  echo "## Wrong-key flood (issue 29)"
  echo
  echo "One client sends GET /v1/articles?limit=1 with a fresh random bearer key on every request (wrk, 16 connections,"
  echo "${flood_seconds} s), production rate limits on; another reads the same with a valid reader key at about 20 requests a second,"
  echo "from the same address (127.0.0.1), as clients behind one office or carrier NAT do."
  echo
  echo "| measure | value |"
  echo "|---|---:|"
  echo "| flood requests/s | $((flood_requests / flood_seconds)) |"
  echo "| flood answers that were not 2xx/3xx (401 or 429) | $flood_refused of $flood_requests |"
  echo "| valid client's p99 alone / during the flood (ms) | $alone / $during |"
  echo "| ratio during / alone (goal ≤ 3×) | $(jq -n "$during / $alone * 100 | round / 100")× |"
  echo "| valid client's non-2xx answers during the flood | $(jq -r .non2xx3xx "$out/valid-flood.json") |"
  echo "| API resident memory before / peak / 10 s after (MB) | $before / $peak / $after |"
  echo "| growth at peak (goal ≤ 40 MB) | $((peak - before)) MB |"
} >"$out/flood.md"
cat "$out/flood.md"
