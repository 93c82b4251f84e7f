#!/usr/bin/env bash
# Starts, stops or reports a local single-node Elasticsearch (the real server from the
# integ-test-zip that `mvn install` unpacked under docker/local/target/servers/).
#
#   elasticsearch.sh start  [--port P] [--transport-port T] [--dir D] [--owner-pid PID] [--timeout S]
#                           [--security]
#   elasticsearch.sh stop   [--dir D]
#   elasticsearch.sh status [--dir D]
#   elasticsearch.sh api-key [--dir D] [--name N]   (security on: prints a new API key, encoded)
#
# Defaults: --port ${ECHOLOT_ES_PORT:-9200}, --dir docker/local/run/elasticsearch, the transport
# port ${ECHOLOT_ES_TRANSPORT_PORT} or else a free one, --timeout 180.
# Elasticsearch refuses to run as root: as root, this runs it as the user `echolot` (override
# with ECHOLOT_ES_USER), created if missing, owning D. The Elasticsearch home is only read; D
# holds its own config copy, data, logs and temp files. --owner-pid stops the server when that
# process exits (the integration tests pass their JVM's pid). Everything binds to 127.0.0.1.
#
# --security starts the same server with security on: HTTPS with a CA and a certificate for
# 127.0.0.1 and localhost generated into D/config/certs/ (the CA's key is deleted once it signed),
# the superuser `elastic` with a random password (bootstrap.password in D's keystore), and the
# user `echolot_writer` with only what the job's sink needs (the role in
# elasticsearch-security/echolot-writer-role.json). Passwords go to D/secrets/ (mode 600), and
# D/security.env lists where everything is. It also loads a small analysis plugin
# (elasticsearch-security/) that the integ-test distribution lacks for its .security index,
# without which there are no native users, roles or API keys; for that it runs from a hard-linked
# copy of the Elasticsearch home in D/home. Without --security nothing of this happens.
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
SECURITY=0
KEY_NAME=echolot
while [[ $# -gt 0 ]]; do
    case "$1" in
        --port) PORT="${2:?--port needs a value}"; shift 2 ;;
        --transport-port) TRANSPORT_PORT="${2:?--transport-port needs a value}"; shift 2 ;;
        --dir) DIR="${2:?--dir needs a value}"; shift 2 ;;
        --owner-pid) OWNER_PID="${2:?--owner-pid needs a value}"; shift 2 ;;
        --timeout) TIMEOUT_S="${2:?--timeout needs a value}"; shift 2 ;;
        --security) SECURITY=1; shift ;;
        --name) KEY_NAME="${2:?--name needs a value}"; shift 2 ;;
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
SECURITY_SRC="${STACK_DIR}/elasticsearch-security"
ROLE_FILE="${SECURITY_SRC}/echolot-writer-role.json"
WRITER=echolot_writer
CERTS_DIR="${DIR}/config/certs"
SECRETS_DIR="${DIR}/secrets"
SECURE_HOME="${DIR}/home"
SECURITY_ENV="${DIR}/security.env"

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

es_url() {
    if [[ "${SECURITY}" == 1 ]]; then echo "https://127.0.0.1:${PORT}"; else echo "http://127.0.0.1:${PORT}"; fi
}

# curl as the superuser when security is on; the password goes through a curl config file, never
# through the command line, which every user can read in ps.
es_curl() {
    if [[ "${SECURITY}" == 1 ]]; then
        curl -K "${SECRETS_DIR}/elastic.curlrc" --cacert "${CERTS_DIR}/ca.crt" "$@"
    else
        curl "$@"
    fi
}

cluster_yellow() {
    es_curl -fsS --max-time 5 -o /dev/null "$(es_url)/_cluster/health?wait_for_status=yellow&timeout=1s"
}

# --- security (--security) ---------------------------------------------------------------------
# Runs a tool of the distribution (certutil, keystore) on this instance's config.
es_tool() {
    local tool="$1"
    shift
    ES_JAVA_HOME="${JAVA_HOME_DIR}" ES_PATH_CONF="${DIR}/config" "${ES_HOME_DIR}/bin/${tool}" "$@"
}

# 24 letters and digits from /dev/urandom.
random_secret() {
    local s
    s="$(head -c 48 /dev/urandom | base64 -w 0)"
    s="${s//[^A-Za-z0-9]/}"
    echo "${s:0:24}"
}

write_secret() { (umask 077 && printf '%s\n' "$2" >"$1"); }

read_secret() { tr -d '\n' <"$1"; }

# A CA and a certificate it signed for 127.0.0.1 and localhost, with certutil from the distribution.
ensure_certificates() {
    [[ -s "${CERTS_DIR}/ca.crt" && -s "${CERTS_DIR}/http.crt" && -s "${CERTS_DIR}/http.key" ]] && return 0
    local work="${DIR}/tmp/certs" t0
    t0="$(now_ms)"
    rm -rf "${work}"
    mkdir -p "${work}" "${CERTS_DIR}"
    es_tool elasticsearch-certutil ca --pem --silent --days 3650 --ca-dn "CN=echolot local CA" \
        --out "${work}/ca.zip" >/dev/null
    (cd "${work}" && "${JAVA_HOME_DIR}/bin/jar" xf ca.zip)
    es_tool elasticsearch-certutil cert --pem --silent --days 3650 --name http \
        --ca-cert "${work}/ca/ca.crt" --ca-key "${work}/ca/ca.key" --ip 127.0.0.1 --dns localhost \
        --out "${work}/http.zip" >/dev/null
    (cd "${work}" && "${JAVA_HOME_DIR}/bin/jar" xf http.zip)
    cp "${work}/ca/ca.crt" "${CERTS_DIR}/ca.crt"
    cp "${work}/http/http.crt" "${work}/http/http.key" "${CERTS_DIR}/"
    chmod 600 "${CERTS_DIR}/http.key"
    # without the CA's key nobody can sign another certificate this stack would trust
    rm -rf "${work}"
    log "generated a CA and a certificate for 127.0.0.1 and localhost in ${CERTS_DIR} in $(secs_since "${t0}")s"
}

# The superuser's password (bootstrap.password in the keystore) and the writer's, kept in D/secrets.
ensure_passwords() {
    local fresh=0 keystore="${DIR}/config/elasticsearch.keystore"
    mkdir -p "${SECRETS_DIR}"
    chmod 700 "${SECRETS_DIR}"
    if [[ ! -s "${SECRETS_DIR}/elastic.password" ]]; then
        write_secret "${SECRETS_DIR}/elastic.password" "$(random_secret)"
        fresh=1
    fi
    [[ -s "${SECRETS_DIR}/${WRITER}.password" ]] || write_secret "${SECRETS_DIR}/${WRITER}.password" "$(random_secret)"
    [[ -f "${keystore}" ]] || es_tool elasticsearch-keystore create -s
    if ((fresh)) || ! es_tool elasticsearch-keystore list | grep -qx bootstrap.password; then
        printf '%s' "$(read_secret "${SECRETS_DIR}/elastic.password")" |
            es_tool elasticsearch-keystore add -x -s -f bootstrap.password
    fi
    (umask 077 && printf 'user = "elastic:%s"\n' "$(read_secret "${SECRETS_DIR}/elastic.password")" \
        >"${SECRETS_DIR}/elastic.curlrc")
}

# D/home: the distribution hard-linked (copied where links fail) plus the analysis plugin, compiled
# here against the distribution's own jars. Rebuilt when the distribution's path (so its version)
# or the plugin's source changes.
ensure_secure_home() {
    local version stamp classes plugin
    version="$(prop elasticsearch.version)"
    stamp="${ES_HOME_DIR} $(cat "${SECURITY_SRC}"/src/io/echolot/localstack/*.java | cksum)"
    [[ -f "${SECURE_HOME}/.echolot-stamp" && "$(cat "${SECURE_HOME}/.echolot-stamp")" == "${stamp}" ]] && return 0
    [[ -x "${JAVA_HOME_DIR}/bin/javac" ]] || die "--security compiles a small plugin: ${JAVA_HOME_DIR} has no javac (install a JDK 17)"
    rm -rf "${SECURE_HOME}"
    cp -al "${ES_HOME_DIR}" "${SECURE_HOME}" 2>/dev/null || {
        rm -rf "${SECURE_HOME}"
        cp -R "${ES_HOME_DIR}" "${SECURE_HOME}"
    }
    classes="${DIR}/tmp/plugin-classes"
    plugin="${SECURE_HOME}/plugins/echolot-security-analysis"
    rm -rf "${classes}"
    mkdir -p "${classes}" "${plugin}"
    "${JAVA_HOME_DIR}/bin/javac" --release 17 -nowarn -cp "${ES_HOME_DIR}/lib/*" -d "${classes}" \
        "${SECURITY_SRC}"/src/io/echolot/localstack/*.java
    "${JAVA_HOME_DIR}/bin/jar" cf "${plugin}/echolot-security-analysis.jar" -C "${classes}" .
    printf '%s\n' "name=echolot-security-analysis" \
        "description=analysis components for the .security index of the local stack" \
        "version=${version}" "elasticsearch.version=${version}" "java.version=17" \
        "classname=io.echolot.localstack.SecurityIndexAnalysisPlugin" \
        >"${plugin}/plugin-descriptor.properties"
    rm -rf "${classes}"
    echo "${stamp}" >"${SECURE_HOME}/.echolot-stamp"
}

put_security_object() {
    es_curl -fsS --max-time 10 -o /dev/null -X PUT -H 'Content-Type: application/json' "$@"
}

# The writer's role (from the role file) and the user; idempotent, so a restart changes nothing.
create_writer() {
    put_security_object "$(es_url)/_security/role/${WRITER}" --data-binary "@${ROLE_FILE}" || return 1
    printf '{"password":"%s","roles":["%s"]}' "$(read_secret "${SECRETS_DIR}/${WRITER}.password")" "${WRITER}" |
        put_security_object "$(es_url)/_security/user/${WRITER}" --data-binary @-
}

start() {
    local t0 es_home java_home
    t0="$(now_ms)"
    if is_running; then
        local wanted="${SECURITY}"
        load_state "${STATE_FILE}" || true
        [[ "${SECURITY:-0}" == "${wanted}" ]] ||
            die "already running in ${DIR} with security $([[ "${SECURITY:-0}" == 1 ]] && echo on || echo off); stop it first"
        log "already running (pid $(read_pid "${PID_FILE}")) on $(es_url)"
        [[ "${SECURITY}" == 1 ]] && print_security_help
        return 0
    fi
    require_cmd curl setsid setpriv
    es_home="$(prop elasticsearch.home)"
    ES_HOME_DIR="${es_home}"
    [[ -x "${es_home}/bin/elasticsearch" ]] ||
        die "no Elasticsearch at ${es_home}: run 'mvn -B -DskipTests install' in ${REPO_ROOT}"
    java_home="$(java_home)"
    JAVA_HOME_DIR="${java_home}"
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
    local es_bin="${es_home}/bin/elasticsearch" security_opts=(-E xpack.security.enabled=false)
    if [[ "${SECURITY}" == 1 ]]; then
        local t_security
        t_security="$(now_ms)"
        ensure_certificates
        ensure_passwords
        ensure_secure_home
        es_bin="${SECURE_HOME}/bin/elasticsearch"
        security_opts=(
            -E xpack.security.enabled=true
            -E xpack.security.http.ssl.enabled=true
            -E xpack.security.http.ssl.key=certs/http.key
            -E xpack.security.http.ssl.certificate=certs/http.crt
            -E xpack.security.http.ssl.certificate_authorities=certs/ca.crt
        )
        log "security set up in $(secs_since "${t_security}")s"
    fi
    if [[ "$(id -u)" == 0 ]]; then
        ensure_user
        # not D/home: its files are hard links of the distribution, which stays as it is
        chown "${ES_USER}:" "${DIR}"
        find "${DIR}" -mindepth 1 -maxdepth 1 ! -name home -exec chown -R "${ES_USER}:" {} +
        "${AS_ES_USER[@]}" test -r "${es_home}/lib" -a -w "${DIR}/data" ||
            die "the user '${ES_USER}' cannot read ${es_home} or write ${DIR}: a parent directory is not" \
                "accessible to other users (chmod o+x it, or use --dir under /tmp)"
    fi
    rm -f "${SERVER_PID_FILE}"
    : >"${CONSOLE_LOG}"

    log "starting Elasticsearch $(prop elasticsearch.version) on $(es_url) (transport ${TRANSPORT_PORT}) in ${DIR}"
    (
        cd "${DIR}"
        # setsid: the CLI and the server JVM it forks form one process group that stop can end.
        exec setsid env ES_JAVA_HOME="${java_home}" ES_PATH_CONF="${DIR}/config" ES_TMPDIR="${DIR}/tmp" \
            ES_JAVA_OPTS="-Xms512m -Xmx512m" HOME="${DIR}" \
            "${AS_ES_USER[@]}" "${es_bin}" \
            -p "${SERVER_PID_FILE}" \
            -E cluster.name=echolot-local \
            -E node.name="echolot-es-${PORT}" \
            -E discovery.type=single-node \
            "${security_opts[@]}" \
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
    write_state "${STATE_FILE}" "PORT=${PORT}" "TRANSPORT_PORT=${TRANSPORT_PORT}" "USER=${ES_USER}" "SECURITY=${SECURITY}"
    start_watchdog "${SELF}" "${DIR}" "${OWNER_PID}"

    if ! wait_until "${TIMEOUT_S}" "${pid}" "cluster health yellow on port ${PORT}" cluster_yellow; then
        show_log_tail 40 "${CONSOLE_LOG}" "${DIR}/logs/echolot-local.log"
        stop_pidfile elasticsearch 20 "${PID_FILE}" "${DIR}"
        stop_watchdog "${DIR}"
        die "Elasticsearch did not come up (logs in ${DIR}/logs)"
    fi
    if [[ "${SECURITY}" == 1 ]]; then
        # the .security index is created on first use and can take a moment to take writes
        if ! wait_until 60 "${pid}" "the role and user ${WRITER}" create_writer; then
            stop_pidfile elasticsearch 20 "${PID_FILE}" "${DIR}"
            stop_watchdog "${DIR}"
            die "could not create the role and user ${WRITER} (logs in ${DIR}/logs)"
        fi
        write_state "${SECURITY_ENV}" "ES_URL=$(es_url)" "ES_CA_CERT=${CERTS_DIR}/ca.crt" \
            "ES_SUPERUSER=elastic" "ES_SUPERUSER_PASSWORD_FILE=${SECRETS_DIR}/elastic.password" \
            "ES_USER=${WRITER}" "ES_USER_PASSWORD_FILE=${SECRETS_DIR}/${WRITER}.password" \
            "ES_ROLE_FILE=${ROLE_FILE}"
    fi
    log "Elasticsearch ready on $(es_url) in $(secs_since "${t0}")s (pid ${pid}, server pid $(read_pid "${SERVER_PID_FILE}"))"
    [[ "${SECURITY}" == 1 ]] && print_security_help
    return 0
}

print_security_help() {
    log "security on. CA certificate: ${CERTS_DIR}/ca.crt (the job's --es-ca-cert)"
    log "user ${WRITER} (role: ${ROLE_FILE}): --es-username ${WRITER} --es-password-file ${SECRETS_DIR}/${WRITER}.password"
    log "superuser elastic: password in ${SECRETS_DIR}/elastic.password (curl -K ${SECRETS_DIR}/elastic.curlrc --cacert ${CERTS_DIR}/ca.crt $(es_url)/...)"
    log "an API key with the writer's privileges: (umask 077; ${SELF} api-key --dir ${DIR} > FILE), then --es-api-key-file FILE"
    log "all of this, for scripts: ${SECURITY_ENV}"
}

# Creates an API key limited to the writer's role (POST /_security/api_key as the superuser) and
# prints its encoded form, the value --es-api-key-file and ECHOLOT_ES_API_KEY take.
api_key() {
    is_running || die "${EXIT_NOT_RUNNING}" "Elasticsearch is not running (dir ${DIR})"
    load_state "${STATE_FILE}" || true
    [[ "${SECURITY}" == 1 ]] || die "Elasticsearch in ${DIR} runs without security: start it with --security"
    [[ "${KEY_NAME}" =~ ^[A-Za-z0-9._-]+$ ]] || die "${EXIT_USAGE}" "--name: letters, digits, . _ - only"
    local response encoded
    response="$(printf '{"name":"%s","role_descriptors":{"%s":%s}}' "${KEY_NAME}" "${WRITER}" "$(cat "${ROLE_FILE}")" |
        es_curl -fsS --max-time 10 -X POST -H 'Content-Type: application/json' \
            "$(es_url)/_security/api_key" --data-binary @-)" ||
        die "POST /_security/api_key failed"
    encoded="$(sed -n 's/.*"encoded":"\([^"]*\)".*/\1/p' <<<"${response}")"
    [[ -n "${encoded}" ]] || die "no encoded key in the answer of POST /_security/api_key"
    log "created the API key '${KEY_NAME}' (privileges of the role ${WRITER})"
    echo "${encoded}"
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
        health="$(es_curl -fsS --max-time 5 "$(es_url)/_cluster/health" 2>/dev/null |
            grep -o '"status":"[a-z]*"' || echo 'no answer')"
        echo "elasticsearch: running, pid $(read_pid "${PID_FILE}"), $(es_url) (${health}$([[ "${SECURITY}" == 1 ]] && echo ', security on')), dir ${DIR}"
    else
        echo "elasticsearch: stopped (dir ${DIR})"
        exit "${EXIT_NOT_RUNNING}"
    fi
}

case "${CMD}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    api-key) api_key ;;
    _watch) run_watchdog "${SELF}" "${DIR}" "${OWNER_PID}" ;;
    -h | --help | help) usage ;;
    *) log "unknown command: ${CMD}"; usage ;;
esac
