# Shared by up.sh, down.sh and env.sh: paths, users, ports and small helpers.
# Sourced, not run. Everything is derived from this file's location so that any clone works.
# shellcheck shell=bash disable=SC2034 # the variables are used by the scripts that source this

SERVICES_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO=$(dirname "$SERVICES_DIR")
STATE_DIR="$REPO/.services"
# Machine-level cache (Maven downloads, the unpacked Elasticsearch): survives fresh clones.
CACHE_DIR="${WIKI_SERVICES_CACHE:-/var/cache/wiki-ia-sanses}"

PG_PORT=5432
REDIS_PORT=6379
# WIKI_ES_PORT runs a second node beside a shared one (to try a plugin change): its own data dir.
ES_PORT=${WIKI_ES_PORT:-9200}

PG_DIR="$STATE_DIR/postgres"
PG_DATA="$PG_DIR/data"
PG_LOG="$PG_DIR/postgres.log"
PG_SOCKET_DIR="$PG_DIR/run"
# A unix socket path is limited to ~107 bytes: deep clone paths fall back to a per-clone /tmp dir.
if ((${#PG_SOCKET_DIR} > 90)); then
    PG_SOCKET_DIR="/tmp/wiki-ia-sanses-pg-$(printf '%s' "$REPO" | cksum | cut -d' ' -f1)"
fi

REDIS_DIR="$STATE_DIR/redis"
REDIS_PIDFILE="$REDIS_DIR/redis.pid"
REDIS_LOG="$REDIS_DIR/redis.log"

ES_USER=wikies
ES_DIR="$STATE_DIR/elasticsearch"
((ES_PORT == 9200)) || ES_DIR="$STATE_DIR/elasticsearch-$ES_PORT"
ES_PIDFILE="$ES_DIR/pid"
ES_CLUSTER=wiki-ia-sanses
ES_LOG="$ES_DIR/logs/$ES_CLUSTER.log"
ES_POM="$SERVICES_DIR/elasticsearch/pom.xml"
ES_PLUGIN_SRC="$SERVICES_DIR/elasticsearch/plugin"
M2_REPO="$CACHE_DIR/m2"

DATABASE_URL="postgres://wiki:wiki@127.0.0.1:$PG_PORT/wiki"
REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
ELASTICSEARCH_URL="http://127.0.0.1:$ES_PORT"

# Microseconds since the epoch (EPOCHREALTIME uses the locale's decimal separator).
now_us() {
    local t=$EPOCHREALTIME
    printf '%s\n' "${t//[.,]/}"
}

# Seconds since $1 (from now_us), one decimal.
elapsed() {
    local d=$(($(now_us) - $1))
    printf '%d.%d' $((d / 1000000)) $(((d / 100000) % 10))
}

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() {
    timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

# True when the pid in file $1 is alive and its command line contains $2.
pid_alive() {
    local pid
    [[ -r $1 ]] || return 1
    pid=$(head -n1 "$1" 2>/dev/null) || return 1
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    [[ -r /proc/$pid/cmdline ]] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$2"
}

# Run a command as a system user with a clean HOME, from / (its cwd may be unreadable to it).
# fds 8/9 hold up.sh's locks: a daemon that inherited them would keep the lock forever.
run_as() {
    local user=$1 home=$2
    shift 2
    (cd / && exec 8>&- 9>&- setpriv --reuid="$user" --regid="$user" --init-groups -- env HOME="$home" "$@")
}

# Newest PostgreSQL server binaries from Debian's packages, if any.
pg_bindir() {
    local d
    d=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -type d -name bin 2>/dev/null | sort -V | tail -n1)
    [[ -n $d && -x $d/pg_ctl ]] && printf '%s\n' "$d"
}

# The Elasticsearch version pinned in the POM (services/up.sh reads this one line).
es_version() {
    sed -n 's:.*<es.version>\(.*\)</es.version>.*:\1:p' "$ES_POM"
}

# What the plugin is built from: its sources and the server version, hashed. The build records it
# in the plugin's version ("1.0.0+<hash>"), which GET _nodes/plugins shows for the running node;
# tests/search/test_analysis_plugin.py computes the same hash.
es_plugin_hash() { # es version
    (
        cd "$ES_PLUGIN_SRC"
        echo "$1"
        find . -type f | LC_ALL=C sort | xargs sha256sum
    ) | sha256sum | cut -c1-16
}
