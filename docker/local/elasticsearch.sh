#!/usr/bin/env bash
# Starts, stops or reports a local single-node Elasticsearch (the real server from the
# integ-test-zip that `mvn install` unpacked under docker/local/target/servers/).
#
#   elasticsearch.sh start  [--port P] [--transport-port T] [--dir D] [--owner-pid PID] [--timeout S]
#   elasticsearch.sh stop   [--dir D]
#   elasticsearch.sh status [--dir D]
#
# Defaults: --port ${ECHOLOT_ES_PORT:-9200}, --dir docker/local/run/elasticsearch, the transport
# port ${ECHOLOT_ES_TRANSPORT_PORT} or else a free one, --timeout 180.
# Elasticsearch refuses to run as root: as root, this runs it as the user `echolot` (override
# with ECHOLOT_ES_USER), created if missing, owning D. The Elasticsearch home is only read; D
# holds its own config copy, data, logs and temp files. --owner-pid stops the server when that
# process exits (the integration tests pass their JVM's pid). Everything binds to 127.0.0.1.
# Exit codes: 0 ok, 1 failure, 2 usage, 3 not running (status), 4 port already in use.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
LOG_TAG=elasticsearch
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
SELF="${STACK_DIR}/elasticsearch.sh"

usage() {
    print_usage
    exit "${EXIT_USAGE}"
}

[[ $# -ge 1 ]] || usage
CMD="$1"
shift
PORT="${ECHOLOT_ES_PORT:-9200}"
TRANSPORT_PORT="${ECHOLOT_ES_TRANSPORT_PORT:-}"
DIR="${RUN_DIR}/elasticsearch"
OWNER_PID=""
TIMEOUT_S=180
while [[ $# -gt 0 ]]; do
    case "$1" in
        --port) PORT="${2:?--port needs a value}"; shift 2 ;;
        --transport-port) TRANSPORT_PORT="${2:?--transport-port needs a value}"; shift 2 ;;
        --dir) DIR="${2:?--dir needs a value}"; shift 2 ;;
        --owner-pid) OWNER_PID="${2:?--owner-pid needs a value}"; shift 2 ;;
        --timeout) TIMEOUT_S="${2:?--timeout needs a value}"; shift 2 ;;
        -h | --help) usage ;;
        *) log "unknown argument: $1"; usage ;;
    esac
done
DIR="$(abspath "${DIR}")"
PID_FILE="${DIR}/elasticsearch.pid"
SERVER_PID_FILE="${DIR}/elasticsearch-server.pid"
STATE_FILE="${DIR}/state.env"
CONSOLE_LOG="${DIR}/logs/console.log"
ES_USER="${ECHOLOT_ES_USER:-echolot}"

is_running() { pid_matches "$(read_pid "${PID_FILE}")" "${DIR}"; }

# Creates the unprivileged user, idempotently (two starts may race: re-check after a failure).
ensure_user() {
    id -u "${ES_USER}" >/dev/null 2>&1 && return 0
    require_cmd useradd
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "${ES_USER}" 2>/dev/null ||
        id -u "${ES_USER}" >/dev/null 2>&1 ||
        die "could not create the user '${ES_USER}' to run Elasticsearch as (it refuses to run as root)"
    log "created the system user '${ES_USER}' (Elasticsearch refuses to run as root)"
}

# The command prefix that runs a command as the Elasticsearch user (nothing when not root).
AS_ES_USER=()
if [[ "$(id -u)" == 0 ]]; then
    AS_ES_USER=(setpriv "--reuid=${ES_USER}" "--regid=${ES_USER}" --clear-groups --)
fi

cluster_yellow() {
    curl -fsS --max-time 5 -o /dev/null "http://127.0.0.1:${PORT}/_cluster/health?wait_for_status=yellow&timeout=1s"
}

start() {
    local t0 es_home java_home
    t0="$(now_ms)"
    if is_running; then
        load_state "${STATE_FILE}" || true
        log "already running (pid $(read_pid "${PID_FILE}")) on http://127.0.0.1:${PORT}"
        return 0
    fi
    require_cmd curl setsid setpriv
    es_home="$(prop elasticsearch.home)"
    [[ -x "${es_home}/bin/elasticsearch" ]] ||
        die "no Elasticsearch at ${es_home}: run 'mvn -B -DskipTests install' in ${REPO_ROOT}"
    java_home="$(java_home)"
    require_free_port "${PORT}" "Elasticsearch HTTP"
    if [[ -n "${TRANSPORT_PORT}" ]]; then
        require_free_port "${TRANSPORT_PORT}" "Elasticsearch transport"
    else
        TRANSPORT_PORT="$(pick_free_port "${PORT}")"
    fi

    mkdir -p "${DIR}/data" "${DIR}/logs" "${DIR}/tmp" "${DIR}/config"
    if [[ ! -f "${DIR}/config/elasticsearch.yml" ]]; then
        cp -R "${es_home}/config/." "${DIR}/config/"
    fi
    if [[ "$(id -u)" == 0 ]]; then
        ensure_user
        chown -R "${ES_USER}:" "${DIR}"
        "${AS_ES_USER[@]}" test -r "${es_home}/lib" -a -w "${DIR}/data" ||
            die "the user '${ES_USER}' cannot read ${es_home} or write ${DIR}: a parent directory is not" \
                "accessible to other users (chmod o+x it, or use --dir under /tmp)"
    fi
    rm -f "${SERVER_PID_FILE}"
    : >"${CONSOLE_LOG}"

    log "starting Elasticsearch $(prop elasticsearch.version) on 127.0.0.1:${PORT} (transport ${TRANSPORT_PORT}) in ${DIR}"
    (
        cd "${DIR}"
        # setsid: the CLI and the server JVM it forks form one process group that stop can end.
        exec setsid env ES_JAVA_HOME="${java_home}" ES_PATH_CONF="${DIR}/config" ES_TMPDIR="${DIR}/tmp" \
            ES_JAVA_OPTS="-Xms512m -Xmx512m" HOME="${DIR}" \
            "${AS_ES_USER[@]}" "${es_home}/bin/elasticsearch" \
            -p "${SERVER_PID_FILE}" \
            -E cluster.name=echolot-local \
            -E node.name="echolot-es-${PORT}" \
            -E discovery.type=single-node \
            -E xpack.security.enabled=false \
            -E http.host=127.0.0.1 \
            -E http.port="${PORT}" \
            -E transport.host=127.0.0.1 \
            -E transport.port="${TRANSPORT_PORT}" \
            -E path.data="${DIR}/data" \
            -E path.logs="${DIR}/logs" \
            -E cluster.routing.allocation.disk.threshold_enabled=false \
            -E action.destructive_requires_name=false
    ) >>"${CONSOLE_LOG}" 2>&1 </dev/null &
    local pid=$!
    echo "${pid}" >"${PID_FILE}"
    write_state "${STATE_FILE}" "PORT=${PORT}" "TRANSPORT_PORT=${TRANSPORT_PORT}" "USER=${ES_USER}"
    start_watchdog "${SELF}" "${DIR}" "${OWNER_PID}"

    if ! wait_until "${TIMEOUT_S}" "${pid}" "cluster health yellow on port ${PORT}" cluster_yellow; then
        show_log_tail 40 "${CONSOLE_LOG}" "${DIR}/logs/echolot-local.log"
        stop_pidfile elasticsearch 20 "${PID_FILE}" "${DIR}"
        stop_watchdog "${DIR}"
        die "Elasticsearch did not come up (logs in ${DIR}/logs)"
    fi
    log "Elasticsearch ready on http://127.0.0.1:${PORT} in $(secs_since "${t0}")s (pid ${pid}, server pid $(read_pid "${SERVER_PID_FILE}"))"
}

stop() {
    stop_watchdog "${DIR}"
    stop_pidfile elasticsearch 30 "${PID_FILE}" "${DIR}"
    # the server JVM, should the CLI have died without it
    local server_pid
    server_pid="$(read_pid "${SERVER_PID_FILE}")"
    if pid_matches "${server_pid}" "${DIR}"; then
        kill_tree "elasticsearch server JVM" 30 "${server_pid}"
    fi
    rm -f "${SERVER_PID_FILE}"
}

status() {
    if is_running; then
        load_state "${STATE_FILE}" || true
        local health
        health="$(curl -fsS --max-time 5 "http://127.0.0.1:${PORT}/_cluster/health" 2>/dev/null |
            grep -o '"status":"[a-z]*"' || echo 'no answer')"
        echo "elasticsearch: running, pid $(read_pid "${PID_FILE}"), http://127.0.0.1:${PORT} (${health}), dir ${DIR}"
    else
        echo "elasticsearch: stopped (dir ${DIR})"
        exit "${EXIT_NOT_RUNNING}"
    fi
}

case "${CMD}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    _watch) run_watchdog "${SELF}" "${DIR}" "${OWNER_PID}" ;;
    -h | --help | help) usage ;;
    *) log "unknown command: ${CMD}"; usage ;;
esac
