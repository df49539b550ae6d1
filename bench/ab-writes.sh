#!/usr/bin/env bash
# A/B of write scenarios between API builds on one benchmark database (100k, seeded by bench/run.sh), alternated per
# round; prints req/s, p99 and the API's CPU per request of every run. Builds go to bench/out/ab/<name>, e.g.
#   git worktree add /tmp/b 6a0cf34 && dotnet build -c Release /tmp/b/src/ContentApi -o bench/out/ab/6a0cf34
# The last build named migrates the database and makes the editor key. Bounded: every wrk run stops by itself.
# usage: bench/ab-writes.sh ROUNDS SECONDS "create-quote.lua update-article.lua" build1 build2 ...
set -euo pipefail
rounds=$1 secs=$2 scripts=$3; shift 3
main=$(cd "$(dirname "$0")/.." && pwd); pgdir=$main/bench/out/pg-100k; port=55497; data=$main/bench/out/data-100k
cd $main
scripts/pg.sh start "$pgdir" $port >/dev/null
conn="Host=127.0.0.1;Port=$port;Username=postgres;Database=bench"
pids=(); ports=(); names=()
cleanup() { for p in "${pids[@]:-}"; do kill $p 2>/dev/null || true; done; wait 2>/dev/null || true; scripts/pg.sh stop "$pgdir" >/dev/null || true; }
trap cleanup EXIT
secret=abw-secret-0123456789abcdef0123456789abcdef
env=(ConnectionStrings__Content="$conn" ASPNETCORE_ENVIRONMENT=Production RateLimits__Enabled=false Logging__LogLevel__Default=Warning
  Auth__BootstrapAdminKey=abw-admin-0123456789abcdef Pagination__CursorSecret=$secret Delivery__OutputCacheSeconds=0)
i=0
for b in "$@"; do
  p=$((5590 + i))
  env "${env[@]}" ASPNETCORE_URLS=http://127.0.0.1:$p dotnet $main/bench/out/ab/$b/ContentApi.dll >$main/bench/out/ab/abw-$b.log 2>&1 &
  pids+=($!); ports+=($p); names+=($b)
  for _ in $(seq 1 120); do curl -s -o /dev/null http://127.0.0.1:$p/health/live && break; sleep 0.5; done
  i=$((i+1))
done
# The newest build migrates; keys are made by it (same table for all).
key=$(env "${env[@]}" dotnet $main/bench/out/ab/${names[-1]}/ContentApi.dll keys create abw-editor editor 2>/dev/null | cut -f3)
. "$data/seed.env"
export BENCH_WRK=$main/bench/wrk BENCH_DATA=$data PUBLISHED EDITOR_KEY=$key WRK_THREADS=2
# PostgreSQL's CPU ticks: the postmaster with its exited children (cutime, cstime) and its live ones (the pooled backends).
pg_ticks() { local pm s; pm=$(head -1 "$pgdir/postmaster.pid"); s=$(awk '{print $14+$15+$16+$17}' /proc/$pm/stat)
  for p in $(pgrep -P "$pm"); do s=$((s + $(awk '{print $14+$15}' /proc/$p/stat 2>/dev/null || echo 0))); done; echo $s; }
prep() { dotnet bench/out/artifacts/bin/ContentApi.Bench/release/ContentApi.Bench.dll prepare --conn "$conn" --out "$data" --secret $secret --published "$PUBLISHED" >/dev/null; }
for s in $scripts; do
  for j in "${!pids[@]}"; do prep; BENCH_PHASE=warmup WRK_RESULT=/dev/null wrk -t2 -c32 -d10s -s bench/wrk/$s http://127.0.0.1:${ports[$j]} >/dev/null; done
done
for r in $(seq 1 $rounds); do
  for s in $scripts; do
    for j in "${!pids[@]}"; do
      prep
      a0=$(awk '{print $14+$15}' /proc/${pids[$j]}/stat)
      g0=$(pg_ticks)
      WRK_RESULT=$main/bench/out/ab/abw.json wrk -t2 -c32 -d${secs}s -s bench/wrk/$s http://127.0.0.1:${ports[$j]} >/dev/null
      a1=$(awk '{print $14+$15}' /proc/${pids[$j]}/stat)
      g1=$(pg_ticks)
      n=$(jq .requests $main/bench/out/ab/abw.json); bad=$(jq .non2xx3xx $main/bench/out/ab/abw.json); p99=$(jq '.p99_us/1000' $main/bench/out/ab/abw.json)
      echo "round $r $s ${names[$j]}: $((n/secs)) req/s, p99 $p99 ms, non-2xx $bad, API $(( (a1-a0)*10000000/(n>0?n:1)/1000 )) us/req, PostgreSQL $(( (g1-g0)*10000000/(n>0?n:1)/1000 )) us/req, load $(cut -d' ' -f1 /proc/loadavg)"
    done
  done
done
