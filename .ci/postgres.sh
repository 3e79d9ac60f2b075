#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests marked `postgres`.
#
#   .ci/postgres.sh start DIR   create and start a cluster in DIR (an empty temp folder);
#                               prints its SQLAlchemy URL on stdout, e.g.
#                               postgresql+psycopg://kiosk@127.0.0.1:55432/kiosk_test
#   .ci/postgres.sh stop DIR    stop that cluster and delete DIR
#
# Installs Debian's `postgresql` package when no server binaries are found (needs root).
# The server listens on 127.0.0.1 only (port $KIOSK_PG_PORT, default 55432) and on a Unix
# socket inside DIR; authentication is `trust`: it is for tests, never for data.
set -euo pipefail

PORT="${KIOSK_PG_PORT:-55432}"
ROLE=kiosk
DATABASE=kiosk_test

say() { echo "postgres.sh: $*" >&2; }

usage() {
    echo "usage: $0 start DIR | stop DIR" >&2
    exit 2
}

pg_bin() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

# Run a server program as the cluster's owner: the postgres user when we are root
# (the server refuses to run as root), else ourselves.
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

start() {
    local dir="$1" bin
    bin=$(pg_bin) || true
    if [ -z "$bin" ]; then
        if [ "$(id -u)" != 0 ]; then
            say "PostgreSQL is not installed; as root run: apt-get install -y postgresql"
            exit 1
        fi
        say "installing Debian package postgresql"
        apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >&2
        bin=$(pg_bin)
    fi
    if (echo > "/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
        say "port $PORT on 127.0.0.1 is already in use; stop that server or set KIOSK_PG_PORT"
        exit 1
    fi

    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
        chown postgres: "$dir"
    fi
    chmod 700 "$dir"
    say "initdb in $dir/data ($bin)"
    as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k $dir -c fsync=off" start >&2 \
        || { cat "$dir/server.log" >&2; exit 1; }
    as_owner "$bin/psql" -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
        -c "CREATE ROLE $ROLE LOGIN" -c "CREATE DATABASE $DATABASE OWNER $ROLE ENCODING 'UTF8'" >&2
    echo "postgresql+psycopg://$ROLE@127.0.0.1:$PORT/$DATABASE"
}

stop() {
    local dir="$1" bin
    if [ -f "$dir/data/postmaster.pid" ]; then
        bin=$(pg_bin)
        as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || say "could not stop the server in $dir"
    fi
    rm -rf "$dir"
}

[ $# = 2 ] || usage
case "$1" in
    start) start "$2" ;;
    stop) stop "$2" ;;
    *) usage ;;
esac
