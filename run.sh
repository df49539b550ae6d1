#!/usr/bin/env bash
# Runs ContentApi with the sample story. Without ConnectionStrings__Content it starts a local PostgreSQL
# (data in .pgdata/run, kept between runs) and stops it again on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")"

# Started in the background (`./run.sh &`), a non-interactive shell inherits SIGINT ignored and cannot trap it: start
# again with the default dispositions, so INT and TERM always stop the API and the database.
if [ -z "${CONTENTAPI_RUN_SIGNALS:-}" ] && env --default-signal=INT true 2>/dev/null; then
  CONTENTAPI_RUN_SIGNALS=1 exec env --default-signal=INT,TERM bash "$PWD/$(basename "$0")" "$@"
fi

if [ -z "${ConnectionStrings__Content:-}" ]; then
  port=${CONTENTAPI_PG_PORT:-55432}
  scripts/pg.sh start .pgdata/run "$port"
  trap 'scripts/pg.sh stop .pgdata/run' EXIT
  export ConnectionStrings__Content="Host=127.0.0.1;Port=$port;Username=postgres;Database=contentapi"
fi

export ASPNETCORE_URLS=${ASPNETCORE_URLS:-http://127.0.0.1:5080}
export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}
export Auth__BootstrapAdminKey=${Auth__BootstrapAdminKey:-dev-admin-key-change-me}
export Content__LoadSample=true

dotnet build src/ContentApi -c Release -v quiet -nologo
url=${ASPNETCORE_URLS%%;*}
echo
echo "ContentApi on $url  (Ctrl-C stops it and the database)"
echo "  Swagger UI:        $url/swagger"
echo "  Sample story:      $url/v1/articles/as-wanti-wanti-korut-soal-senjata-untuk-rusia?include=quotes.speaker,quotes.source"
echo "  Development admin key: $Auth__BootstrapAdminKey   (Authorization: Bearer <key>)"
echo "  CLI verbs beside it:   ConnectionStrings__Content='$ConnectionStrings__Content'"
echo
# In the background and waited for, so a signal reaches this shell at once; the API gets TERM (a background child
# ignores INT) and drains its requests; the EXIT trap then stops the database.
(cd src/ContentApi && exec dotnet bin/Release/net10.0/ContentApi.dll) &
api=$!
trap 'kill -TERM "$api" 2>/dev/null || true; wait "$api" || true; exit 130' INT TERM
wait "$api"
