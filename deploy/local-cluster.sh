#!/usr/bin/env bash
# A three-silo Billing.Orleans cluster on this machine, behind nginx, all on 127.0.0.1.
#
#   deploy/local-cluster.sh start [--no-build]   PostgreSQL (Debian's pg_ctlcluster), database and
#                                                user, Release build, 3 silos, nginx on :8080; waits
#                                                until every silo answers /health through nginx
#   deploy/local-cluster.sh status               what runs: pids, /health per silo, membership table
#   deploy/local-cluster.sh kill-silo N          SIGKILL silo N (a crash drill; `start` does not
#                                                restart it: `stop` then `start`)
#   deploy/local-cluster.sh stop                 nginx, then SIGTERM to the silos (45 s each, then
#                                                SIGKILL); PostgreSQL is left running unless this
#                                                script started it
#
# Everything listens on 127.0.0.1 only. State (logs, pids, generated nginx.conf, the generated
# database password and admin key, mode 0600) lives in the run folder, .local-cluster/ at the
# repository root by default (git-ignored).
#
# Settings (environment variables, defaults in brackets):
#   BILLING_CLUSTER_RUN_DIR [<repo>/.local-cluster]   BILLING_CLUSTER_NGINX_PORT [8080]
#   BILLING_CLUSTER_HTTP_BASE [5080]  silo N serves HTTP on HTTP_BASE+N (5081..5083)
#   BILLING_CLUSTER_SILO_BASE [11110] silo N's silo-to-silo port is SILO_BASE+N (11111..11113)
#   BILLING_CLUSTER_GATEWAY_BASE [0]  0 = no Orleans gateway (nothing here is an Orleans client);
#                                     else silo N's gateway port is GATEWAY_BASE+N (e.g. 30000)
#   BILLING_CLUSTER_PG_VERSION [15]  BILLING_CLUSTER_PG_NAME [main]  BILLING_CLUSTER_PG_PORT [5432]
#   BILLING_CLUSTER_DB [billing_cluster]  BILLING_CLUSTER_DB_USER [billing_cluster]
#   BILLING_CLUSTER_DB_POOL [10]  connections per silo (Npgsql Maximum Pool Size)
#   BILLING_CLUSTER_DB_PASSWORD  [generated once, kept in the run folder]
#   Billing__AdminKey            [generated once, kept in the run folder as admin-key]
#   BILLING_CLUSTER_WAIT_SECONDS [180] how long `start` waits for the cluster to be healthy
set -euo pipefail

readonly SILOS=3
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly REPO
readonly RUN_DIR="${BILLING_CLUSTER_RUN_DIR:-$REPO/.local-cluster}"
readonly NGINX_PORT="${BILLING_CLUSTER_NGINX_PORT:-8080}"
readonly HTTP_BASE="${BILLING_CLUSTER_HTTP_BASE:-5080}"
readonly SILO_BASE="${BILLING_CLUSTER_SILO_BASE:-11110}"
readonly GATEWAY_BASE="${BILLING_CLUSTER_GATEWAY_BASE:-0}"
readonly PG_VERSION="${BILLING_CLUSTER_PG_VERSION:-15}"
readonly PG_NAME="${BILLING_CLUSTER_PG_NAME:-main}"
readonly PG_PORT="${BILLING_CLUSTER_PG_PORT:-5432}"
readonly DB_NAME="${BILLING_CLUSTER_DB:-billing_cluster}"
readonly DB_USER="${BILLING_CLUSTER_DB_USER:-billing_cluster}"
readonly DB_POOL="${BILLING_CLUSTER_DB_POOL:-10}"
readonly WAIT_SECONDS="${BILLING_CLUSTER_WAIT_SECONDS:-180}"
# A graceful stop deactivates grains and flushes the usage journal; the host allows 40 s.
readonly STOP_GRACE_SECONDS=45
readonly SILO_DLL="$REPO/src/Billing.Silo/bin/Release/net10.0/Billing.Silo.dll"
readonly NGINX_TEMPLATE="$REPO/deploy/nginx/nginx.conf"
readonly NGINX_DIR="$RUN_DIR/nginx"

log() { printf '[local-cluster] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

http_port() { echo $((HTTP_BASE + $1)); }
silo_port() { echo $((SILO_BASE + $1)); }
gateway_port() { if [[ "$GATEWAY_BASE" == 0 ]]; then echo 0; else echo $((GATEWAY_BASE + $1)); fi; }
silo_pid_file() { echo "$RUN_DIR/silo-$1.pid"; }

# The pid in $1 if that process is alive and its command line contains $2 (so a pid file left
# behind, whose number the kernel has since given to another process, is never acted on).
live_pid() {
    local file="$1" expect="$2" pid
    [[ -f "$file" ]] || return 1
    pid="$(cat "$file")"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    [[ -r "/proc/$pid/cmdline" ]] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$expect" || return 1
    echo "$pid"
}
silo_pid() { live_pid "$(silo_pid_file "$1")" "Billing.Silo.dll"; }
nginx_pid() { live_pid "$NGINX_DIR/nginx.pid" "nginx"; }

# Something listens on 127.0.0.1:$1 or on every address at that port (a listener on another
# specific address, e.g. another machine-local IP, does not stop us binding 127.0.0.1).
port_busy() {
    ss -Hltn "sport = :$1" 2>/dev/null | awk '{ sub(/:[0-9]+$/, "", $4); print $4 }' \
        | grep -qxE '127\.0\.0\.1|0\.0\.0\.0|\*|\[::\]|\[::ffff:127\.0\.0\.1\]'
}

# A file in the run folder holding a secret: its content, created (random hex) if missing.
secret_file() {
    local file="$RUN_DIR/$1"
    if [[ ! -s "$file" ]]; then
        (umask 077 && od -An -N24 -tx1 /dev/urandom | tr -d ' \n' >"$file")
    fi
    cat "$file"
}

# psql as the PostgreSQL superuser over the local socket (peer authentication).
psql_super() {
    local -a cmd=(psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres "$@")
    if [[ "$(id -u)" == 0 ]]; then
        (cd / && runuser -u postgres -- "${cmd[@]}")
    elif [[ "$(id -un)" == postgres ]]; then
        "${cmd[@]}"
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        (cd / && sudo -n -u postgres -- "${cmd[@]}")
    else
        die "need root, the postgres user or passwordless sudo to create the database; or create role $DB_USER and database $DB_NAME yourself and set BILLING_CLUSTER_DB_PASSWORD"
    fi
}

# psql as the cluster's own database user, over TCP like the silos.
psql_cluster() {
    PGPASSWORD="$(secret_file db-password)" psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U "$DB_USER" -d "$DB_NAME" "$@"
}

ensure_postgres() {
    command -v pg_ctlcluster >/dev/null || die "pg_ctlcluster not found: apt-get install -y postgresql"
    if ! pg_lsclusters -h "$PG_VERSION" "$PG_NAME" 2>/dev/null | grep -q online; then
        log "starting PostgreSQL $PG_VERSION/$PG_NAME"
        pg_ctlcluster "$PG_VERSION" "$PG_NAME" start
        touch "$RUN_DIR/postgres-started-by-us"
    fi
    local deadline=$((SECONDS + 30))
    until pg_isready -q -h 127.0.0.1 -p "$PG_PORT"; do
        ((SECONDS < deadline)) || die "PostgreSQL does not accept connections on 127.0.0.1:$PG_PORT after 30 s"
        sleep 1
    done

    if [[ -n "${BILLING_CLUSTER_DB_PASSWORD:-}" ]]; then
        (umask 077 && printf '%s' "$BILLING_CLUSTER_DB_PASSWORD" >"$RUN_DIR/db-password")
    fi
    local password
    password="$(secret_file db-password)"
    # psql variables (:'x' literal, :"x" identifier) do the quoting; they work on stdin, not -c.
    psql_super -v user="$DB_USER" -v db="$DB_NAME" -v password="$password" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'user') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user') \gexec
ALTER ROLE :"user" WITH LOGIN PASSWORD :'password';
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'user') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SQL
    log "database $DB_NAME (user $DB_USER) on 127.0.0.1:$PG_PORT"
}

build_silo() {
    log "building src/Billing.Silo (Release)"
    (cd "$REPO" && dotnet build -c Release src/Billing.Silo -v quiet -nologo) >"$RUN_DIR/build.log" 2>&1 \
        || { tail -n 30 "$RUN_DIR/build.log" >&2; die "build failed (full log: $RUN_DIR/build.log)"; }
    [[ -f "$SILO_DLL" ]] || die "build produced no $SILO_DLL"
}

start_silo() {
    local n="$1" connection
    # Maximum Pool Size: the three silos share one server (here perhaps with others) whose
    # max_connections is 100 by default, and Npgsql's own default is 100 per silo.
    connection="Host=127.0.0.1;Port=$PG_PORT;Database=$DB_NAME;Username=$DB_USER;Password=$(secret_file db-password);Maximum Pool Size=$DB_POOL"
    # setsid: the silo gets its own session, so it outlives this script and the terminal.
    # The listed variables are the whole cluster configuration; see Billing:Cluster:* in README.
    env Billing__Storage=postgres \
        "ConnectionStrings__Billing=$connection" \
        "Billing__AdminKey=$ADMIN_KEY" \
        "Billing__Cluster__SiloName=silo-$n" \
        Billing__Cluster__ClusterId=billing \
        Billing__Cluster__ServiceId=billing \
        Billing__Cluster__AdvertisedAddress=127.0.0.1 \
        Billing__Cluster__ListenOnAnyAddress=false \
        Billing__Proxy__KnownProxies__0=127.0.0.1 \
        "Billing__Cluster__SiloPort=$(silo_port "$n")" \
        "Billing__Cluster__GatewayPort=$(gateway_port "$n")" \
        setsid dotnet "$SILO_DLL" --urls "http://127.0.0.1:$(http_port "$n")" \
        </dev/null >>"$RUN_DIR/silo-$n.log" 2>&1 &
    echo $! >"$(silo_pid_file "$n")"
    log "silo-$n: pid $!, http 127.0.0.1:$(http_port "$n"), silo port $(silo_port "$n"), gateway $(gateway_port "$n"), log $RUN_DIR/silo-$n.log"
}

# deploy/nginx/nginx.conf with this machine's paths: the compose upstream servers become the
# local silos, it listens on 127.0.0.1 only, and logs, pid and temp files go to the run folder.
# Everything else (timeouts, the retry rules, error pages) is the deployed configuration.
write_nginx_conf() {
    mkdir -p "$NGINX_DIR/logs" "$NGINX_DIR/temp"
    local -a edits=(
        -e "s|^error_log .*|error_log $NGINX_DIR/logs/error.log warn;\npid $NGINX_DIR/nginx.pid;|"
        -e "s|^worker_processes .*|worker_processes 1;|"
        -e "s|access_log /dev/stdout |access_log $NGINX_DIR/logs/access.log |"
        -e "s|listen 80 default_server;|listen 127.0.0.1:$NGINX_PORT default_server;|"
        -e "s|^http {|http {\n    client_body_temp_path $NGINX_DIR/temp/body;\n    proxy_temp_path $NGINX_DIR/temp/proxy;\n    fastcgi_temp_path $NGINX_DIR/temp/fastcgi;\n    uwsgi_temp_path $NGINX_DIR/temp/uwsgi;\n    scgi_temp_path $NGINX_DIR/temp/scgi;|"
    )
    local n
    for n in $(seq 1 "$SILOS"); do
        edits+=(-e "s|server silo-$n:8080 |server 127.0.0.1:$(http_port "$n") |")
    done
    sed "${edits[@]}" "$NGINX_TEMPLATE" >"$NGINX_DIR/nginx.conf"
    if grep -q 'server silo-' "$NGINX_DIR/nginx.conf"; then
        die "$NGINX_TEMPLATE has upstream servers this script does not know; update write_nginx_conf"
    fi
    # Started as root, nginx runs its worker as `nobody`, which must write the temp folders.
    if [[ "$(id -u)" == 0 ]]; then chown nobody "$NGINX_DIR/temp"; fi
}

nginx_cmd() { nginx -p "$NGINX_DIR/" -c "$NGINX_DIR/nginx.conf" -e "$NGINX_DIR/logs/error.log" "$@"; }

start_nginx() {
    command -v nginx >/dev/null || die "nginx not found: apt-get install -y nginx"
    write_nginx_conf
    nginx_cmd -t -q 2>"$NGINX_DIR/logs/config-test.log" || { cat "$NGINX_DIR/logs/config-test.log" >&2; die "nginx rejects $NGINX_DIR/nginx.conf"; }
    # nginx daemonises itself (master + one worker) and writes its pid file.
    nginx_cmd
    log "nginx: pid $(cat "$NGINX_DIR/nginx.pid"), http://127.0.0.1:$NGINX_PORT, config $NGINX_DIR/nginx.conf"
}

# The "silo" field of a /health answer, or nothing.
health_silo() {
    curl -fsS --max-time 3 "$1/health" 2>/dev/null | sed -n 's/.*"silo":"\([^"]*\)".*/\1/p'
}

wait_until_healthy() {
    local deadline=$((SECONDS + WAIT_SECONDS)) n ready
    while :; do
        ready=0
        for n in $(seq 1 "$SILOS"); do
            silo_pid "$n" >/dev/null || { tail -n 20 "$RUN_DIR/silo-$n.log" >&2; die "silo-$n exited during start-up (log: $RUN_DIR/silo-$n.log)"; }
            [[ -n "$(health_silo "http://127.0.0.1:$(http_port "$n")")" ]] && ready=$((ready + 1))
        done
        ((ready == SILOS)) && break
        ((SECONDS < deadline)) || die "only $ready of $SILOS silos healthy after $WAIT_SECONDS s; see $RUN_DIR/silo-*.log"
        sleep 1
    done
    log "all $SILOS silos answer /health directly; checking through nginx"
    # Round robin: a few requests through nginx must reach every silo.
    local -A seen=()
    local name
    while ((${#seen[@]} < SILOS)); do
        name="$(health_silo "http://127.0.0.1:$NGINX_PORT")"
        [[ -n "$name" ]] && seen[$name]=1
        ((SECONDS < deadline)) || die "through nginx only ${!seen[*]} answered after $WAIT_SECONDS s"
        sleep 0.2
    done
    log "through nginx: ${!seen[*]} answer /health (${SECONDS}s since start)"
}

cmd_start() {
    local build=1
    [[ "${1:-}" == "--no-build" ]] && build=0
    mkdir -p "$RUN_DIR"
    chmod 700 "$RUN_DIR"
    local n
    for n in $(seq 1 "$SILOS"); do
        if silo_pid "$n" >/dev/null; then die "silo-$n already runs (pid $(silo_pid "$n")); '$0 stop' first"; fi
    done
    if nginx_pid >/dev/null; then die "nginx already runs (pid $(nginx_pid)); '$0 stop' first"; fi
    for port in "$NGINX_PORT" $(for n in $(seq 1 "$SILOS"); do http_port "$n"; silo_port "$n"; [[ "$GATEWAY_BASE" == 0 ]] || gateway_port "$n"; done); do
        if port_busy "$port"; then die "port $port on this machine is in use"; fi
    done

    ensure_postgres
    ((build)) && build_silo
    [[ -f "$SILO_DLL" ]] || die "$SILO_DLL missing: run without --no-build"
    ADMIN_KEY="${Billing__AdminKey:-$(secret_file admin-key)}"
    # The silos migrate the schema at start under an advisory lock, so they may start together.
    for n in $(seq 1 "$SILOS"); do start_silo "$n"; done
    start_nginx
    wait_until_healthy
    log "admin key: $RUN_DIR/admin-key (or your Billing__AdminKey); try: curl -s http://127.0.0.1:$NGINX_PORT/health"
}

# SIGTERM to every pid given, then wait at most $1 seconds for all of them; SIGKILL what is left.
terminate() {
    local grace="$1" pid
    shift
    (($# > 0)) || return 0
    kill -TERM "$@" 2>/dev/null || true
    local deadline=$((SECONDS + grace)) alive
    while :; do
        alive=()
        for pid in "$@"; do [[ -d "/proc/$pid" ]] && alive+=("$pid"); done
        ((${#alive[@]} == 0)) && return 0
        if ((SECONDS >= deadline)); then
            log "still running after ${grace}s, SIGKILL: ${alive[*]}"
            kill -KILL "${alive[@]}" 2>/dev/null || true
            return 0
        fi
        sleep 0.5
    done
}

cmd_stop() {
    local pid n started
    if pid="$(nginx_pid)"; then
        # QUIT = graceful: finish the requests in flight, then exit.
        kill -QUIT "$pid" 2>/dev/null || true
        local deadline=$((SECONDS + 15))
        while [[ -d "/proc/$pid" ]] && ((SECONDS < deadline)); do sleep 0.2; done
        [[ -d "/proc/$pid" ]] && kill -KILL "$pid" 2>/dev/null
        log "nginx stopped"
    fi
    local -a pids=()
    for n in $(seq 1 "$SILOS"); do
        if pid="$(silo_pid "$n")"; then pids+=("$pid"); fi
        rm -f "$(silo_pid_file "$n")"
    done
    if ((${#pids[@]} > 0)); then
        started=$SECONDS
        log "SIGTERM to silos ${pids[*]} (grace ${STOP_GRACE_SECONDS}s)"
        terminate "$STOP_GRACE_SECONDS" "${pids[@]}"
        log "silos stopped in $((SECONDS - started))s"
    fi
    if [[ -f "$RUN_DIR/postgres-started-by-us" ]]; then
        log "stopping PostgreSQL $PG_VERSION/$PG_NAME (this script started it)"
        pg_ctlcluster "$PG_VERSION" "$PG_NAME" stop || true
        rm -f "$RUN_DIR/postgres-started-by-us"
    fi
}

cmd_status() {
    local n pid body
    for n in $(seq 1 "$SILOS"); do
        if pid="$(silo_pid "$n")"; then
            body="$(curl -sS --max-time 3 "http://127.0.0.1:$(http_port "$n")/health" 2>&1 || true)"
            printf 'silo-%s  pid %-7s http 127.0.0.1:%s  %s\n' "$n" "$pid" "$(http_port "$n")" "$body"
        else
            printf 'silo-%s  not running\n' "$n"
        fi
    done
    if pid="$(nginx_pid)"; then
        body="$(curl -sS --max-time 3 "http://127.0.0.1:$NGINX_PORT/health" 2>&1 || true)"
        printf 'nginx   pid %-7s http 127.0.0.1:%s  %s\n' "$pid" "$NGINX_PORT" "$body"
    else
        printf 'nginx   not running\n'
    fi
    if [[ -s "$RUN_DIR/db-password" ]]; then
        # Each start of a silo is a new generation (row); older ones stay as dead rows until
        # Orleans removes defunct entries, so show each silo name's newest row.
        echo "membership, newest generation per silo (status 3 = active, 6 = dead):"
        psql_cluster -P pager=off -c "SELECT DISTINCT ON (siloname) siloname, address, port, generation, status, iamalivetime
                                      FROM orleansmembershiptable ORDER BY siloname, generation DESC" 2>&1 || true
    fi
}

cmd_kill_silo() {
    local n="${1:-}" pid
    if ! [[ "$n" =~ ^[1-9]$ ]] || ((n > SILOS)); then die "usage: $0 kill-silo 1..$SILOS"; fi
    pid="$(silo_pid "$n")" || die "silo-$n is not running"
    kill -KILL "$pid"
    log "silo-$n (pid $pid) killed with SIGKILL at $(date -u +%H:%M:%S.%3N)"
}

case "${1:-}" in
    start) shift; cmd_start "$@" ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    kill-silo) shift; cmd_kill_silo "$@" ;;
    *) echo "usage: $0 start [--no-build] | status | kill-silo N | stop" >&2; exit 2 ;;
esac
