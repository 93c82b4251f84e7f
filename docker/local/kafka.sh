#!/usr/bin/env bash
# Starts, stops or reports a local single-node Kafka broker (KRaft: broker and controller in one
# JVM, from the classpath that `mvn install` wrote to docker/local/kafka/target/classpath.txt),
# and creates topics on it.
#
#   kafka.sh start  [--port P] [--controller-port C] [--dir D] [--owner-pid PID] [--timeout S]
#                   [--scram-user U --scram-password-file F] [--tls]
#   kafka.sh stop   [--dir D]
#   kafka.sh status [--dir D]
#   kafka.sh create-topic NAME [--partitions N] [--port P | --bootstrap HOST:PORT]
#   kafka.sh delete-topic NAME [--port P | --bootstrap HOST:PORT]   (no error if it does not exist)
#   kafka.sh consume TOPIC [--max N] [--uncommitted] [--port P | --bootstrap HOST:PORT]
#                   (from the beginning, committed records; --uncommitted also those of open and
#                   aborted transactions, e.g. what a failed attempt of a job had written)
#   kafka.sh end-offsets REGEX [--port P | --bootstrap HOST:PORT]
#                   (topic:partition:end offset of every partition of the topics whose name matches)
#   kafka.sh latest-timestamp TOPIC [--port P | --bootstrap HOST:PORT]
#                   (the newest record timestamp of the topic in epoch ms, 0 when it is empty)
#   kafka.sh watch TOPIC [--port P | --bootstrap HOST:PORT]
#                   (committed records from the beginning and as they come, until stopped, each
#                   line prefixed with the time it was read in epoch ms and a tab)
#
# Defaults: --port ${ECHOLOT_KAFKA_PORT:-9092}, --dir docker/local/run/kafka, the controller port
# ${ECHOLOT_KAFKA_CONTROLLER_PORT} or else a free one, --timeout 60, --partitions 1, --max 10.
# The storage is formatted on the first start only; data survives restarts until D is deleted.
# --owner-pid stops the broker when that process exits (the integration tests pass their JVM's
# pid). Everything binds to 127.0.0.1.
# --scram-user makes the client port a SASL_PLAINTEXT listener (SCRAM-SHA-512) instead, with that
# user created at format time (password from the file); clients then need the SASL settings, e.g.
# via the job's --kafka-properties (see OPERATIONS.md). --tls makes it a TLS listener (SSL, or
# SASL_SSL with --scram-user) with a self-signed certificate for 127.0.0.1 made on the first start;
# clients trust D/tls/ca.pem. create-topic and consume need a plaintext broker.
# Exit codes: 0 ok, 1 failure, 2 usage, 3 not running (status), 4 port already in use.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
LOG_TAG=kafka
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
SELF="${STACK_DIR}/kafka.sh"

usage() {
    print_usage
    exit "${EXIT_USAGE}"
}

[[ $# -ge 1 ]] || usage
CMD="$1"
shift
TOPIC=""
if [[ "${CMD}" =~ ^(create-topic|delete-topic|consume|end-offsets|latest-timestamp|watch)$ ]]; then
    [[ $# -ge 1 && "$1" != --* ]] || usage
    TOPIC="$1"
    shift
fi
PORT="${ECHOLOT_KAFKA_PORT:-9092}"
CONTROLLER_PORT="${ECHOLOT_KAFKA_CONTROLLER_PORT:-}"
DIR="${RUN_DIR}/kafka"
OWNER_PID=""
TIMEOUT_S=60
PARTITIONS=1
MAX_MESSAGES=10
ISOLATION=read_committed
BOOTSTRAP=""
SCRAM_USER=""
SCRAM_PASSWORD_FILE=""
TLS=false
while [[ $# -gt 0 ]]; do
    case "$1" in
        --port) PORT="${2:?--port needs a value}"; shift 2 ;;
        --controller-port) CONTROLLER_PORT="${2:?--controller-port needs a value}"; shift 2 ;;
        --dir) DIR="${2:?--dir needs a value}"; shift 2 ;;
        --owner-pid) OWNER_PID="${2:?--owner-pid needs a value}"; shift 2 ;;
        --timeout) TIMEOUT_S="${2:?--timeout needs a value}"; shift 2 ;;
        --partitions) PARTITIONS="${2:?--partitions needs a value}"; shift 2 ;;
        --bootstrap) BOOTSTRAP="${2:?--bootstrap needs a value}"; shift 2 ;;
        --scram-user) SCRAM_USER="${2:?--scram-user needs a value}"; shift 2 ;;
        --scram-password-file) SCRAM_PASSWORD_FILE="${2:?--scram-password-file needs a value}"; shift 2 ;;
        --tls) TLS=true; shift ;;
        --max) MAX_MESSAGES="${2:?--max needs a value}"; shift 2 ;;
        --uncommitted) ISOLATION=read_uncommitted; shift ;;
        -h | --help) usage ;;
        *) log "unknown argument: $1"; usage ;;
    esac
done
DIR="$(abspath "${DIR}")"
PID_FILE="${DIR}/kafka.pid"
STATE_FILE="${DIR}/state.env"
SERVER_LOG="${DIR}/logs/server.log"

# The command-line tools are short-lived: a small heap, no optimising JIT.
TOOL_JVM_OPTS=(-Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC)

is_running() { pid_matches "$(read_pid "${PID_FILE}")" "${DIR}"; }

kafka_classpath() {
    local file
    file="$(prop kafka.classpath.file)"
    [[ -s "${file}" ]] || die "${file} is missing: run 'mvn -B -DskipTests install' in ${REPO_ROOT}"
    cat "${file}"
}

# A Kafka cluster id: 16 random bytes, base64url without padding (what `StorageTool random-uuid`
# prints), made here to save a JVM start.
# A base64url UUID as Kafka wants it, never starting with '-' (the storage tool would read such an
# id as an option; Kafka's own random ids avoid a leading '-' for the same reason).
random_cluster_id() {
    local id
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    [[ "${id}" == -* ]] && id="A${id:1}"
    echo "${id}"
}

# The client listener's security protocol: PLAINTEXT, SSL (--tls), SASL_PLAINTEXT (--scram-user)
# or SASL_SSL (both).
client_protocol() {
    local protocol=PLAINTEXT
    [[ -n "${SCRAM_USER}" ]] && protocol=SASL_PLAINTEXT
    if [[ "${TLS}" == true ]]; then
        [[ "${protocol}" == PLAINTEXT ]] && protocol=SSL || protocol=SASL_SSL
    fi
    echo "${protocol}"
}

# A self-signed certificate for 127.0.0.1 (kept across restarts, like the data): the broker's
# PKCS12 key store and the certificate as PEM, the file clients trust (ssl.truststore.type=PEM).
# The broker trusts the same file, as it talks to itself over the client listener.
make_tls_files() {
    local tls="${DIR}/tls" keytool
    keytool="$(java_home)/bin/keytool"
    [[ -x "${keytool}" ]] || die "--tls needs keytool from a JDK (not found in $(java_home)/bin)"
    if [[ -s "${tls}/broker.p12" && -s "${tls}/ca.pem" && -s "${tls}/store-password" ]]; then
        return 0
    fi
    mkdir -p "${tls}"
    chmod 700 "${tls}"
    (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=\n' >"${tls}/store-password")
    rm -f "${tls}/broker.p12" "${tls}/ca.pem"
    "${keytool}" -genkeypair -alias broker -keyalg RSA -keysize 2048 -validity 825 \
        -dname "CN=127.0.0.1, O=echolot local stack" -ext "SAN=ip:127.0.0.1,dns:localhost" \
        -storetype PKCS12 -keystore "${tls}/broker.p12" -storepass "$(<"${tls}/store-password")" \
        >"${DIR}/logs/keytool.log" 2>&1 || {
        show_log_tail 20 "${DIR}/logs/keytool.log"
        die "could not create the broker's TLS key store in ${tls}"
    }
    "${keytool}" -exportcert -rfc -alias broker -keystore "${tls}/broker.p12" \
        -storepass "$(<"${tls}/store-password")" -file "${tls}/ca.pem" >>"${DIR}/logs/keytool.log" 2>&1 ||
        die "could not export the broker's certificate to ${tls}/ca.pem"
    log "TLS: clients trust ${tls}/ca.pem (ssl.truststore.type=PEM, ssl.truststore.location)"
}

# The client port with the chosen protocol; the broker talks to itself over it (as the SCRAM user
# when there is one), so no plaintext port is open besides the controller's.
write_server_properties() {
    local protocol listener password=""
    protocol="$(client_protocol)"
    listener="$(echo "${protocol}" | tr '[:upper:]' '[:lower:]')"
    if [[ -n "${SCRAM_USER}" ]]; then
        [[ -r "${SCRAM_PASSWORD_FILE}" ]] || die "${EXIT_USAGE}" "--scram-user needs a readable --scram-password-file"
        password="$(<"${SCRAM_PASSWORD_FILE}")"
    fi
    [[ "${TLS}" == true ]] && make_tls_files
    umask 077
    {
        cat <<PROPS
# Generated by docker/local/kafka.sh: a single-node KRaft broker on loopback, ${protocol} clients.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${CONTROLLER_PORT}
listeners=${protocol}://127.0.0.1:${PORT},CONTROLLER://127.0.0.1:${CONTROLLER_PORT}
advertised.listeners=${protocol}://127.0.0.1:${PORT}
controller.listener.names=CONTROLLER
inter.broker.listener.name=${protocol}
listener.security.protocol.map=CONTROLLER:PLAINTEXT,${protocol}:${protocol}
log.dirs=${DIR}/data
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=8
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
        if [[ -n "${SCRAM_USER}" ]]; then
            cat <<PROPS
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.${listener}.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${SCRAM_USER}" password="${password}";
PROPS
        fi
        if [[ "${TLS}" == true ]]; then
            cat <<PROPS
ssl.keystore.type=PKCS12
ssl.keystore.location=${DIR}/tls/broker.p12
ssl.keystore.password=$(<"${DIR}/tls/store-password")
ssl.truststore.type=PEM
ssl.truststore.location=${DIR}/tls/ca.pem
PROPS
        fi
    } >"${DIR}/server.properties"
}

# The storage tool's --add-scram arguments: the SCRAM user exists before the broker first starts.
scram_format_args() {
    [[ -n "${SCRAM_USER}" ]] || return 0
    printf '%s\n' --add-scram "SCRAM-SHA-512=[name=${SCRAM_USER},password=$(<"${SCRAM_PASSWORD_FILE}")]"
}

server_started() {
    grep -q 'Kafka Server started' "${SERVER_LOG}" && tcp_open 127.0.0.1 "${PORT}"
}

start() {
    local t0 java cp
    t0="$(now_ms)"
    if is_running; then
        load_state "${STATE_FILE}" || true
        log "already running (pid $(read_pid "${PID_FILE}")) on 127.0.0.1:${PORT}"
        return 0
    fi
    require_cmd setsid base64
    cp="$(kafka_classpath)"
    java="$(java_bin)"
    require_free_port "${PORT}" "Kafka broker"
    if [[ -n "${CONTROLLER_PORT}" ]]; then
        require_free_port "${CONTROLLER_PORT}" "Kafka controller"
    else
        CONTROLLER_PORT="$(pick_free_port "${PORT}")"
    fi
    mkdir -p "${DIR}/data" "${DIR}/logs"
    write_server_properties

    if [[ ! -f "${DIR}/data/meta.properties" ]]; then
        local t_format scram_args
        t_format="$(now_ms)"
        mapfile -t scram_args < <(scram_format_args)
        "${java}" "${TOOL_JVM_OPTS[@]}" -Dlog4j2.configurationFile="${CONF_TEMPLATES}/kafka-tools-log4j2.properties" \
            -cp "${cp}" kafka.tools.StorageTool format -t "$(random_cluster_id)" -c "${DIR}/server.properties" \
            "${scram_args[@]}" >"${DIR}/logs/format.log" 2>&1 ||
            {
                show_log_tail 30 "${DIR}/logs/format.log"
                die "formatting the Kafka storage in ${DIR}/data failed"
            }
        log "formatted the storage in ${DIR}/data in $(secs_since "${t_format}")s"
    fi

    : >"${SERVER_LOG}"
    log "starting Kafka $(prop kafka.version) on 127.0.0.1:${PORT} (controller ${CONTROLLER_PORT}) in ${DIR}"
    setsid "${java}" -Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
        -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true \
        -Dlog4j2.configurationFile="${CONF_TEMPLATES}/kafka-log4j2.properties" -Dkafka.logs.dir="${DIR}/logs" \
        -cp "${cp}" kafka.Kafka "${DIR}/server.properties" >>"${SERVER_LOG}" 2>&1 </dev/null &
    local pid=$!
    echo "${pid}" >"${PID_FILE}"
    write_state "${STATE_FILE}" "PORT=${PORT}" "CONTROLLER_PORT=${CONTROLLER_PORT}"
    start_watchdog "${SELF}" "${DIR}" "${OWNER_PID}"

    if ! wait_until "${TIMEOUT_S}" "${pid}" "'Kafka Server started' and port ${PORT} open" server_started; then
        show_log_tail 40 "${SERVER_LOG}"
        stop_pidfile kafka 20 "${PID_FILE}" "${DIR}"
        stop_watchdog "${DIR}"
        die "Kafka did not come up (log: ${SERVER_LOG})"
    fi
    log "Kafka ready on 127.0.0.1:${PORT} in $(secs_since "${t0}")s (pid ${pid})"
}

stop() {
    stop_watchdog "${DIR}"
    stop_pidfile kafka 30 "${PID_FILE}" "${DIR}"
}

status() {
    if is_running; then
        load_state "${STATE_FILE}" || true
        echo "kafka: running, pid $(read_pid "${PID_FILE}"), bootstrap 127.0.0.1:${PORT}, dir ${DIR}"
    else
        echo "kafka: stopped (dir ${DIR})"
        exit "${EXIT_NOT_RUNNING}"
    fi
}

create_topic() {
    local t0 bootstrap
    t0="$(now_ms)"
    bootstrap="${BOOTSTRAP:-127.0.0.1:${PORT}}"
    [[ "${PARTITIONS}" =~ ^[1-9][0-9]*$ ]] || die "${EXIT_USAGE}" "--partitions must be a positive number"
    "$(java_bin)" "${TOOL_JVM_OPTS[@]}" -Dlog4j2.configurationFile="${CONF_TEMPLATES}/kafka-tools-log4j2.properties" \
        -cp "$(kafka_classpath)" org.apache.kafka.tools.TopicCommand --bootstrap-server "${bootstrap}" \
        --create --if-not-exists --topic "${TOPIC}" --partitions "${PARTITIONS}" --replication-factor 1 >/dev/null ||
        die "could not create the topic ${TOPIC} on ${bootstrap}"
    log "topic ${TOPIC} (${PARTITIONS} partitions) ready on ${bootstrap} in $(secs_since "${t0}")s"
}

delete_topic() {
    local t0 bootstrap
    t0="$(now_ms)"
    bootstrap="${BOOTSTRAP:-127.0.0.1:${PORT}}"
    "$(java_bin)" "${TOOL_JVM_OPTS[@]}" -Dlog4j2.configurationFile="${CONF_TEMPLATES}/kafka-tools-log4j2.properties" \
        -cp "$(kafka_classpath)" org.apache.kafka.tools.TopicCommand --bootstrap-server "${bootstrap}" \
        --delete --if-exists --topic "${TOPIC}" >/dev/null ||
        die "could not delete the topic ${TOPIC} on ${bootstrap}"
    log "topic ${TOPIC} deleted on ${bootstrap} in $(secs_since "${t0}")s"
}

# Prints up to --max records of a topic from the beginning (waits at most 10 s for more); only
# committed ones, as the job's Kafka sinks are transactional (see OPERATIONS.md, Checkpoints).
consume() {
    "$(java_bin)" "${TOOL_JVM_OPTS[@]}" -Dlog4j2.configurationFile="${CONF_TEMPLATES}/kafka-tools-log4j2.properties" \
        -cp "$(kafka_classpath)" org.apache.kafka.tools.consumer.ConsoleConsumer \
        --bootstrap-server "${BOOTSTRAP:-127.0.0.1:${PORT}}" --topic "${TOPIC}" --from-beginning \
        --isolation-level "${ISOLATION}" --max-messages "${MAX_MESSAGES}" --timeout-ms 10000 \
        --formatter-property print.key=true --formatter-property print.timestamp=true \
        2> >(grep -vE 'TimeoutException|terminating consumer process' >&2) || true
}

# Like consume, but without an end: when each committed record became readable, e.g. how long an
# alert took to reach the consumers of a topic written in transactions. The consumer reconnects
# by itself when the broker restarts.
watch() {
    local line t
    "$(java_bin)" "${TOOL_JVM_OPTS[@]}" -Dlog4j2.configurationFile="${CONF_TEMPLATES}/kafka-tools-log4j2.properties" \
        -cp "$(kafka_classpath)" org.apache.kafka.tools.consumer.ConsoleConsumer \
        --bootstrap-server "${BOOTSTRAP:-127.0.0.1:${PORT}}" --topic "${TOPIC}" --from-beginning \
        --isolation-level read_committed \
        --formatter-property print.key=true --formatter-property print.timestamp=true 2>/dev/null |
        while IFS= read -r line; do
            t="${EPOCHREALTIME//[!0-9]/}"
            printf '%s\t%s\n' $((10#${t} / 1000)) "${line}"
        done
}

# The end offset (the number of records ever written) of each partition of the matching topics,
# one `topic:partition:offset` a line: what a job wrote to its output topics, or the backlog of one.
end_offsets() {
    "$(java_bin)" "${TOOL_JVM_OPTS[@]}" -Dlog4j2.configurationFile="${CONF_TEMPLATES}/kafka-tools-log4j2.properties" \
        -cp "$(kafka_classpath)" org.apache.kafka.tools.GetOffsetShell \
        --bootstrap-server "${BOOTSTRAP:-127.0.0.1:${PORT}}" --topic-partitions "${TOPIC}" --time latest ||
        die "could not read the end offsets of the topics '${TOPIC}'"
}

# The newest timestamp of a topic: the last record of each partition, read by offset (a record's
# timestamp is its send time unless the producer set one). E.g. when a job wrote its last output.
latest_timestamp() {
    local topic part end ts latest=0
    while IFS=: read -r topic part end; do
        [[ "${end}" =~ ^[0-9]+$ ]] && ((end > 0)) || continue
        ts="$("$(java_bin)" "${TOOL_JVM_OPTS[@]}" -Dlog4j2.configurationFile="${CONF_TEMPLATES}/kafka-tools-log4j2.properties" \
            -cp "$(kafka_classpath)" org.apache.kafka.tools.consumer.ConsoleConsumer \
            --bootstrap-server "${BOOTSTRAP:-127.0.0.1:${PORT}}" --topic "${topic}" --partition "${part}" \
            --offset $((end - 1)) --max-messages 1 --timeout-ms 10000 \
            --formatter-property print.timestamp=true --formatter-property print.value=false 2>/dev/null |
            sed -n 's/^CreateTime:\([0-9]*\).*/\1/p')"
        [[ "${ts}" =~ ^[0-9]+$ ]] || die "could not read the last record of ${topic} partition ${part}"
        ((ts > latest)) && latest="${ts}"
    done < <(TOPIC="^${TOPIC//./\\.}\$" end_offsets)
    echo "${latest}"
}

case "${CMD}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    create-topic) create_topic ;;
    delete-topic) delete_topic ;;
    consume) consume ;;
    end-offsets) end_offsets ;;
    latest-timestamp) latest_timestamp ;;
    watch) watch ;;
    _watch) run_watchdog "${SELF}" "${DIR}" "${OWNER_PID}" ;;
    -h | --help | help) usage ;;
    *) log "unknown command: ${CMD}"; usage ;;
esac
