#!/usr/bin/env bash
# Fault check on the running local stack (after up.sh): plays scripted scenarios with the
# generator (deterministic by seed) while it breaks things, then checks the output against what
# was generated.
#
#   phase "taskmanager": SIGKILL of the TaskManager mid-stream, twice — the second time while a
#     checkpoint is in flight (IN_PROGRESS in /jobs/<id>/checkpoints) — and a new TaskManager
#     started each time (flink.sh start-taskmanager). The job must recover from its last
#     checkpoint by itself (restart strategy), with the same job id.
#   phase "broker": the Kafka broker stopped and started again mid-stream (its data kept), and the
#     webhook receiver down for --webhook-outage seconds.
#
# After each phase, against what the generator sent:
#   - every closed window's aggregate equals the generator's count (verify-aggregates);
#   - no mention missing: every generated mention id is in the mentions index, none is extra
#     (the ids are those of the same generator run written to a file);
#   - each scripted alert exactly once in Elasticsearch, in its final state: every side-effect
#     post one adverse_event alert (open), the negative burst of cardiofit one negative_burst
#     alert (resolved). (No viral spike: spike alerts have a 24 h cooldown per brand, so the
#     demo's strider spike would swallow a second one as its continuation.)
#   - every state (version 1..N) of every alert of the phase reached the webhook receiver with 204
#     (JSON endpoint; Slack and Teams for viral spikes and negative bursts); repeats only with the
#     same Idempotency-Key, and every key matches its alert's id and version.
# Prints the time to recover after each fault (fault -> job RUNNING with all tasks running, and
# -> first checkpoint completed after the fault) and the figures compared.
#
#   crash-check.sh [--webhook-outage SECONDS] [--only taskmanager|broker] [--seed N]
#                  [--tm-duration SECONDS] [--broker-duration SECONDS]
#
#   --webhook-outage   how long the webhook receiver is down in the broker phase (default 60;
#                      0 keeps it up); the broker phase's generator runs at least 100 s longer
#   --only             run one phase only
#   --seed             the generator's seed of the TaskManager phase; the broker phase uses N + 1
#                      (default: from the clock, printed: every run needs ids of its own, as the
#                      job's deduplication drops a mention id it has seen before)
#   --tm-duration      generator run of the TaskManager phase (default 240; a stack that failed often
#                      in the last hour recovers slower: see RELIABILITY.md, "Faults")
#   --broker-duration  generator run of the broker phase (default 160, at least outage + 100)
#
# Uses the ports and run directory of up.sh (ECHOLOT_* variables); needs curl and jq.
# Exit code 0 only if every check of every phase passed.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
LOG_TAG=crash-check
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
    print_usage
    exit "${EXIT_USAGE}"
}

WEBHOOK_OUTAGE_S=60
# ids gen-SEED-N: unlike the demo's (42) and upgrade-check's (4711), new on every run
SEED=$(($(date +%s) % 100000000 + 100000))
ONLY=""
TM_DURATION_S=240
BROKER_DURATION_S=160
while [[ $# -gt 0 ]]; do
    case "$1" in
        --webhook-outage) WEBHOOK_OUTAGE_S="${2:?--webhook-outage needs seconds}"; shift 2 ;;
        --only) ONLY="${2:?--only needs taskmanager or broker}"; shift 2 ;;
        --seed) SEED="${2:?--seed needs a number}"; shift 2 ;;
        --tm-duration) TM_DURATION_S="${2:?--tm-duration needs seconds}"; shift 2 ;;
        --broker-duration) BROKER_DURATION_S="${2:?--broker-duration needs seconds}"; shift 2 ;;
        -h | --help) usage ;;
        *) log "unknown argument: $1"; usage ;;
    esac
done
for v in "${WEBHOOK_OUTAGE_S}" "${TM_DURATION_S}" "${BROKER_DURATION_S}" "${SEED}"; do
    [[ "${v}" =~ ^[0-9]+$ ]] || die "${EXIT_USAGE}" "durations are whole seconds, got '${v}'"
done
[[ -z "${ONLY}" || "${ONLY}" == taskmanager || "${ONLY}" == broker ]] || die "${EXIT_USAGE}" "--only taskmanager|broker"
((TM_DURATION_S >= 180)) || die "${EXIT_USAGE}" "--tm-duration must be at least 180 s (two kills, recoveries and closed windows after them)"
# the webhook outage starts 30 s in; alerts must be sent again after it and the windows close
((BROKER_DURATION_S >= 40 + WEBHOOK_OUTAGE_S + 60)) || BROKER_DURATION_S=$((40 + WEBHOOK_OUTAGE_S + 60))
((BROKER_DURATION_S >= 120)) || BROKER_DURATION_S=120

BOOTSTRAP="127.0.0.1:${ECHOLOT_KAFKA_PORT:-9092}"
ES_URL="http://127.0.0.1:${ECHOLOT_ES_PORT:-9200}"
FLINK_URL="http://127.0.0.1:${ECHOLOT_FLINK_PORT:-8081}"
WEBHOOK_PORT="${ECHOLOT_WEBHOOK_PORT:-8099}"
FLINK_DIR="${RUN_DIR}/flink"
WEBHOOK_DIR="${RUN_DIR}/webhooks"
WEBHOOK_LOG="${WEBHOOK_DIR}/received.jsonl"
CLI_JAR="${REPO_ROOT}/jobs/target/echolot-cli.jar"
WORK="${RUN_DIR}/crash-check"
TOPIC_MENTIONS=echolot.mentions
FAILURES=()
FIGURES=()

fail_check() {
    log "CHECK FAILED: $*"
    FAILURES+=("$*")
}

figure() {
    log "$*"
    FIGURES+=("$*")
}

# --- Flink REST ------------------------------------------------------------------------------
job_json() { curl -fsS --max-time 5 "${FLINK_URL}/jobs/${JOB}"; }
checkpoints_json() { curl -fsS --max-time 5 "${FLINK_URL}/jobs/${JOB}/checkpoints"; }

# The job is RUNNING and so is every task of every vertex.
job_all_running() {
    job_json | jq -e '.state == "RUNNING" and all(.vertices[]; .status == "RUNNING"
        and ((.tasks // {}) | to_entries | all(.key == "RUNNING" or .value == 0)))' >/dev/null
}

# A checkpoint triggered after $1 (epoch ms) has completed.
checkpoint_completed_after() {
    checkpoints_json | jq -e --argjson t "$1" \
        '[.history[] | select(.status == "COMPLETED" and .trigger_timestamp > $t)] | length > 0' >/dev/null
}

num_restarts() {
    curl -fsS --max-time 5 "${FLINK_URL}/jobs/${JOB}/metrics?get=numRestarts" | jq -r '.[0].value // "?"'
}

restarted_since() { [[ "$(num_restarts)" =~ ^[0-9]+$ ]] && (($(num_restarts) > $1)); }

# wait_recovery WHAT T_FAULT_MS RESTARTS_BEFORE MUST_RESTART(true|false) : waits until the job has
# noticed the fault (its restart counter rose; required for a killed TaskManager, whose tasks
# still look RUNNING until the JobManager misses its heartbeats), then for RUNNING with all tasks,
# then for the first checkpoint triggered after the fault to complete; records the times.
wait_recovery() {
    local what="$1" t_fault="$2" before="$3" must_restart="$4" t_detect="-" t_run t_cp restored
    RECOVERY_RUN_S="?"
    RECOVERY_CP_S="?"
    if ${must_restart}; then
        wait_until 120 "" "job ${JOB} restarting after ${what}" restarted_since "${before}" ||
            { fail_check "job ${JOB} did not restart within 120 s of ${what}"; return 1; }
        t_detect="$(secs_since "${t_fault}")"
    fi
    wait_until 180 "" "job ${JOB} RUNNING with all tasks after ${what}" job_all_running ||
        { fail_check "job not RUNNING 180 s after ${what}"; return 1; }
    t_run="$(secs_since "${t_fault}")"
    wait_until 150 "" "a checkpoint completed after ${what}" checkpoint_completed_after "${t_fault}" ||
        { fail_check "no checkpoint completed 150 s after ${what}"; return 1; }
    t_cp="$(secs_since "${t_fault}")"
    # a restart that began while we waited for the checkpoint: wait for RUNNING once more
    job_all_running || wait_until 180 "" "job ${JOB} RUNNING again" job_all_running || true
    restored="$(checkpoints_json | jq -r '.latest.restored | if . == null then "none" else "\(.id) (\(if .is_savepoint then "savepoint" else "checkpoint" end))" end')"
    figure "recovery after ${what}: $(${must_restart} && echo "failure noticed ${t_detect}s, " || true)job RUNNING with all tasks ${t_run}s, first checkpoint completed ${t_cp}s after the fault; restored from ${restored}; restarts ${before} -> $(num_restarts)"
    RECOVERY_RUN_S="${t_run}"
    RECOVERY_CP_S="${t_cp}"
}

# Kills the TaskManager (only ours: the pid in flink/taskmanager.pid with our run dir in its
# command line) with SIGKILL and starts a new one.
kill_taskmanager() {
    local pid
    pid="$(read_pid "${FLINK_DIR}/taskmanager.pid")"
    pid_matches "${pid}" "${FLINK_DIR}" || die "no TaskManager of this stack is running (pid file ${FLINK_DIR}/taskmanager.pid)"
    kill -KILL "${pid}"
    T_KILL="$(now_ms)"
    while kill -0 "${pid}" 2>/dev/null; do sleep 0.05; done
    log "TaskManager pid ${pid} killed with SIGKILL"
    "${STACK_DIR}/flink.sh" start-taskmanager --timeout 90 || die "the new TaskManager did not start"
}

# --- webhook receiver ------------------------------------------------------------------------
receiver_pid() { read_pid "${WEBHOOK_DIR}/receiver.pid"; }

stop_receiver() {
    local pid
    pid="$(receiver_pid)"
    pid_matches "${pid}" receive-webhooks || die "the webhook receiver of this stack is not running"
    kill -TERM "${pid}"
    while kill -0 "${pid}" 2>/dev/null; do sleep 0.1; done
}

# The same command as up.sh: same port, secret and output file (appended to).
start_receiver() {
    nohup "$(java_bin)" -jar "${CLI_JAR}" receive-webhooks --port "${WEBHOOK_PORT}" \
        --secret-file "${WEBHOOK_DIR}/secret" --output "${WEBHOOK_LOG}" \
        >>"${WEBHOOK_DIR}/receiver.log" 2>&1 &
    echo $! >"${WEBHOOK_DIR}/receiver.pid"
    wait_until 30 "$!" "webhook receiver on port ${WEBHOOK_PORT}" tcp_open 127.0.0.1 "${WEBHOOK_PORT}" ||
        die "the webhook receiver did not start again (${WEBHOOK_DIR}/receiver.log)"
}

# --- generator -------------------------------------------------------------------------------
GENERATOR_PID=""
RECEIVER_DOWN=false
cleanup() {
    if [[ -n "${GENERATOR_PID}" ]] && kill -0 "${GENERATOR_PID}" 2>/dev/null; then
        kill "${GENERATOR_PID}" 2>/dev/null || true
    fi
    if ${RECEIVER_DOWN}; then
        start_receiver || true
    fi
}
trap cleanup EXIT

# The newest created_at in the mentions index, in epoch seconds (0 when there is none).
newest_mention_s() {
    curl -fsS --max-time 10 -H 'Content-Type: application/json' "${ES_URL}/echolot-mentions-*/_search?size=0" \
        -d '{"aggs":{"newest":{"max":{"field":"created_at"}}}}' 2>/dev/null |
        jq -r '((.aggregations.newest.value // 0) / 1000) | floor' 2>/dev/null || echo 0
}

# Windows of a phase must not share mentions with earlier runs.
wait_for_quiet_windows() {
    local newest wait_s
    newest="$(newest_mention_s)"
    wait_s=$((newest + 2 * WINDOW_S - $(date +%s)))
    if ((wait_s > 0)); then
        log "waiting ${wait_s}s so that no window mixes this phase's mentions with earlier ones"
        sleep "${wait_s}"
    fi
}

# start_generator PHASE SEED DURATION_S EXTRA_ARGS... : sends to Kafka in the background; the
# same arguments with --out give the same records (same --start) for the id comparison.
start_generator() {
    local phase="$1" seed="$2" duration="$3"
    shift 3
    GEN_START="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    GEN_ARGS=(--rate 100 --duration "${duration}s" --seed "${seed}" --start "${GEN_START}"
        --window-size "${WINDOW_S}s" --unlabelled --decoy-share 0 "$@")
    rm -f "${WORK}/${phase}-expected.json"
    "$(java_bin)" -jar "${CLI_JAR}" generate --bootstrap-servers "${BOOTSTRAP}" --topic "${TOPIC_MENTIONS}" \
        "${GEN_ARGS[@]}" --expect "${WORK}/${phase}-expected.json" >"${WORK}/${phase}-generator.log" 2>&1 &
    GENERATOR_PID=$!
    T_GEN="$(now_ms)"
    log "${phase}: generating for ${duration}s at 100/s (seed ${seed}, live start ${GEN_START}): $*"
}

# Sleeps until S seconds after the generator's start.
at_second() {
    local ms=$((T_GEN + $1 * 1000 - $(now_ms)))
    if ((ms > 0)); then
        sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
    fi
}

gen_elapsed_s() { echo $((($(now_ms) - T_GEN) / 1000)); }

finish_generator() {
    local phase="$1"
    wait "${GENERATOR_PID}" || { cat "${WORK}/${phase}-generator.log" >&2; die "the generator failed"; }
    GENERATOR_PID=""
    log "${phase}: $(grep -m1 '^sent ' "${WORK}/${phase}-generator.log")"
}

# --- checks ----------------------------------------------------------------------------------
check_aggregates() {
    local phase="$1" out
    if out="$("$(java_bin)" -jar "${CLI_JAR}" verify-aggregates --es-hosts "${ES_URL}" \
        --expect "${WORK}/${phase}-expected.json" --timeout 150s)"; then
        figure "${phase}: aggregates: ${out}"
    else
        printf '%s\n' "${out}" >&2
        fail_check "${phase}: aggregates differ from what was generated: $(head -n 1 <<<"${out}")"
    fi
}

# All ids of the mentions index that start with PREFIX, one a line (search_after pages sorted by
# id); the number of documents (duplicates included) goes to the file $2.
es_mention_ids() {
    local prefix="$1" total_file="$2" after="" page
    curl -fsS -X POST "${ES_URL}/echolot-mentions-*/_refresh" >/dev/null
    while true; do
        page="$(curl -fsS --max-time 30 -H 'Content-Type: application/json' "${ES_URL}/echolot-mentions-*/_search" \
            -d "$(jq -n --arg p "${prefix}" --arg a "${after}" '{size: 10000, _source: ["id"],
                track_total_hits: true, query: {prefix: {id: $p}}, sort: [{id: "asc"}]}
                + (if $a == "" then {} else {search_after: ($a | fromjson)} end)')")" || return 1
        [[ -n "${after}" ]] || jq '.hits.total.value' <<<"${page}" >"${total_file}"
        jq -r '.hits.hits[]._source.id' <<<"${page}"
        [[ "$(jq '.hits.hits | length' <<<"${page}")" -eq 10000 ]] || break
        after="$(jq -c '.hits.hits[-1].sort' <<<"${page}")"
    done
}

check_mentions() {
    local phase="$1" seed="$2" file generated indexed missing extra dup
    file="${WORK}/${phase}-sent.jsonl"
    "$(java_bin)" -jar "${CLI_JAR}" generate --out "${file}" "${GEN_ARGS[@]}" >/dev/null ||
        { fail_check "${phase}: could not write the generated records to ${file}"; return; }
    # line by line: the malformed records (not JSON) are skipped
    jq -rR 'fromjson? | objects | .id? // empty' "${file}" | { grep "^gen-${seed}-" || true; } |
        sort -u >"${WORK}/${phase}-generated-ids.txt"
    es_mention_ids "gen-${seed}-" "${WORK}/${phase}-indexed-docs.txt" >"${WORK}/${phase}-indexed-ids-all.txt" ||
        { fail_check "${phase}: could not read the mention ids from ${ES_URL}"; return; }
    sort -u "${WORK}/${phase}-indexed-ids-all.txt" >"${WORK}/${phase}-indexed-ids.txt"
    generated="$(wc -l <"${WORK}/${phase}-generated-ids.txt")"
    indexed="$(wc -l <"${WORK}/${phase}-indexed-ids.txt")"
    dup=$(($(cat "${WORK}/${phase}-indexed-docs.txt") - indexed))
    missing="$(comm -23 "${WORK}/${phase}-generated-ids.txt" "${WORK}/${phase}-indexed-ids.txt" | wc -l)"
    extra="$(comm -13 "${WORK}/${phase}-generated-ids.txt" "${WORK}/${phase}-indexed-ids.txt" | wc -l)"
    if ((generated > 0 && missing == 0 && extra == 0 && dup == 0)); then
        figure "${phase}: mentions: all ${generated} generated ids indexed, each once; none missing, none extra"
    else
        fail_check "${phase}: mentions: ${generated} generated ids, ${indexed} indexed, ${missing} missing (e.g. $(comm -23 "${WORK}/${phase}-generated-ids.txt" "${WORK}/${phase}-indexed-ids.txt" | head -n 3 | tr '\n' ' ')), ${extra} not generated, ${dup} documents more than once"
    fi
}

# The alerts of a phase: adverse_event alerts of its posts, and alerts opened since its start.
phase_alerts() {
    local seed="$1" from="$2"
    curl -fsS -X POST "${ES_URL}/echolot-alerts-*/_refresh" >/dev/null
    curl -fsS --max-time 30 -H 'Content-Type: application/json' "${ES_URL}/echolot-alerts-*/_search" \
        -d "$(jq -n --arg p "adverse_event|gen-${seed}-" --arg from "${from}" '{size: 1000,
            _source: ["id", "version", "type", "state", "brand", "topic", "opened_at"],
            query: {bool: {should: [{prefix: {id: $p}},
                {bool: {must: [{range: {opened_at: {gte: $from}}}],
                    must_not: [{prefix: {id: "adverse_event|"}}]}}]}}}')" |
        jq -c '.hits.hits[] | ._source + {_id: ._id}'
}

# check_alerts PHASE SEED ADVERSE_COUNT BURST(true|false) : waits (up to 120 s) until the scripted
# alerts are in their final state, then compares them and their webhook deliveries.
check_alerts() {
    local phase="$1" seed="$2" adverse="$3" burst="$4" from deadline alerts n_adv n_adv_ids n_burst ok
    # event time: the phase's mentions are at most the generator's jitter (3 s) older than its start
    from="$(date -u -d "${GEN_START} - 5 seconds" +%Y-%m-%dT%H:%M:%SZ)"
    deadline=$(($(date +%s) + 120))
    while true; do
        alerts="$(phase_alerts "${seed}" "${from}")"
        n_adv="$(jq -s '[.[] | select(.type == "adverse_event")] | length' <<<"${alerts}")"
        n_adv_ids="$(jq -s '[.[] | select(.type == "adverse_event") | .id] | unique | length' <<<"${alerts}")"
        n_burst="$(jq -s '[.[] | select(.type == "negative_burst" and .brand == "cardiofit" and .topic == "all")] | length' <<<"${alerts}")"
        ok=true
        [[ "${n_adv}" == "${adverse}" && "${n_adv_ids}" == "${adverse}" ]] || ok=false
        jq -se 'all(.[] | select(.type == "adverse_event"); .state == "open")' <<<"${alerts}" >/dev/null || ok=false
        if ${burst}; then
            [[ "${n_burst}" == 1 ]] &&
                jq -se '[.[] | select(.type == "negative_burst" and .brand == "cardiofit" and .topic == "all")][0].state == "resolved"' \
                    <<<"${alerts}" >/dev/null || ok=false
        fi
        ${ok} && break
        if (($(date +%s) > deadline)); then
            fail_check "${phase}: alerts in Elasticsearch: ${n_adv} adverse_event alerts (${n_adv_ids} ids, expected ${adverse}, all open)$(${burst} && echo ", ${n_burst} cardiofit/all negative_burst alerts (expected 1, resolved)"): $(jq -sc '[.[] | {id, version, type, state}]' <<<"${alerts}" | cut -c1-600)"
            break
        fi
        sleep 3
    done
    printf '%s\n' "${alerts}" >"${WORK}/${phase}-alerts.jsonl"
    ${ok} && figure "${phase}: alerts: ${adverse} adverse_event alerts once each (open)$(${burst} && echo ', the negative burst once (resolved)'); $(jq -s 'length' <<<"${alerts}") alerts of the phase in all: $(jq -sr 'group_by([.type, .state]) | map("\(length) \(.[0].type) \(.[0].state)") | join(", ")' <<<"${alerts}")"
    check_webhooks "${phase}"
}

# Every state of every alert of the phase at the receiver (status 204); repeats only with the
# same key; keys match id and version. Waits up to WEBHOOK_WAIT_S for late retries.
check_webhooks() {
    local phase="$1" deadline result
    deadline=$(($(date +%s) + ${WEBHOOK_WAIT_S:-90}))
    while true; do
        result="$(jq -n --slurpfile alerts "${WORK}/${phase}-alerts.jsonl" --slurpfile lines "${WEBHOOK_LOG}" '
            ($alerts | map(.id)) as $ids
            | [$lines[] | select(.alert_id as $a | $ids | index($a))] as $mine
            | [$alerts[] as $al
                | (["/echolot"] + (if ($al.type == "viral_spike" or $al.type == "negative_burst") then ["/slack", "/teams"] else [] end))[] as $path
                | range(1; $al.version + 1) as $v
                | select([$mine[] | select(.path == $path and .alert_id == $al.id and (.version | tostring) == ($v | tostring) and .status == 204)] | length == 0)
                | "\($path) \($al.id) v\($v)"] as $missing
            | ($mine | group_by([.path, .alert_id, .version])) as $groups
            | {expected: ([$alerts[] | .version * (if (.type == "viral_spike" or .type == "negative_burst") then 3 else 1 end)] | add // 0),
               missing: $missing,
               deliveries: ($mine | map(select(.status == 204)) | length),
               repeats: ([$groups[] | map(select(.status == 204)) | length - 1 | select(. > 0)] | add // 0),
               retried: ($mine | map(select(.status == 204 and ((.attempt // "1") | tonumber? // 1) > 1)) | length),
               max_latency_ms: ($mine | map(select(.status == 204) | .latency_ms // 0) | max // 0),
               keys_differ: [$groups[] | select((map(.idempotency_key) | unique | length) > 1) | "\(.[0].path) \(.[0].alert_id) v\(.[0].version)"],
               key_mismatch: [$mine[] | select(.key_matches == false) | "\(.path) \(.alert_id) v\(.version)"],
               not_ok: [$mine[] | select(.status != 204) | "\(.path) \(.alert_id) v\(.version) \(.status) \(.signature)"]}')"
        if [[ "$(jq '.missing | length' <<<"${result}")" == 0 ]] || (($(date +%s) > deadline)); then
            break
        fi
        sleep 3
    done
    if jq -e '(.missing + .keys_differ + .key_mismatch + .not_ok) | length == 0' <<<"${result}" >/dev/null; then
        figure "${phase}: webhooks: all $(jq .expected <<<"${result}") alert states delivered (json + slack/teams), $(jq .deliveries <<<"${result}") deliveries with 204 ($(jq .retried <<<"${result}") after retries, latency up to $(jq .max_latency_ms <<<"${result}") ms), $(jq .repeats <<<"${result}") repeats, each with its state's Idempotency-Key"
    else
        fail_check "${phase}: webhooks: $(jq -c '{expected, deliveries, repeats, missing: .missing[:5], n_missing: (.missing | length), keys_differ: .keys_differ[:5], key_mismatch: .key_mismatch[:5], not_ok: .not_ok[:5]}' <<<"${result}")"
    fi
}

# --- phases ----------------------------------------------------------------------------------
# TaskManager killed twice: at 25 s (wherever the checkpoints are) and, once the job has
# recovered and completed a checkpoint, while the next checkpoint is in flight.
phase_taskmanager() {
    local phase=taskmanager seed="${SEED}" inflight status latest restarts kill2_at
    wait_for_quiet_windows
    start_generator "${phase}" "${seed}" "${TM_DURATION_S}" \
        --adverse-at 15s,60s,120s --burst-brand cardiofit --burst-at 30s --burst-for 30s --burst-rate 20
    at_second 25
    log "${phase}: kill 1 at ${GEN_START} + $(gen_elapsed_s)s"
    restarts="$(num_restarts)"
    kill_taskmanager
    wait_recovery "TaskManager kill 1" "${T_KILL}" "${restarts}" true || true
    local k1_run="${RECOVERY_RUN_S:-?}" k1_cp="${RECOVERY_CP_S:-?}"

    # kill 2: poll until a checkpoint is IN_PROGRESS, then SIGKILL at once (a checkpoint of this
    # small state takes about a second: poll without pause)
    latest="$(checkpoints_json | jq -r '.latest.completed.id // 0')"
    restarts="$(num_restarts)"
    local deadline=$(($(now_ms) + 90000)) cp_json=""
    until [[ "${cp_json}" == *'"in_progress":'[1-9]* ]]; do
        (($(now_ms) < deadline)) || die "no checkpoint was in flight within 90 s"
        cp_json="$(curl -fsS --max-time 2 "${FLINK_URL}/jobs/${JOB}/checkpoints" 2>/dev/null || true)"
    done
    kill_taskmanager
    inflight="$(jq -r '[.history[] | select(.status == "IN_PROGRESS")][0].id // "?"' <<<"${cp_json}")"
    kill2_at=$(((T_KILL - T_GEN) / 1000))
    log "${phase}: kill 2 at ${GEN_START} + ${kill2_at}s, checkpoint ${inflight} in flight (last completed ${latest})"
    # the windows around kill 2 must close before the generator ends (the job catches up after)
    ((kill2_at + 50 <= TM_DURATION_S)) ||
        fail_check "${phase}: kill 2 came only ${kill2_at}s into a ${TM_DURATION_S}s run (slow recovery from kill 1): the windows after it do not close; raise --tm-duration"
    wait_recovery "TaskManager kill 2 (checkpoint ${inflight} in flight)" "${T_KILL}" "${restarts}" true || true
    status="$(checkpoints_json | jq -r --arg id "${inflight}" '[.history[] | select((.id | tostring) == $id)][0].status // "gone from the history"')"
    figure "${phase}: the checkpoint in flight at kill 2 (${inflight}) ended ${status}; restored from $(checkpoints_json | jq -r '.latest.restored.id // "none"')"
    [[ "${status}" != COMPLETED ]] || warn "checkpoint ${inflight} completed before the kill took effect: kill 2 did not hit a checkpoint in flight"
    FAULT_ROWS+=("TaskManager SIGKILL (between checkpoints)|${k1_run}|${k1_cp}")
    FAULT_ROWS+=("TaskManager SIGKILL (checkpoint ${inflight} in flight)|${RECOVERY_RUN_S:-?}|${RECOVERY_CP_S:-?}")

    finish_generator "${phase}"
    check_aggregates "${phase}"
    check_mentions "${phase}" "${seed}"
    check_alerts "${phase}" "${seed}" 3 true
}

# The broker stopped (SIGTERM, as kafka.sh stop) at 12 s and started again with its data; the
# webhook receiver down for --webhook-outage seconds from then on (side-effect posts at 5 s, 45 s
# and in the middle of the outage: their alerts are sent while the receiver is down).
phase_broker() {
    local phase=broker seed=$((SEED + 1)) t_stop t_start down_s before after
    wait_for_quiet_windows
    local adverse_at="5s,45s,$((35 + WEBHOOK_OUTAGE_S / 2))s" outage_from outage_to
    ((WEBHOOK_OUTAGE_S >= 20)) || adverse_at="5s,45s,70s"
    start_generator "${phase}" "${seed}" "${BROKER_DURATION_S}" --adverse-at "${adverse_at}"
    before="$(num_restarts)"
    at_second 12
    t_stop="$(now_ms)"
    "${STACK_DIR}/kafka.sh" stop
    "${STACK_DIR}/kafka.sh" start || die "the Kafka broker did not start again"
    t_start="$(now_ms)"
    down_s="$(secs_since "${t_stop}")"
    log "${phase}: broker down ${down_s}s (stop and start, data kept)"
    if ((WEBHOOK_OUTAGE_S > 0)); then
        stop_receiver
        RECEIVER_DOWN=true
        outage_from="$(gen_elapsed_s)"
        log "${phase}: webhook receiver down for ${WEBHOOK_OUTAGE_S}s from ${outage_from}s on"
    fi
    wait_recovery "the broker restart" "${t_stop}" "${before}" false || true
    after="$(num_restarts)"
    figure "${phase}: the job restarted $((after - before)) time(s) during the broker restart (broker down ${down_s}s)"
    FAULT_ROWS+=("Kafka broker stop/start (down ${down_s}s)|${RECOVERY_RUN_S:-?}|${RECOVERY_CP_S:-?}")
    if ((WEBHOOK_OUTAGE_S > 0)); then
        at_second $((outage_from + WEBHOOK_OUTAGE_S))
        start_receiver
        RECEIVER_DOWN=false
        outage_to="$(gen_elapsed_s)"
        figure "${phase}: webhook receiver down from ${outage_from}s to ${outage_to}s of the run"
        FAULT_ROWS+=("webhook receiver down ${WEBHOOK_OUTAGE_S}s|-|-")
        ((outage_to + 30 <= BROKER_DURATION_S)) ||
            fail_check "${phase}: the webhook outage ended ${outage_to}s into a ${BROKER_DURATION_S}s run: raise --broker-duration"
    fi
    finish_generator "${phase}"
    check_aggregates "${phase}"
    check_mentions "${phase}" "${seed}"
    check_alerts "${phase}" "${seed}" 3 false
}

# --- main ------------------------------------------------------------------------------------
T0="$(now_ms)"
require_cmd curl jq comm
"${STACK_DIR}/flink.sh" status >/dev/null 2>&1 || die "Flink of the local stack is not running: start it with docker/local/up.sh"
[[ -f "${CLI_JAR}" ]] || die "no ${CLI_JAR}: build first"
[[ -s "${FLINK_DIR}/last-job-id" && -s "${FLINK_DIR}/last-job-args" ]] || die "no job submitted by flink.sh run: run docker/local/up.sh first"
[[ -f "${WEBHOOK_LOG}" ]] || die "no webhook receiver log ${WEBHOOK_LOG}: run docker/local/up.sh first"
JOB="$(tr -dc '0-9a-f' <"${FLINK_DIR}/last-job-id")"
job_all_running || die "job ${JOB} is not running with all tasks"
mapfile -t JOB_ARGS <"${FLINK_DIR}/last-job-args"
WINDOW="1 min"
for ((i = 1; i < ${#JOB_ARGS[@]} - 1; i++)); do
    [[ "${JOB_ARGS[i]}" == --window-size ]] && WINDOW="${JOB_ARGS[i + 1]}"
done
WINDOW_S="$(sed -E 's/^([0-9]+) *(s|sec|secs|second|seconds)$/\1/; s/^([0-9]+) *(min|minute|minutes)$/\1*60/' <<<"${WINDOW}")"
[[ "${WINDOW_S}" =~ ^[0-9*]+$ ]] || die "cannot read the window size '${WINDOW}'"
WINDOW_S=$((WINDOW_S))
mkdir -p "${WORK}"
FAULT_ROWS=()
log "job ${JOB} (${WINDOW_S}s windows); restarts so far $(num_restarts); seeds ${SEED} (taskmanager) and $((SEED + 1)) (broker)"

[[ -z "${ONLY}" || "${ONLY}" == taskmanager ]] && phase_taskmanager
[[ -z "${ONLY}" || "${ONLY}" == broker ]] && phase_broker

printf '\n==== crash-check figures (total %ss) ====\n' "$(secs_since "${T0}")" >&2
printf 'fault | job RUNNING after (s) | first checkpoint after (s)\n' >&2
printf '%s\n' "${FAULT_ROWS[@]}" | sed 's/|/ | /g' >&2
printf '%s\n' "${FIGURES[@]}" >&2
if ((${#FAILURES[@]} > 0)); then
    printf 'FAILED checks:\n' >&2
    printf '  - %s\n' "${FAILURES[@]}" >&2
    die "${#FAILURES[@]} check(s) failed"
fi
log "every check passed in $(secs_since "${T0}")s"
