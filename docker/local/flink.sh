#!/usr/bin/env bash
# Starts, stops or reports a local Flink session cluster (one JobManager, one TaskManager with
# 4 slots, from the lib/ that `mvn install` put in docker/local/flink/target/lib), and submits,
# lists or cancels jobs on it.
#
#   flink.sh start  [--port P] [--rpc-port R] [--metrics-port M] [--dir D] [--timeout S]
#   flink.sh stop   [--dir D]
#   flink.sh start-taskmanager [--dir D] [--timeout S]
#                   (starts a new TaskManager for the running JobManager, e.g. after the previous
#                   one died; refuses while the recorded one still runs; its log goes to
#                   D/log/taskmanager.log, the dead one's log is kept as taskmanager-N.log)
#   flink.sh status [--dir D]
#   flink.sh run    [--dir D] [--name NAME] [--class C] [--from-savepoint PATH] [-D KEY=VALUE]...
#                   JOB_JAR [JOB_ARGS...]
#                   (flink run -d: submits detached; -c C runs entry class C instead of the jar's main
#                   class; -s PATH restores the job's state from a savepoint; -D sets a Flink option
#                   for this job only, e.g. its own restart strategy)
#   flink.sh job-id [--dir D] NAME   (prints the id of the job last submitted under NAME)
#   flink.sh stop-job [--dir D] JOB_ID   (flink stop --savepointPath: stops the job with a savepoint
#                   in D/savepoints, without draining open windows; prints the savepoint path)
#   flink.sh list   [--dir D]
#   flink.sh cancel-all [--dir D]
#
# Defaults: --port (REST and web UI) ${ECHOLOT_FLINK_PORT:-8081}, --rpc-port
# ${ECHOLOT_FLINK_RPC_PORT:-6123}, --dir docker/local/run/flink, --timeout 90.
# Metrics in the Prometheus format: the TaskManager (every echolot metric) on --metrics-port
# ${ECHOLOT_FLINK_METRICS_PORT:-9249}, the JobManager on the port after it (http://127.0.0.1:M/metrics).
# D holds the generated conf/config.yaml, log/, tmp/, plugins/, checkpoints/ and savepoints/;
# `run` records each job under its NAME (default: the simple name of --class, or `main` for the
# jar's main class), so that the other scripts find every job of the stack: D/jobs/NAME.id (the
# job id), D/jobs/NAME.args (the jar, then its arguments, one a line), D/jobs/NAME.class (the
# entry class, empty for the jar's main class) and D/jobs/NAME.conf (its -D options, one a line).
# Restarts: a failed job restarts every 2 s until it runs, and a lost TaskManager is noticed within
# seconds (heartbeats every 2 s, 15 s timeout), see write_config.
# Everything binds to 127.0.0.1.
# Exit codes: 0 ok, 1 failure, 2 usage, 3 not running (status), 4 port already in use.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
LOG_TAG=flink
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
    print_usage
    exit "${EXIT_USAGE}"
}

[[ $# -ge 1 ]] || usage
CMD="$1"
shift
PORT="${ECHOLOT_FLINK_PORT:-8081}"
RPC_PORT="${ECHOLOT_FLINK_RPC_PORT:-6123}"
METRICS_PORT="${ECHOLOT_FLINK_METRICS_PORT:-9249}"
DIR="${RUN_DIR}/flink"
TIMEOUT_S=90
JOB_ARGS=()
SAVEPOINT=""
JOB_NAME=""
ENTRY_CLASS=""
JOB_CONF=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --port) PORT="${2:?--port needs a value}"; shift 2 ;;
        --rpc-port) RPC_PORT="${2:?--rpc-port needs a value}"; shift 2 ;;
        --metrics-port) METRICS_PORT="${2:?--metrics-port needs a value}"; shift 2 ;;
        --dir) DIR="${2:?--dir needs a value}"; shift 2 ;;
        --timeout) TIMEOUT_S="${2:?--timeout needs a value}"; shift 2 ;;
        --from-savepoint) SAVEPOINT="${2:?--from-savepoint needs a path}"; shift 2 ;;
        --name) JOB_NAME="${2:?--name needs a value}"; shift 2 ;;
        --class) ENTRY_CLASS="${2:?--class needs a class name}"; shift 2 ;;
        -D) [[ "${2:-}" == *=* ]] || die "${EXIT_USAGE}" "-D needs KEY=VALUE"; JOB_CONF+=(-D "$2"); shift 2 ;;
        -h | --help) usage ;;
        *)
            if [[ "${CMD}" == run || "${CMD}" == stop-job || "${CMD}" == job-id ]]; then
                JOB_ARGS=("$@")
                break
            fi
            log "unknown argument: $1"
            usage
            ;;
    esac
done
DIR="$(abspath "${DIR}")"
CONF_DIR="${DIR}/conf"
LOG_DIR="${DIR}/log"
JM_PID_FILE="${DIR}/jobmanager.pid"
TM_PID_FILE="${DIR}/taskmanager.pid"
STATE_FILE="${DIR}/state.env"

# The --add-exports/--add-opens list of Flink's own config.yaml (env.java.default-opts.all).
JAVA_MODULE_OPTS=(
    --add-exports=java.base/sun.net.util=ALL-UNNAMED
    --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
    --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
    --add-opens=java.base/java.lang=ALL-UNNAMED
    --add-opens=java.base/java.net=ALL-UNNAMED
    --add-opens=java.base/java.io=ALL-UNNAMED
    --add-opens=java.base/java.nio=ALL-UNNAMED
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
    --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
    --add-opens=java.base/java.text=ALL-UNNAMED
    --add-opens=java.base/java.time=ALL-UNNAMED
    --add-opens=java.base/java.util=ALL-UNNAMED
    --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
    --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
    --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
)

is_running() { pid_matches "$(read_pid "${JM_PID_FILE}")" "${DIR}"; }

rest_url() {
    load_state "${STATE_FILE}" || true
    echo "http://127.0.0.1:${PORT}"
}

flink_classpath() {
    local lib jars
    lib="$(prop flink.lib)"
    shopt -s nullglob
    jars=("${lib}"/*.jar)
    shopt -u nullglob
    [[ ${#jars[@]} -gt 0 ]] || die "no jars in ${lib}: run 'mvn -B -DskipTests install' in ${REPO_ROOT}"
    local IFS=:
    echo "${jars[*]}"
}

# The reporter plugins the build put in docker/local/flink/target/plugins (one folder each).
install_plugins() {
    local plugins
    plugins="$(prop flink.plugins)"
    [[ -d "${plugins}/metrics-prometheus" ]] ||
        die "no Prometheus reporter in ${plugins}: run 'mvn -B -DskipTests install' in ${REPO_ROOT}"
    rm -rf "${DIR}/plugins"
    mkdir -p "${DIR}/plugins"
    cp -r "${plugins}/." "${DIR}/plugins/"
}

write_config() {
    install_plugins
    mkdir -p "${CONF_DIR}" "${LOG_DIR}" "${DIR}/plugins" "${DIR}/tmp/web" "${DIR}/upload" "${DIR}/checkpoints" "${DIR}/savepoints"
    cp "${CONF_TEMPLATES}/flink-log4j.properties" "${CONF_DIR}/log4j.properties"
    cp "${CONF_TEMPLATES}/flink-log4j-cli.properties" "${CONF_DIR}/log4j-cli.properties"
    cat >"${CONF_DIR}/config.yaml" <<YAML
# Generated by docker/local/flink.sh: a local session cluster on loopback.
jobmanager.rpc.address: 127.0.0.1
jobmanager.rpc.port: ${RPC_PORT}
jobmanager.bind-host: 127.0.0.1
jobmanager.memory.process.size: 1024m
taskmanager.bind-host: 127.0.0.1
taskmanager.host: 127.0.0.1
taskmanager.memory.process.size: 2048m
taskmanager.numberOfTaskSlots: 4
parallelism.default: 1
rest.address: 127.0.0.1
rest.bind-address: 127.0.0.1
rest.port: ${PORT}
web.submit.enable: true
web.upload.dir: ${DIR}/upload
web.tmpdir: ${DIR}/tmp/web
io.tmp.dirs: ${DIR}/tmp
execution.checkpointing.storage: filesystem
execution.checkpointing.dir: file://${DIR}/checkpoints
execution.checkpointing.savepoint-dir: file://${DIR}/savepoints
env.java.opts.all: ${JAVA_MODULE_OPTS[*]}
# Recovery on this one-machine cluster. Flink's default after a failure (exponential delay from
# 1 s, x1.5 up to 60 s, reset only after an hour without failures) made a second TaskManager loss
# within the hour wait up to a minute. Every restart attempt while the new TaskManager starts fails
# at once for want of slots (a standalone cluster cannot start one) and counts as a failure, so any
# growing delay is added to the recovery once the slots are there. Hence a fixed 2 s between
# attempts, without limit: a job that cannot start (the indexing job while Elasticsearch is down)
# retries every few seconds and runs again as soon as it can. A lost TaskManager is noticed within
# seconds: heartbeats every 2 s, lost after 15 s without an answer or two failed heartbeat calls in
# a row (a dead process), instead of 10 s and 50 s.
restart-strategy.type: fixed-delay
restart-strategy.fixed-delay.attempts: 2147483647
restart-strategy.fixed-delay.delay: 2 s
heartbeat.interval: 2 s
heartbeat.timeout: 15 s
# Prometheus format on http://127.0.0.1:PORT/metrics; the JobManager gets the next port (flink.sh)
metrics.reporter.prom.factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory
metrics.reporter.prom.host: 127.0.0.1
metrics.reporter.prom.port: ${METRICS_PORT}
YAML
}

# bash_java_utils COMMAND : the two result lines (JVM flags, then -D dynamic properties) of
# Flink's BashJavaUtils, which computes the memory settings the way Flink's bin scripts do. Kept
# in CONF_DIR next to the config they come from: a TaskManager started after a crash then saves a
# JVM start (seconds on a loaded machine) on its way to taking over the slots.
bash_java_utils() {
    local out results cache="${CONF_DIR}/$1.params"
    if [[ -s "${cache}" && "${cache}" -nt "${CONF_DIR}/config.yaml" ]]; then
        cat "${cache}"
        return
    fi
    out="$("$(java_bin)" -Xmx128m -cp "$(flink_classpath)" org.apache.flink.runtime.util.bash.BashJavaUtils \
        "$1" --configDir "${CONF_DIR}" 2>&1)" || {
        printf '%s\n' "${out}" | tail -n 20 >&2
        die "BashJavaUtils $1 failed"
    }
    results="$(printf '%s\n' "${out}" | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p')"
    [[ "$(printf '%s\n' "${results}" | wc -l)" == 2 ]] || {
        printf '%s\n' "${out}" | tail -n 20 >&2
        die "unexpected output of BashJavaUtils $1"
    }
    printf '%s\n' "${results}" >"${cache}"
    printf '%s\n' "${results}"
}

# launch NAME PIDFILE MAIN_CLASS RESOURCE_COMMAND [EXTRA_ARGS...]
launch() {
    local name="$1" pid_file="$2" main="$3" resources="$4"
    shift 4
    local lines jvm dyn
    mapfile -t lines < <(bash_java_utils "${resources}")
    read -r -a jvm <<<"${lines[0]}"
    read -r -a dyn <<<"${lines[1]}"
    FLINK_PLUGINS_DIR="${DIR}/plugins" setsid "$(java_bin)" "${jvm[@]}" "${JAVA_MODULE_OPTS[@]}" \
        -Dlog.file="${LOG_DIR}/${name}.log" \
        -Dlog4j.configuration="file:${CONF_DIR}/log4j.properties" \
        -Dlog4j.configurationFile="file:${CONF_DIR}/log4j.properties" \
        -cp "$(flink_classpath)" "${main}" --configDir "${CONF_DIR}" "$@" "${dyn[@]}" \
        >"${LOG_DIR}/${name}.out" 2>&1 </dev/null &
    echo $! >"${pid_file}"
    log "started the ${name} (pid $!, heap flags: ${jvm[*]})"
}

overview_has_tm() {
    curl -fsS --max-time 5 "http://127.0.0.1:${PORT}/overview" | grep -q '"taskmanagers":[1-9]'
}

start() {
    local t0
    t0="$(now_ms)"
    if is_running; then
        log "already running (pid $(read_pid "${JM_PID_FILE}")) on $(rest_url)"
        return 0
    fi
    require_cmd curl setsid
    flink_classpath >/dev/null
    require_free_port "${PORT}" "Flink REST/web UI"
    require_free_port "${RPC_PORT}" "Flink JobManager RPC"
    require_free_port "${METRICS_PORT}" "Flink TaskManager metrics, ECHOLOT_FLINK_METRICS_PORT"
    valid_port "$((METRICS_PORT + 1))" || die "${EXIT_USAGE}" "invalid metrics port: '${METRICS_PORT}'"
    require_free_port "$((METRICS_PORT + 1))" "Flink JobManager metrics (ECHOLOT_FLINK_METRICS_PORT + 1)"
    write_config
    write_state "${STATE_FILE}" "PORT=${PORT}" "RPC_PORT=${RPC_PORT}" "METRICS_PORT=${METRICS_PORT}"
    log "starting Flink $(prop flink.version) on 127.0.0.1:${PORT} (rpc ${RPC_PORT}, metrics ${METRICS_PORT} and $((METRICS_PORT + 1))) in ${DIR}"
    launch jobmanager "${JM_PID_FILE}" org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint \
        GET_JM_RESOURCE_PARAMS -D "metrics.reporter.prom.port=$((METRICS_PORT + 1))"
    launch taskmanager "${TM_PID_FILE}" org.apache.flink.runtime.taskexecutor.TaskManagerRunner \
        GET_TM_RESOURCE_PARAMS -D "metrics.reporter.prom.port=${METRICS_PORT}"

    local jm_pid tm_pid
    jm_pid="$(read_pid "${JM_PID_FILE}")"
    tm_pid="$(read_pid "${TM_PID_FILE}")"
    if ! wait_until "${TIMEOUT_S}" "${jm_pid}" "the REST endpoint with one TaskManager registered" \
        overview_has_tm || ! kill -0 "${tm_pid}" 2>/dev/null; then
        show_log_tail 30 "${LOG_DIR}/jobmanager.out" "${LOG_DIR}/jobmanager.log" \
            "${LOG_DIR}/taskmanager.out" "${LOG_DIR}/taskmanager.log"
        stop
        die "Flink did not come up (logs in ${LOG_DIR})"
    fi
    log "Flink ready on http://127.0.0.1:${PORT} with 1 TaskManager (4 slots) in $(secs_since "${t0}")s;" \
        "metrics: http://127.0.0.1:${METRICS_PORT}/metrics (TaskManager), :$((METRICS_PORT + 1))/metrics (JobManager)"
}

# The TaskManager whose log is D/log/taskmanager.log has registered at the ResourceManager (its
# slots are there for the jobs). Its own log, not GET /taskmanagers: right after a crash the REST
# list can still show the dead TaskManager, or time out on a busy JobManager.
taskmanager_registered() {
    grep -q 'Successful registration at resource manager' "${LOG_DIR}/taskmanager.log"
}

# Starts one more TaskManager (same config, same metrics port) for the running JobManager, as a
# supervisor would after the previous TaskManager died. Waits until it is registered.
start_taskmanager() {
    local t0 old_pid n
    t0="$(now_ms)"
    is_running || die "${EXIT_NOT_RUNNING}" "the Flink JobManager is not running (start it with flink.sh start)"
    old_pid="$(read_pid "${TM_PID_FILE}")"
    if pid_matches "${old_pid}" "${DIR}"; then
        die "a TaskManager (pid ${old_pid}) is still running; stop or kill it first"
    fi
    load_state "${STATE_FILE}" || true
    # keep the dead TaskManager's log next to the new one's
    if [[ -s "${LOG_DIR}/taskmanager.log" ]]; then
        n=1
        while [[ -e "${LOG_DIR}/taskmanager-${n}.log" ]]; do n=$((n + 1)); done
        mv "${LOG_DIR}/taskmanager.log" "${LOG_DIR}/taskmanager-${n}.log"
        [[ -f "${LOG_DIR}/taskmanager.out" ]] && mv "${LOG_DIR}/taskmanager.out" "${LOG_DIR}/taskmanager-${n}.out"
    fi
    launch taskmanager "${TM_PID_FILE}" org.apache.flink.runtime.taskexecutor.TaskManagerRunner \
        GET_TM_RESOURCE_PARAMS -D "metrics.reporter.prom.port=${METRICS_PORT}"
    if ! wait_until "${TIMEOUT_S}" "$(read_pid "${TM_PID_FILE}")" "the new TaskManager registered" \
        taskmanager_registered; then
        show_log_tail 30 "${LOG_DIR}/taskmanager.out" "${LOG_DIR}/taskmanager.log"
        die "the new TaskManager did not register (log: ${LOG_DIR}/taskmanager.log)"
    fi
    log "TaskManager pid $(read_pid "${TM_PID_FILE}") registered in $(secs_since "${t0}")s"
}

stop() {
    stop_pidfile "flink taskmanager" 30 "${TM_PID_FILE}" "${DIR}"
    stop_pidfile "flink jobmanager" 30 "${JM_PID_FILE}" "${DIR}"
}

status() {
    load_state "${STATE_FILE}" || true
    if is_running; then
        local overview
        overview="$(curl -fsS --max-time 5 "$(rest_url)/overview" 2>/dev/null |
            grep -oE '"(taskmanagers|slots-total|jobs-running)":[0-9]+' | tr '\n' ' ' || echo 'no answer')"
        echo "flink: running, jobmanager pid $(read_pid "${JM_PID_FILE}"), taskmanager pid $(read_pid "${TM_PID_FILE}"), $(rest_url) (${overview% }), metrics http://127.0.0.1:${METRICS_PORT}/metrics, dir ${DIR}"
    else
        echo "flink: stopped (dir ${DIR})"
        exit "${EXIT_NOT_RUNNING}"
    fi
}

# The Flink command-line client against this cluster (FLINK_CONF_DIR = the generated conf).
flink_cli() {
    FLINK_CONF_DIR="${CONF_DIR}" FLINK_PLUGINS_DIR="${DIR}/plugins" "$(java_bin)" -Xmx256m "${JAVA_MODULE_OPTS[@]}" \
        -Dlog.file="${LOG_DIR}/client.log" \
        -Dlog4j.configurationFile="file:${CONF_DIR}/log4j-cli.properties" \
        -cp "$(flink_classpath)" org.apache.flink.client.cli.CliFrontend "$@"
}

# The job is running once its state and every task are RUNNING (fails fast if it fails).
job_running() {
    local json
    json="$(curl -fsS --max-time 5 "$(rest_url)/jobs/$1")" || return 1
    if grep -qE '"state":"(FAILED|FAILING|CANCELED|CANCELLING)"' <<<"${json}"; then
        log "ERROR: job $1 is $(grep -oE '"state":"[A-Z]+"' <<<"${json}" | head -n 1)"
        JOB_FAILED=true
        return 0
    fi
    grep -q '"state":"RUNNING"' <<<"${json}" &&
        ! grep -qE '"status":"(CREATED|SCHEDULED|DEPLOYING|INITIALIZING|RECONCILING)"' <<<"${json}"
}

# The name a job is recorded under: --name, else the simple name of --class, else `main`.
job_name() {
    local name="${JOB_NAME:-${ENTRY_CLASS##*.}}"
    name="${name:-main}"
    [[ "${name}" =~ ^[A-Za-z0-9._-]+$ ]] || die "${EXIT_USAGE}" "--name: letters, digits, '.', '_' and '-' only, got '${name}'"
    echo "${name}"
}

run_job() {
    local t0 out job_id name what
    t0="$(now_ms)"
    [[ ${#JOB_ARGS[@]} -ge 1 ]] || usage
    name="$(job_name)"
    local jar="${JOB_ARGS[0]}"
    [[ -f "${jar}" ]] || die "no job jar at ${jar}"
    is_running || die "Flink is not running (start it with flink.sh start)"
    local options=("${JOB_CONF[@]}")
    what="${jar}"
    if [[ -n "${ENTRY_CLASS}" ]]; then
        options+=(-c "${ENTRY_CLASS}")
        what="${ENTRY_CLASS} of ${jar}"
    fi
    if [[ -n "${SAVEPOINT}" ]]; then
        [[ -e "${SAVEPOINT#file:}" ]] || die "no savepoint at ${SAVEPOINT}"
        options+=(-s "${SAVEPOINT}")
        log "submitting job '${name}': ${what} ${JOB_ARGS[*]:1}, restoring the state of savepoint ${SAVEPOINT}"
    else
        log "submitting job '${name}': ${what} ${JOB_ARGS[*]:1}"
    fi
    out="${LOG_DIR}/run-${name}.out"
    if ! flink_cli run -d "${options[@]}" "${JOB_ARGS[@]}" >"${out}" 2>&1; then
        cat "${out}" >&2
        die "the submission of ${what} failed (client log: ${LOG_DIR}/client.log)"
    fi
    cat "${out}" >&2
    job_id="$(grep -oE 'JobID [0-9a-f]{32}' "${out}" | cut -d' ' -f2 | tail -n 1)"
    [[ -n "${job_id}" ]] || die "no job id in the output of flink run (client log: ${LOG_DIR}/client.log)"
    # recorded before the wait, so that down.sh and the checks find a job that is slow to start
    mkdir -p "${DIR}/jobs"
    echo "${job_id}" >"${DIR}/jobs/${name}.id"
    printf '%s\n' "${JOB_ARGS[@]}" >"${DIR}/jobs/${name}.args"
    echo "${ENTRY_CLASS}" >"${DIR}/jobs/${name}.class"
    : >"${DIR}/jobs/${name}.conf"
    ((${#JOB_CONF[@]} == 0)) || printf '%s\n' "${JOB_CONF[@]}" >"${DIR}/jobs/${name}.conf"
    log "submitted job '${name}' ${job_id} in $(secs_since "${t0}")s; waiting for all its tasks to run"
    JOB_FAILED=false
    wait_until 180 "$(read_pid "${JM_PID_FILE}")" "all tasks of job ${job_id} running" job_running "${job_id}" ||
        die "job ${job_id} is not running: see $(rest_url)/#/job/running/${job_id} and ${LOG_DIR}/"
    ${JOB_FAILED} && die "job ${job_id} failed: see the exceptions at $(rest_url)/jobs/${job_id}/exceptions"
    log "job '${name}' ${job_id} running in $(secs_since "${t0}")s"
}

# Prints the id of the job recorded under NAME by `run`.
recorded_job_id() {
    [[ ${#JOB_ARGS[@]} -eq 1 ]] || die "${EXIT_USAGE}" "job-id needs one job name"
    local file="${DIR}/jobs/${JOB_ARGS[0]}.id"
    [[ -s "${file}" ]] || die "${EXIT_NOT_RUNNING}" "no job '${JOB_ARGS[0]}' was submitted with flink.sh run (no ${file})"
    tr -dc '0-9a-f' <"${file}"
    echo
}

# Stops a job with a savepoint (no --drain: open windows stay open in the savepoint instead of
# firing early) and prints the savepoint's path on stdout.
stop_job() {
    local t0 out path
    t0="$(now_ms)"
    [[ ${#JOB_ARGS[@]} -eq 1 && "${JOB_ARGS[0]}" =~ ^[0-9a-f]{32}$ ]] || die "${EXIT_USAGE}" "stop-job needs one job id"
    is_running || die "${EXIT_NOT_RUNNING}" "Flink is not running"
    out="${LOG_DIR}/stop.out"
    log "stopping job ${JOB_ARGS[0]} with a savepoint in ${DIR}/savepoints"
    if ! flink_cli stop --savepointPath "file://${DIR}/savepoints" "${JOB_ARGS[0]}" >"${out}" 2>&1; then
        cat "${out}" >&2
        die "could not stop job ${JOB_ARGS[0]} with a savepoint (client log: ${LOG_DIR}/client.log)"
    fi
    path="$(sed -n 's/^Savepoint completed\. Path: //p' "${out}" | tail -n 1)"
    [[ -n "${path}" ]] || { cat "${out}" >&2; die "no savepoint path in the output of flink stop"; }
    log "job ${JOB_ARGS[0]} stopped in $(secs_since "${t0}")s; savepoint ${path}"
    echo "${path}"
}

list_jobs() {
    is_running || die "${EXIT_NOT_RUNNING}" "Flink is not running"
    flink_cli list -a
}

# Job ids not yet in a terminal state, from GET /jobs ({"jobs":[{"id":…,"status":…},…]}).
active_jobs() {
    curl -fsS --max-time 5 "$(rest_url)/jobs" | grep -oE '\{[^{}]*\}' |
        grep -vE '"status":"(FINISHED|CANCELED|FAILED)"' | grep -oE '"id":"[0-9a-f]+"' | cut -d'"' -f4
}

no_active_jobs() { [[ -z "$(active_jobs)" ]]; }

cancel_all() {
    local t0 ids id
    t0="$(now_ms)"
    if ! is_running; then
        log "Flink is not running: no jobs to cancel"
        return 0
    fi
    mapfile -t ids < <(active_jobs || true)
    if [[ ${#ids[@]} -eq 0 ]]; then
        log "no running jobs"
        return 0
    fi
    for id in "${ids[@]}"; do
        curl -fsS --max-time 10 -X PATCH "$(rest_url)/jobs/${id}?mode=cancel" >/dev/null ||
            warn "could not cancel job ${id}"
    done
    wait_until 60 "$(read_pid "${JM_PID_FILE}")" "all jobs cancelled" no_active_jobs ||
        warn "some jobs are still not cancelled"
    log "cancelled ${#ids[@]} job(s) (${ids[*]}) in $(secs_since "${t0}")s"
}

case "${CMD}" in
    start) start ;;
    stop) stop ;;
    start-taskmanager) start_taskmanager ;;
    status) status ;;
    run) run_job ;;
    job-id) recorded_job_id ;;
    list) list_jobs ;;
    cancel-all) cancel_all ;;
    stop-job) stop_job ;;
    -h | --help | help) usage ;;
    *) log "unknown command: ${CMD}"; usage ;;
esac
