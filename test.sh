#!/usr/bin/env bash
# Builds and runs every test against a throwaway PostgreSQL (or CONTENTAPI_TEST_CONNECTION when set).
set -euo pipefail
cd "$(dirname "$0")"

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
dotnet test ContentApi.sln -c Release --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
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
