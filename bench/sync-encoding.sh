#!/usr/bin/env bash
# What compressing a sync page costs the API: one build (bench/out/ab/BUILD) on the 100k benchmark database, warmed
# up, then SECONDS of sync load without Accept-Encoding, with br and with gzip (the API's providers, level Fastest),
# alternated for ROUNDS; prints req/s, p99, the API's CPU per page and bytes per page. Run under `flock /work/bench.lock`.
# usage: bench/sync-encoding.sh BUILD ROUNDS SECONDS
set -euo pipefail
build=$1 rounds=$2 secs=$3
main=$(cd "$(dirname "$0")/.." && pwd); pgdir=$main/bench/out/pg-100k; data=$main/bench/out/data-100k
cd "$main"
free_port() { local p=$1; while (echo >"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done; echo "$p"; }
port=$(free_port 55494) api_port=$(free_port 5596)
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
scripts/pg.sh stop "$pgdir" >/dev/null 2>&1 || true
runuser -u postgres -- "$pgbin/pg_ctl" -D "$pgdir" -l "$pgdir/server.log" -w -t 60 -o "-p $port -k $pgdir -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
conn="Host=127.0.0.1;Port=$port;Username=postgres;Database=bench"
api=
cleanup() { [ -n "$api" ] && kill "$api" 2>/dev/null; wait 2>/dev/null || true; scripts/pg.sh stop "$pgdir" >/dev/null || true; }
trap cleanup EXIT
secret=abs-secret-0123456789abcdef0123456789abcdef
env=(ConnectionStrings__Content="$conn" ASPNETCORE_ENVIRONMENT=Production RateLimits__Enabled=false Logging__LogLevel__Default=Warning
  Auth__BootstrapAdminKey=abs-admin-0123456789abcdef Pagination__CursorSecret=$secret Delivery__OutputCacheSeconds=0)
env "${env[@]}" ASPNETCORE_URLS=http://127.0.0.1:$api_port dotnet "bench/out/ab/$build/ContentApi.dll" >/dev/null 2>&1 &
api=$!
for _ in $(seq 1 120); do curl -s -o /dev/null "http://127.0.0.1:$api_port/health/live" && break; sleep 0.5; done
# shellcheck disable=SC1091
. "$data/seed.env"
dotnet bench/out/artifacts/bin/ContentApi.Bench/release/ContentApi.Bench.dll prepare --conn "$conn" --out "$data" --secret $secret --published "$PUBLISHED" >/dev/null
export BENCH_WRK=$main/bench/wrk BENCH_DATA=$data PUBLISHED
url=http://127.0.0.1:$api_port
for e in "" br gzip; do SYNC_ENCODING=$e WRK_RESULT=/dev/null timeout 60 wrk -t2 -c32 -d15s -s bench/wrk/sync.lua "$url" >/dev/null; done
for r in $(seq 1 "$rounds"); do
  for e in none br gzip; do
    a0=$(awk '{print $14+$15}' "/proc/$api/stat")
    SYNC_ENCODING=$([ $e = none ] || echo $e) WRK_RESULT=/tmp/sync-encoding.json timeout $((secs + 30)) wrk -t2 -c32 -d"${secs}s" -s bench/wrk/sync.lua "$url" >/dev/null
    a1=$(awk '{print $14+$15}' "/proc/$api/stat")
    n=$(jq .requests /tmp/sync-encoding.json)
    echo "round $r $e: $((n / secs)) req/s, p99 $(jq '.p99_us/1000' /tmp/sync-encoding.json) ms, API $(((a1 - a0) * 10000000 / (n > 0 ? n : 1) / 1000)) us/page, $(($(jq .bytes /tmp/sync-encoding.json) / (n > 0 ? n : 1))) bytes/page, load $(cut -d' ' -f1 /proc/loadavg)"
  done
done
