#!/usr/bin/env bash
# Runs ContentApi with the sample story. Without ConnectionStrings__Content it starts a local PostgreSQL
# (data in .pgdata/run, kept between runs) and stops it again on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")"

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
echo
dotnet run --project src/ContentApi -c Release --no-build --no-launch-profile
