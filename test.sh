#!/usr/bin/env bash
# Builds and runs every test against a throwaway PostgreSQL (or CONTENTAPI_TEST_CONNECTION when set).
# --fast leaves out the tests marked [Trait("Speed","Slow")] (own processes, servers, sockets, campaigns, scale) and the
# frontend check: the inner loop. Every other argument goes to dotnet test; a --filter given with --fast is combined.
set -euo pipefail
cd "$(dirname "$0")"

fast=0
filter=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --fast) fast=1 ;;
    --filter) filter="$2"; shift ;;
    --filter=*) filter="${1#--filter=}" ;;
    *) args+=("$1") ;;
  esac
  shift
done
if [ "$fast" = 1 ]; then
  filter="${filter:+($filter)&}Speed!=Slow"
  export CONTENTAPI_SKIP_FRONTEND=1
fi
[ -z "$filter" ] || args+=(--filter "$filter")

if [ -z "${CONTENTAPI_TEST_CONNECTION:-}" ]; then
  # A private server per run (own folder, first free port), so parallel runs on one machine never collide.
  dir=.pgdata/test-$$
  port=${CONTENTAPI_TEST_PG_PORT:-55433}
  while (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  trap 'scripts/pg.sh stop "$dir"; rm -rf "$dir"' EXIT
  PG_FSYNC=off scripts/pg.sh start "$dir" "$port"
  export CONTENTAPI_TEST_CONNECTION="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
fi

# The app's logs make the output long and CI shows only its tail: repeat each failure's name and message at the end.
log=$(mktemp)
set +e
dotnet test ContentApi.sln -c Release --logger "console;verbosity=normal" ${args[@]+"${args[@]}"} 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
if [ "$status" -ne 0 ]; then
  echo "==== failed tests (repeated from above) ===="
  awk '/^  Failed /{n=30} n>0{print; n--}' "$log"
  rm -f "$log"
  exit "$status"
fi
rm -f "$log"

# What front-end teams rely on: Spectral lint, the generated TypeScript client, Swagger UI in headless Chromium.
# CONTENTAPI_SKIP_FRONTEND=1 skips it (e.g. while iterating on one test).
[ "${CONTENTAPI_SKIP_FRONTEND:-}" = 1 ] || scripts/frontend-check.sh
