#!/usr/bin/env bash
# ContentApi benchmark in one go: bench/run.sh [10k|100k|1M]   (default 100k)
# Builds Release, starts its own PostgreSQL, seeds, starts the API and the ceilings, runs every scenario with wrk
# (and pgbench for the database ceiling), and writes bench/results/<UTC date>-<scale>.md. Everything it starts, it stops.
# Knobs: BENCH_DURATION (s, default 15), BENCH_WARMUP (s, default 15), BENCH_WAIT_IDLE=1 (wait up to 20 min for an
# idle machine first; BENCH_IDLE_MAX polls of 10 s, default 120), BENCH_REUSE_DB=1 (keep a database seeded by an earlier run of the same scale; faster, but
# earlier write scenarios have added rows; it is vacuumed first), BENCH_ONLY="name name" (run only these scenarios; development), BENCH_TAG=r2
# (results go to bench/results/<date>-<scale>-r2.md: repeated runs for ContentApi.Bench medians).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

scale=${1:-100k}
case "$scale" in
  10k) articles=10000 ;;
  100k) articles=100000 ;;
  1M | 1m) articles=1000000; scale=1M ;;
  *) echo "usage: bench/run.sh [10k|100k|1M]" >&2; exit 2 ;;
esac
duration=${BENCH_DURATION:-15}
warmup=${BENCH_WARMUP:-15}
connections=32
threads=2
out=bench/out
run=$out/run-$scale
data=$out/data-$scale
pgdir=$out/pg-$scale
started=$(date +%s)
log() { printf '[%4ds] %s\n' $(($(date +%s) - started)) "$*" >&2; }

# --- tools -------------------------------------------------------------------------------------------------------
if ! command -v wrk >/dev/null || ! command -v pidstat >/dev/null; then
  log "installing wrk and sysstat"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq wrk sysstat >/dev/null
fi
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$pgbin/pgbench" ] || { echo "pgbench not found in $pgbin (apt-get install postgresql)" >&2; exit 1; }

busy() { pgrep -f 'dotnet test|chromium|(^|/)wrk ' >/dev/null 2>&1; }
load1() { cut -d' ' -f1 /proc/loadavg; }
if [ "${BENCH_WAIT_IDLE:-0}" = 1 ]; then
  for _ in $(seq 1 "${BENCH_IDLE_MAX:-120}"); do
    if awk -v l="$(load1)" 'BEGIN { exit !(l < 0.5) }' && ! busy; then break; fi
    log "waiting for an idle machine (load $(load1))"; sleep 10
  done
fi
load_at_start="$(cut -d' ' -f1-3 /proc/loadavg)$(busy && echo ', other test processes running' || true)"

# --- build (own artifacts folder: other builds of the repo cannot swap files under the running API) --------------
log "building Release"
dotnet build bench/ContentApi.Bench/ContentApi.Bench.csproj -c Release --artifacts-path "$out/artifacts" -nologo -v q -clp:ErrorsOnly
api_dll=$root/$out/artifacts/bin/ContentApi/release/ContentApi.dll
bench_dll=$root/$out/artifacts/bin/ContentApi.Bench/release/ContentApi.Bench.dll

# --- processes we start, stopped on any exit -------------------------------------------------------------------------
pids=()
pg_port=
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  [ -n "$pg_port" ] && scripts/pg.sh stop "$pgdir" || true
}
trap cleanup EXIT
free_port() { local p=$1; while (echo >"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done; echo "$p"; }

# --- PostgreSQL ----------------------------------------------------------------------------------------------------
pg_port=$(free_port 55460)
reuse=0
if [ "${BENCH_REUSE_DB:-0}" = 1 ] && [ -f "$data/seed.env" ] && [ -f "$pgdir/PG_VERSION" ]; then reuse=1; fi
if [ "$reuse" = 0 ]; then
  scripts/pg.sh stop "$pgdir" 2>/dev/null || true
  rm -rf "$pgdir" "$data"
fi
scripts/pg.sh start "$pgdir" "$pg_port"
if ! grep -q 'contentapi bench' "$pgdir/postgresql.conf"; then
  # Sized for this 24 GiB machine; the data set at 1M is about 10 GB, the OS cache keeps what shared_buffers doesn't.
  cat >>"$pgdir/postgresql.conf" <<'EOF'
# contentapi bench
shared_buffers = 2GB
effective_cache_size = 12GB
work_mem = 16MB
maintenance_work_mem = 512MB
random_page_cost = 1.1
max_wal_size = 8GB
checkpoint_timeout = 30min
EOF
  scripts/pg.sh stop "$pgdir"
  scripts/pg.sh start "$pgdir" "$pg_port"
fi
pm_pid=$(head -n 1 "$pgdir/postmaster.pid")
conn="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=bench"
psql() { "$pgbin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -X -q "$@"; }

mkdir -p "$data"
if [ "$reuse" = 0 ]; then
  psql -d postgres -c "create database bench"
  log "seeding $articles articles"
  dotnet "$bench_dll" seed --conn "$conn" --articles "$articles" --out "$data"
  echo "SEEDED_AT=$(psql -d bench -At -c "select to_char(now() at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')")" >>"$data/seed.env"
else
  # Earlier runs' write scenarios added rows (bench/sql/reset-to-seed.sql) and left dead ones and unset visibility
  # bits: remove the added rows and vacuum, so a reused database reads like a fresh seed (which ends with the same vacuum).
  # A database seeded before SEEDED_AT was recorded: its seed ended when seed.env was written.
  seeded=$(grep -oP '^SEEDED_AT=\K.*' "$data/seed.env" || date -u -r "$data/seed.env" +%Y-%m-%dT%H:%M:%S.%6NZ)
  psql -d bench -At -v seeded="$seeded" -f bench/sql/reset-to-seed.sql | while read -r line; do log "$line"; done
  log "vacuum (analyze) the reused database"
  psql -d bench -c "vacuum (analyze)"
fi
# The cold get's tables, their TOAST and unique indexes into shared_buffers, where they fit (10k, 100k; at 1M they are
# about six times shared_buffers): get-cold runs first and would otherwise pay for misses its ceilings, measured
# after it, do not. The checkpoint writes what the vacuum dirtied before anything is measured.
psql -d bench -c "create extension if not exists pg_prewarm"
psql -d bench -At -c "
  with tables as (select oid, reltoastrelid from pg_class where relnamespace = 'public'::regnamespace
                    and relname in ('articles', 'quotes', 'people', 'sources', 'article_people', 'article_quotes', 'article_sources')),
       rels as (select oid from tables union all select reltoastrelid from tables where reltoastrelid <> 0
                union all select i.indexrelid from pg_index i join tables t on t.oid = i.indrelid where i.indisunique),
       size as (select sum(pg_relation_size(oid)) as bytes from rels)
  select case when bytes < 0.75 * pg_size_bytes(current_setting('shared_buffers'))
              then format('prewarmed %s MB (%s blocks)', round(bytes / 1048576), (select sum(pg_prewarm(oid)) from rels))
              else format('not prewarmed: %s MB does not fit', round(bytes / 1048576)) end
  from size" | while read -r line; do log "$line"; done
log "checkpoint"
psql -d bench -c "checkpoint"
seed_seconds=$(($(date +%s) - started))
# shellcheck disable=SC1091
. "$data/seed.env"
secret="bench-cursor-secret-$(date +%s)-0123456789"
dotnet "$bench_dll" prepare --conn "$conn" --out "$data" --secret "$secret" --published "$PUBLISHED"

# --- servers -------------------------------------------------------------------------------------------------------
rm -rf "$run"; mkdir -p "$run"
admin_key="bench-admin-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
api_env=(ConnectionStrings__Content="$conn" ASPNETCORE_ENVIRONMENT=Production RateLimits__Enabled=false
  Logging__LogLevel__Default=Warning Auth__BootstrapAdminKey="$admin_key" Pagination__CursorSecret="$secret")
# BENCH_WEBHOOK=1: the webhook A/B below subscribes a receiver on 127.0.0.1, which the API refuses unless allowed.
[ "${BENCH_WEBHOOK:-0}" = 1 ] && api_env+=(Webhooks__AllowPrivateTargets=true)
start_server() { # name port command...
  local name=$1 port=$2; shift 2
  env "$@" >"$run/$name.log" 2>&1 &
  pids+=($!)
  eval "${name//-/_}_pid=$!"
  for _ in $(seq 1 120); do
    curl -s -o /dev/null "http://127.0.0.1:$port/" && return 0
    sleep 0.5
  done
  echo "$name did not start; see $run/$name.log" >&2; exit 1
}
api_port=$(free_port 5190)
start_server api "$api_port" "${api_env[@]}" Delivery__OutputCacheSeconds=0 ASPNETCORE_URLS="http://127.0.0.1:$api_port" dotnet "$api_dll"
apic_port=$(free_port $((api_port + 1)))
start_server api-cache "$apic_port" "${api_env[@]}" Delivery__OutputCacheSeconds=10 ASPNETCORE_URLS="http://127.0.0.1:$apic_port" dotnet "$api_dll"
kestrel_port=$(free_port $((apic_port + 1)))
start_server kestrel "$kestrel_port" dotnet "$bench_dll" bare-kestrel --urls "http://127.0.0.1:$kestrel_port"
dapper_port=$(free_port $((kestrel_port + 1)))
start_server dapper "$dapper_port" dotnet "$bench_dll" bare-dapper --conn "$conn" --urls "http://127.0.0.1:$dapper_port"

sqljson_port=$(free_port $((dapper_port + 1)))
start_server sqljson "$sqljson_port" dotnet "$bench_dll" bare-sqljson --conn "$conn" --urls "http://127.0.0.1:$sqljson_port" --sql "$root/bench/sql/article-json.sql"

editor_key=$(env "${api_env[@]}" dotnet "$api_dll" keys create bench-editor editor 2>/dev/null | cut -f3)
[ -n "$editor_key" ] || { echo "could not create the editor key" >&2; exit 1; }

include="include=quotes.speaker,quotes.source,people,sources"
# The hot set's ETags, for the 304 scenario (asking also fills the output cache).
: >"$data/etags.txt"
for i in $(seq 0 99); do
  path="/v1/articles/bench-article-$((PUBLISHED - i))?$include"
  etag=$(curl -s -D - -o /dev/null "http://127.0.0.1:$apic_port$path" | awk -F': ' 'tolower($1)=="etag" { print $2 }' | tr -d '\r')
  printf '%s\t%s\n' "$path" "$etag" >>"$data/etags.txt"
done
# The cursors in cursors.txt are made like the API makes them: check that page 2's is exactly the API's own.
api_cursor=$(curl -s "http://127.0.0.1:$api_port/v1/articles?limit=20&fields=slug" | jq -r .nextCursor)
[ "$api_cursor" = "$(cat "$data/cursor-page2.txt")" ] || { echo "cursor mismatch: the API gives $api_cursor" >&2; exit 1; }
# The bare endpoint must return what the API returns.
cmp -s <(curl -s "http://127.0.0.1:$api_port/v1/articles/bench-article-1?$include" | jq -S .) \
       <(curl -s "http://127.0.0.1:$dapper_port/v1/articles/bench-article-1?$include" | jq -S .) \
  || { echo "bare-dapper and the API disagree on bench-article-1" >&2; exit 1; }

# --- warming up ------------------------------------------------------------------------------------------------------
# .NET compiles hot methods again with profile data (tiered PGO) during the first tens of seconds under load; measured
# on a fresh process, the API spent three times the CPU per request in its first 10 s. Every server gets that time here,
# so every scenario measures the steady state.
export BENCH_DATA=$root/$data BENCH_WRK=$root/bench/wrk PUBLISHED
log "warming up the servers"
for port in "$api_port" "$apic_port" "$dapper_port" "$sqljson_port"; do
  WRK_RESULT=/dev/null timeout 60 wrk -t$threads -c$connections -d15s -s bench/wrk/get.lua "http://127.0.0.1:$port" >/dev/null
done
WRK_RESULT=/dev/null timeout 60 wrk -t$threads -c$connections -d5s -s bench/wrk/fixed.lua "http://127.0.0.1:$kestrel_port" >/dev/null

# --- measuring -----------------------------------------------------------------------------------------------------
cpu_sampler() { LC_ALL=C pidstat -h -u -C 'postgres|dotnet|wrk|pgbench' 1 "$duration" >"$1/pidstat.txt" 2>/dev/null; }
record_pids() { # dir server_pid load_pid: which processes are whose, taken mid-run (pool and pgbench connections exist)
  { echo "server $2"; echo "load $3"; echo "postgres $pm_pid"; for p in $(pgrep -P "$pm_pid"); do echo "postgres $p"; done; } >"$1/pids.txt"
}
selected() { [ -z "${BENCH_ONLY:-}" ] || [[ " $BENCH_ONLY " == *" $1 "* ]]; }
export BENCH_DATA=$root/$data BENCH_WRK=$root/bench/wrk PUBLISHED WRK_THREADS=$threads EDITOR_KEY=$editor_key BENCH_RUN_ID=$started

scenario() { # name server_pid port script [VAR=value...]
  local name=$1 server=$2 port=$3 script=$4; shift 4
  selected "$name" || return 0
  local dir=$run/$name; mkdir -p "$dir"
  log "scenario $name"
  env "$@" BENCH_PHASE=warmup WRK_RESULT="$dir/warmup.json" timeout $((warmup + 30)) wrk -t$threads -c$connections -d"${warmup}s" -s "bench/wrk/$script" "http://127.0.0.1:$port" >/dev/null
  cpu_sampler "$dir" &
  local sampler=$!
  env "$@" WRK_RESULT="$dir/wrk.json" timeout $((duration + 30)) wrk -t$threads -c$connections -d"${duration}s" --latency \
    -s "bench/wrk/$script" "http://127.0.0.1:$port" >"$dir/wrk.txt" &
  local load=$!
  sleep 2; record_pids "$dir" "$server" "$(pgrep -P "$load" -x wrk || echo "$load")"
  wait "$load"; wait "$sampler" || true
  grep -E 'VmHWM|VmRSS' "/proc/$server/status" >"$dir/rss.txt"
}

pgbench_scenario() { # name clients script
  local name=$1 clients=$2 script=$3
  selected "$name" || return 0
  local dir=$run/$name; mkdir -p "$dir"
  log "scenario $name"
  local args=(-n -M prepared -c "$clients" -j $threads -f "$script" -h 127.0.0.1 -p "$pg_port" -U postgres bench)
  if [ -d "$script" ]; then args=(-n -M prepared -c "$clients" -j $threads -h 127.0.0.1 -p "$pg_port" -U postgres); for f in "$script"/*.sql; do args+=(-f "$f"); done; args+=(bench); fi # a folder: every script in it, equal weights
  timeout $((warmup + 30)) "$pgbin/pgbench" "${args[@]}" -T "$warmup" >/dev/null 2>&1
  cpu_sampler "$dir" &
  local sampler=$!
  (cd "$dir" && timeout $((duration + 30)) "$pgbin/pgbench" "${args[@]}" -T "$duration" --log --log-prefix=pgbench >"pgbench.txt" 2>&1) &
  local load=$!
  sleep 2; record_pids "$dir" 0 "$(pgrep -n -x pgbench || echo 0)"
  wait "$load"; wait "$sampler" || true
  : >"$dir/rss.txt"
}

# Side by side: each API scenario next to the ceiling it is compared with.
scenario ceiling-kestrel "$kestrel_pid" "$kestrel_port" fixed.lua
scenario get-hot "$api_cache_pid" "$apic_port" get.lua BENCH_SLUGS=hot
scenario get-304 "$api_cache_pid" "$apic_port" get-304.lua
scenario get-cold "$api_pid" "$api_port" get.lua BENCH_SLUGS=cold
scenario ceiling-dapper "$dapper_pid" "$dapper_port" get.lua BENCH_SLUGS=cold
scenario compare-sqljson "$sqljson_pid" "$sqljson_port" get.lua BENCH_SLUGS=cold
pgbench_scenario ceiling-pgbench-c4 4 "$root/$data/pgbench-get.sql"
pgbench_scenario ceiling-pgbench-c8 8 "$root/$data/pgbench-get.sql"
pgbench_scenario ceiling-pgbench-c32 32 "$root/$data/pgbench-get.sql"
scenario get-cold-cache-on "$api_cache_pid" "$apic_port" get.lua BENCH_SLUGS=cold
scenario list-first "$api_pid" "$api_port" list.lua BENCH_PAGE=first
scenario list-deep "$api_pid" "$api_port" list.lua BENCH_PAGE=deep
scenario quotes-by-speaker "$api_pid" "$api_port" quotes-speaker.lua
scenario search "$api_pid" "$api_port" search.lua
scenario sync "$api_pid" "$api_port" sync.lua
pgbench_scenario ceiling-pgbench-sync 4 "$root/$data/pgbench-sync.sql"
pgbench_scenario ceiling-pgbench-search 4 "$root/$data/pgbench-search"
scenario create-quote "$api_pid" "$api_port" create-quote.lua
scenario update-article "$api_pid" "$api_port" update-article.lua
# The write scenarios' ceilings (issue 28 item 3): their statements as the repositories send them, 4 clients (the API's pool).
pgbench_scenario ceiling-pgbench-quote 4 "$root/$data/pgbench-quote.sql"
pgbench_scenario ceiling-pgbench-update 4 "$root/$data/pgbench-update.sql"
# The wrong-key flood (issue 29) needs the production rate limits, so it gets an API instance of its own.
if selected wrong-key-flood; then
  log "scenario wrong-key-flood"
  limits_port=$(free_port $((sqljson_port + 1)))
  start_server api-limits "$limits_port" ConnectionStrings__Content="$conn" ASPNETCORE_ENVIRONMENT=Production \
    Logging__LogLevel__Default=Warning Auth__BootstrapAdminKey="$admin_key" Pagination__CursorSecret="$secret" \
    ASPNETCORE_URLS="http://127.0.0.1:$limits_port" dotnet "$api_dll"
  reader_key=$(env "${api_env[@]}" dotnet "$api_dll" keys create bench-reader reader 2>/dev/null | cut -f3)
  READER_KEY=$reader_key WRK_RESULT=/dev/null BENCH_RATE=20 timeout 40 wrk -t1 -c2 -d10s -s bench/wrk/valid-reader.lua "http://127.0.0.1:$limits_port" >/dev/null
  bench/flood.sh "$run/wrong-key-flood" "$api_limits_pid" "$limits_port" "$reader_key" >/dev/null
fi

# --- search A/B (BENCH_SEARCH_AB=path/to/another/ContentApi.dll; BENCH_ONLY selects it as search-ab) ---------------------
# That build ("old") and this one ("new") on the same database, cache off, alternated BENCH_SEARCH_AB_ROUNDS times
# (default 2; old first in odd rounds, new first in even ones), each with its own warm-up; the report prints their CPU per search beside ceiling-pgbench-search.
if [ -n "${BENCH_SEARCH_AB:-}" ] && selected search-ab; then
  ab_port=$(free_port $((sqljson_port + 1)))
  start_server api-ab "$ab_port" "${api_env[@]}" Delivery__OutputCacheSeconds=0 ASPNETCORE_URLS="http://127.0.0.1:$ab_port" dotnet "$BENCH_SEARCH_AB"
  WRK_RESULT=/dev/null timeout 60 wrk -t$threads -c$connections -d15s -s bench/wrk/get.lua "http://127.0.0.1:$ab_port" >/dev/null
  # Both builds must answer every term of the scenario with the same bytes: first page, and the page its cursor gives.
  differ=0
  while read -r term; do
    q="/v1/articles?limit=20&fields=slug,title,summary,publishedAt&q=$term"
    a=$(curl -s "http://127.0.0.1:$ab_port$q"); b=$(curl -s "http://127.0.0.1:$api_port$q")
    next=$(jq -r '.nextCursor // empty | @uri' <<<"$b")
    if [ -n "$next" ]; then
      a+=$(curl -s "http://127.0.0.1:$ab_port$q&cursor=$next"); b+=$(curl -s "http://127.0.0.1:$api_port$q&cursor=$next")
    fi
    [ "$a" = "$b" ] || { differ=$((differ + 1)); echo "search A/B: the builds differ on q=$term" >&2; }
  done <"$data/search.txt"
  echo "terms=$(wc -l <"$data/search.txt") differing=$differ" >"$run/search-ab.txt"
  for round in $(seq 1 "${BENCH_SEARCH_AB_ROUNDS:-2}"); do
    for side in $([ $((round % 2)) = 1 ] && echo old new || echo new old); do
      if [ "$side" = old ]; then BENCH_ONLY= scenario "search-old-$round" "$api_ab_pid" "$ab_port" search.lua
      else BENCH_ONLY= scenario "search-new-$round" "$api_pid" "$api_port" search.lua; fi
    done
  done
fi

# --- webhook A/B (BENCH_WEBHOOK=1; BENCH_ONLY selects it as webhook-ab) ----------------------------------------------
# The write scenarios without (off-N) and with (hook-N) one active subscription to every event, alternated
# BENCH_WEBHOOK_ROUNDS times (default 2; BENCH_WEBHOOK_FIRST=hook starts each round with the subscription, so a
# database that slows as the runs write does not favour one side). The receiver is the bare Kestrel server (200 with a fixed body to anything).
# The update targets' versions are read again before each update-article run; after a hook run the outbox must drain
# (its pending count when the load stopped goes to webhook.txt) before the subscription is deleted.
if [ "${BENCH_WEBHOOK:-0}" = 1 ] && selected webhook-ab; then
  hook_port=$(free_port $((sqljson_port + 1)))
  start_server hook-receiver "$hook_port" dotnet "$bench_dll" bare-kestrel --urls "http://127.0.0.1:$hook_port"
  api_url="http://127.0.0.1:$api_port"
  : >"$run/webhook.txt"
  for round in $(seq 1 "${BENCH_WEBHOOK_ROUNDS:-2}"); do
    for mode in $([ "${BENCH_WEBHOOK_FIRST:-off}" = hook ] && echo hook off || echo off hook); do
      hook_id=
      if [ "$mode" = hook ]; then
        hook_id=$(curl -sf -H "Authorization: Bearer $admin_key" -H 'Content-Type: application/json' "$api_url/v1/webhooks" \
          -d "{\"url\":\"http://127.0.0.1:$hook_port/hook\",\"events\":[\"*\"],\"description\":\"bench\"}" | jq -r .webhook.id)
        [ -n "$hook_id" ] && [ "$hook_id" != null ] || { echo "could not subscribe the bench receiver" >&2; exit 1; }
      fi
      BENCH_ONLY= scenario "create-quote-$mode-$round" "$api_pid" "$api_port" create-quote.lua
      dotnet "$bench_dll" prepare --conn "$conn" --out "$data" --secret "$secret" --published "$PUBLISHED" >/dev/null
      BENCH_ONLY= scenario "update-article-$mode-$round" "$api_pid" "$api_port" update-article.lua
      if [ -n "$hook_id" ]; then
        pending=$(psql -d bench -At -c "select count(*) from webhook_deliveries where status = 'pending'")
        for _ in $(seq 1 120); do
          [ "$(psql -d bench -At -c "select count(*) from webhook_deliveries where status = 'pending'")" = 0 ] && break
          sleep 1
        done
        echo "round $round: pending at the end of the load $pending; delivered $(psql -d bench -At -c "select count(*) from webhook_deliveries where status = 'delivered'"); pending after draining $(psql -d bench -At -c "select count(*) from webhook_deliveries where status = 'pending'")" >>"$run/webhook.txt"
        curl -sf -o /dev/null -X DELETE -H "Authorization: Bearer $admin_key" "$api_url/v1/webhooks/$hook_id"
      fi
    done
  done
  cat "$run/webhook.txt" >&2
fi

# Story import (issue 24): a 600-word story with 8 direct quotes, dry run then commit, against every person in the
# database (50k at 100k). The harness first checks the story imports as meant: 8 direct quotes, every one attributed.
if selected import-dry || selected import-dry-c4 || selected import-commit; then
  people_count=$(psql -d bench -At -c "select count(*) from people")
  [ "$people_count" -ge $((articles / 2)) ] || log "warning: $people_count people (a database seeded before the import scenarios); reseed for $((articles / 2))"
  found=$(curl -s -X POST -H "Authorization: Bearer $editor_key" -H "Content-Type: text/plain; charset=utf-8" \
    --data-binary @<(sed 's/{n}/1/g' bench/wrk/import-story.txt) "http://127.0.0.1:$api_port/v1/imports?dryRun=true" \
    | jq '[.proposal.quotes[] | select(.type == "direct" and .speaker != null)] | length')
  [ "$found" = 8 ] || { echo "the import story gave $found attributed direct quotes, not 8" >&2; exit 1; }
  echo "people=$people_count" >"$run/import-env.txt"
fi
scenario import-dry "$api_pid" "$api_port" import.lua BENCH_IMPORT=dry
# The same at 4 connections: a desk of editors importing at once, rather than the 32 of the read scenarios.
connections=4 scenario import-dry-c4 "$api_pid" "$api_port" import.lua BENCH_IMPORT=dry
# Commits last: they add drafts, and the vacuum they leave behind must not fall on a dry run.
scenario import-commit "$api_pid" "$api_port" import.lua BENCH_IMPORT=commit

# --- cold get: the document built in SQL, and an A/B against another build (session 16) ------------------------------
# compare-document: a bare endpoint answering with ArticleRepository.GetDocumentAsync (the contract's exact bytes built
# by PostgreSQL); compare-pgbench-document-c4: pgbench of its statement. BENCH_BASE_DLL=<another build's ContentApi.dll>
# (BENCH_ONLY selects it as get-cold-ab): that build's API, output cache off, on the same database; it must answer
# bench-article-1 with the same bytes as this build, then get-cold-ab-base-N and get-cold-ab-new-N alternate
# BENCH_AB_ROUNDS times (default 2).
if selected compare-document; then
  document_port=$(free_port $((sqljson_port + 5)))
  start_server document "$document_port" dotnet "$bench_dll" bare-document --conn "$conn" --urls "http://127.0.0.1:$document_port"
  cmp -s <(curl -s "http://127.0.0.1:$api_port/v1/articles/bench-article-1?$include") \
         <(curl -s "http://127.0.0.1:$document_port/v1/articles/bench-article-1?$include") \
    || { echo "the document endpoint and the API answer bench-article-1 with different bytes" >&2; exit 1; }
  WRK_RESULT=/dev/null timeout 60 wrk -t$threads -c$connections -d15s -s bench/wrk/get.lua "http://127.0.0.1:$document_port" >/dev/null
  scenario compare-document "$document_pid" "$document_port" get.lua BENCH_SLUGS=cold
fi
pgbench_scenario compare-pgbench-document-c4 4 "$root/$data/pgbench-get-document.sql"
if [ -n "${BENCH_BASE_DLL:-}" ] && selected get-cold-ab; then
  base_port=$(free_port $((sqljson_port + 3)))
  start_server api-base "$base_port" "${api_env[@]}" Delivery__OutputCacheSeconds=0 ASPNETCORE_URLS="http://127.0.0.1:$base_port" dotnet "$BENCH_BASE_DLL"
  cmp -s <(curl -s "http://127.0.0.1:$api_port/v1/articles/bench-article-1?$include") \
         <(curl -s "http://127.0.0.1:$base_port/v1/articles/bench-article-1?$include") \
    || { echo "the base build and this one answer bench-article-1 with different bytes" >&2; exit 1; }
  WRK_RESULT=/dev/null timeout 60 wrk -t$threads -c$connections -d15s -s bench/wrk/get.lua "http://127.0.0.1:$base_port" >/dev/null
  for round in $(seq 1 "${BENCH_AB_ROUNDS:-2}"); do
    BENCH_ONLY= scenario "get-cold-ab-base-$round" "$api_base_pid" "$base_port" get.lua BENCH_SLUGS=cold
    BENCH_ONLY= scenario "get-cold-ab-new-$round" "$api_pid" "$api_port" get.lua BENCH_SLUGS=cold
  done
fi

# --- output cache A/B (session 18) -----------------------------------------------------------------------------------
# BENCH_CACHE_BASE_DLL=<another build's ContentApi.dll> (BENCH_ONLY selects it as cache-ab): that build's API in the
# production config (output cache on) beside this build's api-cache, on the same database. BENCH_AB_ROUNDS rounds
# (default 2; base first in odd rounds, new first in even ones), each: bare Kestrel, get-hot on both builds,
# get-cold-cache-on on both builds, then get-cold (this build, cache off), so every ratio has its ceiling in the round.
# BENCH_CACHE_AB_OFF_FIRST=1: get-cold, then get-cold-cache-on on both builds before any hot run, then Kestrel and get-hot.
if [ -n "${BENCH_CACHE_BASE_DLL:-}" ] && selected cache-ab; then
  cbase_port=$(free_port $((sqljson_port + 7)))
  start_server api-cache-base "$cbase_port" "${api_env[@]}" Delivery__OutputCacheSeconds=10 ASPNETCORE_URLS="http://127.0.0.1:$cbase_port" dotnet "$BENCH_CACHE_BASE_DLL"
  cmp -s <(curl -s "http://127.0.0.1:$apic_port/v1/articles/bench-article-1?$include") \
         <(curl -s "http://127.0.0.1:$cbase_port/v1/articles/bench-article-1?$include") \
    || { echo "the base build and this one answer bench-article-1 with different bytes" >&2; exit 1; }
  WRK_RESULT=/dev/null timeout 60 wrk -t$threads -c$connections -d15s -s bench/wrk/get.lua "http://127.0.0.1:$cbase_port" >/dev/null
  for round in $(seq 1 "${BENCH_AB_ROUNDS:-2}"); do
    off_first=${BENCH_CACHE_AB_OFF_FIRST:-0}
    if [ "$off_first" = 1 ]; then BENCH_ONLY= scenario "cache-ab-off-$round" "$api_pid" "$api_port" get.lua BENCH_SLUGS=cold; fi
    for slugs in $([ "$off_first" = 1 ] && echo cold hot || echo hot cold); do
      if [ "$slugs" = hot ]; then BENCH_ONLY= scenario "cache-ab-kestrel-$round" "$kestrel_pid" "$kestrel_port" fixed.lua; fi
      for side in $([ $((round % 2)) = 1 ] && echo base new || echo new base); do
        if [ "$side" = base ]; then BENCH_ONLY= scenario "cache-ab-$slugs-base-$round" "$api_cache_base_pid" "$cbase_port" get.lua BENCH_SLUGS=$slugs
        else BENCH_ONLY= scenario "cache-ab-$slugs-new-$round" "$api_cache_pid" "$apic_port" get.lua BENCH_SLUGS=$slugs; fi
      done
    done
    if [ "$off_first" != 1 ]; then BENCH_ONLY= scenario "cache-ab-off-$round" "$api_pid" "$api_port" get.lua BENCH_SLUGS=cold; fi
  done
fi

# --- report --------------------------------------------------------------------------------------------------------
{
  echo "scale=$scale"; echo "articles=$articles"; echo "duration=$duration"; echo "warmup=$warmup"
  echo "connections=$connections"; echo "threads=$threads"; echo "seed_seconds=$seed_seconds"
  echo "total_seconds=$(($(date +%s) - started))"; echo "load_at_start=$load_at_start"; echo "load_at_end=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo '+changes')"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) x $(nproc)"
  echo "postgres=$("$pgbin/postgres" --version)"; echo "dotnet=$(dotnet --version)"; echo "wrk=$(wrk -v 2>&1 | head -n1)"
  echo "rss_api=$(grep VmHWM /proc/"$api_pid"/status | awk '{print $2}')"
  echo "rss_api_cache=$(grep VmHWM /proc/"$api_cache_pid"/status | awk '{print $2}')"
  echo "db_size=$(psql -d bench -At -c "select pg_size_pretty(pg_database_size('bench'))")"
  cat "$data/seed.env"
} >"$run/env.txt"
busy && echo "busy_at_end=$(pgrep -af 'dotnet test|chromium' | wc -l) other test processes" >>"$run/env.txt" || true
mkdir -p bench/results
result=bench/results/$(date -u +%F)-$scale${BENCH_TAG:+-$BENCH_TAG}.md
dotnet "$bench_dll" report --dir "$run" --out "$result" --results bench/results
[ -f "$run/wrong-key-flood/flood.md" ] && { echo; cat "$run/wrong-key-flood/flood.md"; } >>"$result"
log "done: $result"
