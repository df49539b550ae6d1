#!/usr/bin/env bash
# Profiles the output-cache paths of one API build (session 18): the API in the production config (output cache on,
# rate limits off as in bench/run.sh) against an already seeded database, wrk with get.lua after a warm-up, and
# perf record -g over the same seconds (`perf report -i OUT/perf.data --no-children --sort sym`; PROFILER=dotnet-trace for a
# sampled-thread-time trace instead, `dotnet-trace report FILE topN`; PROFILER=none: CPU per request only).
# usage: CONN="Host=...;Database=bench" PUBLISHED=n bench/profile-cache.sh API_DLL SECONDS hot|cold OUT_DIR
# Extra API settings as CACHE_ENV="Delivery__OutputCacheSeconds=0 ..." (e.g. the cache off, for get-cold beside it).
set -euo pipefail
dll=$1 secs=$2 slugs=$3 out=$4
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
PATH=$PATH:$HOME/.dotnet/tools
port=${PROFILE_PORT:-5611}
api=
cleanup() { [ -n "$api" ] && kill "$api" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT
# shellcheck disable=SC2086
env ConnectionStrings__Content="$CONN" ASPNETCORE_ENVIRONMENT=Production RateLimits__Enabled=false Logging__LogLevel__Default=Warning \
  Auth__BootstrapAdminKey=prof-admin-0123456789abcdef Pagination__CursorSecret=prof-secret-0123456789abcdef0123456789abcdef \
  Delivery__OutputCacheSeconds=10 DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 ${CACHE_ENV:-} ASPNETCORE_URLS="http://127.0.0.1:$port" dotnet "$dll" >"$out/api.log" 2>&1 &
api=$!
for _ in $(seq 1 120); do curl -s -o /dev/null "http://127.0.0.1:$port/health/live" && break; sleep 0.5; done
export BENCH_WRK=$root/bench/wrk BENCH_SLUGS=$slugs PUBLISHED WRK_RESULT=/dev/null
wrk -t2 -c32 -d"${PROFILE_WARMUP:-30}s" -s "$root/bench/wrk/get.lua" "http://127.0.0.1:$port" >/dev/null
if [ "${PROFILER:-perf}" = none ]; then
  sleep 0 &
elif [ "${PROFILER:-perf}" = perf ]; then
  # perf with the JIT's symbol map (DOTNET_PerfMapEnabled): CPU samples only, with call chains (the JIT keeps frame pointers).
  perf record -F 999 -g -p "$api" -o "$out/perf.data" -- sleep "$secs" >/dev/null 2>&1 &
else
  dotnet-trace collect -p "$api" --profile dotnet-sampled-thread-time --duration "00:00:00:$secs" -o "$out/trace.nettrace" >/dev/null 2>&1 &
fi
tr=$!
t0=$(awk '{print $14 + $15}' "/proc/$api/stat")
wrk -t2 -c32 -d"${secs}s" -s "$root/bench/wrk/get.lua" "http://127.0.0.1:$port" >"$out/wrk.txt"
t1=$(awk '{print $14 + $15}' "/proc/$api/stat")
wait $tr || true
reqs=$(awk '/requests in/ {print $1}' "$out/wrk.txt")
echo "$reqs requests, $(awk '/Requests\/sec/ {print $2}' "$out/wrk.txt") req/s, API CPU $(( (t1 - t0) * 10000 * 100 / $(getconf CLK_TCK) / reqs )) µs/request (with the tracer attached); $out"
