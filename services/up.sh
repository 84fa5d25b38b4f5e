#!/usr/bin/env bash
# Install when missing and start, idempotently, the services the test-suite uses, on 127.0.0.1:
#   postgres (5432), redis (6379), elasticsearch (9200), chromium (a browser, not a server).
# Usage: services/up.sh [postgres|redis|elasticsearch|chromium ...]   (no argument: all four)
# A service that already answers on its port is reused. Exits non-zero, naming the service and
# showing the end of its log, when one cannot be started.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ES_TIMEOUT=${WIKI_ES_TIMEOUT:-180} # seconds, first start with the Maven download included
PG_TIMEOUT=60
REDIS_TIMEOUT=20
APT_UPDATED=0

fail() { # service, log file (may be empty), message
    local svc=$1 log=$2
    shift 2
    printf '%s: FAILED: %s\n' "$svc" "$*" >&2
    if [[ -n $log && -s $log ]]; then
        printf -- '--- last lines of %s ---\n' "$log" >&2
        tail -n 25 "$log" | cut -c1-300 >&2
    fi
    exit 1
}

need_root() { # service, what needs it
    ((EUID == 0)) || fail "$1" "" "$2 needs root (postgres and elasticsearch run as their own users)"
}

pkg_installed() {
    [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) == "install ok installed" ]]
}

# apt-get install the packages that are missing; 'apt-get update' at most once per run.
apt_install() { # service, packages...
    local svc=$1 p rc=0 policy_created=0
    shift
    local missing=()
    for p in "$@"; do pkg_installed "$p" || missing+=("$p"); done
    ((${#missing[@]})) || return 0
    need_root "$svc" "installing ${missing[*]}"
    echo "$svc: installing ${missing[*]} (apt)" >&2
    local log="$STATE_DIR/apt.log"
    # Keep Debian's maintainer scripts from starting their own postgres/redis on our ports.
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        policy_created=1
    fi
    {
        if ((APT_UPDATED == 0)); then
            apt-get -o DPkg::Lock::Timeout=600 update -qq && APT_UPDATED=1
        fi &&
            DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
                --no-install-recommends "${missing[@]}"
    } >>"$log" 2>&1 || rc=$?
    ((policy_created == 0)) || rm -f /usr/sbin/policy-rc.d
    ((rc == 0)) || fail "$svc" "$log" "apt-get install ${missing[*]} failed"
}

ensure_system_user() { # service, user, home
    id -u "$2" >/dev/null 2>&1 && return 0
    need_root "$1" "creating the system user $2"
    useradd --system --user-group --no-create-home --home-dir "$3" --shell /usr/sbin/nologin "$2"
}

# ---------------------------------------------------------------- postgres

pg_wiki_ok() {
    PGCONNECT_TIMEOUT=3 "$PGBIN/psql" "$DATABASE_URL" -qAtX -c 'select 1' >/dev/null 2>&1
}

pg_ours_running() {
    pid_alive "$PG_DATA/postmaster.pid" "postgres"
}

pg_bootstrap_role() {
    run_as postgres "$PG_DIR" "$PGBIN/psql" -h "$PG_SOCKET_DIR" -p "$PG_PORT" -U postgres -d postgres \
        -qAtX -v ON_ERROR_STOP=1 >>"$PG_LOG" 2>&1 <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'wiki') THEN
    CREATE ROLE wiki LOGIN CREATEDB PASSWORD 'wiki';
  ELSE
    ALTER ROLE wiki LOGIN CREATEDB PASSWORD 'wiki';
  END IF;
END
$$;
SELECT 'CREATE DATABASE wiki OWNER wiki' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'wiki')\gexec
SQL
}

up_postgres() {
    local t0 pgconf
    t0=$(now_us)
    PGBIN=$(pg_bindir || true)
    if [[ -z $PGBIN ]]; then
        apt_install postgres postgresql
        PGBIN=$(pg_bindir) || fail postgres "" "no PostgreSQL binaries under /usr/lib/postgresql after install"
        # Debian made a 'main' cluster on the same port: keep init systems from starting it.
        local sc
        for sc in /etc/postgresql/*/main/start.conf; do
            [[ -f $sc ]] && sed -i 's/^auto$/manual/' "$sc"
        done
    fi
    if "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 2; then
        if ! pg_wiki_ok; then
            pg_ours_running || fail postgres "" "port $PG_PORT answers but not as wiki/wiki: another PostgreSQL runs there (see pg_lsclusters); stop it"
            need_root postgres "creating the role wiki"
            pg_bootstrap_role || fail postgres "$PG_LOG" "could not create role/database wiki"
        fi
        echo "postgres: ready in $(elapsed "$t0") s (reused)"
        return 0
    fi
    port_open "$PG_PORT" && fail postgres "" "port $PG_PORT is taken by something that is not PostgreSQL"
    need_root postgres "starting PostgreSQL"
    ensure_system_user postgres postgres /var/lib/postgresql

    mkdir -p "$PG_DIR" "$PG_SOCKET_DIR"
    touch "$PG_LOG"
    chown postgres:postgres "$PG_DIR" "$PG_SOCKET_DIR" "$PG_LOG"
    if [[ ! -s $PG_DATA/PG_VERSION ]]; then
        mkdir -p "$PG_DATA"
        chown postgres:postgres "$PG_DATA"
        chmod 700 "$PG_DATA"
        run_as postgres "$PG_DIR" "$PGBIN/initdb" -D "$PG_DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
            --auth-local=peer --auth-host=scram-sha-256 >>"$PG_LOG" 2>&1 ||
            fail postgres "$PG_LOG" "initdb failed"
    fi
    # Our settings live in their own file, rewritten each start; postgresql.conf just includes it.
    pgconf="$PG_DATA/wiki_services.conf"
    cat >"$pgconf" <<EOF
# Written by services/up.sh on every start.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '${PG_SOCKET_DIR//\'/\'\'}'
# Test/dev database: durability traded for speed.
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
    chown postgres:postgres "$pgconf"
    grep -q "^include_if_exists = 'wiki_services.conf'" "$PG_DATA/postgresql.conf" ||
        echo "include_if_exists = 'wiki_services.conf'" >>"$PG_DATA/postgresql.conf"

    # setsid: the postmaster must not die with the caller's session or process group.
    # shellcheck disable=SC2094 # pg_ctl appends to the log itself; so do we, both in append mode
    run_as postgres "$PG_DIR" setsid -w "$PGBIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t "$PG_TIMEOUT" start \
        >>"$PG_LOG" 2>&1 </dev/null || fail postgres "$PG_LOG" "pg_ctl start failed"
    pg_bootstrap_role || fail postgres "$PG_LOG" "could not create role/database wiki"
    pg_wiki_ok || fail postgres "$PG_LOG" "started, but $DATABASE_URL does not connect"
    echo "postgres: ready in $(elapsed "$t0") s (started)"
}

# ---------------------------------------------------------------- redis

redis_ping() {
    [[ $(timeout 3 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]
}

up_redis() {
    local t0 user=root i
    t0=$(now_us)
    if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
        apt_install redis redis-server redis-tools
    fi
    if redis_ping; then
        echo "redis: ready in $(elapsed "$t0") s (reused)"
        return 0
    fi
    port_open "$REDIS_PORT" && fail redis "" "port $REDIS_PORT is taken by something that does not answer PING"
    need_root redis "starting Redis"
    id -u redis >/dev/null 2>&1 && user=redis # Debian's package creates it; never run as root if we can help it
    mkdir -p "$REDIS_DIR"
    touch "$REDIS_LOG"
    chown "$user:" "$REDIS_DIR" "$REDIS_LOG"
    # Daemonized (redis forks and calls setsid itself); no RDB/AOF: test data only.
    # shellcheck disable=SC2094 # redis appends to the log itself; so do we, both in append mode
    run_as "$user" "$REDIS_DIR" redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes \
        --daemonize yes --pidfile "$REDIS_PIDFILE" --logfile "$REDIS_LOG" --dir "$REDIS_DIR" \
        --save '' --appendonly no </dev/null >>"$REDIS_LOG" 2>&1 || fail redis "$REDIS_LOG" "redis-server did not start"
    for ((i = 0; i < REDIS_TIMEOUT * 5; i++)); do
        if redis_ping; then
            echo "redis: ready in $(elapsed "$t0") s (started)"
            return 0
        fi
        sleep 0.2
    done
    fail redis "$REDIS_LOG" "no PONG on 127.0.0.1:$REDIS_PORT after $REDIS_TIMEOUT s"
}

# ---------------------------------------------------------------- elasticsearch

es_get() { # path, curl max-time
    curl -fsS -m "${2:-5}" "$ELASTICSEARCH_URL$1"
}

# The French analyzer must stem: "Données incidents" -> done/don..., incident.
es_french_ok() {
    local out
    out=$(curl -fsS -m 10 -H 'Content-Type: application/json' -X POST "$ELASTICSEARCH_URL/_analyze" \
        -d '{"analyzer":"french","text":"Données incidents"}' 2>/dev/null) || return 1
    [[ $out == *'"token":"incident"'* && $out == *'"token":"don'* ]]
}

# The running node's plugin was built from the sources in this clone (see es_plugin_hash).
# A node started before the sources changed keeps its old build until it restarts.
es_plugin_current() {
    local out
    out=$(es_get '/_nodes/_local/plugins?filter_path=nodes.*.plugins.name,nodes.*.plugins.version' 5 2>/dev/null) ||
        return 1
    [[ $out == *"\"1.0.0+$(es_plugin_hash "$(es_version)")\""* ]]
}

es_jdk_home() { # JDK used to compile the plugin and run the node: prefer Java 17, the tested one
    local j
    for j in /usr/lib/jvm/java-17-openjdk-*; do
        [[ -x $j/bin/javac ]] && {
            printf '%s\n' "$j"
            return 0
        }
    done
    j=$(readlink -f "$(command -v javac)") || return 1
    dirname "$(dirname "$j")"
}

# Unpack the distribution from Maven Central into the machine cache (once per version).
es_install_dist() { # deadline_us
    local stage mlog="$CACHE_DIR/maven.log" offline=() left
    [[ -f $ES_HOME/.wiki-complete ]] && return 0
    mkdir -p "$CACHE_DIR" "$M2_REPO"
    stage=$(mktemp -d "$CACHE_DIR/dist.XXXXXX")
    # Offline first: a warm cache needs no network at all.
    [[ -d $M2_REPO/org/elasticsearch/distribution/integ-test-zip/elasticsearch/$ES_VERSION ]] && offline=(-o)
    left=$((($1 - $(now_us)) / 1000000))
    ((left > 0)) || left=1
    if ! (cd "$CACHE_DIR" && timeout "$left" mvn -B -q "${offline[@]}" -Dmaven.repo.local="$M2_REPO" \
        -Dwiki.build.dir="$stage/build" -f "$ES_POM" dependency:unpack-dependencies \
        -DoutputDirectory="$stage/out") >"$mlog" 2>&1; then
        rm -rf "$stage"
        fail elasticsearch "$mlog" "Maven could not fetch org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip"
    fi
    [[ -x $stage/out/elasticsearch-$ES_VERSION/bin/elasticsearch ]] ||
        fail elasticsearch "$mlog" "unexpected layout in the unpacked distribution ($stage/out)"
    rm -rf "$ES_HOME"
    mv "$stage/out/elasticsearch-$ES_VERSION" "$ES_HOME"
    rm -rf "$stage"
    chmod -R a+rX "$ES_HOME" "$M2_REPO"
    touch "$ES_HOME/.wiki-complete"
}

# Build services/elasticsearch/plugin against this distribution; rebuilt when its sources change.
es_install_plugin() {
    local src=$ES_PLUGIN_SRC dst="$ES_HOME/plugins/wiki-es-extras" hash build jdk
    hash=$(es_plugin_hash "$ES_VERSION")
    [[ -f $dst/.wiki-hash && $(<"$dst/.wiki-hash") == "$hash" ]] && return 0
    jdk=$(es_jdk_home) || fail elasticsearch "" "no JDK (javac) found"
    build=$(mktemp -d "$CACHE_DIR/plugin.XXXXXX")
    mkdir -p "$build/classes" "$build/wiki-es-extras"
    find "$src/src" -name '*.java' -print0 | xargs -0 "$jdk/bin/javac" -nowarn --release 17 -encoding UTF-8 \
        -cp "$ES_HOME/lib/*" -d "$build/classes" >"$build/javac.log" 2>&1 ||
        fail elasticsearch "$build/javac.log" "compiling the wiki-es-extras plugin failed"
    "$jdk/bin/jar" cf "$build/wiki-es-extras/wiki-es-extras.jar" -C "$build/classes" .
    sed -e "s/@ES_VERSION@/$ES_VERSION/" -e "s/@SOURCE_HASH@/$hash/" "$src/plugin-descriptor.properties" \
        >"$build/wiki-es-extras/plugin-descriptor.properties"
    echo "$hash" >"$build/wiki-es-extras/.wiki-hash"
    chmod -R a+rX "$build/wiki-es-extras"
    rm -rf "$dst"
    mv "$build/wiki-es-extras" "$dst"
    rm -rf "$build"
}

es_write_config() {
    local conf="$ES_DIR/config"
    if [[ ! -f $conf/jvm.options ]]; then
        mkdir -p "$conf"
        cp -R "$ES_HOME/config/." "$conf/"
    fi
    mkdir -p "$conf/jvm.options.d"
    cat >"$conf/elasticsearch.yml" <<EOF
# Written by services/up.sh on every start: change the script, not this file.
cluster.name: $ES_CLUSTER
node.name: wiki-es
path.data: "$ES_DIR/data"
path.logs: "$ES_DIR/logs"
# Loopback only: this also keeps the production bootstrap checks (vm.max_map_count...) as warnings.
network.host: 127.0.0.1
http.port: $ES_PORT
transport.port: 9300-9399
discovery.type: single-node
# Plain http, no users: a local test node.
xpack.security.enabled: false
# Tests delete indices by pattern; a nearly full disk must not make indices read-only.
action.destructive_requires_name: false
cluster.routing.allocation.disk.threshold_enabled: false
EOF
    cat >"$conf/jvm.options.d/wiki.options" <<'EOF'
# Written by services/up.sh: bounded heap, and no heap dumps in the clone.
-Xms512m
-Xmx1g
-XX:-HeapDumpOnOutOfMemoryError
EOF
}

up_elasticsearch() {
    local t0 deadline jdk left rc=0 i
    t0=$(now_us)
    deadline=$((t0 + ES_TIMEOUT * 1000000))
    command -v curl >/dev/null || apt_install elasticsearch curl
    if es_get /_cluster/health 3 >/dev/null 2>&1; then
        es_french_ok || fail elasticsearch "" "port $ES_PORT answers but has no working 'french' analyzer (not our node?)"
        es_plugin_current || echo "elasticsearch: WARNING: the running node's wiki-es-extras plugin was not built" \
            "from these sources (they changed since it started); restart the node to rebuild it:" \
            "bash services/down.sh elasticsearch && bash services/up.sh elasticsearch" >&2
        echo "elasticsearch: ready in $(elapsed "$t0") s (reused)"
        return 0
    fi
    need_root elasticsearch "starting Elasticsearch"
    if pid_alive "$ES_PIDFILE" org.elasticsearch; then
        : # ours, still booting (another up.sh started it): just wait below
    else
        port_open "$ES_PORT" && fail elasticsearch "" "port $ES_PORT is taken by something that is not Elasticsearch"
        command -v javac >/dev/null || apt_install elasticsearch openjdk-17-jdk-headless
        command -v mvn >/dev/null || apt_install elasticsearch maven
        ES_VERSION=$(es_version)
        [[ -n $ES_VERSION ]] || fail elasticsearch "" "no <es.version> in $ES_POM"
        ES_HOME="$CACHE_DIR/elasticsearch-$ES_VERSION"
        ensure_system_user elasticsearch "$ES_USER" /nonexistent
        mkdir -p "$CACHE_DIR"
        # One clone at a time touches the shared cache.
        exec 8>"$CACHE_DIR/.lock"
        flock -w "$ES_TIMEOUT" 8 || fail elasticsearch "" "timed out waiting for $CACHE_DIR/.lock"
        es_install_dist "$deadline"
        es_install_plugin
        exec 8>&-

        mkdir -p "$ES_DIR"/{data,logs,tmp}
        es_write_config
        chown -R "$ES_USER:" "$ES_DIR"
        jdk=$(es_jdk_home) || fail elasticsearch "" "no JDK found"
        left=$(((deadline - $(now_us)) / 1000000))
        ((left > 5)) || left=5
        # -d: the launcher returns once the node is up (or failed); setsid detaches it from our
        # session; cwd = logs dir because jvm.options writes gc.log relative to it. The launcher
        # may ignore TERM while the node boots: hence -k (KILL), after which the node exits too.
        (cd "$ES_DIR/logs" && exec 8>&- 9>&- timeout -k 10 "$left" setsid -w setpriv --reuid="$ES_USER" --regid="$ES_USER" \
            --init-groups -- env -i PATH=/usr/bin:/bin HOME="$ES_DIR" LANG=C.UTF-8 \
            ES_PATH_CONF="$ES_DIR/config" ES_JAVA_HOME="$jdk" ES_TMPDIR="$ES_DIR/tmp" \
            "$ES_HOME/bin/elasticsearch" -d -p "$ES_PIDFILE") \
            </dev/null >"$ES_DIR/logs/launcher.log" 2>&1 || rc=$?
        if ((rc != 0)); then
            # The server exits by itself when its launcher dies before it is up; make sure.
            pid_alive "$ES_PIDFILE" org.elasticsearch && kill "$(<"$ES_PIDFILE")" 2>/dev/null
            ((rc != 124 && rc != 137)) || fail elasticsearch "$ES_DIR/logs/launcher.log" "the node was not up after $ES_TIMEOUT s"
            fail elasticsearch "$ES_DIR/logs/launcher.log" "the node did not start (launcher exit $rc)"
        fi
    fi
    for ((i = 0; ; i++)); do
        left=$(((deadline - $(now_us)) / 1000000))
        ((left > 0)) || fail elasticsearch "$ES_LOG" "not yellow after $ES_TIMEOUT s"
        ((left < 30)) || left=30
        es_get "/_cluster/health?wait_for_status=yellow&timeout=${left}s" $((left + 5)) 2>/dev/null |
            grep -qE '"status":"(yellow|green)"' && break
        sleep 1
    done
    es_french_ok || fail elasticsearch "$ES_LOG" "node is up but the 'french' analyzer does not stem"
    echo "elasticsearch: ready in $(elapsed "$t0") s (started)"
}

# ---------------------------------------------------------------- chromium

up_chromium() {
    local t0 pkgs=(libpango-1.0-0 libpangoft2-1.0-0 gettext) state=present version
    t0=$(now_us)
    # WeasyPrint's Pango and gettext's msgfmt ride along with the browser.
    [[ -x /usr/bin/chromium ]] || pkgs+=(chromium fonts-dejavu-core)
    local p need=0
    for p in "${pkgs[@]}"; do pkg_installed "$p" || need=1; done
    if ((need)); then
        apt_install chromium "${pkgs[@]}"
        state=installed
    fi
    version=$(/usr/bin/chromium --version 2>/dev/null | head -n1) || fail chromium "" "/usr/bin/chromium --version failed"
    echo "chromium: ready in $(elapsed "$t0") s ($state, $version)"
}

# ---------------------------------------------------------------- main

main() {
    local svcs=("$@") s
    ((${#svcs[@]})) || svcs=(postgres redis elasticsearch chromium)
    for s in "${svcs[@]}"; do
        case $s in
        postgres | redis | elasticsearch | chromium) ;;
        *)
            echo "usage: $0 [postgres|redis|elasticsearch|chromium ...]" >&2
            exit 2
            ;;
        esac
    done
    mkdir -p "$STATE_DIR"
    chmod 755 "$STATE_DIR" 2>/dev/null || true # the service users must traverse it
    # Two up.sh on the same clone would race on initdb and the pidfiles.
    exec 9>"$STATE_DIR/.up.lock"
    flock -w 600 9 || fail up.sh "" "another services/up.sh holds $STATE_DIR/.up.lock"
    for s in "${svcs[@]}"; do
        "up_$s"
    done
}

main "$@"
