#!/usr/bin/env bash
# Checks a savepoint-based upgrade on the running local stack (after up.sh): while the generator
# sends mentions, it upgrades both jobs of the stack one after the other, the indexing job first,
# then the analytics job: it stops the job with a savepoint, starts the (new) job jar's same entry
# class from that savepoint with the same flags, and checks that the state came back: each new job
# reports its savepoint as restored, and the aggregates of every closed window — including those
# open during the upgrade — equal what the generator sent (lost window state would count too few,
# a replay without dedup state too many; lost index-topic offsets of the indexing job would leave
# windows without their document).
#
#   upgrade-check.sh [--jar JOB_JAR] [--duration SECONDS] [--stop-after SECONDS]
#
#   --jar          the jar to upgrade to (default: the jar the running jobs were started from)
#   --duration     how long the generator sends (default 150: both upgrades and a minute after them)
#   --stop-after   seconds into the generator run at which the first job is stopped (default 30)
#
# One job at a time, so that each is down only for its own stop and start: the analytics job
# (alerting) never waits for the indexing job's savepoint.
#
# Only windows that closed are compared, i.e. those ending more than the job's out-of-orderness
# (30 s) before the last event: the generator runs on for a minute after the stop so that the
# windows open during the stop and the restart are among them.
#
# Uses the ports and run directory of up.sh (ECHOLOT_* variables). Exit code 0 only if the
# upgrade kept the state.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
LOG_TAG=upgrade-check
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
    print_usage
    exit "${EXIT_USAGE}"
}

NEW_JAR=""
DURATION_S=150
STOP_AFTER_S=30
while [[ $# -gt 0 ]]; do
    case "$1" in
        --jar) NEW_JAR="${2:?--jar needs a path}"; shift 2 ;;
        --duration) DURATION_S="${2:?--duration needs seconds}"; shift 2 ;;
        --stop-after) STOP_AFTER_S="${2:?--stop-after needs seconds}"; shift 2 ;;
        -h | --help) usage ;;
        *) log "unknown argument: $1"; usage ;;
    esac
done
[[ "${DURATION_S}" =~ ^[0-9]+$ && "${STOP_AFTER_S}" =~ ^[0-9]+$ ]] || die "${EXIT_USAGE}" "--duration and --stop-after take whole seconds"
((STOP_AFTER_S + 60 <= DURATION_S)) || die "${EXIT_USAGE}" "--duration must be at least --stop-after + 60 s, or the windows around the upgrade are still open at the end"

BOOTSTRAP="127.0.0.1:${ECHOLOT_KAFKA_PORT:-9092}"
ES_URL="http://127.0.0.1:${ECHOLOT_ES_PORT:-9200}"
FLINK_URL="http://127.0.0.1:${ECHOLOT_FLINK_PORT:-8081}"
FLINK_DIR="${RUN_DIR}/flink"
CLI_JAR="${REPO_ROOT}/tools/target/echolot-cli.jar"
EXPECTED="${RUN_DIR}/upgrade-expected.json"
GENERATOR_LOG="${RUN_DIR}/upgrade-generator.log"
# a seed of its own: the mention ids differ from the demo's, so deduplication keeps them all
SEED=4711
TOPIC_MENTIONS=echolot.mentions

job_state() {
    curl -fsS --max-time 5 "${FLINK_URL}/jobs/$1" | grep -oE '"state":"[A-Z]+"' | head -n 1 | cut -d'"' -f4
}

# The newest created_at in the mentions index, in epoch seconds (0 when there is none).
newest_mention_s() {
    local json ms
    json="$(curl -fsS --max-time 10 -H 'Content-Type: application/json' \
        "${ES_URL}/echolot-mentions-*/_search?size=0" \
        -d '{"aggs":{"newest":{"max":{"field":"created_at"}}}}' 2>/dev/null || true)"
    ms="$(grep -oE '"newest":\{"value":[0-9.eE+]+' <<<"${json}" | sed 's/.*"value"://' || true)"
    if [[ -z "${ms}" ]]; then
        echo 0
    else
        printf '%.0f\n' "$(awk -v v="${ms}" 'BEGIN { printf "%.0f", v / 1000 }')"
    fi
}

GENERATOR_PID=""
cleanup() {
    if [[ -n "${GENERATOR_PID}" ]] && kill -0 "${GENERATOR_PID}" 2>/dev/null; then
        kill "${GENERATOR_PID}" 2>/dev/null || true
    fi
}
trap cleanup EXIT

T0="$(now_ms)"
require_cmd curl
"${STACK_DIR}/flink.sh" status >/dev/null 2>&1 || die "Flink of the local stack is not running: start it with docker/local/up.sh"
[[ -f "${CLI_JAR}" ]] || die "no ${CLI_JAR}: build with 'mvn -B -DskipTests install'"
NAMES=(indexing analytics)
declare -A OLD_JOB
for name in "${NAMES[@]}"; do
    OLD_JOB[${name}]="$(recorded_job_id "${name}")"
    [[ -s "$(job_record "${name}" args)" ]] ||
        die "no $(job_record "${name}" args): submit the jobs with docker/local/up.sh --no-demo first"
    [[ "$(job_state "${OLD_JOB[${name}]}")" == RUNNING ]] ||
        die "the ${name} job ${OLD_JOB[${name}]} is not running ($(job_state "${OLD_JOB[${name}]}" || echo unknown))"
done
mapfile -t JOB_ARGS <"$(job_record analytics args)"
OLD_JAR="${JOB_ARGS[0]}"
NEW_JAR="${NEW_JAR:-${OLD_JAR}}"
[[ -f "${NEW_JAR}" ]] || die "no job jar at ${NEW_JAR}"
WINDOW="1 min"
for ((i = 1; i < ${#JOB_ARGS[@]} - 1; i++)); do
    [[ "${JOB_ARGS[i]}" == --window-size ]] && WINDOW="${JOB_ARGS[i + 1]}"
done
log "jobs ${OLD_JOB[indexing]} (indexing) and ${OLD_JOB[analytics]} (analytics) run ${OLD_JAR} with ${WINDOW} windows; upgrading to ${NEW_JAR}"

# Windows of this check must not share mentions with earlier runs (the demo): wait until the
# newest mention indexed so far is two windows old.
window_s="$(sed -E 's/^([0-9]+) *(s|sec|secs|second|seconds)$/\1/; s/^([0-9]+) *(min|minute|minutes)$/\1*60/' <<<"${WINDOW}")"
[[ "${window_s}" =~ ^[0-9*]+$ ]] || die "cannot read the window size '${WINDOW}' (seconds or minutes expected)"
window_s=$((window_s))
newest="$(newest_mention_s)"
wait_s=$((newest + 2 * window_s - $(date +%s)))
if ((wait_s > 0)); then
    log "waiting ${wait_s}s so that no window mixes this check's mentions with earlier ones"
    sleep "${wait_s}"
fi

rm -f "${EXPECTED}"
log "generating mentions for ${DURATION_S}s at 100/s (seed ${SEED}); the first job stops ${STOP_AFTER_S}s in"
T_GEN="$(now_ms)"
"$(java_bin)" -jar "${CLI_JAR}" generate \
    --bootstrap-servers "${BOOTSTRAP}" \
    --topic "${TOPIC_MENTIONS}" \
    --rate 100 \
    --duration "${DURATION_S}s" \
    --seed "${SEED}" \
    --window-size "${WINDOW}" \
    --unlabelled \
    --expect "${EXPECTED}" >"${GENERATOR_LOG}" 2>&1 &
GENERATOR_PID=$!

# upgrade NAME : stops the job recorded under NAME with a savepoint and starts the same entry class
# of the new jar from it, with the same arguments; checks that the savepoint was restored.
upgrade() {
    local name="$1" old_job="${OLD_JOB[$1]}" t_stop t_start stop_s start_s savepoint new_job restored entry args class=() conf=()
    mapfile -t args <"$(job_record "${name}" args)"
    entry="$(cat "$(job_record "${name}" class)")"
    [[ -z "${entry}" ]] || class=(--class "${entry}")
    # the job's own Flink options (-D), such as the indexing job's restart strategy
    [[ ! -s "$(job_record "${name}" conf)" ]] || mapfile -t conf <"$(job_record "${name}" conf)"
    kill -0 "${GENERATOR_PID}" 2>/dev/null || { cat "${GENERATOR_LOG}" >&2; die "the generator ended before the ${name} job's upgrade"; }
    t_stop="$(now_ms)"
    savepoint="$("${STACK_DIR}/flink.sh" stop-job "${old_job}")"
    stop_s="$(secs_since "${t_stop}")"
    [[ "$(job_state "${old_job}")" == FINISHED ]] || die "the ${name} job ${old_job} is $(job_state "${old_job}") after stop, not FINISHED"
    t_start="$(now_ms)"
    "${STACK_DIR}/flink.sh" run --name "${name}" "${class[@]}" "${conf[@]}" --from-savepoint "${savepoint}" \
        "${NEW_JAR}" "${args[@]:1}" ||
        die "the new ${name} job did not start from savepoint ${savepoint}"
    start_s="$(secs_since "${t_start}")"
    new_job="$(recorded_job_id "${name}")"
    [[ "${new_job}" != "${old_job}" ]] || die "no new ${name} job id after the restart"
    restored="$(curl -fsS --max-time 5 "${FLINK_URL}/jobs/${new_job}/checkpoints" |
        grep -oE '"restored":\{[^}]*\}' || true)"
    grep -qF "${savepoint#file:}" <<<"${restored}" ||
        die "the ${name} job ${new_job} does not report savepoint ${savepoint} as restored: ${restored:-nothing restored}"
    log "${name} job ${old_job} -> ${new_job}, restored from ${savepoint} (stop ${stop_s}s, start ${start_s}s, job down $(secs_since "${t_stop}")s)"
    UPGRADED+=("${name} ${old_job} -> ${new_job} (down $(secs_since "${t_stop}")s)")
}

UPGRADED=()
sleep "${STOP_AFTER_S}"
for name in "${NAMES[@]}"; do
    upgrade "${name}"
done
# the windows open while the last job was down close only on later events
kill -0 "${GENERATOR_PID}" 2>/dev/null ||
    die "the generator ended before both upgrades were done ($(secs_since "${T_GEN}")s): raise --duration"

wait "${GENERATOR_PID}" || { cat "${GENERATOR_LOG}" >&2; die "the generator failed"; }
GENERATOR_PID=""
log "generator done in $(secs_since "${T_GEN}")s"
T_VERIFY="$(now_ms)"
"$(java_bin)" -jar "${CLI_JAR}" verify-aggregates \
    --es-hosts "${ES_URL}" \
    --expect "${EXPECTED}" \
    --timeout 120s ||
    die "the aggregates after the upgrade do not match ${EXPECTED}: state was lost or counted twice"
log "aggregates across the upgrade verified in $(secs_since "${T_VERIFY}")s"
log "savepoint upgrades kept the state: ${UPGRADED[*]}; total $(secs_since "${T0}")s"
