#!/usr/bin/env bash
# Shared helpers for the local-stack scripts (sourced, never run).
# Logging with elapsed time, port checks, waiting with a deadline, pid files and process trees,
# and the server paths/versions from docker/local/target/versions.properties.
# shellcheck shell=bash

# Command substitutions fail like the commands around them (a die inside $(...) stops the script).
shopt -s inherit_errexit

# --- locations ---------------------------------------------------------------------------------
STACK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_ROOT="$(cd "${STACK_DIR}/../.." && pwd)"
RUN_DIR="${ECHOLOT_RUN_DIR:-${STACK_DIR}/run}"
CONF_TEMPLATES="${STACK_DIR}/conf"
VERSIONS_FILE="${STACK_DIR}/target/versions.properties"
export STACK_DIR REPO_ROOT RUN_DIR CONF_TEMPLATES VERSIONS_FILE

# Exit codes shared by all scripts (the Java test servers rely on EXIT_PORT_TAKEN).
# shellcheck disable=SC2034 # used by the scripts that source this file
readonly EXIT_FAILURE=1 EXIT_USAGE=2 EXIT_NOT_RUNNING=3 EXIT_PORT_TAKEN=4

# --- time and logging --------------------------------------------------------------------------
# Milliseconds since the epoch, without forking (EPOCHREALTIME is bash 5).
now_ms() {
    local t="${EPOCHREALTIME//[!0-9]/}"
    echo $((10#${t} / 1000))
}

# The clock of the log lines: shared with child scripts when a parent exported ECHOLOT_T0.
: "${ECHOLOT_T0:=$(now_ms)}"
export ECHOLOT_T0

# Seconds with one decimal since a now_ms value: `secs_since "$t"` -> "12.3".
secs_since() {
    local ms=$(($(now_ms) - $1))
    printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100))
}

LOG_TAG="${LOG_TAG:-$(basename "$0" .sh)}"

log() {
    printf '[%s +%5ss] %-13s %s\n' "$(date +%H:%M:%S)" "$(secs_since "${ECHOLOT_T0}")" "${LOG_TAG}:" "$*" >&2
}

warn() { log "WARNING: $*"; }

die() {
    local code="${EXIT_FAILURE}"
    if [[ "$1" =~ ^[0-9]+$ ]]; then
        code="$1"
        shift
    fi
    log "ERROR: $*"
    exit "${code}"
}

# Prints the last lines of each existing file to stderr, to explain a failure.
show_log_tail() {
    local lines="$1" f
    shift
    for f in "$@"; do
        [[ -s "$f" ]] || continue
        printf -- '----- last %s lines of %s -----\n' "${lines}" "$f" >&2
        tail -n "${lines}" "$f" >&2
        printf -- '----- end of %s -----\n' "$f" >&2
    done
}

# The comment block at the top of the running script (its usage), to stderr.
print_usage() {
    awk 'NR == 1 { next } /^# shellcheck/ || !/^#/ { exit } { sub(/^# ?/, ""); print }' "$0" >&2
}

# --- prerequisites -----------------------------------------------------------------------------
require_cmd() {
    local c
    for c in "$@"; do
        command -v "$c" >/dev/null 2>&1 || die "'$c' is needed but not installed"
    done
}

# The JDK: JAVA_HOME if set, else the `java` on the PATH.
java_home() {
    if [[ -n "${JAVA_HOME:-}" && -x "${JAVA_HOME}/bin/java" ]]; then
        echo "${JAVA_HOME}"
        return
    fi
    local java
    java="$(command -v java)" || die "no Java found: install a JDK 17 or set JAVA_HOME"
    java="$(readlink -f "${java}")"
    dirname "$(dirname "${java}")"
}

java_bin() { echo "$(java_home)/bin/java"; }

# `prop KEY` from versions.properties (written by `mvn install` of docker/local).
prop() {
    [[ -f "${VERSIONS_FILE}" ]] || die "${VERSIONS_FILE} is missing: run 'mvn -B -DskipTests install' in ${REPO_ROOT} first"
    local value
    value="$(sed -n "s/^$1=//p" "${VERSIONS_FILE}" | head -n 1)"
    [[ -n "${value}" ]] || die "no '$1' in ${VERSIONS_FILE}: rebuild with 'mvn -B -DskipTests install'"
    echo "${value}"
}

# --- memory ------------------------------------------------------------------------------------
# Free memory in MB as the kernel estimates it for new programs (MemAvailable), empty if unknown.
available_mb() {
    awk '/^MemAvailable:/ { printf "%d\n", $2 / 1024 }' /proc/meminfo 2>/dev/null || true
}

# require_memory MB WHAT : fails fast when less than MB of memory is available (ECHOLOT_MIN_FREE_MB
# overrides MB, 0 skips the check), rather than letting a server die half-started.
require_memory() {
    local need="${ECHOLOT_MIN_FREE_MB:-$1}" what="$2" have
    [[ "${need}" =~ ^[0-9]+$ ]] || die "${EXIT_USAGE}" "ECHOLOT_MIN_FREE_MB must be a number of MB, got '${need}'"
    ((need > 0)) || return 0
    have="$(available_mb)"
    if [[ -z "${have}" ]]; then
        warn "cannot read MemAvailable from /proc/meminfo; not checking for ${need} MB free memory"
        return 0
    fi
    if ((have < need)); then
        die "only ${have} MB of memory available, ${what} need about ${need} MB: stop other programs" \
            "(or set ECHOLOT_MIN_FREE_MB to start anyway)"
    fi
    log "memory: ${have} MB available, ${need} MB needed for ${what}"
}

# --- ports -------------------------------------------------------------------------------------
port_in_use() {
    local port="$1"
    if command -v ss >/dev/null 2>&1; then
        [[ -n "$(ss -Htln "sport = :${port}" 2>/dev/null)" ]]
    else
        (exec 3<>"/dev/tcp/127.0.0.1/${port}") 2>/dev/null
    fi
}

# Who listens on a port, for the error message (best effort).
port_owner() {
    if command -v ss >/dev/null 2>&1; then
        ss -Htlnp "sport = :$1" 2>/dev/null | sed 's/^/    /' | head -n 3
    fi
}

valid_port() {
    [[ "$1" =~ ^[0-9]+$ ]] && (($1 > 0 && $1 < 65536))
}

# Fails fast (exit 4) when the port is taken; the message says by what.
require_free_port() {
    local port="$1" what="$2"
    valid_port "${port}" || die "${EXIT_USAGE}" "invalid port for ${what}: '${port}'"
    if port_in_use "${port}"; then
        log "ERROR: port ${port} (${what}) is already in use:"
        port_owner "${port}" >&2
        exit "${EXIT_PORT_TAKEN}"
    fi
}

# A free port in 20000-59999 that is not one of the arguments.
pick_free_port() {
    local port avoid attempt
    for attempt in $(seq 1 200); do
        port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
        for avoid in "$@"; do
            [[ "${port}" == "${avoid}" ]] && continue 2
        done
        port_in_use "${port}" || {
            echo "${port}"
            return
        }
    done
    die "no free port found after ${attempt} attempts"
}

# --- waiting -----------------------------------------------------------------------------------
# wait_until TIMEOUT_S PID WHAT CMD... : runs CMD every 0.5 s until it succeeds; fails when the
# deadline passes or when process PID (the server being waited for) has exited.
wait_until() {
    local timeout_s="$1" pid="$2" what="$3"
    shift 3
    local deadline=$(($(now_ms) + timeout_s * 1000))
    while true; do
        if "$@" >/dev/null 2>&1; then
            return 0
        fi
        if [[ -n "${pid}" ]] && ! kill -0 "${pid}" 2>/dev/null; then
            log "ERROR: the process (pid ${pid}) exited while waiting for ${what}"
            return 1
        fi
        if (($(now_ms) > deadline)); then
            log "ERROR: ${what} not reached within ${timeout_s}s"
            return 1
        fi
        sleep 0.5
    done
}

http_ok() { curl -fsS --max-time 5 -o /dev/null "$1"; }

tcp_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# --- pid files and process trees ---------------------------------------------------------------
# read_pid FILE -> the pid in it (empty if none).
read_pid() {
    if [[ -f "$1" ]]; then
        tr -dc '0-9' <"$1"
    fi
}

# pid_matches PID MARKER: the process is alive and its command line contains MARKER
# (the instance directory), so a recycled pid is never mistaken for ours.
pid_matches() {
    local pid="$1" marker="$2"
    [[ -n "${pid}" ]] && kill -0 "${pid}" 2>/dev/null || return 1
    [[ -r "/proc/${pid}/cmdline" ]] || return 0
    tr '\0' ' ' <"/proc/${pid}/cmdline" | grep -qF -- "${marker}"
}

# All descendants of a pid, depth first.
descendants() {
    local child
    for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
        echo "${child}"
        descendants "${child}"
    done
}

any_alive() {
    local p
    for p in "$@"; do
        kill -0 "${p}" 2>/dev/null && return 0
    done
    return 1
}

# kill_tree NAME TIMEOUT_S PID : SIGTERM to the process group led by PID (the scripts start every
# server with setsid) and to every descendant, waits up to TIMEOUT_S, then SIGKILL.
kill_tree() {
    local name="$1" timeout_s="$2" pid="$3"
    local t0 pids
    t0="$(now_ms)"
    read -r -a pids <<<"${pid} $(descendants "${pid}" | tr '\n' ' ')"
    kill -TERM -- "-${pid}" 2>/dev/null || true
    kill -TERM "${pids[@]}" 2>/dev/null || true
    local deadline=$(($(now_ms) + timeout_s * 1000))
    while any_alive "${pids[@]}" && (($(now_ms) < deadline)); do
        sleep 0.2
    done
    if any_alive "${pids[@]}"; then
        warn "${name} did not stop within ${timeout_s}s after SIGTERM; sending SIGKILL"
        kill -KILL -- "-${pid}" 2>/dev/null || true
        kill -KILL "${pids[@]}" 2>/dev/null || true
        while any_alive "${pids[@]}"; do
            sleep 0.1
        done
    fi
    log "${name} stopped (pids ${pids[*]}) in $(secs_since "${t0}")s"
}

# stop_pidfile NAME TIMEOUT_S PIDFILE MARKER : stops the tree of the pid in PIDFILE, if it is ours.
stop_pidfile() {
    local name="$1" timeout_s="$2" file="$3" marker="$4" pid
    pid="$(read_pid "${file}")"
    if pid_matches "${pid}" "${marker}"; then
        kill_tree "${name}" "${timeout_s}" "${pid}"
    elif [[ -n "${pid}" ]]; then
        log "${name} was not running (stale pid file)"
    else
        log "${name} was not running"
    fi
    rm -f "${file}"
}

# --- watchdog ----------------------------------------------------------------------------------
# start_watchdog SCRIPT DIR OWNER_PID : stops the instance in DIR when process OWNER_PID exits,
# so servers started by a test JVM never outlive it (even after a SIGKILL of that JVM).
start_watchdog() {
    local script="$1" dir="$2" owner="$3"
    [[ -z "${owner}" ]] && return 0
    kill -0 "${owner}" 2>/dev/null || die "${EXIT_USAGE}" "--owner-pid ${owner} is not a running process"
    setsid "${script}" _watch --dir "${dir}" --owner-pid "${owner}" >>"${dir}/watchdog.log" 2>&1 </dev/null &
    echo $! >"${dir}/watchdog.pid"
    log "watchdog pid $! stops this server when pid ${owner} exits"
}

# Body of the `_watch` command: blocks until OWNER_PID exits, then runs `SCRIPT stop --dir DIR`.
run_watchdog() {
    local script="$1" dir="$2" owner="$3"
    tail --pid="${owner}" -f /dev/null
    log "owner pid ${owner} has exited; stopping the server in ${dir}"
    exec "${script}" stop --dir "${dir}"
}

# Stops the watchdog of DIR, unless we are it (the watchdog execs `stop` itself).
stop_watchdog() {
    local dir="$1" pid
    pid="$(read_pid "${dir}/watchdog.pid")"
    if [[ -n "${pid}" && "${pid}" != "$$" ]] && pid_matches "${pid}" "${dir}"; then
        kill -TERM -- "-${pid}" 2>/dev/null || kill -TERM "${pid}" 2>/dev/null || true
    fi
    rm -f "${dir}/watchdog.pid"
}

# --- state files -------------------------------------------------------------------------------
# write_state FILE KEY=VALUE... ; load_state FILE sets the variables (values are plain tokens).
write_state() {
    local file="$1"
    shift
    printf '%s\n' "$@" >"${file}"
}

load_state() {
    local line
    [[ -f "$1" ]] || return 1
    while IFS= read -r line || [[ -n "${line}" ]]; do
        [[ "${line}" =~ ^([A-Z_]+)=([^[:space:]]*)$ ]] && printf -v "${BASH_REMATCH[1]}" '%s' "${BASH_REMATCH[2]}"
    done <"$1"
}

abspath() {
    mkdir -p "$1"
    (cd "$1" && pwd)
}

# --- jobs submitted with flink.sh run ----------------------------------------------------------
# The local stack runs two jobs of the same jar, recorded by `flink.sh run --name NAME`:
# `analytics` (io.echolot.jobs.MentionAnalyticsJob, the jar's main class) and `indexing`
# (io.echolot.jobs.IndexingJob). job_record NAME id|args|class -> the path of that record.
job_record() { echo "${RUN_DIR}/flink/jobs/$1.$2"; }

# recorded_job_id NAME -> the id of the job submitted under NAME; fails with what to run when
# there is none.
recorded_job_id() {
    local file
    file="$(job_record "$1" id)"
    [[ -s "${file}" ]] || die "no '$1' job was submitted with flink.sh run (no ${file}): run docker/local/up.sh first"
    tr -dc '0-9a-f' <"${file}"
}
