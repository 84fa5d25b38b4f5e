#!/usr/bin/env bash
# Stop the servers that services/up.sh started from this clone (found by their pidfiles).
# Usage: services/down.sh [postgres|redis|elasticsearch ...]   (no argument: all three)
# Idempotent: a server that is not running is reported and skipped; never fails for that.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# TERM, wait up to $3 s, then KILL. Only if the pidfile names a live process of the right kind.
stop_pid() { # name, pidfile, seconds, cmdline marker
    local name=$1 pidfile=$2 secs=$3 marker=$4 pid i
    if ! pid_alive "$pidfile" "$marker"; then
        echo "$name: not running"
        return 0
    fi
    pid=$(head -n1 "$pidfile")
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < secs * 5; i++)); do
        [[ -d /proc/$pid ]] || break
        sleep 0.2
    done
    if [[ -d /proc/$pid ]]; then
        kill -KILL "$pid" 2>/dev/null || true
        echo "$name: killed (did not stop within $secs s)"
    else
        echo "$name: stopped"
    fi
    rm -f "$pidfile" 2>/dev/null || true
}

stop_postgres() {
    local pgbin
    if ! pid_alive "$PG_DATA/postmaster.pid" postgres; then
        echo "postgres: not running"
        return 0
    fi
    pgbin=$(pg_bindir || true)
    # pg_ctl's fast mode (what SIGINT means to the postmaster): rolls back sessions, clean shutdown.
    if [[ -n $pgbin ]] && run_as postgres "$PG_DIR" "$pgbin/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null 2>&1; then
        echo "postgres: stopped"
    else
        stop_pid postgres "$PG_DATA/postmaster.pid" 60 postgres
    fi
}

stop_elasticsearch() { stop_pid elasticsearch "$ES_PIDFILE" 60 org.elasticsearch; }
stop_redis() { stop_pid redis "$REDIS_PIDFILE" 20 redis-server; }

main() {
    local svcs=("$@") s
    ((${#svcs[@]})) || svcs=(elasticsearch redis postgres)
    for s in "${svcs[@]}"; do
        case $s in
        postgres | redis | elasticsearch) ;;
        *)
            echo "usage: $0 [postgres|redis|elasticsearch ...]" >&2
            exit 2
            ;;
        esac
    done
    for s in "${svcs[@]}"; do
        "stop_$s"
    done
}

main "$@"
