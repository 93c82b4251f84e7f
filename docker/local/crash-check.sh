#!/usr/bin/env bash
# Fault check on the running local stack (after up.sh): plays one seeded scenario with the
# generator (100 mentions/s, side-effect posts, a negative burst of cardiofit) while it breaks the
# stack around the two jobs, then checks the output against what was generated.
#
# The faults, overlapped (offsets from the generator's start with the defaults):
#   0-50 s        everything up: side-effect posts measure the usual alert latency
#   50-950 s      Elasticsearch DOWN (elasticsearch.sh stop, data kept; start again after
#                 --es-outage): the analytics job must keep alerting within the usual latency
#                 while the indexing job waits and the index topics hold the backlog
#     +15..+45 s    side-effect posts: alert latency with Elasticsearch down and nothing else broken
#     +60 s         TaskManager SIGKILL, a new one started (flink.sh start-taskmanager); both jobs
#                   must recover by themselves (restart strategy), same job ids
#     then          TaskManager SIGKILL again, the moment a checkpoint of the analytics job is in flight
#     then          the Kafka broker stopped (SIGTERM) and started again on its data
#   350-1250 s    the webhook receiver DOWN for --webhook-outage (same port and output file after):
#                 it goes down 300 s into the Elasticsearch outage and comes back after it, so
#                 alerts demonstrably reach the webhooks while Elasticsearch is down, and reach
#                 the alerts topic while both are down
#
# Then, against what the generator sent:
#   - every closed window's aggregate equals the generator's count (verify-aggregates);
#   - no mention missing: every generated mention id is in the mentions index once, none is extra
#     (the ids of the same generator run, written to a file);
#   - each scripted alert exactly once in Elasticsearch, in its final state: every side-effect
#     post one adverse_event alert (open), the burst one negative_burst alert for cardiofit/all
#     (resolved). (No viral spike: spike alerts have a 24 h cooldown per brand, so the demo's
#     strider spike would swallow a second one as its continuation.)
#   - every state (version 1..N) of every alert of the run on the alerts topic exactly once (its
#     sink writes in Kafka transactions; read committed) and at the webhook receiver with 204
#     (JSON endpoint; Slack and
#     Teams for viral spikes and negative bursts), repeats only with the same Idempotency-Key, every
#     key matching its alert's id and version. A state that a newer state of the same alert
#     replaced while the receiver was down need not arrive (the webhook sink sends an endpoint the
#     latest state of a waiting alert, WEBHOOKS.md); the latest state always must;
#   - alert latency, from the side-effect post's send (its record's timestamp on echolot.mentions)
#     to the alert's first state on echolot.alerts, as a read_committed consumer running throughout
#     the check reads it (the sink's transactions commit with the checkpoints, so up to a
#     checkpoint interval; the record's own timestamp, when the job sent it, is printed too), and
#     to its first signed delivery at the receiver: while Elasticsearch is down, for posts while no
#     other fault was being recovered from, at most max(2 x, 2 s +) the slowest usual latency
#     (Elasticsearch up), and on the alerts topic also while the receiver is down.
# Prints the time to recover after each fault (fault -> job RUNNING with all tasks running, and ->
# first checkpoint completed after the fault), the time the indexing job took to catch up once
# Elasticsearch was back, the latencies and the figures compared.
#
#   crash-check.sh [--es-outage SECONDS] [--webhook-outage SECONDS] [--seed N]
#
#   --es-outage      how long Elasticsearch is down (default 900; at least 300, for the kills
#                    and the broker restart to happen in it)
#   --webhook-outage how long the webhook receiver is down (default 900; at least 60)
#   --seed           the generator's seed (default: from the clock, printed: every run needs ids
#                    of its own, as the job's deduplication drops a mention id it has seen)
#
# About 8 + (--es-outage or the webhook outage's end, whichever is later) minutes: 23 minutes
# with the defaults. Uses the ports and run directory of up.sh (ECHOLOT_* variables); needs curl,
# jq and python3. Exit code 0 only if every check passed.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
LOG_TAG=crash-check
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
    print_usage
    exit "${EXIT_USAGE}"
}

ES_OUTAGE_S=900
WEBHOOK_OUTAGE_S=900
# ids gen-SEED-N: unlike the demo's (42) and upgrade-check's (4711), new on every run
SEED=$(($(date +%s) % 100000000 + 100000))
while [[ $# -gt 0 ]]; do
    case "$1" in
        --es-outage) ES_OUTAGE_S="${2:?--es-outage needs seconds}"; shift 2 ;;
        --webhook-outage) WEBHOOK_OUTAGE_S="${2:?--webhook-outage needs seconds}"; shift 2 ;;
        --seed) SEED="${2:?--seed needs a number}"; shift 2 ;;
        -h | --help) usage ;;
        *) log "unknown argument: $1"; usage ;;
    esac
done
for v in "${ES_OUTAGE_S}" "${WEBHOOK_OUTAGE_S}" "${SEED}"; do
    [[ "${v}" =~ ^[0-9]+$ ]] || die "${EXIT_USAGE}" "durations and the seed are whole numbers, got '${v}'"
done
((ES_OUTAGE_S >= 300)) || die "${EXIT_USAGE}" "--es-outage must be at least 300 s: the TaskManager kills and the broker restart happen in it"
((WEBHOOK_OUTAGE_S >= 60)) || die "${EXIT_USAGE}" "--webhook-outage must be at least 60 s"

# --- the schedule (seconds after the generator's start) --------------------------------------
ES_DOWN_AT=50
ES_UP_AT=$((ES_DOWN_AT + ES_OUTAGE_S))
KILL1_AT=$((ES_DOWN_AT + 60))
# the receiver goes down once the faults are done (300 s into the Elasticsearch outage, at least a
# minute before its end) and comes back after Elasticsearch
RECEIVER_DOWN_AT=$((ES_DOWN_AT + (ES_OUTAGE_S - 60 < 300 ? ES_OUTAGE_S - 60 : 300)))
RECEIVER_UP_AT=$((RECEIVER_DOWN_AT + WEBHOOK_OUTAGE_S))
# the generator runs 2 minutes past Elasticsearch's return: the windows it held back close, and
# the indexing job catches up while mentions still arrive
GEN_S=$((ES_UP_AT + 120))
BURST_AT=$((ES_DOWN_AT + 20))
# side-effect posts: 4 usual, 4 with Elasticsearch down (before the kills), 2 after the faults,
# and some while the receiver is down, with Elasticsearch down and after it came back
ADVERSE=(10 20 30 40 $((ES_DOWN_AT + 15)) $((ES_DOWN_AT + 25)) $((ES_DOWN_AT + 35)) $((ES_DOWN_AT + 45))
    $((RECEIVER_DOWN_AT - 45)) $((RECEIVER_DOWN_AT - 25)) $((RECEIVER_DOWN_AT + 40)))
((ES_UP_AT - 60 > RECEIVER_DOWN_AT + 40)) && ADVERSE+=($((ES_UP_AT - 60)))
((ES_UP_AT + 45 < RECEIVER_UP_AT && ES_UP_AT + 45 < GEN_S - 30)) && ADVERSE+=($((ES_UP_AT + 45)))
ADVERSE_AT="$(printf '%ss,' "${ADVERSE[@]}")"
ADVERSE_AT="${ADVERSE_AT%,}"
# a delivery that failed while the receiver was down is retried within max_backoff (1 min)
WEBHOOK_RETRY_S=60

BOOTSTRAP="127.0.0.1:${ECHOLOT_KAFKA_PORT:-9092}"
ES_URL="http://127.0.0.1:${ECHOLOT_ES_PORT:-9200}"
FLINK_URL="http://127.0.0.1:${ECHOLOT_FLINK_PORT:-8081}"
WEBHOOK_PORT="${ECHOLOT_WEBHOOK_PORT:-8099}"
FLINK_DIR="${RUN_DIR}/flink"
WEBHOOK_DIR="${RUN_DIR}/webhooks"
WEBHOOK_LOG="${WEBHOOK_DIR}/received.jsonl"
CLI_JAR="${REPO_ROOT}/tools/target/echolot-cli.jar"
WORK="${RUN_DIR}/crash-check"
TOPIC_MENTIONS=echolot.mentions
TOPIC_ALERTS=echolot.alerts
INDEX_TOPICS='echolot\.index\..*'
FAILURES=()
FIGURES=()
# what explains a failed check (the records behind it), repeated under the failures at the end
DETAILS=()
FAULT_ROWS=()
# fault intervals (epoch ms "from to"), for telling quiet latency samples from recovering ones
FAULT_SPANS=()

fail_check() {
    log "CHECK FAILED: $*"
    FAILURES+=("$*")
}

figure() {
    log "$*"
    FIGURES+=("$*")
}

# --- Flink REST ------------------------------------------------------------------------------
job_json() { curl -fsS --max-time 5 "${FLINK_URL}/jobs/$1"; }
checkpoints_json() { curl -fsS --max-time 5 "${FLINK_URL}/jobs/$1/checkpoints"; }

# The job $1 is RUNNING and so is every task of every vertex.
job_all_running() {
    job_json "$1" | jq -e '.state == "RUNNING" and all(.vertices[]; .status == "RUNNING"
        and ((.tasks // {}) | to_entries | all(.key == "RUNNING" or .value == 0)))' >/dev/null
}

# A checkpoint of job $1 triggered after $2 (epoch ms) has completed.
checkpoint_completed_after() {
    checkpoints_json "$1" | jq -e --argjson t "$2" \
        '[.history[] | select(.status == "COMPLETED" and .trigger_timestamp > $t)] | length > 0' >/dev/null
}

num_restarts() {
    curl -fsS --max-time 5 "${FLINK_URL}/jobs/$1/metrics?get=numRestarts" | jq -r '.[0].value // "?"'
}

# The first failure of job $1 after $2 (epoch ms, JobManager time) in its exception history, in
# epoch ms; fails when there is none. (The numRestarts metric lags by the REST metric fetcher's
# 10 s; the exception history has the time of the failure itself.)
failure_after() {
    curl -fsS --max-time 5 "${FLINK_URL}/jobs/$1/exceptions" |
        jq -e --argjson t "$2" '[.exceptionHistory.entries[] | .timestamp | select(. > $t)] | min // empty'
}

# When every task of job $1 had last switched to RUNNING (epoch ms): the latest RUNNING time over
# every subtask of every vertex.
all_running_ms() {
    local vid latest=0 ts
    for vid in $(job_json "$1" | jq -r '.vertices[].id'); do
        ts="$(curl -fsS --max-time 5 "${FLINK_URL}/jobs/$1/vertices/${vid}/subtasktimes" |
            jq '[.subtasks[].timestamps.RUNNING // 0] | max')"
        ((ts > latest)) && latest="${ts}"
    done
    echo "${latest}"
}

# The completion time (epoch ms) of the first checkpoint of job $1 triggered after $2.
checkpoint_done_after_ms() {
    checkpoints_json "$1" | jq -e --argjson t "$2" \
        '[.history[] | select(.status == "COMPLETED" and .trigger_timestamp > $t) | .latest_ack_timestamp] | min // empty'
}

# metric_sum JOB VERTEX_NAME_PART METRIC... : each metric summed over the subtasks of the job's
# first vertex whose name contains VERTEX_NAME_PART, one a line ("" when unknown).
metric_sum() {
    local job="$1" part="$2" vid
    shift 2
    vid="$(job_json "${job}" | jq -r --arg p "${part}" '[.vertices[] | select(.name | contains($p))][0].id // empty')"
    [[ -n "${vid}" ]] || return 1
    curl -fsS --max-time 5 "${FLINK_URL}/jobs/${job}/vertices/${vid}/subtasks/metrics?get=$(IFS=,; echo "$*")&agg=sum" |
        jq -r --args '. as $m | $ARGS.positional[] as $k | ([$m[] | select(.id == $k) | .sum | floor | tostring][0] // "")' "$@"
}

ms_to_s() { awk -v ms="$1" 'BEGIN { printf "%.1f", ms / 1000 }'; }

# wait_recovery WHAT T_FAULT_MS MUST_RESTART(true|false) : for the analytics job, waits until it
# failed after the fault (required for a killed TaskManager, whose tasks still look RUNNING until
# the JobManager misses its heartbeats), then for RUNNING with all tasks, then for the first
# checkpoint triggered after the fault to complete; records the times, taken from the JobManager's
# own timestamps (the REST answers are cached for a few seconds).
wait_recovery() {
    local what="$1" t_fault="$2" must_restart="$3" t_detect="-" t_run t_cp restored failures
    RECOVERY_RUN_S="?"
    RECOVERY_CP_S="?"
    if ${must_restart}; then
        wait_until 120 "" "the analytics job failing after ${what}" failure_after "${JOB}" "${t_fault}" ||
            { fail_check "the analytics job did not fail within 120 s of ${what}"; return 1; }
        t_detect="$(ms_to_s $(($(failure_after "${JOB}" "${t_fault}") - t_fault)))"
    fi
    wait_until 240 "" "the analytics job RUNNING with all tasks after ${what}" job_all_running "${JOB}" ||
        { fail_check "the analytics job was not RUNNING 240 s after ${what}"; return 1; }
    t_run=$(($(all_running_ms "${JOB}") - t_fault))
    # tasks that kept running through the fault (the broker restart) started before it
    if ((t_run < 0)); then t_run="throughout (no restart)"; else t_run="$(ms_to_s "${t_run}")s"; fi
    wait_until 150 "" "a checkpoint completed after ${what}" checkpoint_completed_after "${JOB}" "${t_fault}" ||
        { fail_check "no checkpoint of the analytics job completed 150 s after ${what}"; return 1; }
    t_cp="$(ms_to_s $(($(checkpoint_done_after_ms "${JOB}" "${t_fault}") - t_fault)))"
    # the fault's effect on latency ends once the job has worked off what queued up meanwhile:
    # taken as 10 s after that first checkpoint
    RECOVERED_MS=$(($(now_ms) + 10000))
    # a restart that began while we waited for the checkpoint: wait for RUNNING once more
    job_all_running "${JOB}" || wait_until 180 "" "the analytics job RUNNING again" job_all_running "${JOB}" || true
    restored="$(checkpoints_json "${JOB}" | jq -r '.latest.restored | if . == null then "none" else "\(.id) (\(if .is_savepoint then "savepoint" else "checkpoint" end))" end')"
    failures="$(curl -fsS --max-time 5 "${FLINK_URL}/jobs/${JOB}/exceptions" |
        jq --argjson t "${t_fault}" '[.exceptionHistory.entries[] | select(.timestamp > $t)] | length')"
    figure "recovery after ${what}: $(${must_restart} && echo "failure noticed ${t_detect}s, " || true)analytics job RUNNING with all tasks ${t_run}, first checkpoint completed ${t_cp}s after the fault; restored from ${restored}; ${failures} failure(s) since the fault (restart attempts without slots count)"
    RECOVERY_RUN_S="${t_run}"
    RECOVERY_CP_S="${t_cp}"
}

# Both jobs RUNNING with all tasks, under the ids they had before the faults (no resubmission).
check_jobs_recovered() {
    local name id
    for name in analytics indexing; do
        id="$(recorded_job_id "${name}")"
        [[ "${id}" == "${JOB}" || "${id}" == "${IJOB}" ]] || fail_check "the ${name} job was resubmitted (${id})"
        job_all_running "${id}" || fail_check "the ${name} job ${id} is not RUNNING with all tasks at the end"
    done
    figure "both jobs RUNNING with all tasks at the end, same ids: analytics ${JOB} ($(num_restarts "${JOB}") restarts), indexing ${IJOB} ($(num_restarts "${IJOB}") restarts)"
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
    "${STACK_DIR}/flink.sh" start-taskmanager --timeout 120 || die "the new TaskManager did not start"
}

# --- Elasticsearch, webhook receiver ---------------------------------------------------------
ES_DOWN=false
es_healthy() { curl -fsS --max-time 5 -o /dev/null "${ES_URL}/_cluster/health?wait_for_status=yellow&timeout=1s"; }

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
    wait_until 60 "$!" "webhook receiver on port ${WEBHOOK_PORT}" tcp_open 127.0.0.1 "${WEBHOOK_PORT}" ||
        die "the webhook receiver did not start again (${WEBHOOK_DIR}/receiver.log)"
}

# --- generator -------------------------------------------------------------------------------
GENERATOR_PID=""
RECEIVER_DOWN=false
RECEIVER_TIMER_PID=""
WATCH_PID=""
stop_watch() {
    if [[ -n "${WATCH_PID}" ]] && kill -0 "${WATCH_PID}" 2>/dev/null; then
        kill_tree "alerts topic consumer" 10 "${WATCH_PID}" 2>/dev/null || true
    fi
    WATCH_PID=""
}

cleanup() {
    stop_watch
    if [[ -n "${GENERATOR_PID}" ]] && kill -0 "${GENERATOR_PID}" 2>/dev/null; then
        kill "${GENERATOR_PID}" 2>/dev/null || true
    fi
    if [[ -n "${RECEIVER_TIMER_PID}" ]] && kill -0 "${RECEIVER_TIMER_PID}" 2>/dev/null; then
        kill "${RECEIVER_TIMER_PID}" 2>/dev/null || true
        wait "${RECEIVER_TIMER_PID}" 2>/dev/null || true
    fi
    # leave the stack whole for whatever runs next
    if ${RECEIVER_DOWN} && ! tcp_open 127.0.0.1 "${WEBHOOK_PORT}"; then
        start_receiver || true
    fi
    if ${ES_DOWN}; then
        "${STACK_DIR}/elasticsearch.sh" start || true
    fi
}
trap cleanup EXIT

# The newest created_at in the mentions index, in epoch seconds (0 when there is none).
newest_mention_s() {
    curl -fsS --max-time 10 -H 'Content-Type: application/json' "${ES_URL}/echolot-mentions-*/_search?size=0" \
        -d '{"aggs":{"newest":{"max":{"field":"created_at"}}}}' 2>/dev/null |
        jq -r '((.aggregations.newest.value // 0) / 1000) | floor' 2>/dev/null || echo 0
}

# The run's windows must not share mentions with earlier runs.
wait_for_quiet_windows() {
    local newest wait_s
    newest="$(newest_mention_s)"
    wait_s=$((newest + 2 * WINDOW_S - $(date +%s)))
    if ((wait_s > 0)); then
        log "waiting ${wait_s}s so that no window mixes this run's mentions with earlier ones"
        sleep "${wait_s}"
    fi
}

# start_generator DURATION_S EXTRA_ARGS... : sends to Kafka in the background; the same arguments
# with --out give the same records (same --start) for the id comparison.
start_generator() {
    local duration="$1"
    shift
    GEN_START="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    GEN_ARGS=(--rate 100 --duration "${duration}s" --seed "${SEED}" --start "${GEN_START}"
        --window-size "${WINDOW_S}s" --unlabelled --decoy-share 0 "$@")
    rm -f "${WORK}/expected.json"
    "$(java_bin)" -jar "${CLI_JAR}" generate --bootstrap-servers "${BOOTSTRAP}" --topic "${TOPIC_MENTIONS}" \
        "${GEN_ARGS[@]}" --expect "${WORK}/expected.json" >"${WORK}/generator.log" 2>&1 &
    GENERATOR_PID=$!
    T_GEN="$(now_ms)"
    log "generating for ${duration}s at 100/s (seed ${SEED}, live start ${GEN_START}): $*"
}

# Sleeps until S seconds after the generator's start; warns when that time has passed already.
at_second() {
    local ms=$((T_GEN + $1 * 1000 - $(now_ms)))
    if ((ms > 0)); then
        sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
    elif ((ms < -5000)); then
        warn "${2:-the next step} is $(((-ms) / 1000))s later than scheduled (${1}s)"
    fi
}

gen_elapsed_s() { echo $((($(now_ms) - T_GEN) / 1000)); }

# Sleeps until the epoch ms $1.
sleep_until_ms() {
    local ms=$(($1 - $(now_ms)))
    ((ms <= 0)) || sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
}

finish_generator() {
    wait "${GENERATOR_PID}" || { cat "${WORK}/generator.log" >&2; die "the generator failed"; }
    GENERATOR_PID=""
    log "$(grep -m1 '^sent ' "${WORK}/generator.log")"
}

# The end offsets of the index topics (topic:partition:offset lines) into the file $1, and their
# sum (the index records the analytics job has written) on stdout.
index_records() {
    "${STACK_DIR}/kafka.sh" end-offsets "${INDEX_TOPICS}" >"$1" 2>/dev/null || true
    awk -F: '{ s += $3 } END { print s + 0 }' "$1"
}

# --- checks ----------------------------------------------------------------------------------
check_aggregates() {
    local out
    if out="$("$(java_bin)" -jar "${CLI_JAR}" verify-aggregates --es-hosts "${ES_URL}" \
        --expect "${WORK}/expected.json" --timeout 300s)"; then
        figure "aggregates: ${out}"
    else
        printf '%s\n' "${out}" >&2
        fail_check "aggregates differ from what was generated: $(head -n 1 <<<"${out}")"
    fi
}

# All ids of the mentions index that start with PREFIX, one a line (search_after pages sorted by
# id); the number of documents (duplicates included) goes to the file $2.
es_mention_ids() {
    local prefix="$1" total_file="$2" after="" page
    curl -fsS -X POST "${ES_URL}/echolot-mentions-*/_refresh" >/dev/null
    while true; do
        page="$(curl -fsS --max-time 60 -H 'Content-Type: application/json' "${ES_URL}/echolot-mentions-*/_search" \
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
    local file generated indexed missing extra dup
    file="${WORK}/sent.jsonl"
    "$(java_bin)" -jar "${CLI_JAR}" generate --out "${file}" "${GEN_ARGS[@]}" >/dev/null ||
        { fail_check "could not write the generated records to ${file}"; return; }
    # line by line: the malformed records (not JSON) are skipped
    jq -rR 'fromjson? | objects | .id? // empty' "${file}" | { grep "^gen-${SEED}-" || true; } |
        sort -u >"${WORK}/generated-ids.txt"
    es_mention_ids "gen-${SEED}-" "${WORK}/indexed-docs.txt" >"${WORK}/indexed-ids-all.txt" ||
        { fail_check "could not read the mention ids from ${ES_URL}"; return; }
    sort -u "${WORK}/indexed-ids-all.txt" >"${WORK}/indexed-ids.txt"
    generated="$(wc -l <"${WORK}/generated-ids.txt")"
    indexed="$(wc -l <"${WORK}/indexed-ids.txt")"
    dup=$(($(cat "${WORK}/indexed-docs.txt") - indexed))
    missing="$(comm -23 "${WORK}/generated-ids.txt" "${WORK}/indexed-ids.txt" | wc -l)"
    extra="$(comm -13 "${WORK}/generated-ids.txt" "${WORK}/indexed-ids.txt" | wc -l)"
    if ((generated > 0 && missing == 0 && extra == 0 && dup == 0)); then
        figure "mentions: all ${generated} generated ids indexed, each once; none missing, none extra"
    else
        fail_check "mentions: ${generated} generated ids, ${indexed} indexed, ${missing} missing (e.g. $(comm -23 "${WORK}/generated-ids.txt" "${WORK}/indexed-ids.txt" | head -n 3 | tr '\n' ' ')), ${extra} not generated, ${dup} documents more than once"
    fi
}

# The alerts of the run: adverse_event alerts of its posts, and alerts opened since its start.
run_alerts() {
    local from="$1"
    curl -fsS -X POST "${ES_URL}/echolot-alerts-*/_refresh" >/dev/null
    curl -fsS --max-time 30 -H 'Content-Type: application/json' "${ES_URL}/echolot-alerts-*/_search" \
        -d "$(jq -n --arg p "adverse_event|gen-${SEED}-" --arg from "${from}" '{size: 1000,
            _source: ["id", "version", "type", "state", "brand", "topic", "opened_at"],
            query: {bool: {should: [{prefix: {id: $p}},
                {bool: {must: [{range: {opened_at: {gte: $from}}}],
                    must_not: [{prefix: {id: "adverse_event|"}}]}}]}}}')" |
        jq -c '.hits.hits[] | ._source + {_id: ._id}'
}

# Waits (up to 300 s) until the scripted alerts are in Elasticsearch in their final state.
check_alerts() {
    local adverse="${#ADVERSE[@]}" from deadline alerts n_adv n_adv_ids n_burst ok
    # event time: the run's mentions are at most the generator's jitter (3 s) older than its start
    from="$(date -u -d "${GEN_START} - 5 seconds" +%Y-%m-%dT%H:%M:%SZ)"
    deadline=$(($(date +%s) + 300))
    while true; do
        alerts="$(run_alerts "${from}")"
        n_adv="$(jq -s '[.[] | select(.type == "adverse_event")] | length' <<<"${alerts}")"
        n_adv_ids="$(jq -s '[.[] | select(.type == "adverse_event") | .id] | unique | length' <<<"${alerts}")"
        n_burst="$(jq -s '[.[] | select(.type == "negative_burst" and .brand == "cardiofit" and .topic == "all")] | length' <<<"${alerts}")"
        ok=true
        [[ "${n_adv}" == "${adverse}" && "${n_adv_ids}" == "${adverse}" ]] || ok=false
        jq -se 'all(.[] | select(.type == "adverse_event"); .state == "open")' <<<"${alerts}" >/dev/null || ok=false
        [[ "${n_burst}" == 1 ]] &&
            jq -se '[.[] | select(.type == "negative_burst" and .brand == "cardiofit" and .topic == "all")][0].state == "resolved"' \
                <<<"${alerts}" >/dev/null || ok=false
        ${ok} && break
        if (($(date +%s) > deadline)); then
            fail_check "alerts in Elasticsearch: ${n_adv} adverse_event alerts (${n_adv_ids} ids, expected ${adverse}, all open), ${n_burst} cardiofit/all negative_burst alerts (expected 1, resolved); the alerts other than adverse events: $(jq -sc '[.[] | select(.type != "adverse_event") | {id, version, state}]' <<<"${alerts}" | cut -c1-800)"
            break
        fi
        sleep 3
    done
    printf '%s\n' "${alerts}" >"${WORK}/alerts.jsonl"
    ${ok} && figure "alerts in Elasticsearch: ${adverse} adverse_event alerts once each (open), the negative burst once (resolved); $(jq -s 'length' <<<"${alerts}") alerts of the run in all: $(jq -sr 'group_by([.type, .state]) | map("\(length) \(.[0].type) \(.[0].state)") | join(", ")' <<<"${alerts}")"
    return 0
}

# The alerts topic and the run's mentions, as "timestamp<TAB>key<TAB>value" lines: the record
# timestamps are the send times (the generator's producer; the job stamps alert events when it
# sends them).
read_topics() {
    "${STACK_DIR}/kafka.sh" consume "${TOPIC_ALERTS}" --max 100000000 >"${WORK}/alerts-topic.txt" 2>/dev/null
    # everything the job wrote, aborted transactions included: to explain a state missing above
    "${STACK_DIR}/kafka.sh" consume "${TOPIC_ALERTS}" --max 100000000 --uncommitted >"${WORK}/alerts-topic-raw.txt" 2>/dev/null
    # only the side-effect posts' records are needed: their ids are in the alerts of the run
    jq -r 'select(.type == "adverse_event") | .id | sub("^adverse_event[|]"; "")' "${WORK}/alerts.jsonl" |
        sort -u >"${WORK}/adverse-ids.txt"
    "${STACK_DIR}/kafka.sh" consume "${TOPIC_MENTIONS}" --max 100000000 2>/dev/null |
        awk -F'\t' 'NR == FNR { want[$1] = 1; next } ($2 in want)' "${WORK}/adverse-ids.txt" - >"${WORK}/adverse-posts.txt"
}

# Every state of every alert of the run on the alerts topic and at the receiver, and the alert
# latencies (python3: ISO times with fractions and set arithmetic are easier there than in jq).
check_deliveries_and_latency() {
    local out rc=0
    out="$(python3 - "${WORK}" "${WEBHOOK_LOG}" "${T_ES_DOWN}" "${T_ES_UP}" "${T_RECEIVER_DOWN}" \
        "${T_RECEIVER_UP}" "${WEBHOOK_RETRY_S}" "${FAULT_SPANS[@]}" <<'PY'
import json, sys
from datetime import datetime

work, webhook_log = sys.argv[1], sys.argv[2]
es_down, es_up, rcv_down, rcv_up, retry_s = (int(x) for x in sys.argv[3:8])
faults = [tuple(int(t) for t in span.split()) for span in sys.argv[8:]]
ok = True

def fail(msg):
    global ok
    ok = False
    print("FAIL " + msg)

def ms(iso):
    return int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000)

alerts = [json.loads(l) for l in open(f"{work}/alerts.jsonl") if l.strip()]
ids = {a["id"] for a in alerts}
chat = {"viral_spike", "negative_burst"}

# the alerts topic: key = alert id, value = the alert state; the first record of each state
emitted = {}
on_topic = {}
for line in open(f"{work}/alerts-topic.txt", encoding="utf-8"):
    parts = line.rstrip("\n").split("\t", 2)
    if len(parts) < 3 or not parts[0].startswith("CreateTime:"):
        continue
    ts, key, value = int(parts[0][11:]), parts[1], parts[2]
    if key not in ids:
        continue
    version = int(json.loads(value)["version"])
    on_topic.setdefault((key, version), []).append(ts)
    emitted[(key, version)] = min(ts, emitted.get((key, version), ts))

# alerts.jsonl was read from Elasticsearch once the scripted alerts were final; an alert of the run
# may have moved on since (a negative burst resolved after the generator stopped): its newer states
# on the topic, read after the webhook wait, count too (a state replaced while the receiver was
# down is then not owed to it, as below)
for a in alerts:
    newest = max((v for (k, v) in on_topic if k == a["id"]), default=0)
    if newest > int(a["version"]):
        a["version"] = newest
missing_topic = [f"{a['id']} v{v}" for a in alerts for v in range(1, int(a["version"]) + 1)
                 if (a["id"], v) not in on_topic]
states = sum(int(a["version"]) for a in alerts)
repeated = [f"{k[0]} v{k[1]} x{len(t)}" for k, t in on_topic.items() if len(t) > 1]
if missing_topic or repeated:
    fail(f"alerts topic (read committed): {len(missing_topic)} of {states} alert states missing {missing_topic[:5]}, "
         f"{len(repeated)} more than once {repeated[:5]}")
    # what each job attempt wrote for these alerts (aborted transactions included), what
    # Elasticsearch holds and what the receiver got, so the log explains the difference
    def brief(value):
        v = json.loads(value)
        return f"v{v.get('version')} {v.get('state')} updated_at={v.get('updated_at')} observed={v.get('observed')}"
    detail_keys = sorted({m.rsplit(' v', 1)[0] for m in missing_topic + [r.rsplit(' v', 1)[0] for r in repeated]})[:5]
    for key in detail_keys:
        a = next(a for a in alerts if a["id"] == key)
        print(f"DETAIL {key}: Elasticsearch v{a['version']} {a['state']}")
        for name, path in (("committed", "alerts-topic.txt"), ("raw, aborted included", "alerts-topic-raw.txt")):
            for line in open(f"{work}/{path}", encoding="utf-8", errors="replace"):
                parts = line.rstrip("\n").split("\t", 2)
                if len(parts) == 3 and parts[1] == key:
                    print(f"DETAIL   alerts topic ({name}) {parts[0]}: {brief(parts[2])}")
else:
    detail_keys = []
    print(f"FIGURE alerts topic (read committed): all {states} states of the {len(alerts)} alerts of the run, each exactly once")

# when each state became readable for a read_committed consumer (the watch running throughout)
visible = {}
for line in open(f"{work}/alerts-watch.txt", encoding="utf-8", errors="replace"):
    parts = line.rstrip("\n").split("\t", 3)
    if len(parts) < 4 or not parts[1].startswith("CreateTime:") or parts[2] not in ids:
        continue
    try:
        version = int(json.loads(parts[3])["version"])
    except (ValueError, KeyError):
        continue
    visible.setdefault((parts[2], version), int(parts[0]))

# the receiver: every state delivered with 204, unless a newer state of the alert was emitted
# while it was waiting for the receiver (down, then its next retry within max_backoff)
lines = [json.loads(l) for l in open(webhook_log, encoding="utf-8") if l.strip()]
mine = [l for l in lines if l.get("alert_id") in ids]
delivered = {}
for l in mine:
    if l.get("status") == 204:
        delivered.setdefault((l["path"], l["alert_id"], str(l["version"])), []).append(l)
missing, coalesced, expected = [], [], 0
for a in alerts:
    n = int(a["version"])
    for path in ["/echolot"] + (["/slack", "/teams"] if a["type"] in chat else []):
        for v in range(1, n + 1):
            expected += 1
            if (path, a["id"], str(v)) in delivered:
                continue
            e_v, e_next = emitted.get((a["id"], v)), emitted.get((a["id"], v + 1))
            if v < n and e_v is not None and e_next is not None \
                    and e_v >= rcv_down - 5000 and e_next <= rcv_up + retry_s * 1000 + 15000:
                coalesced.append(f"{path} {a['id']} v{v}")
            else:
                missing.append(f"{path} {a['id']} v{v}")
for key in detail_keys:
    for l in mine:
        if l.get("alert_id") == key:
            print(f"DETAIL   receiver {l.get('received_at')} {l.get('path')} v{l.get('version')} {l.get('state')} "
                  f"status {l.get('status')} attempt {l.get('attempt')}")
keys_differ = [k for k, ls in delivered.items() if len({l.get("idempotency_key") for l in ls}) > 1]
key_mismatch = [f"{l['path']} {l['alert_id']} v{l['version']}" for l in mine if l.get("key_matches") is False]
not_signed = [f"{l['path']} {l['alert_id']} v{l['version']}" for l in mine if l.get("status") == 204 and l.get("signature") != "ok"]
repeats = sum(len(ls) - 1 for ls in delivered.values())
retried = sum(1 for ls in delivered.values() for l in ls if int(l.get("attempt") or 1) > 1)
if missing or keys_differ or key_mismatch or not_signed:
    fail(f"webhooks: {len(missing)} of {expected} states not delivered {missing[:5]}, keys differ {keys_differ[:5]}, "
         f"keys not matching {key_mismatch[:5]}, unsigned {not_signed[:5]}")
else:
    print(f"FIGURE webhooks: {expected - len(coalesced)} of {expected} alert states delivered with 204 "
          f"(json + slack/teams), {len(coalesced)} replaced by a newer state of their alert while the receiver was down; "
          f"{sum(len(ls) for ls in delivered.values())} deliveries ({retried} after retries), "
          f"{repeats} repeats, each with its state's Idempotency-Key")

# latency of the side-effect posts: send -> alert on the topic, -> first signed delivery
sent = {}
for line in open(f"{work}/adverse-posts.txt", encoding="utf-8"):
    parts = line.rstrip("\n").split("\t", 2)
    if len(parts) >= 2 and parts[0].startswith("CreateTime:"):
        sent[parts[1]] = min(int(parts[0][11:]), sent.get(parts[1], 1 << 62))
first_delivery = {}
for l in mine:
    if l["path"] == "/echolot" and str(l["version"]) == "1" and l.get("status") == 204:
        t = ms(l["received_at"])
        first_delivery[l["alert_id"]] = min(t, first_delivery.get(l["alert_id"], t))

def overlaps_fault(t0, t1):
    return any(t0 <= f1 and f0 <= t1 for f0, f1 in faults)

rows = []
for a in alerts:
    if a["type"] != "adverse_event":
        continue
    mid = a["id"].split("|", 1)[1]
    if mid not in sent or (a["id"], 1) not in emitted or (a["id"], 1) not in visible:
        fail(f"latency: no send time, no alert record or no read time on the alerts topic for {a['id']}")
        continue
    t_sent, t_written, t_topic = sent[mid], emitted[(a["id"], 1)], visible[(a["id"], 1)]
    t_hook = first_delivery.get(a["id"])
    end = max(t_topic, t_hook or t_topic)
    if t_sent < es_down:
        phase = "usual"
    elif t_sent < rcv_down and end < es_up:
        phase = "es-down"
    elif t_sent >= rcv_down and t_topic < rcv_up:
        phase = "receiver-down"
    else:
        phase = "after"
    quiet = not overlaps_fault(t_sent - 1000, end)
    rows.append((phase, quiet, mid, t_topic - t_sent, None if t_hook is None else t_hook - t_sent, t_written - t_sent))

def fmt(v):
    return "-" if v is None else f"{v} ms"

for phase, quiet, mid, topic, hook, written in sorted(rows, key=lambda r: r[2]):
    print(f"LATENCY {phase:13} {'quiet' if quiet else 'during recovery':15} {mid}: alerts topic {fmt(topic)} "
          f"(written by the job after {fmt(written)}), webhook {fmt(hook)}")

usual = [r for r in rows if r[0] == "usual" and r[1]]
if len(usual) < 2:
    fail(f"latency: only {len(usual)} usual samples (Elasticsearch up, no fault)")
else:
    topic_max = max(r[3] for r in usual)
    hook_max = max(r[4] for r in usual if r[4] is not None)
    bound_topic, bound_hook = max(2 * topic_max, topic_max + 2000), max(2 * hook_max, hook_max + 2000)
    print(f"FIGURE alert latency, usual (Elasticsearch up): alerts topic {sorted(r[3] for r in usual)} ms "
          f"(written {sorted(r[5] for r in usual)} ms), webhook {sorted(r[4] for r in usual)} ms")
    es_quiet = [r for r in rows if r[0] == "es-down" and r[1]]
    rcv_quiet = [r for r in rows if r[0] == "receiver-down" and r[1]]
    if len(es_quiet) < 2:
        fail(f"latency: only {len(es_quiet)} samples with Elasticsearch down and no other fault")
    else:
        print(f"FIGURE alert latency, Elasticsearch down: alerts topic {sorted(r[3] for r in es_quiet)} ms "
              f"(written {sorted(r[5] for r in es_quiet)} ms), webhook {sorted(r[4] for r in es_quiet)} ms (bound {bound_topic} / {bound_hook} ms)")
        slow = [r for r in es_quiet if r[3] > bound_topic or r[4] is None or r[4] > bound_hook]
        if slow:
            fail(f"latency with Elasticsearch down above the usual: {[(r[2], r[3], r[4]) for r in slow]} (bounds {bound_topic} / {bound_hook} ms)")
    if rcv_quiet:
        print(f"FIGURE alert latency, webhook receiver down: alerts topic {sorted(r[3] for r in rcv_quiet)} ms "
              f"(written {sorted(r[5] for r in rcv_quiet)} ms) (bound {bound_topic} ms)")
        slow = [r for r in rcv_quiet if r[3] > bound_topic]
        if slow:
            fail(f"alerts topic latency with the receiver down above the usual: {[(r[2], r[3]) for r in slow]} (bound {bound_topic} ms)")
    recovering = [r for r in rows if not r[1]]
    if recovering:
        print(f"FIGURE alert latency while a fault was being recovered from (not compared; post, alerts topic, webhook ms): {[(r[2], r[3], r[4]) for r in recovering]}")
sys.exit(0 if ok else 1)
PY
    )" || rc=$?
    printf '%s\n' "${out}" | sed -n 's/^LATENCY /  /p; s/^DETAIL /  /p' >&2
    # again in the summary at the end, which is what a CI log keeps
    mapfile -t -O "${#DETAILS[@]}" DETAILS < <(sed -n 's/^DETAIL //p' <<<"${out}" | head -n 40)
    while IFS= read -r line; do
        case "${line}" in
            FIGURE\ *) figure "${line#FIGURE }" ;;
            FAIL\ *) fail_check "${line#FAIL }" ;;
        esac
    done <<<"${out}"
    ((rc == 0)) || [[ "${out}" == *FAIL* ]] || fail_check "the delivery and latency check failed (exit ${rc}): ${out:0:400}"
}

# No delivery waits in the analytics job's webhook sink (its webhooksPending gauge is 0, twice in a
# row: the REST metrics lag up to 10 s): what failed while the receiver was down has been retried,
# within max_backoff of its return.
webhooks_idle() {
    [[ "$(metric_sum "${JOB}" "webhooks" webhooks__Writer.webhooksPending)" == 0 ]]
}

wait_webhooks_delivered() {
    local t0
    t0="$(now_ms)"
    until webhooks_idle && sleep 10 && webhooks_idle; do
        if (($(now_ms) - t0 > (WEBHOOK_RETRY_S + 120) * 1000)); then
            warn "the webhook sink still has deliveries pending $(((WEBHOOK_RETRY_S + 120)))s after the receiver came back"
            return
        fi
        sleep 2
    done
    log "no webhook delivery pending any more, $(secs_since "${T_RECEIVER_UP}")s after the receiver came back"
}

# --- the faults ------------------------------------------------------------------------------
es_stop() {
    INDEX_RECORDS_AT_STOP="$(index_records "${WORK}/index-offsets-at-stop.txt")"
    T_ES_DOWN="$(now_ms)"
    ES_DOWN=true
    "${STACK_DIR}/elasticsearch.sh" stop
    log "Elasticsearch stopped at +$(gen_elapsed_s)s ($(secs_since "${T_ES_DOWN}")s to stop); index topics hold ${INDEX_RECORDS_AT_STOP} records"
}

es_start() {
    local t0 backlog
    backlog=$(($(index_records "${WORK}/index-offsets-at-start.txt") - INDEX_RECORDS_AT_STOP))
    t0="$(now_ms)"
    "${STACK_DIR}/elasticsearch.sh" start || die "Elasticsearch did not start again"
    T_ES_UP="$(now_ms)"
    ES_DOWN=false
    figure "Elasticsearch down $(((T_ES_UP - T_ES_DOWN) / 1000))s (stop at +$(((T_ES_DOWN - T_GEN) / 1000))s, healthy again at +$(((T_ES_UP - T_GEN) / 1000))s, its start took $(secs_since "${t0}")s); the analytics job wrote ${backlog} index records meanwhile"
    FAULT_ROWS+=("Elasticsearch down $(((T_ES_UP - T_ES_DOWN) / 1000))s (stop, start on its data)|-|-")
}

# The indexing job caught up with the backlog of the outage: RUNNING with all tasks, it has read
# every index partition that grew during the outage up to where it stood when Elasticsearch came
# back (its source's currentOffset per partition is the last record it read), it has no records
# left to read and holds none for a retry. (The REST metrics lag up to 10 s: "at most".) The
# alerts' index topic is written in transactions: its last offset is a commit marker, never a
# record the source reads, so only the records left to read speak for it (and check_alerts waits
# for the alerts themselves).
indexing_caught_up() {
    local ids=() want=() m i topic part end
    job_all_running "${IJOB}" || return 1
    while IFS=: read -r topic part end; do
        grep -qxF "${topic}:${part}:${end}" "${WORK}/index-offsets-at-stop.txt" && continue
        [[ "${topic}" == *.alerts ]] && continue
        ids+=("Source__kafka-index.KafkaSourceReader.topic.${topic//./_}.partition.${part}.currentOffset")
        want+=("$((end - 1))")
    done <"${WORK}/index-offsets-at-start.txt"
    mapfile -t m < <(metric_sum "${IJOB}" kafka-index Source__kafka-index.pendingRecords \
        elasticsearch__Writer.documentsPendingRetry "${ids[@]}")
    [[ "${m[0]:-x}" == 0 && "${m[1]:-x}" == 0 ]] || return 1
    for ((i = 0; i < ${#ids[@]}; i++)); do
        [[ "${m[i + 2]:-}" =~ ^[0-9]+$ ]] && ((m[i + 2] >= want[i])) || return 1
    done
}

wait_indexing_caught_up() {
    local t_run=""
    while ! job_all_running "${IJOB}"; do
        (($(now_ms) - T_ES_UP < 300000)) || { fail_check "the indexing job was not RUNNING 300 s after Elasticsearch came back"; return; }
        sleep 1
    done
    t_run="$(secs_since "${T_ES_UP}")"
    until indexing_caught_up; do
        (($(now_ms) - T_ES_UP < 600000)) || { fail_check "the indexing job had not caught up 600 s after Elasticsearch came back"; return; }
        sleep 1
    done
    figure "indexing job after Elasticsearch came back: RUNNING with all tasks ${t_run}s, caught up with the outage's backlog (read up to where the index topics stood when it came back, nothing left to read or to retry) at most $(secs_since "${T_ES_UP}")s after it was back; restarts so far $(num_restarts "${IJOB}")"
}

# TaskManager killed twice: at KILL1_AT (wherever the checkpoints are) and, once the job has
# recovered and completed a checkpoint, while the analytics job's next checkpoint is in flight;
# then the broker stopped (SIGTERM, as kafka.sh stop) and started again with its data.
faults() {
    local inflight status k1_run k1_cp t_stop down_s interval next failures

    at_second "${KILL1_AT}" "the first TaskManager kill"
    log "kill 1 at +$(gen_elapsed_s)s"
    kill_taskmanager
    RECOVERED_MS="$(now_ms)"
    wait_recovery "TaskManager kill 1" "${T_KILL}" true || true
    FAULT_SPANS+=("${T_KILL} ${RECOVERED_MS}")
    k1_run="${RECOVERY_RUN_S:-?}" k1_cp="${RECOVERY_CP_S:-?}"

    # kill 2 the moment the analytics job's next checkpoint is triggered: checkpoints come at a
    # fixed interval, and one takes a few hundred ms here, shorter than the REST answers are
    # cached (so polling for IN_PROGRESS misses most of them)
    interval="$(curl -fsS --max-time 5 "${FLINK_URL}/jobs/${JOB}/checkpoints/config" | jq -r '.interval')"
    next="$(checkpoints_json "${JOB}" | jq -r '[.history[].trigger_timestamp] | max')"
    [[ "${interval}" =~ ^[0-9]+$ && "${next}" =~ ^[0-9]+$ ]] || die "cannot read the analytics job's checkpoint interval and last trigger time"
    while ((next < $(now_ms) + 3000)); do next=$((next + interval)); done
    sleep_until_ms $((next + 30))
    kill_taskmanager
    RECOVERED_MS="$(now_ms)"
    log "kill 2 at +$(((T_KILL - T_GEN) / 1000))s, $((T_KILL - next)) ms after the checkpoint trigger time"
    wait_recovery "TaskManager kill 2 (checkpoint in flight)" "${T_KILL}" true || true
    FAULT_SPANS+=("${T_KILL} ${RECOVERED_MS}")
    # the checkpoint triggered at the kill
    read -r inflight status < <(checkpoints_json "${JOB}" | jq -r --argjson n "${next}" \
        '[.history[] | select(.trigger_timestamp >= $n - 500 and .trigger_timestamp <= $n + 2000)][0] // {} | "\(.id // "none") \(.status // "-")"')
    if [[ "${status}" == FAILED ]]; then
        figure "the checkpoint in flight at kill 2 (${inflight}) ended FAILED; restored from $(checkpoints_json "${JOB}" | jq -r '.latest.restored.id // "none"')"
    else
        fail_check "kill 2 did not hit a checkpoint in flight: the checkpoint triggered at the kill is ${inflight} (${status})"
    fi
    FAULT_ROWS+=("TaskManager SIGKILL (between checkpoints)|${k1_run}|${k1_cp}")
    FAULT_ROWS+=("TaskManager SIGKILL (checkpoint ${inflight} in flight)|${RECOVERY_RUN_S:-?}|${RECOVERY_CP_S:-?}")

    sleep 10
    log "broker restart at +$(gen_elapsed_s)s"
    t_stop="$(now_ms)"
    "${STACK_DIR}/kafka.sh" stop
    "${STACK_DIR}/kafka.sh" start || die "the Kafka broker did not start again"
    down_s="$(secs_since "${t_stop}")"
    log "broker down ${down_s}s (stop and start, data kept)"
    RECOVERED_MS="$(now_ms)"
    wait_recovery "the broker restart" "${t_stop}" false || true
    FAULT_SPANS+=("${t_stop} ${RECOVERED_MS}")
    failures="$(curl -fsS --max-time 5 "${FLINK_URL}/jobs/${JOB}/exceptions" |
        jq --argjson t "${t_stop}" '[.exceptionHistory.entries[] | select(.timestamp > $t)] | length')"
    figure "the analytics job failed ${failures} time(s) during the broker restart (broker down ${down_s}s)"
    FAULT_ROWS+=("Kafka broker stop/start (down ${down_s}s)|${RECOVERY_RUN_S:-?}|${RECOVERY_CP_S:-?}")
}

# --- main ------------------------------------------------------------------------------------
T0="$(now_ms)"
require_cmd curl jq comm python3
"${STACK_DIR}/flink.sh" status >/dev/null 2>&1 || die "Flink of the local stack is not running: start it with docker/local/up.sh"
[[ -f "${CLI_JAR}" ]] || die "no ${CLI_JAR}: build first"
[[ -f "${WEBHOOK_LOG}" ]] || die "no webhook receiver log ${WEBHOOK_LOG}: run docker/local/up.sh first"
es_healthy || die "Elasticsearch does not answer on ${ES_URL}: run docker/local/up.sh first"
JOB="$(recorded_job_id analytics)"
IJOB="$(recorded_job_id indexing)"
job_all_running "${JOB}" || die "the analytics job ${JOB} is not running with all tasks"
job_all_running "${IJOB}" || die "the indexing job ${IJOB} is not running with all tasks"
mapfile -t JOB_ARGS <"$(job_record analytics args)"
WINDOW="1 min"
for ((i = 1; i < ${#JOB_ARGS[@]} - 1; i++)); do
    [[ "${JOB_ARGS[i]}" == --window-size ]] && WINDOW="${JOB_ARGS[i + 1]}"
done
WINDOW_S="$(sed -E 's/^([0-9]+) *(s|sec|secs|second|seconds)$/\1/; s/^([0-9]+) *(min|minute|minutes)$/\1*60/' <<<"${WINDOW}")"
[[ "${WINDOW_S}" =~ ^[0-9*]+$ ]] || die "cannot read the window size '${WINDOW}'"
WINDOW_S=$((WINDOW_S))
rm -rf "${WORK}"
mkdir -p "${WORK}"
log "analytics job ${JOB}, indexing job ${IJOB} (${WINDOW_S}s windows); restarts so far $(num_restarts "${JOB}") and $(num_restarts "${IJOB}"); seed ${SEED}"
log "schedule (s after the generator's start): Elasticsearch down ${ES_DOWN_AT}-${ES_UP_AT}, TaskManager kills from ${KILL1_AT}, then the broker restart," \
    "webhook receiver down ${RECEIVER_DOWN_AT}-${RECEIVER_UP_AT}, generator until ${GEN_S}; side-effect posts at ${ADVERSE_AT}"

# when each alert state becomes readable for the alerts topic's consumers, from now on
"${STACK_DIR}/kafka.sh" watch "${TOPIC_ALERTS}" >"${WORK}/alerts-watch.txt" &
WATCH_PID=$!
wait_for_quiet_windows
start_generator "${GEN_S}" --adverse-at "${ADVERSE_AT}" \
    --burst-brand cardiofit --burst-at "${BURST_AT}s" --burst-for 30s --burst-rate 20

at_second "${ES_DOWN_AT}" "stopping Elasticsearch"
es_stop
faults

at_second "${RECEIVER_DOWN_AT}" "stopping the webhook receiver"
stop_receiver
RECEIVER_DOWN=true
T_RECEIVER_DOWN="$(now_ms)"
log "webhook receiver down at +$(gen_elapsed_s)s for ${WEBHOOK_OUTAGE_S}s"
# its return is due while the checks below run
(
    at_second "${RECEIVER_UP_AT}"
    start_receiver
    now_ms >"${WORK}/receiver-up.ms"
    log "webhook receiver up again at +$(gen_elapsed_s)s"
) &
RECEIVER_TIMER_PID=$!

at_second "${ES_UP_AT}" "starting Elasticsearch"
es_start
wait_indexing_caught_up
finish_generator
check_aggregates
check_mentions
check_alerts

wait "${RECEIVER_TIMER_PID}" || die "the webhook receiver did not come back"
RECEIVER_TIMER_PID=""
RECEIVER_DOWN=false
T_RECEIVER_UP="$(cat "${WORK}/receiver-up.ms")"
FAULT_ROWS+=("webhook receiver down $(((T_RECEIVER_UP - T_RECEIVER_DOWN) / 1000))s, from +$(((T_RECEIVER_DOWN - T_GEN) / 1000))s (Elasticsearch down until +$(((T_ES_UP - T_GEN) / 1000))s)|-|-")
wait_webhooks_delivered
read_topics
stop_watch
check_deliveries_and_latency
check_jobs_recovered

printf '\n==== crash-check figures (total %ss) ====\n' "$(secs_since "${T0}")" >&2
printf 'fault | analytics job RUNNING after (s) | first checkpoint after (s)\n' >&2
printf '%s\n' "${FAULT_ROWS[@]}" | sed 's/|/ | /g' >&2
printf '%s\n' "${FIGURES[@]}" >&2
if ((${#FAILURES[@]} > 0)); then
    printf 'FAILED checks:\n' >&2
    printf '  - %s\n' "${FAILURES[@]}" >&2
    ((${#DETAILS[@]} == 0)) || printf '  %s\n' "${DETAILS[@]}" >&2
    die "${#FAILURES[@]} check(s) failed"
fi
log "every check passed in $(secs_since "${T0}")s"
