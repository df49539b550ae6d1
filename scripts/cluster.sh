#!/usr/bin/env bash
# A local cluster from Debian packages: PostgreSQL primary + streaming standby, Redis, two API nodes, HAProxy in front.
#   scripts/cluster.sh up       starts every part (builds the API once), prints the address
#   scripts/cluster.sh status   one line per part: name, address, pid, state
#   scripts/cluster.sh down     stops exactly what up started (pid files in the state folder); data is kept
# Settings (environment): CLUSTER_DIR (state, default .pgdata/cluster), CLUSTER_PORT (HAProxy, 5090),
# CLUSTER_PG_PORT (primary; the standby takes the next port, 55440), CLUSTER_REDIS_PORT (56379),
# CLUSTER_NODE_PORT (first API node; the second takes the next port, 5091), CLUSTER_NO_BUILD=1 (use the existing
# Release build), Auth__BootstrapAdminKey (as ./run.sh). Any other ASP.NET setting in the environment reaches both nodes.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

state=$(realpath -m "${CLUSTER_DIR:-.pgdata/cluster}")
lb_port=${CLUSTER_PORT:-5090}
pg_port=${CLUSTER_PG_PORT:-55440}
standby_port=$((pg_port + 1))
redis_port=${CLUSTER_REDIS_PORT:-56379}
node_port=${CLUSTER_NODE_PORT:-5091}
nodes=2 # as many as scripts/compose/haproxy.cfg names
export Auth__BootstrapAdminKey=${Auth__BootstrapAdminKey:-dev-admin-key-change-me}
# Every node signs and reads the same cursors, so the cluster shares one secret (kept in its state folder).
if [ -z "${Pagination__CursorSecret:-}" ] && [ "${1:-}" = up ]; then
  mkdir -p "$state"
  [ -s "$state/cursor-secret" ] || head -c 48 /dev/urandom | base64 -w0 > "$state/cursor-secret"
  export Pagination__CursorSecret=$(cat "$state/cursor-secret")
fi

# Webhook secrets are encrypted with ASP.NET Core Data Protection: every node reads the one key ring in the state folder.
export DataProtection__KeyRingDirectory=${DataProtection__KeyRingDirectory:-$state/keyring}

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
pid_of() { [ -f "$1" ] && head -n 1 "$1" || true; }

require() {
  local missing=()
  [ -x "$bindir/pg_ctl" ] || missing+=(postgresql)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v haproxy >/dev/null || missing+=(haproxy)
  command -v curl >/dev/null || missing+=(curl)
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
      DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
      bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    else
      echo "Missing packages: ${missing[*]} (apt-get install -y ${missing[*]})" >&2
      exit 1
    fi
  fi
}

wait_http() { # url seconds
  local deadline=$((SECONDS + $2))
  while [ $SECONDS -lt $deadline ]; do
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" || true)" = 200 ] && return 0
    sleep 0.5
  done
  return 1
}

primary_cs="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=contentapi"

up() {
  require
  mkdir -p "$state"
  [ "$(id -u)" = 0 ] && chmod 755 "$state"

  # PostgreSQL primary (initdb's pg_hba.conf already lets local replication connections in).
  scripts/pg.sh start "$state/primary" "$pg_port"

  # Streaming standby: a base backup of the primary that writes its own primary_conninfo and standby.signal (-R).
  if [ ! -f "$state/standby/PG_VERSION" ]; then
    rm -rf "$state/standby"
    install -d -o postgres -m 700 "$state/standby" 2>/dev/null || mkdir -p "$state/standby"
    as_postgres "$bindir/pg_basebackup" -h 127.0.0.1 -p "$pg_port" -U postgres -D "$state/standby" -R -X stream -c fast
    rm -f "$state/standby/server.log" "$state/standby/postmaster.pid"
  fi
  scripts/pg.sh start "$state/standby" "$standby_port"

  # Redis, memory only: a cache needs no persistence.
  if ! alive "$(pid_of "$state/redis.pid")"; then
    redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no --daemonize yes \
      --pidfile "$state/redis.pid" --logfile "$state/redis.log" --dir "$state"
    for _ in $(seq 1 40); do [ -s "$state/redis.pid" ] && break; sleep 0.25; done
  fi

  # The API nodes, built once, run from the Release output. They migrate under an advisory lock; only the first
  # loads the sample story.
  if [ "${CLUSTER_NO_BUILD:-}" != 1 ]; then
    dotnet build src/ContentApi -c Release -v quiet -nologo >/dev/null
  fi
  local dll="$root/src/ContentApi/bin/Release/net10.0/ContentApi.dll"
  for i in $(seq 1 $nodes); do
    local port=$((node_port + i - 1))
    if alive "$(pid_of "$state/node$i.pid")"; then continue; fi
    ConnectionStrings__Content="$primary_cs" \
    ConnectionStrings__ContentReplicas="Host=127.0.0.1;Port=$standby_port" \
    ConnectionStrings__Redis="127.0.0.1:$redis_port" \
    ASPNETCORE_URLS="http://127.0.0.1:$port" \
    Content__LoadSample=$([ "$i" = 1 ] && echo "${Content__LoadSample:-true}" || echo false) \
      setsid dotnet "$dll" --contentRoot "$(dirname "$dll")" >"$state/node$i.log" 2>&1 </dev/null &
    echo $! >"$state/node$i.pid"
  done
  for i in $(seq 1 $nodes); do
    if ! wait_http "http://127.0.0.1:$((node_port + i - 1))/health/ready" 180; then
      echo "node$i did not become ready; the end of $state/node$i.log:" >&2
      tail -n 30 "$state/node$i.log" >&2
      exit 1
    fi
  done

  # HAProxy from the compose profile's config (scripts/compose/haproxy.cfg: round robin, a node out after two failed
  # /health/ready checks half a second apart, a refused connection redispatched, problem+json errors) on our addresses.
  if ! alive "$(pid_of "$state/haproxy.pid")"; then
    CONTENTAPI_LB_BIND="127.0.0.1:$lb_port" CONTENTAPI_NODE_1="127.0.0.1:$node_port" CONTENTAPI_NODE_2="127.0.0.1:$((node_port + 1))" \
      haproxy -f "$root/scripts/compose/haproxy.cfg" -D -p "$state/haproxy.pid"
  fi
  wait_http "http://127.0.0.1:$lb_port/health/ready" 30 || { echo "HAProxy does not answer on $lb_port" >&2; exit 1; }

  echo "ContentApi cluster on http://127.0.0.1:$lb_port  (scripts/cluster.sh status | down)"
  echo "  admin key: $Auth__BootstrapAdminKey   (Authorization: Bearer <key>)"
}

status() {
  local pid
  pid=$(pid_of "$state/primary/postmaster.pid"); printf '%-8s %-22s %-8s %s\n' primary "127.0.0.1:$pg_port" "${pid:--}" "$(alive "$pid" && echo running || echo stopped)"
  pid=$(pid_of "$state/standby/postmaster.pid"); printf '%-8s %-22s %-8s %s\n' standby "127.0.0.1:$standby_port" "${pid:--}" "$(alive "$pid" && echo running || echo stopped)"
  pid=$(pid_of "$state/redis.pid"); printf '%-8s %-22s %-8s %s\n' redis "127.0.0.1:$redis_port" "${pid:--}" "$(alive "$pid" && echo running || echo stopped)"
  for i in $(seq 1 $nodes); do
    pid=$(pid_of "$state/node$i.pid"); printf '%-8s %-22s %-8s %s\n' "node$i" "127.0.0.1:$((node_port + i - 1))" "${pid:--}" "$(alive "$pid" && echo running || echo stopped)"
  done
  pid=$(pid_of "$state/haproxy.pid"); printf '%-8s %-22s %-8s %s\n' haproxy "127.0.0.1:$lb_port" "${pid:--}" "$(alive "$pid" && echo running || echo stopped)"
}

stop_pid() { # pidfile seconds: SIGTERM, then SIGKILL after the grace period
  local pid
  pid=$(pid_of "$1")
  if alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + $2))
    while alive "$pid" && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
    alive "$pid" && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$1"
}

down() {
  stop_pid "$state/haproxy.pid" 5
  for i in $(seq 1 $nodes); do stop_pid "$state/node$i.pid" 30; done
  stop_pid "$state/redis.pid" 5
  scripts/pg.sh stop "$state/standby"
  scripts/pg.sh stop "$state/primary"
}

case "${1:-}" in
  up) up ;;
  status) status ;;
  down) down ;;
  *) echo "usage: scripts/cluster.sh up|down|status" >&2; exit 2 ;;
esac
