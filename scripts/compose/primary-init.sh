#!/usr/bin/env bash
# docker-compose cluster profile: lets the standby container take its base backup and stream from the primary.
set -euo pipefail
echo "host replication all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
