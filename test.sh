#!/usr/bin/env bash
# Builds and runs every test against a throwaway PostgreSQL (or CONTENTAPI_TEST_CONNECTION when set).
set -euo pipefail
cd "$(dirname "$0")"

if [ -z "${CONTENTAPI_TEST_CONNECTION:-}" ]; then
  port=${CONTENTAPI_TEST_PG_PORT:-55433}
  scripts/pg.sh stop .pgdata/test
  rm -rf .pgdata/test
  PG_FSYNC=off scripts/pg.sh start .pgdata/test "$port"
  trap 'scripts/pg.sh stop .pgdata/test' EXIT
  export CONTENTAPI_TEST_CONNECTION="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
fi

dotnet test ContentApi.sln -c Release --logger "console;verbosity=normal" "$@"
