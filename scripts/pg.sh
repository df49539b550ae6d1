#!/usr/bin/env bash
# Starts or stops a private PostgreSQL for development and tests, from the server binaries on this machine.
#   scripts/pg.sh start DATA_DIR PORT   initialises DATA_DIR on first use, starts on 127.0.0.1:PORT, waits until ready
#   scripts/pg.sh stop DATA_DIR
# initdb and postgres refuse to run as root, so as root they run as the postgres user.
set -euo pipefail

cmd=${1:?usage: pg.sh start|stop DATA_DIR [PORT]}
dir=$(realpath -m "${2:?data directory}")
port=${3:-55432}

bindir=${PG_BINDIR:-}
if [ -z "$bindir" ]; then
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/pg_ctl" ]; then
  echo "PostgreSQL server binaries not found. Install them: apt-get install -y postgresql" >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; chmod 700 "$dir"; fi
    if [ ! -f "$dir/PG_VERSION" ]; then
      as_owner "$bindir/initdb" -D "$dir" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if as_owner "$bindir/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
      echo "PostgreSQL already running in $dir" >&2
    else
      # Socket in the data directory: nothing shared with a system PostgreSQL.
      if ! as_owner "$bindir/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=${PG_FSYNC:-on}" start >/dev/null; then
        # Callers often remove the folder on exit: show why here.
        echo "PostgreSQL did not start on port $port; the end of $dir/server.log:" >&2
        tail -n 20 "$dir/server.log" >&2 || true
        exit 1
      fi
    fi
    for _ in $(seq 1 60); do
      "$bindir/pg_isready" -h 127.0.0.1 -p "$port" -q && exit 0
      sleep 0.5
    done
    echo "PostgreSQL did not become ready; see $dir/server.log" >&2
    exit 1
    ;;
  stop)
    if [ -f "$dir/postmaster.pid" ]; then
      as_owner "$bindir/pg_ctl" -D "$dir" -m fast -w stop >/dev/null || true
    fi
    ;;
  *)
    echo "usage: pg.sh start|stop DATA_DIR [PORT]" >&2
    exit 2
    ;;
esac
