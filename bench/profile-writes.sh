#!/usr/bin/env bash
# Profiles one write scenario on one API build against the 100k benchmark database (BENCH_SCALE=10k: that one; seeded by bench/run.sh):
# dotnet-trace (thread-time samples, ~100 Hz; read it with `dotnet-trace report FILE topN`) of the API and pg_stat_statements (with planning) of PostgreSQL, over the
# same SECONDS of wrk load after a warm-up. Run it under `flock /work/bench.lock`. Bounded: wrk stops by itself.
# usage: bench/profile-writes.sh BUILD SECONDS create-quote.lua   (BUILD as in bench/ab-writes.sh: bench/out/ab/BUILD)
set -euo pipefail
build=$1 secs=$2 script=$3
scale=${BENCH_SCALE:-100k}
main=$(cd "$(dirname "$0")/.." && pwd); pgdir=$main/bench/out/pg-$scale; port=55497; data=$main/bench/out/data-$scale
out=$main/bench/out/profile/$build-${script%.lua}; mkdir -p "$out"
cd $main
PATH=$PATH:$HOME/.dotnet/tools
scripts/pg.sh stop "$pgdir" >/dev/null 2>&1 || true
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
runuser -u postgres -- "$pgbin/pg_ctl" -D "$pgdir" -l "$pgdir/server.log" -w -t 60 -o "-p $port -k $pgdir -c listen_addresses=127.0.0.1 -c max_connections=200 \
  -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track_planning=on" start >/dev/null
conn="Host=127.0.0.1;Port=$port;Username=postgres;Database=bench"
psql() { "$pgbin/psql" -X -h 127.0.0.1 -p $port -U postgres -d bench -qAt "$@"; }
api=
cleanup() { [ -n "$api" ] && kill $api 2>/dev/null; wait 2>/dev/null || true; scripts/pg.sh stop "$pgdir" >/dev/null || true; }
trap cleanup EXIT
psql -c "create extension if not exists pg_stat_statements" >/dev/null
secret=abw-secret-0123456789abcdef0123456789abcdef
env=(ConnectionStrings__Content="$conn" ASPNETCORE_ENVIRONMENT=Production RateLimits__Enabled=false Logging__LogLevel__Default=Warning
  Auth__BootstrapAdminKey=abw-admin-0123456789abcdef Pagination__CursorSecret=$secret Delivery__OutputCacheSeconds=0)
env "${env[@]}" ASPNETCORE_URLS=http://127.0.0.1:5599 dotnet bench/out/ab/$build/ContentApi.dll >"$out/api.log" 2>&1 &
api=$!
for _ in $(seq 1 120); do curl -s -o /dev/null http://127.0.0.1:5599/health/live && break; sleep 0.5; done
key=$(env "${env[@]}" dotnet bench/out/ab/$build/ContentApi.dll keys create prof-editor editor 2>/dev/null | cut -f3)
. "$data/seed.env"
export BENCH_WRK=$main/bench/wrk BENCH_DATA=$data PUBLISHED EDITOR_KEY=$key
BENCH_PHASE=warmup WRK_RESULT=/dev/null wrk -t2 -c32 -d15s -s bench/wrk/$script http://127.0.0.1:5599 >/dev/null
psql -c "select pg_stat_statements_reset()" >/dev/null
dotnet-trace collect -p $api --profile dotnet-sampled-thread-time --duration 00:00:00:$secs -o "$out/trace.nettrace" >/dev/null 2>&1 &
tr=$!
WRK_RESULT=$out/wrk.json wrk -t2 -c32 -d${secs}s -s bench/wrk/$script http://127.0.0.1:5599 >/dev/null
wait $tr || true
psql -F ' | ' -c "select calls, round((total_exec_time/greatest(calls,1))::numeric,3) exec_ms, round((total_plan_time/greatest(calls,1))::numeric,3) plan_ms,
  round(total_exec_time::numeric) total_ms, left(regexp_replace(query, '\s+', ' ', 'g'), 90)
  from pg_stat_statements where dbid = (select oid from pg_database where datname = 'bench') order by total_exec_time + total_plan_time desc limit 15" >"$out/statements.txt"
echo "$(jq .requests "$out/wrk.json") requests, non-2xx $(jq .non2xx3xx "$out/wrk.json"); $out"
