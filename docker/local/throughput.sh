#!/usr/bin/env bash
# Measures the end-to-end throughput of the two jobs (mention analytics, then indexing into
# Elasticsearch) on the running local stack (start it with `up.sh --no-job`; running demo jobs
# would compete for the same cores):
#   1. creates a fresh topic with a name of its own (echolot.bench.<run>), and index topics of the
#      run's own (prefix echolot.bench.<run>.index: the indexing job reads from the earliest
#      offsets, so shared index topics would index earlier runs' documents again),
#   2. loads a backlog of generated, unlabelled mentions into it (`generate --history`, no
#      seasonality, no malformed, duplicate, late or decoy records: every record is a valid
#      mention with an id of this run, so the number of mention documents to expect is exactly
#      the number of records the generator reports),
#   3. submits both jobs of the job jar as up.sh does (the indexing job first), with the same flags:
#      the topic read from the earliest offsets, a group id of its own, the run's index topics,
#      the given rules and parallelism,
#   4. times from "all tasks of both jobs RUNNING" (the latest RUNNING timestamp of all subtasks,
#      Flink REST) until Elasticsearch counts every mention document of this run (ids
#      gen-<seed>-*, refreshed and counted once a second), and prints mentions/s; also when the
#      analytics job alone had written every mention's index record (its own throughput), the
#      records of each index topic and the customer-care counters,
#   5. cancels the jobs, deletes the topics and this run's mention documents.
#
#   throughput.sh [--mentions N] [--partitions N] [--parallelism P] [--rules FILE] [--span SECONDS]
#                 [--jar JOB_JAR] [--seed S] [--timeout SECONDS] [--keep-documents]
#
#   --mentions     mentions in the backlog (default 400000; brand replies come on top, about 3 %)
#   --partitions   partitions of the bench topic (default 4)
#   --parallelism  the jobs' parallelism (default 1; the local TaskManager has 4 slots, one a job)
#   --rules        brand and topic rules (default: the example rules); care runs with the rules
#   --span         event time the backlog covers, ending now (default 3600: one hour of mentions)
#   --jar          the job jar (default jobs/target/echolot-job.jar, what up.sh submits)
#   --seed         generator seed, which also makes the mention ids of the run (default: new each run)
#   --timeout      give up when the documents are not all indexed after this long (default 900)
#   --keep-documents  leave this run's mention documents in Elasticsearch
#
# The last line on stdout is the result, one line of key=value pairs (mentions_per_s=...).
# Ports: the ECHOLOT_* variables of up.sh. The jobs run with the default settings (1 min windows,
# no webhooks); dead letters, late mentions and alerts go to the usual topics. CPU figures are of
# the whole TaskManager, so of both jobs.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
LOG_TAG=throughput
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
    print_usage
    exit "${EXIT_USAGE}"
}

MENTIONS=400000
PARTITIONS=4
PARALLELISM=1
RULES="${REPO_ROOT}/schemas/src/main/resources/echolot/rules/example-rules.yaml"
SPAN_S=3600
JOB_JAR="${REPO_ROOT}/jobs/target/echolot-job.jar"
CLI_JAR="${REPO_ROOT}/tools/target/echolot-cli.jar"
SEED=""
TIMEOUT_S=900
KEEP_DOCUMENTS=false
while [[ $# -gt 0 ]]; do
    case "$1" in
        --mentions) MENTIONS="${2:?--mentions needs a number}"; shift 2 ;;
        --partitions) PARTITIONS="${2:?--partitions needs a number}"; shift 2 ;;
        --parallelism) PARALLELISM="${2:?--parallelism needs a number}"; shift 2 ;;
        --rules) RULES="${2:?--rules needs a file}"; shift 2 ;;
        --span) SPAN_S="${2:?--span needs seconds}"; shift 2 ;;
        --jar) JOB_JAR="${2:?--jar needs a file}"; shift 2 ;;
        --seed) SEED="${2:?--seed needs a number}"; shift 2 ;;
        --timeout) TIMEOUT_S="${2:?--timeout needs seconds}"; shift 2 ;;
        --keep-documents) KEEP_DOCUMENTS=true; shift ;;
        -h | --help) usage ;;
        *) log "unknown argument: $1"; usage ;;
    esac
done
positive() { [[ "$1" =~ ^[1-9][0-9]*$ ]]; }
positive "${MENTIONS}" || die "${EXIT_USAGE}" "--mentions must be a positive number, got '${MENTIONS}'"
positive "${PARTITIONS}" || die "${EXIT_USAGE}" "--partitions must be a positive number, got '${PARTITIONS}'"
positive "${PARALLELISM}" || die "${EXIT_USAGE}" "--parallelism must be a positive number, got '${PARALLELISM}'"
positive "${SPAN_S}" || die "${EXIT_USAGE}" "--span must be a positive number of seconds, got '${SPAN_S}'"
positive "${TIMEOUT_S}" || die "${EXIT_USAGE}" "--timeout must be a positive number of seconds, got '${TIMEOUT_S}'"
((PARALLELISM <= 2)) || die "${EXIT_USAGE}" "--parallelism ${PARALLELISM}: the local TaskManager has 4 slots for the two jobs"
[[ -z "${SEED}" || "${SEED}" =~ ^[0-9]{1,17}$ ]] || die "${EXIT_USAGE}" "--seed must be a whole number, got '${SEED}'"
[[ -f "${JOB_JAR}" ]] || die "no job jar at ${JOB_JAR}: build it with 'mvn -B -DskipTests package' in ${REPO_ROOT}"
[[ -f "${CLI_JAR}" ]] || die "no CLI jar at ${CLI_JAR}: build it with 'mvn -B -DskipTests package' in ${REPO_ROOT}"
[[ -r "${RULES}" ]] || die "${EXIT_USAGE}" "cannot read the rules file ${RULES}"
RULES="$(cd "$(dirname "${RULES}")" && pwd)/$(basename "${RULES}")"
require_cmd curl

BOOTSTRAP="127.0.0.1:${ECHOLOT_KAFKA_PORT:-9092}"
ES_URL="http://127.0.0.1:${ECHOLOT_ES_PORT:-9200}"
FLINK_URL="http://127.0.0.1:${ECHOLOT_FLINK_PORT:-8081}"
FLINK_DIR="${RUN_DIR}/flink"
# a new seed per run: the mention ids (gen-<seed>-<n>) are this run's own, so deduplication keeps
# them all and the count in Elasticsearch covers this run only
SEED="${SEED:-$(date +%s)$(printf '%03d' $((RANDOM % 1000)))}"
RUN_ID="$(date +%Y%m%d-%H%M%S)-${SEED}"
TOPIC="echolot.bench.${RUN_ID}"
INDEX_PREFIX="${TOPIC}.index"
INDEXING_CLASS=io.echolot.jobs.IndexingJob
GROUP_ID="echolot-bench-${RUN_ID}"
ID_PREFIX="gen-${SEED}-"
BENCH_DIR="${RUN_DIR}/throughput/${RUN_ID}"
COUNT_QUERY="{\"query\":{\"prefix\":{\"id\":\"${ID_PREFIX}\"}}}"

# --- the stack must be up, and nothing else running on the cluster ----------------------------
for s in kafka elasticsearch flink; do
    "${STACK_DIR}/${s}.sh" status >/dev/null 2>&1 ||
        die "${EXIT_NOT_RUNNING}" "${s} of the local stack is not running: start it with docker/local/up.sh --no-job (same ECHOLOT_* ports)"
done
http_ok "${ES_URL}/_cluster/health" || die "${EXIT_NOT_RUNNING}" "Elasticsearch does not answer on ${ES_URL}"
jobs_json="$(curl -fsS --max-time 5 "${FLINK_URL}/jobs")" || die "${EXIT_NOT_RUNNING}" "Flink does not answer on ${FLINK_URL}"
if grep -qE '"status":"(RUNNING|CREATED|INITIALIZING|RESTARTING)"' <<<"${jobs_json}"; then
    die "a job is already running on ${FLINK_URL} and would share the cores: cancel it first" \
        "(docker/local/flink.sh cancel-all), or start the stack with up.sh --no-job"
fi

JOB_ID=""
INDEXING_JOB_ID=""
TOPIC_CREATED=false
EXPECTED=""
cleanup() {
    local code=$? job topic
    for job in "${JOB_ID}" "${INDEXING_JOB_ID}"; do
        [[ -n "${job}" ]] || continue
        curl -fsS --max-time 10 -X PATCH "${FLINK_URL}/jobs/${job}?mode=cancel" >/dev/null 2>&1 ||
            warn "could not cancel job ${job}"
        wait_until 60 "" "job ${job} cancelled" job_terminal "${job}" || warn "job ${job} did not stop"
        log "job ${job} cancelled"
    done
    if ${TOPIC_CREATED}; then
        for topic in "${TOPIC}" "${INDEX_PREFIX}".{mentions,aggregates,alerts,care}; do
            "${STACK_DIR}/kafka.sh" delete-topic "${topic}" || warn "could not delete the topic ${topic}"
        done
    fi
    if ${TOPIC_CREATED} && ! ${KEEP_DOCUMENTS} && [[ -n "${EXPECTED}" ]]; then
        delete_documents || warn "could not delete the mention documents ${ID_PREFIX}* of this run"
    fi
    ((code == 0)) || log "FAILED (exit ${code}); files of this run: ${BENCH_DIR}/"
}
trap cleanup EXIT

# Deletes this run's mention documents, so that every run starts from an index of the same size.
# By id (the generator numbers its records gen-<seed>-0, -1, ...): this Elasticsearch distribution
# has no delete-by-query.
delete_documents() {
    local t0 aggs index from left
    t0="$(now_ms)"
    # the daily indices the run's mentions went to (its hour of event time may cross midnight UTC)
    aggs="$(curl -fsS --max-time 30 -H 'Content-Type: application/json' \
        "${ES_URL}/echolot-mentions-*/_search?size=0&ignore_unavailable=true&allow_no_indices=true" \
        -d "{\"query\":{\"prefix\":{\"id\":\"${ID_PREFIX}\"}},\"aggs\":{\"indices\":{\"terms\":{\"field\":\"_index\"}}}}")" ||
        return 1
    for index in $(grep -oE '"key":"echolot-mentions-[^"]+"' <<<"${aggs}" | cut -d'"' -f4 || true); do
        for ((from = 0; from < EXPECTED; from += 50000)); do
            awk -v index_name="${index}" -v prefix="${ID_PREFIX}" -v from="${from}" -v to="${EXPECTED}" 'BEGIN {
                for (i = from; i < from + 50000 && i < to; i++)
                    printf "{\"delete\":{\"_index\":\"%s\",\"_id\":\"%s%d\"}}\n", index_name, prefix, i }' |
                curl -fsS --max-time 120 -X POST -H 'Content-Type: application/x-ndjson' \
                    "${ES_URL}/_bulk" --data-binary @- >/dev/null || return 1
        done
    done
    left="$(indexed)"
    [[ "${left}" == 0 ]] || warn "${left} mention documents ${ID_PREFIX}* are left in Elasticsearch"
    log "deleted the mention documents ${ID_PREFIX}* of this run in $(secs_since "${t0}")s"
}

# CPU seconds (user + system) used so far by a server of the stack, with its child processes:
# cpu_ticks PID_FILE -> clock ticks (0 if the server is not running).
cpu_ticks() {
    local pid p total=0 t
    pid="$(read_pid "$1")"
    if [[ -z "${pid}" ]] || ! kill -0 "${pid}" 2>/dev/null; then
        echo 0
        return
    fi
    for p in "${pid}" $(descendants "${pid}"); do
        # fields 14 and 15 after the command name, which is in parentheses
        t="$(sed 's/^.*) //' "/proc/${p}/stat" 2>/dev/null | awk '{ print $12 + $13 }' || true)"
        total=$((total + ${t:-0}))
    done
    echo "${total}"
}

# "flink kafka elasticsearch" CPU ticks of the three servers, for a difference over the run.
stack_cpu() {
    echo "$(cpu_ticks "${FLINK_DIR}/taskmanager.pid") $(cpu_ticks "${RUN_DIR}/kafka/kafka.pid")" \
        "$(cpu_ticks "${RUN_DIR}/elasticsearch/elasticsearch.pid")"
}

job_state() {
    curl -fsS --max-time 5 "${FLINK_URL}/jobs/$1" | grep -oE '"state":"[A-Z]+"' | head -n 1 | cut -d'"' -f4
}

job_terminal() { [[ "$(job_state "$1")" =~ ^(CANCELED|FAILED|FINISHED)$ ]]; }

# The vertex ids of a job, one a line.
vertex_ids() {
    curl -fsS --max-time 5 "${FLINK_URL}/jobs/$1" | grep -oE '"id":"[0-9a-f]{32}","slotSharingGroupId"|"id":"[0-9a-f]{32}","name"' |
        cut -d'"' -f4
}

# When all tasks were RUNNING: the latest RUNNING timestamp (ms) over every subtask of every vertex.
all_running_ms() {
    local vid latest=0 ts
    for vid in $(vertex_ids "$1"); do
        for ts in $(curl -fsS --max-time 5 "${FLINK_URL}/jobs/$1/vertices/${vid}/subtasktimes" |
            grep -oE '"RUNNING":[0-9]+' | cut -d: -f2); do
            ((ts > latest)) && latest="${ts}"
        done
    done
    echo "${latest}"
}

# Mention documents of this run that Elasticsearch can find now (refreshes the indices first).
indexed() {
    curl -fsS --max-time 10 -X POST "${ES_URL}/echolot-mentions-*/_refresh" >/dev/null 2>&1 || true
    curl -fsS --max-time 10 -H 'Content-Type: application/json' \
        "${ES_URL}/echolot-mentions-*/_count?ignore_unavailable=true&allow_no_indices=true" -d "${COUNT_QUERY}" |
        grep -oE '"count":[0-9]+' | cut -d: -f2
}

# metric_sum JOB OPERATOR_NAME METRIC : the metric summed over the operator's subtasks (Flink REST;
# 0 if the operator or metric is not there).
metric_sum() {
    local job="$1" operator="$2" metric="$3" vid json name
    for vid in $(vertex_ids "${job}"); do
        json="$(curl -fsS --max-time 5 "${FLINK_URL}/jobs/${job}/vertices/${vid}/subtasks/metrics")" || continue
        name="$({ grep -oE "\"id\":\"[^\"]*${operator}[^\"]*\\.${metric}\"" <<<"${json}" || true; } | head -n 1 | cut -d'"' -f4)"
        [[ -n "${name}" ]] || continue
        curl -fsS --max-time 5 "${FLINK_URL}/jobs/${job}/vertices/${vid}/subtasks/metrics?get=${name}&agg=sum" |
            { grep -oE '"sum":[0-9.E]+' || echo '"sum":0'; } | cut -d: -f2 | awk '{ printf "%d\n", $1 }'
        return
    done
    echo 0
}

mkdir -p "${BENCH_DIR}"
log "run ${RUN_ID}: ${MENTIONS} mentions over ${SPAN_S}s of event time, topic ${TOPIC} (${PARTITIONS} partitions)," \
    "parallelism ${PARALLELISM}, rules ${RULES}"

# --- 1. the topic, 2. the backlog ---------------------------------------------------------------
TOPIC_CREATED=true
"${STACK_DIR}/kafka.sh" create-topic "${TOPIC}" --partitions "${PARTITIONS}"
# the index topics as up.sh creates them: the mentions as many partitions as the input
"${STACK_DIR}/kafka.sh" create-topic "${INDEX_PREFIX}.mentions" --partitions "${PARTITIONS}"
for kind in aggregates alerts care; do
    "${STACK_DIR}/kafka.sh" create-topic "${INDEX_PREFIX}.${kind}" --partitions 1
done
RATE="$(awk -v n="${MENTIONS}" -v s="${SPAN_S}" 'BEGIN { printf "%.6f", n / s }')"
t_gen="$(now_ms)"
"$(java_bin)" -jar "${CLI_JAR}" generate \
    --bootstrap-servers "${BOOTSTRAP}" \
    --topic "${TOPIC}" \
    --rate "${RATE}" \
    --history "${SPAN_S}s" \
    --duration 0s \
    --no-seasonality \
    --seed "${SEED}" \
    --unlabelled \
    --malformed-share 0 \
    --duplicate-share 0 \
    --late-share 0 \
    --decoy-share 0 \
    >"${BENCH_DIR}/generate.out" 2>&1 || {
    show_log_tail 20 "${BENCH_DIR}/generate.out"
    die "the generator failed"
}
summary="$(grep -E '^sent [0-9]+ records' "${BENCH_DIR}/generate.out" | tail -n 1)"
[[ -n "${summary}" ]] || die "no summary line in ${BENCH_DIR}/generate.out"
EXPECTED="$(awk '{ print $2 }' <<<"${summary}")"
# only valid mentions, the brands' replies to them and the customers' follow-ups under those
# replies: every record becomes a mention document
kinds="$(sed -n 's/.*: {\(.*\)}$/\1/p' <<<"${summary}")"
if grep -qvE '^(MENTION|REPLY|FOLLOW_UP)=[0-9]+$' < <(tr ',' '\n' <<<"${kinds}" | tr -d ' '); then
    die "the generator sent records that are not plain mentions (${kinds}); the expected count would be wrong"
fi
log "backlog loaded in $(secs_since "${t_gen}")s: ${EXPECTED} records (${kinds}), every one a mention document to expect"

# --- 3. the jobs ------------------------------------------------------------------------------
# CPU from the submission on: includes deploying the tasks, a second or two, the same for every run
read -r cpu_flink0 cpu_kafka0 cpu_es0 <<<"$(stack_cpu)"
FLAGS=(
    --bootstrap-servers "${BOOTSTRAP}"
    --es-hosts "${ES_URL}"
    --rules "${RULES}"
    --mentions-topic "${TOPIC}"
    --index-topic-prefix "${INDEX_PREFIX}"
    --group-id "${GROUP_ID}"
    --starting-offsets earliest
    --parallelism "${PARALLELISM}"
)
# the indexing job first: it waits for the analytics job's records, never the other way round
"${STACK_DIR}/flink.sh" run --name bench-indexing --class "${INDEXING_CLASS}" "${JOB_JAR}" "${FLAGS[@]}" ||
    die "the submission of the indexing job failed (client log: ${FLINK_DIR}/log/client.log)"
INDEXING_JOB_ID="$(tr -dc '0-9a-f' <"$(job_record bench-indexing id)")"
"${STACK_DIR}/flink.sh" run --name bench-analytics "${JOB_JAR}" "${FLAGS[@]}" ||
    die "the submission of the analytics job failed (client log: ${FLINK_DIR}/log/client.log)"
JOB_ID="$(tr -dc '0-9a-f' <"$(job_record bench-analytics id)")"
T_RUNNING=0
for job in "${INDEXING_JOB_ID}" "${JOB_ID}"; do
    t="$(all_running_ms "${job}")"
    ((t > 0)) || die "no RUNNING timestamps for the tasks of job ${job}"
    ((t > T_RUNNING)) && T_RUNNING="${t}"
done

# --- 4. until every document is indexed -------------------------------------------------------
count=0
polls=0
while true; do
    count="$(indexed || echo 0)"
    t_now="$(now_ms)"
    ((count >= EXPECTED)) && break
    if ((t_now - T_RUNNING > TIMEOUT_S * 1000)); then
        die "only ${count} of ${EXPECTED} mention documents indexed after ${TIMEOUT_S}s" \
            "(mentionsUnmatched: $(metric_sum "${JOB_ID}" brands-topics-language-sentiment mentionsUnmatched))"
    fi
    if ((++polls % 10 == 0)); then
        for job in "${JOB_ID}" "${INDEXING_JOB_ID}"; do
            state="$(job_state "${job}")"
            [[ "${state}" == RUNNING ]] || die "job ${job} is ${state}: see ${FLINK_URL}/jobs/${job}/exceptions"
        done
        log "${count} of ${EXPECTED} indexed, $(((t_now - T_RUNNING) / 1000))s"
    fi
    sleep 1
done
read -r cpu_flink1 cpu_kafka1 cpu_es1 <<<"$(stack_cpu)"
((count == EXPECTED)) || die "${count} documents with ids ${ID_PREFIX}* in Elasticsearch, more than the ${EXPECTED} sent"
ELAPSED_MS=$((t_now - T_RUNNING))
RESULT_RATE="$(awk -v n="${EXPECTED}" -v ms="${ELAPSED_MS}" 'BEGIN { printf "%.0f", n * 1000 / ms }')"
ELAPSED_S="$(awk -v ms="${ELAPSED_MS}" 'BEGIN { printf "%.1f", ms / 1000 }')"
log "all ${EXPECTED} mention documents indexed ${ELAPSED_S}s after all tasks of both jobs were running: ${RESULT_RATE} mentions/s"
# the analytics job's own rate, up to its last mention index record: the newest record timestamp on
# the index topic (the send time), read after the measurement so that it costs the jobs nothing
T_ANALYTICS="$("${STACK_DIR}/kafka.sh" latest-timestamp "${INDEX_PREFIX}.mentions")"
[[ "${T_ANALYTICS}" =~ ^[0-9]+$ ]] && ((T_ANALYTICS > T_RUNNING)) ||
    die "no mention index records written after the jobs were running (latest ${T_ANALYTICS})"
ANALYTICS_S="$(awk -v ms=$((T_ANALYTICS - T_RUNNING)) 'BEGIN { printf "%.1f", ms / 1000 }')"
ANALYTICS_RATE="$(awk -v n="${EXPECTED}" -v ms=$((T_ANALYTICS - T_RUNNING)) 'BEGIN { printf "%.0f", n * 1000 / (ms > 0 ? ms : 1) }')"
log "the analytics job alone: all mention index records written after ${ANALYTICS_S}s, ${ANALYTICS_RATE} mentions/s"
# CPU seconds the servers used from the submission until then: less sensitive to other programs on
# the machine than the time, which is what other programs take away
TICKS="$(getconf CLK_TCK)"
cpu_s() { awk -v t="$1" -v hz="${TICKS}" 'BEGIN { printf "%.1f", t / hz }'; }
CPU_FLINK="$(cpu_s $((cpu_flink1 - cpu_flink0)))"
CPU_KAFKA="$(cpu_s $((cpu_kafka1 - cpu_kafka0)))"
CPU_ES="$(cpu_s $((cpu_es1 - cpu_es0)))"
CPU_PER_1K="$(awk -v t=$((cpu_flink1 - cpu_flink0)) -v hz="${TICKS}" -v n="${EXPECTED}" 'BEGIN { printf "%.3f", t / hz * 1000 / n }')"
log "CPU used meanwhile: TaskManager ${CPU_FLINK}s (${CPU_PER_1K}s per 1000 mentions), Kafka ${CPU_KAFKA}s, Elasticsearch ${CPU_ES}s"

# The care counters, once the care branch has classified every mention (it may trail the index).
care_seen() { (($(metric_sum "${JOB_ID}" care-items-and-replies numRecordsIn) >= EXPECTED)); }
if grep -q care-items-and-replies < <(curl -fsS --max-time 5 "${FLINK_URL}/jobs/${JOB_ID}"); then
    wait_until 60 "" "the care branch to classify all ${EXPECTED} mentions" care_seen ||
        warn "the care counters below are not final"
    CARE_ITEMS="$(metric_sum "${JOB_ID}" care-items-and-replies careItems)"
    CARE_HIGH="$(metric_sum "${JOB_ID}" care-items-and-replies careItemsHighPriority)"
    BRAND_REPLIES="$(metric_sum "${JOB_ID}" care-items-and-replies brandReplies)"
    NOT_TO_BRAND="$(metric_sum "${JOB_ID}" care-brand-conversations careRepliesNotToBrand)"
    UNANSWERED="$(metric_sum "${JOB_ID}" care-unanswered-alerts unansweredOpened)"
    CARE="care_items=${CARE_ITEMS} care_items_high=${CARE_HIGH} brand_replies=${BRAND_REPLIES}"
    CARE+=" care_replies_not_to_brand=${NOT_TO_BRAND} unanswered_opened=${UNANSWERED}"
    log "care: ${CARE_ITEMS} care items (${CARE_HIGH} high priority), ${NOT_TO_BRAND} of them replies in" \
        "conversations without the brand (not items with care.items: addressed), ${BRAND_REPLIES} brand replies," \
        "${UNANSWERED} unanswered alerts opened"
else
    CARE="care=off"
    log "care: the job has no care operators"
fi

# What the analytics job wrote to each index topic, and the indexing job to Elasticsearch
SINKS=""
INDEX_RECORDS=0
for kind in mentions aggregates alerts care; do
    n="$("${STACK_DIR}/kafka.sh" end-offsets "${INDEX_PREFIX//./\\.}\\.${kind}" | awk -F: '{ s += $3 } END { print s + 0 }')"
    SINKS+=" index_${kind}_records=${n}"
    # an alert state older than the stored one is not written (superseded), so not counted
    [[ "${kind}" == alerts ]] || INDEX_RECORDS=$((INDEX_RECORDS + n))
done
# the REST metrics lag up to 10 s: wait until the writer has counted every index record (but alerts)
es_actions_done() { (($(metric_sum "${INDEXING_JOB_ID}" "elasticsearch__Writer" documentsSent) >= INDEX_RECORDS)); }
wait_until 60 "" "the indexing job's count of Elasticsearch actions" es_actions_done ||
    warn "the indexing job counts fewer Elasticsearch actions than index records"
SINKS+=" es_actions=$(metric_sum "${INDEXING_JOB_ID}" "elasticsearch__Writer" documentsSent)"
log "index records and Elasticsearch actions:${SINKS}"

echo "run=${RUN_ID} documents=${EXPECTED} seconds=${ELAPSED_S} mentions_per_s=${RESULT_RATE}" \
    "analytics_seconds=${ANALYTICS_S} analytics_mentions_per_s=${ANALYTICS_RATE}" \
    "cpu_taskmanager_s=${CPU_FLINK} cpu_taskmanager_s_per_1000=${CPU_PER_1K} cpu_kafka_s=${CPU_KAFKA} cpu_es_s=${CPU_ES}" \
    "parallelism=${PARALLELISM} partitions=${PARTITIONS} rules=${RULES} jar=${JOB_JAR} ${CARE}${SINKS}"
