#!/usr/bin/env bash
# CPU per webhook delivery: N pending deliveries (a real article revision as payload) inserted at once into the
# outbox of the 100k bench database (seeded by bench/run.sh); the API of bench/out/ab/<build> (see ab-writes.sh) drains them
# to the bare Kestrel receiver. Prints each process's CPU per delivery (EXTRA_ENV="Webhooks__BatchSize=100" to vary settings).
# usage: bench/webhook-drain.sh BUILD N [ROUNDS]
set -euo pipefail
build=$1 n=$2 rounds=${3:-1}
main=$(cd "$(dirname "$0")/.." && pwd); pgdir=$main/bench/out/pg-100k; port=55498
cd $main
scripts/pg.sh start "$pgdir" $port >/dev/null
conn="Host=127.0.0.1;Port=$port;Username=postgres;Database=bench"
psql() { /usr/lib/postgresql/15/bin/psql -h 127.0.0.1 -p $port -U postgres -X -q "$@"; }
api= recv=
cleanup() { [ -n "$recv" ] && kill $recv 2>/dev/null; [ -n "$api" ] && kill $api 2>/dev/null; wait 2>/dev/null || true; scripts/pg.sh stop "$pgdir" >/dev/null || true; }
trap cleanup EXIT
psql -d bench -c "truncate webhook_deliveries; delete from webhook_subscriptions" >/dev/null
env=(${EXTRA_ENV:-} Webhooks__AllowPrivateTargets=true ConnectionStrings__Content="$conn" ASPNETCORE_ENVIRONMENT=Production RateLimits__Enabled=false
  Logging__LogLevel__Default=Warning Auth__BootstrapAdminKey=drain-admin-0123456789abcdef Pagination__CursorSecret=drain-secret-0123456789abcdef0123456789abcdef)
env "${env[@]}" ASPNETCORE_URLS=http://127.0.0.1:5480 dotnet $main/bench/out/ab/$build/ContentApi.dll >$main/bench/out/ab/drain-api.log 2>&1 & api=$!
dotnet bench/out/artifacts/bin/ContentApi.Bench/release/ContentApi.Bench.dll bare-kestrel --urls http://127.0.0.1:5481 >/dev/null 2>&1 & recv=$!
for _ in $(seq 1 120); do curl -s -o /dev/null http://127.0.0.1:5480/health/live && break; sleep 0.5; done
sub=$(curl -sf -H "Authorization: Bearer drain-admin-0123456789abcdef" -H 'Content-Type: application/json' http://127.0.0.1:5480/v1/webhooks \
  -d '{"url":"http://127.0.0.1:5481/hook","events":["*"],"description":"drain"}' | jq -r .webhook.id)
pgcpu() { local t=0 pm; pm=$(head -1 $pgdir/postmaster.pid); for p in $pm $(pgrep -P $pm); do t=$((t + $(awk '{print $14+$15}' /proc/$p/stat 2>/dev/null || echo 0))); done; echo $t; }
cpu() { awk '{print $14+$15}' /proc/$1/stat; }
for r in $(seq 1 $rounds); do
  sleep 2
  a0=$(cpu $api); r0=$(cpu $recv); p0=$(pgcpu); t0=$(date +%s.%N)
  psql -d bench -c "insert into webhook_deliveries (id, subscription_id, event, entity, entity_id, version, payload)
    select gen_random_uuid(), '$sub', 'article.updated', 'article', gen_random_uuid(), 1,
           jsonb_build_object('type','article.updated','timestamp',now(),'id',gen_random_uuid(),'version',1,'data',
             (select state from revisions where entity='article' and op='update' order by changed_at desc limit 1))::text
    from generate_series(1, $n)"
  while [ "$(psql -d bench -At -c "select count(*) from webhook_deliveries where status='pending'")" != 0 ]; do sleep 0.2; done
  t1=$(date +%s.%N); a1=$(cpu $api); r1=$(cpu $recv); p1=$(pgcpu)
  echo "$build round $r: $n deliveries in $(echo "$t1 - $t0" | bc) s; API $(( (a1-a0)*10000000/n/1000 )) us, PG $(( (p1-p0)*10000000/n/1000 )) us (incl. the insert), receiver $(( (r1-r0)*10000000/n/1000 )) us per delivery; load $(cut -d' ' -f1 /proc/loadavg)"
done
psql -d bench -At -c "select status, count(*), avg(length(payload)) from webhook_deliveries group by 1"
