#!/usr/bin/env bash
# Profiles the sync scenario on one API build against the 100k benchmark database (seeded by bench/run.sh), as
# bench/ab-sync.sh drives it (reader pages from the saved tokens, 32 connections, after a warm-up): dotnet-counters
# (GC and allocation rate, 1 s samples) over SECONDS of load, then dotnet-trace with PROFILE (default
# dotnet-sampled-thread-time; gc-verbose gives allocation ticks by type) over another SECONDS. Run it under
# `flock /work/bench.lock`. Bounded: wrk, the counters and the trace stop by themselves.
# usage: [PROFILE=gc-verbose] bench/profile-sync.sh BUILD SECONDS   (BUILD as in bench/ab-sync.sh: bench/out/ab/BUILD)
set -euo pipefail
build=$1 secs=$2 profile=${PROFILE:-dotnet-sampled-thread-time}
main=$(cd "$(dirname "$0")/.." && pwd); pgdir=$main/bench/out/pg-100k; data=$main/bench/out/data-100k
out=$main/bench/out/profile/$build-sync; mkdir -p "$out"
cd "$main"
PATH=$PATH:$HOME/.dotnet/tools
free_port() { local p=$1; while (echo >"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done; echo "$p"; }
port=$(free_port 55496) api_port=$(free_port 5598)
scripts/pg.sh stop "$pgdir" >/dev/null 2>&1 || true
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
runuser -u postgres -- "$pgbin/pg_ctl" -D "$pgdir" -l "$pgdir/server.log" -w -t 60 -o "-p $port -k $pgdir -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
conn="Host=127.0.0.1;Port=$port;Username=postgres;Database=bench"
api=
cleanup() { [ -n "$api" ] && kill "$api" 2>/dev/null; wait 2>/dev/null || true; scripts/pg.sh stop "$pgdir" >/dev/null || true; }
trap cleanup EXIT
secret=abs-secret-0123456789abcdef0123456789abcdef
env=(ConnectionStrings__Content="$conn" ASPNETCORE_ENVIRONMENT=Production RateLimits__Enabled=false Logging__LogLevel__Default=Warning
  Auth__BootstrapAdminKey=abs-admin-0123456789abcdef Pagination__CursorSecret=$secret Delivery__OutputCacheSeconds=0)
perfmap=(); [ "$profile" = perf ] && perfmap=(DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0)
env "${env[@]}" "${perfmap[@]}" ASPNETCORE_URLS=http://127.0.0.1:$api_port dotnet "bench/out/ab/$build/ContentApi.dll" >"$out/api.log" 2>&1 &
api=$!
for _ in $(seq 1 120); do curl -s -o /dev/null "http://127.0.0.1:$api_port/health/live" && break; sleep 0.5; done
# shellcheck disable=SC1091
. "$data/seed.env"
dotnet bench/out/artifacts/bin/ContentApi.Bench/release/ContentApi.Bench.dll prepare --conn "$conn" --out "$data" --secret $secret --published "$PUBLISHED" >/dev/null
export BENCH_WRK=$main/bench/wrk BENCH_DATA=$data PUBLISHED
url=http://127.0.0.1:$api_port
WRK_RESULT=/dev/null wrk -t2 -c32 -d"$([ "$profile" = perf ] && echo 60 || echo 15)s" -s bench/wrk/sync.lua "$url" >/dev/null
timeout $((secs + 30)) dotnet-counters collect -p "$api" --counters System.Runtime --duration "00:00:00:$secs" --format csv -o "$out/counters.csv" >/dev/null 2>&1 &
ctr=$!
a0=$(awk '{print $14+$15}' "/proc/$api/stat")
WRK_RESULT=$out/wrk-counters.json wrk -t2 -c32 -d"${secs}s" -s bench/wrk/sync.lua "$url" >/dev/null
a1=$(awk '{print $14+$15}' "/proc/$api/stat")
wait $ctr || true
n=$(jq .requests "$out/wrk-counters.json")
echo "$build: $((n / secs)) req/s, p99 $(jq '.p99_us/1000' "$out/wrk-counters.json") ms, API $(((a1 - a0) * 10000000 / (n > 0 ? n : 1) / 1000)) us/page, load $(cut -d' ' -f1 /proc/loadavg)" | tee "$out/summary.txt"
if [ "$profile" = perf ]; then
  timeout $((secs + 60)) perf record -F 499 -g -p "$api" -o "$out/perf.data" -- sleep "$secs" >/dev/null 2>&1 &
else
  timeout $((secs + 60)) dotnet-trace collect -p "$api" --profile "$profile" --duration "00:00:00:$secs" -o "$out/$profile.nettrace" >/dev/null 2>&1 &
fi
tr=$!
WRK_RESULT=$out/wrk-trace.json wrk -t2 -c32 -d"${secs}s" -s bench/wrk/sync.lua "$url" >/dev/null
wait $tr || true
echo "$out"
