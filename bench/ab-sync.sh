#!/usr/bin/env bash
# A/B of the sync scenario between API builds on one benchmark database (ABS_SCALE, default 100k, seeded by bench/run.sh), alternated per
# round, each round followed by its pgbench ceiling (ceiling-pgbench-sync); prints req/s, p99, and the API's and
# PostgreSQL's CPU per page. PostgreSQL runs with pg_stat_statements (planning tracked); each run's top statements by
# time per page go to bench/out/ab/abs-<round>-<name>.tsv. Builds go to bench/out/ab/<name>, e.g.
#   git archive 123d292 | tar -x -C /tmp/b && dotnet build -c Release /tmp/b/src/ContentApi -o bench/out/ab/123d292
# The last build named migrates the database. Bounded: every wrk and pgbench run stops by itself.
# usage: flock /work/bench.lock bench/ab-sync.sh ROUNDS SECONDS build1 build2 ...
set -euo pipefail
rounds=$1 secs=$2; shift 2
main=$(cd "$(dirname "$0")/.." && pwd); scale=${ABS_SCALE:-100k}; pgdir=$main/bench/out/pg-$scale; data=$main/bench/out/data-$scale
cd "$main"
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
free_port() { local p=$1; while (echo >"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done; echo "$p"; }
port=$(free_port 55498)
scripts/pg.sh stop "$pgdir" >/dev/null 2>&1 || true
runuser -u postgres -- "$pgbin/pg_ctl" -D "$pgdir" -l "$pgdir/server.log" -w -t 60 -o "-p $port -k $pgdir -c listen_addresses=127.0.0.1 \
  -c max_connections=200 -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track_planning=on" start >/dev/null
pm_pid=$(head -n 1 "$pgdir/postmaster.pid")
conn="Host=127.0.0.1;Port=$port;Username=postgres;Database=bench"
psql() { "$pgbin/psql" -h 127.0.0.1 -p "$port" -U postgres -d bench -X -q -At "$@"; }
pids=(); ports=(); names=()
cleanup() { for p in "${pids[@]:-}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; scripts/pg.sh stop "$pgdir" >/dev/null || true; }
trap cleanup EXIT
psql -c "create extension if not exists pg_stat_statements"
secret=abs-secret-0123456789abcdef0123456789abcdef
env=(ConnectionStrings__Content="$conn" ASPNETCORE_ENVIRONMENT=Production RateLimits__Enabled=false Logging__LogLevel__Default=Warning
  Auth__BootstrapAdminKey=abs-admin-0123456789abcdef Pagination__CursorSecret=$secret Delivery__OutputCacheSeconds=0)
i=0
for b in "$@"; do
  p=$(free_port $((5690 + i)))
  env "${env[@]}" ASPNETCORE_URLS=http://127.0.0.1:$p dotnet "$main/bench/out/ab/$b/ContentApi.dll" >"$main/bench/out/ab/abs-$b.log" 2>&1 &
  pids+=($!); ports+=($p); names+=("$b")
  for _ in $(seq 1 120); do curl -s -o /dev/null "http://127.0.0.1:$p/health/live" && break; sleep 0.5; done
  i=$((i + 1))
done
# shellcheck disable=SC1091
. "$data/seed.env"
dotnet bench/out/artifacts/bin/ContentApi.Bench/release/ContentApi.Bench.dll prepare --conn "$conn" --out "$data" --secret $secret --published "$PUBLISHED" >/dev/null
export BENCH_WRK=$main/bench/wrk BENCH_DATA=$data PUBLISHED WRK_THREADS=2
# CPU ticks (1/100 s) of PostgreSQL: the postmaster, its live children, and the children it already reaped.
pg_ticks() { local t; t=$(awk '{print $14+$15+$16+$17}' "/proc/$pm_pid/stat"); for c in $(pgrep -P "$pm_pid"); do t=$((t + $(awk '{print $14+$15}' "/proc/$c/stat" 2>/dev/null || echo 0))); done; echo "$t"; }
top() { # file pages: statements by total time (planning included), per page
  psql -F $'\t' -c "select round(((total_plan_time + total_exec_time) / $2)::numeric, 3) as ms_per_page, calls, round((total_plan_time / greatest(calls, 1))::numeric, 3) as plan_ms,
    round((total_exec_time / greatest(calls, 1))::numeric, 3) as exec_ms, left(regexp_replace(query, '\s+', ' ', 'g'), 120)
    from pg_stat_statements where dbid = (select oid from pg_database where datname = 'bench') order by 1 desc limit 12" >"$1"
}
# ABS_WARMUP=seconds of sync load per build before the rounds (default 10): at ~300 pages/s the runtime still
# recompiles hot methods (tiered PGO) 45 s after start, so short warm-ups measure part of the JIT's work.
for j in "${!pids[@]}"; do WRK_RESULT=/dev/null wrk -t2 -c32 -d"${ABS_WARMUP:-10}s" -s bench/wrk/sync.lua "http://127.0.0.1:${ports[$j]}" >/dev/null; done
pgb=(-n -M prepared -c 4 -j 2 -f "$data/pgbench-sync.sql" -h 127.0.0.1 -p "$port" -U postgres bench)
"$pgbin/pgbench" "${pgb[@]}" -T 5 >/dev/null 2>&1
for r in $(seq 1 "$rounds"); do
  for j in "${!pids[@]}"; do
    psql -c "select pg_stat_statements_reset()" >/dev/null
    a0=$(awk '{print $14+$15}' "/proc/${pids[$j]}/stat"); g0=$(pg_ticks)
    WRK_RESULT=$main/bench/out/ab/abs.json wrk -t2 -c32 -d"${secs}s" -s bench/wrk/sync.lua "http://127.0.0.1:${ports[$j]}" >/dev/null
    a1=$(awk '{print $14+$15}' "/proc/${pids[$j]}/stat"); g1=$(pg_ticks)
    n=$(jq .requests bench/out/ab/abs.json); bad=$(jq .non2xx3xx bench/out/ab/abs.json); p99=$(jq '.p99_us/1000' bench/out/ab/abs.json)
    top "bench/out/ab/abs-$r-${names[$j]}.tsv" "$n"
    echo "round $r sync ${names[$j]}: $((n / secs)) req/s, p99 $p99 ms, non-2xx $bad, API $(((a1 - a0) * 10000000 / (n > 0 ? n : 1) / 1000)) us/page, PostgreSQL $(((g1 - g0) * 10000000 / (n > 0 ? n : 1) / 1000)) us/page, load $(cut -d' ' -f1 /proc/loadavg)"
  done
  psql -c "select pg_stat_statements_reset()" >/dev/null
  # pgbench's backends exit with it: their CPU is sampled while they run, from 1 s in to 1 s before the end.
  "$pgbin/pgbench" "${pgb[@]}" -T "$secs" >bench/out/ab/abs-pgbench.txt 2>/dev/null &
  sleep 1; g0=$(pg_ticks); sleep $((secs - 2)); g1=$(pg_ticks); wait $!
  tps=$(awk '/^tps/ {print int($3)}' bench/out/ab/abs-pgbench.txt); n=$(awk '/transactions actually processed/ {print $NF}' bench/out/ab/abs-pgbench.txt | cut -d/ -f1)
  top "bench/out/ab/abs-$r-ceiling.tsv" "$n"
  echo "round $r ceiling-pgbench-sync: $tps pages/s, PostgreSQL $(((g1 - g0) * 10000000 / (tps > 0 ? tps * (secs - 2) : 1) / 1000)) us/page, load $(cut -d' ' -f1 /proc/loadavg)"
done
# ABS_TRACE=name: then a thread-time sampling trace of that build's API under the same load (dotnet-trace, 10 s), to
# bench/out/ab/abs-<name>.nettrace; read it with `dotnet-trace report <file> topN --inclusive` or PerfView/speedscope.
if [ -n "${ABS_TRACE:-}" ]; then
  for j in "${!pids[@]}"; do
    [ "${names[$j]}" = "$ABS_TRACE" ] || continue
    WRK_RESULT=/dev/null timeout 60 wrk -t2 -c32 -d25s -s bench/wrk/sync.lua "http://127.0.0.1:${ports[$j]}" >/dev/null &
    load=$!
    sleep 5
    PATH=$PATH:$HOME/.dotnet/tools timeout 60 dotnet-trace collect -p "${pids[$j]}" --profile dotnet-sampled-thread-time --duration 00:00:00:10 -o "bench/out/ab/abs-$ABS_TRACE.nettrace" >/dev/null 2>&1 || true
    wait "$load"
  done
fi
