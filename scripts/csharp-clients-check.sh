#!/usr/bin/env bash
# C# clients generated from the committed openapi/v1.json by the tools mobile and back-office teams use, pinned in
# .config/dotnet-tools.json and restored from NuGet like any package (no download of their own):
#   csharp-clients-check.sh kiota URL ADMIN_KEY   Kiota generates clients/csharp-kiota/generated/, the check program
#                                                 builds and runs its scenario against the API at URL
#   csharp-clients-check.sh nswag                 NSwag generates clients/csharp-nswag/generated/ and it must compile
# Generated code is made here, at check time, and not committed: the committed document is the one source, so a
# stale generated client can never pass for a working one. Called by scripts/frontend-check.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# Kiota: no update check, no tutorial hints, nothing fetched but the local description.
export KIOTA_OFFLINE_ENABLED=true KIOTA_TUTORIAL_ENABLED=false KIOTA_UPDATE_CHECK_ENABLED=false

dotnet tool restore >/dev/null

case "${1:-}" in
  kiota)
    url=${2:?URL}; key=${3:?ADMIN_KEY}
    out=clients/csharp-kiota/generated
    log=$(mktemp)
    dotnet kiota generate -l CSharp -d openapi/v1.json -o "$out" -c ContentApiClient -n ContentApi.Client \
      --clean-output --exclude-backward-compatible --log-level Warning >"$log" 2>&1 || { cat "$log"; exit 1; }
    echo "kiota: generated $(find "$out" -name '*.cs' | wc -l) files; $(grep -c 'warn' "$log" || true) warnings:"
    # sed reads to the end, where head would exit early and sort, writing more than a pipe's buffer, die of SIGPIPE
    # (a failed check under pipefail, depending on timing).
    grep -A1 'warn' "$log" | grep -v '^warn\|^--' | sed 's/^ */  /' | sort | uniq -c | sort -rn | sed -n '1,20p'
    rm -f "$log"
    dotnet build clients/csharp-kiota -c Release -v quiet -nologo | grep -E 'error|Build succeeded' | sort -u
    CONTENTAPI_URL=$url CONTENTAPI_ADMIN_KEY=$key dotnet clients/csharp-kiota/bin/Release/net10.0/ContentApi.KiotaCheck.dll
    ;;
  nswag)
    out=clients/csharp-nswag/generated
    rm -rf "$out"
    dotnet nswag openapi2csclient /input:openapi/v1.json /output:"$out/ContentApiClient.cs" /namespace:ContentApi.NSwagClient \
      /className:ContentApiClient /jsonLibrary:SystemTextJson /generateNullableReferenceTypes:true \
      /generateOptionalPropertiesAsNullable:true | grep -v '^$' | tail -n 2
    dotnet build clients/csharp-nswag -c Release -v quiet -nologo | grep -E 'error|Build succeeded' | sort -u
    ;;
  *)
    echo "usage: $0 kiota URL ADMIN_KEY | nswag" >&2
    exit 2
    ;;
esac
