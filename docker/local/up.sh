#!/usr/bin/env bash
# Starts the whole local stack without Docker and runs the demo:
#   1. builds the project if the server artifacts or the jars are missing,
#   2. starts Kafka, Elasticsearch and a Flink session cluster (Elasticsearch in parallel),
#   3. creates the topics and submits the two jobs of the job jar: the mention-analytics job
#      (detection, alerts topic, webhooks; its Elasticsearch documents go to the index topics)
#      and the indexing job (index topics -> Elasticsearch), with the same flags,
#   4. plays the demo scenario (8 minutes of history, then 250 s live with a side-effect post, a
#      viral spike and a negative burst), verifies the aggregates and checks the alerts,
#   5. checks that the alerts reached a local webhook receiver, signed (latency p50/p99, also after
#      the watermark passed the alerts' windows).
#
#   up.sh [--no-demo] [--no-job] [--skip-build]
#
#   --no-demo     stop after submitting the jobs (no generator, no verification)
#   --no-job      start the servers and create the topics only
#   --skip-build  never run Maven (fail if something is missing)
#
# Ports (environment): ECHOLOT_KAFKA_PORT (9092), ECHOLOT_KAFKA_CONTROLLER_PORT (9093),
# ECHOLOT_ES_PORT (9200), ECHOLOT_ES_TRANSPORT_PORT (9300), ECHOLOT_FLINK_PORT (8081),
# ECHOLOT_FLINK_RPC_PORT (6123), ECHOLOT_FLINK_METRICS_PORT (9249, Prometheus format; the JobManager's
# is the next port), ECHOLOT_WEBHOOK_PORT (8099). Memory: about 4 GB must be available
# (ECHOLOT_MIN_FREE_MB overrides, 0 skips). State and logs: docker/local/run/. Stop with down.sh.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
LOG_TAG=up
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
    print_usage
    exit "${EXIT_USAGE}"
}

DEMO=true
JOB=true
BUILD=true
while [[ $# -gt 0 ]]; do
    case "$1" in
        --no-demo) DEMO=false; shift ;;
        --no-job) JOB=false; DEMO=false; shift ;;
        --skip-build) BUILD=false; shift ;;
        -h | --help) usage ;;
        *) log "unknown argument: $1"; usage ;;
    esac
done

export ECHOLOT_KAFKA_PORT="${ECHOLOT_KAFKA_PORT:-9092}"
export ECHOLOT_KAFKA_CONTROLLER_PORT="${ECHOLOT_KAFKA_CONTROLLER_PORT:-9093}"
export ECHOLOT_ES_PORT="${ECHOLOT_ES_PORT:-9200}"
export ECHOLOT_ES_TRANSPORT_PORT="${ECHOLOT_ES_TRANSPORT_PORT:-9300}"
export ECHOLOT_FLINK_PORT="${ECHOLOT_FLINK_PORT:-8081}"
export ECHOLOT_FLINK_RPC_PORT="${ECHOLOT_FLINK_RPC_PORT:-6123}"
export ECHOLOT_FLINK_METRICS_PORT="${ECHOLOT_FLINK_METRICS_PORT:-9249}"

BOOTSTRAP="127.0.0.1:${ECHOLOT_KAFKA_PORT}"
ES_URL="http://127.0.0.1:${ECHOLOT_ES_PORT}"
FLINK_URL="http://127.0.0.1:${ECHOLOT_FLINK_PORT}"
JOB_JAR="${REPO_ROOT}/jobs/target/echolot-job.jar"
CLI_JAR="${REPO_ROOT}/tools/target/echolot-cli.jar"
EXPECTED="${RUN_DIR}/expected.json"
TOPIC_MENTIONS=echolot.mentions
TOPIC_DLQ=echolot.mentions.dlq
TOPIC_LATE=echolot.mentions.late
TOPIC_ALERTS=echolot.alerts
TOPIC_WEBHOOKS=echolot.webhooks.dlq
# the Elasticsearch writes of the analytics job, one topic per kind of document (the default
# --index-topic-prefix echolot.index); the indexing job reads them. They hold the backlog while
# Elasticsearch is away, for the topics' retention (the broker's default, 7 days)
TOPIC_INDEX_MENTIONS=echolot.index.mentions
TOPIC_INDEX_AGGREGATES=echolot.index.aggregates
TOPIC_INDEX_ALERTS=echolot.index.alerts
TOPIC_INDEX_CARE=echolot.index.care
INDEXING_CLASS=io.echolot.jobs.IndexingJob
# The indexing job's own restart strategy. While Elasticsearch is away a restarted indexing job
# cannot run (its writer installs the index templates first) and fails again at once; the
# cluster's 2 s between attempts (flink.sh) would redeploy it every few seconds for the whole
# outage, taking the cores the analytics job needs. So its attempts back off from 2 s to 30 s: it
# runs again at most 30 s after Elasticsearch is back, and the delay resets after 2 minutes of
# running.
INDEXING_RESTARTS=(
    -D restart-strategy.type=exponential-delay
    -D "restart-strategy.exponential-delay.initial-backoff=2 s"
    -D restart-strategy.exponential-delay.backoff-multiplier=2.0
    -D "restart-strategy.exponential-delay.max-backoff=30 s"
    -D "restart-strategy.exponential-delay.reset-backoff-threshold=2 min"
    -D restart-strategy.exponential-delay.jitter-factor=0.0
)
RULES="${REPO_ROOT}/schemas/src/main/resources/echolot/rules/example-rules.yaml"
# demo settings: short windows and cooldown, so that the scripted negative burst opens and
# resolves its alert within the few minutes of the demo (the job's defaults are 1 min, 30 min, 10)
DEMO_WINDOW="15 s"
DEMO_ALERT_COOLDOWN="30 s"
DEMO_WARMUP_WINDOWS=4
DEMO_SPIKE_WARMUP="5 min"
DEMO_EMERGING_WINDOW="1 min"
# the job's default, spelled out: the alert latency below is measured from it
DEMO_OUT_OF_ORDERNESS="30 s"
OUT_OF_ORDERNESS_MS=30000

# --- Webhooks: a local receiver (receive-webhooks) and three endpoints pointing at it ----------
# /echolot gets the signed alert document (format json), /slack and /teams the chat formats.
# The secret is generated per run into a file that the TaskManager reads (secret_file). The JSON
# endpoint gets every alert state; it may send 100/s to this loopback receiver (default 5/s).
ECHOLOT_WEBHOOK_PORT="${ECHOLOT_WEBHOOK_PORT:-8099}"
WEBHOOK_DIR="${RUN_DIR}/webhooks"
WEBHOOKS_FILE="${WEBHOOK_DIR}/webhooks.yaml"
WEBHOOK_LOG="${WEBHOOK_DIR}/received.jsonl"
# partition, event time, send and acknowledgement time of each demo mention (generate --sent-log),
# for the alert latency
SENT_LOG="${RUN_DIR}/demo-sent.tsv"

start_webhook_receiver() {
    require_free_port "${ECHOLOT_WEBHOOK_PORT}" "webhook receiver, ECHOLOT_WEBHOOK_PORT"
    mkdir -p "${WEBHOOK_DIR}"
    (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"${WEBHOOK_DIR}/secret")
    local url="http://127.0.0.1:${ECHOLOT_WEBHOOK_PORT}"
    cat >"${WEBHOOKS_FILE}" <<YAML
version: 1
endpoints:
  - {name: local-json, url: "${url}/echolot", format: json, secret_file: "${WEBHOOK_DIR}/secret", rate_per_second: 100}
  - {name: local-slack, url: "${url}/slack", format: slack, secret_file: "${WEBHOOK_DIR}/secret", filters: {types: [negative_burst, viral_spike, emerging_topic]}}
  - {name: local-teams, url: "${url}/teams", format: teams, secret_file: "${WEBHOOK_DIR}/secret", filters: {types: [negative_burst, viral_spike, emerging_topic]}}
YAML
    : >"${WEBHOOK_LOG}"
    nohup "$(java_bin)" -jar "${CLI_JAR}" receive-webhooks --port "${ECHOLOT_WEBHOOK_PORT}" \
        --secret-file "${WEBHOOK_DIR}/secret" --output "${WEBHOOK_LOG}" \
        >"${WEBHOOK_DIR}/receiver.log" 2>&1 &
    echo $! >"${WEBHOOK_DIR}/receiver.pid"
    wait_until 20 "$!" "webhook receiver on port ${ECHOLOT_WEBHOOK_PORT}" tcp_open 127.0.0.1 "${ECHOLOT_WEBHOOK_PORT}" ||
        die "the webhook receiver did not start (${WEBHOOK_DIR}/receiver.log)"
}

# The viral spike, the negative burst and the unanswered complaint (the only cardiofit care alert that can
# resolve within the demo) must have reached the receiver signed and resolved; prints the
# delivery latency (alert state emitted in the job -> receiver) over all deliveries.
check_webhooks() {
    local deadline
    deadline=$(($(date +%s) + 60))
    local incident
    # one grep on the file: grep -q at the end of a pipe would fail the pipe under pipefail
    # (a regular expression each: the complaint's topic is whatever the rules read in it)
    for incident in '"type":"viral_spike","brand":"strider","topic":"all"' \
        '"type":"negative_burst","brand":"cardiofit","topic":"all"' \
        '"type":"emerging_topic","brand":"cardiofit","topic":"[^"]*"' \
        '"type":"unanswered","brand":"cardiofit","topic":"[^"]*"'; do
        until grep -q "\"path\":\"/echolot\".*\"signature\":\"ok\".*${incident},\"state\":\"resolved\"" "${WEBHOOK_LOG}"; do
            [[ $(date +%s) -lt ${deadline} ]] || die "no signed webhook for the resolved alert ${incident} in ${WEBHOOK_LOG}"
            sleep 2
        done
    done
    grep -q '"signature":"ok"' "${WEBHOOK_LOG}" && ! grep -q '"status":401' "${WEBHOOK_LOG}" ||
        die "the receiver rejected a signature (${WEBHOOK_LOG})"
    # the Idempotency-Key is a hash of alert id and version: the receiver recomputes it from the body
    ! grep -q '"key_matches":false' "${WEBHOOK_LOG}" ||
        die "an Idempotency-Key does not match its alert document's id and version (${WEBHOOK_LOG})"
    log "webhooks: $(grep -c '"status":204' "${WEBHOOK_LOG}") signed deliveries (json, slack, teams), the viral spike, the negative burst and the unanswered complaint opened and resolved"
    grep '"status":204' "${WEBHOOK_LOG}" | sed -n 's/.*"latency_ms":\([0-9-]*\).*/\1/p' | sort -n | awk '
        { v[NR] = $1 }
        END { if (NR == 0) exit 1
              p50 = v[int((NR - 1) * 0.50) + 1]; p99 = v[int((NR - 1) * 0.99) + 1]
              printf "webhook latency, alert emitted -> receiver, %d deliveries: p50 %d ms, p99 %d ms, max %d ms\n", NR, p50, p99, v[NR] }' >&2
    print_alert_latency
}

# The alert latency after event time passed what the alert is about, for the windowed detectors'
# alerts of the live part (event time = wall time there). The watermark passes T = window end (or
# the resolve time) + the job's out-of-orderness once every partition of the mentions topic holds a
# mention of event time >= T. From the generator's log (--sent-log): the latest partition's first
# such mention, handed to the producer at S and acknowledged by Kafka at A. Receive time - S bounds
# the latency after the watermark from above (it includes the producer's 20 ms linger, Kafka, the
# source's read and watermark interval) as long as no partition went idle before T (the demo sends
# about 25 mentions a second to each); receive time - A is an approximation, not a bound (the
# mention was readable a broker round trip before A). The loosest bound, receive time - T, which
# also counts the wait for such mentions to be written at all, is printed too.
print_alert_latency() {
    python3 - "${WEBHOOK_LOG}" "${LIVE_START_MS}" "${OUT_OF_ORDERNESS_MS}" "${SENT_LOG}" <<'PY' >&2
import bisect, json, os, sys
from datetime import datetime
log, live_start, ooo, sent_log = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
def ms(t):
    return int(datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp() * 1000)
by_partition = {}
for line in open(sent_log, encoding="utf-8") if os.path.exists(sent_log) else []:
    p, event, sent, acked, _ = line.rstrip("\n").split("\t")
    by_partition.setdefault(p, []).append((int(event), int(sent), int(acked)))
# per partition: event times ascending, and the earliest send and acknowledgement at or after each
index = []
for rows in by_partition.values():
    rows.sort()
    sent_after, acked_after = [0] * len(rows), [0] * len(rows)
    s_min = a_min = 1 << 62
    for i in range(len(rows) - 1, -1, -1):
        s_min, a_min = min(s_min, rows[i][1]), min(a_min, rows[i][2])
        sent_after[i], acked_after[i] = s_min, a_min
    index.append(([r[0] for r in rows], sent_after, acked_after))
def passed_at(t):
    """(sent, acknowledged) of the mention that took the last partition to t, or None."""
    if not index:
        return None  # no log of the sends
    latest = (0, 0)
    for events, sent_after, acked_after in index:
        i = bisect.bisect_left(events, t)
        if i == len(events):
            return None  # a partition never got that far: the watermark passed t by idleness
        latest = (max(latest[0], sent_after[i]), max(latest[1], acked_after[i]))
    return latest
from_sent, from_acked, loose = {}, {}, {}
def keep(d, key, v):
    d[key] = min(d.get(key, 1 << 62), v)
for line in open(log, encoding="utf-8"):
    d = json.loads(line)
    if d.get("path") != "/echolot" or d.get("status") != 204 or d.get("window_end") is None:
        continue
    if d.get("type") not in ("viral_spike", "negative_burst", "emerging_topic"):
        continue
    t = ms(d["resolved_at"] if d.get("state") == "resolved" else d["window_end"]) + ooo
    if t < live_start:
        continue  # event time passed it while the history was read at once
    key = (d["alert_id"], d["version"])
    received = ms(d["received_at"])
    keep(loose, key, received - t)
    moved = passed_at(t)
    if moved is not None:
        keep(from_sent, key, received - moved[0])
        keep(from_acked, key, received - moved[1])
def summary(values):
    v = sorted(values)
    pick = lambda q: v[int((len(v) - 1) * q)]
    return "%d alert states: p50 %d ms, p99 %d ms, max %d ms" % (len(v), pick(0.5), pick(0.99), v[-1])
if not loose:
    print("alert latency after the watermark: no windowed alert of the live part reached the receiver")
else:
    if from_sent:
        print("alert latency after the watermark passed the window end, upper bound (from the send of"
              " the mention that moved it on its last partition), " + summary(from_sent.values()))
        print("  from Kafka's acknowledgement of that mention instead (approximate), " + summary(from_acked.values()))
    print(("  from" if from_sent else "alert latency after the watermark passed the window end, from")
          + " the window end + out-of-orderness (loosest bound), " + summary(loose.values()))
PY
}
# --- end webhooks ------------------------------------------------------------------------------

STARTED=false
on_exit() {
    local code=$?
    if [[ ${code} -ne 0 ]] && ${STARTED}; then
        log "FAILED (exit ${code}). Servers that did start are still running, for a look at their logs"
        log "under ${RUN_DIR}/; stop them with: docker/local/down.sh"
    fi
}
trap on_exit EXIT

artifacts_present() {
    [[ -f "${VERSIONS_FILE}" ]] || return 1
    local home cp lib
    home="$(sed -n 's/^elasticsearch.home=//p' "${VERSIONS_FILE}")"
    cp="$(sed -n 's/^kafka.classpath.file=//p' "${VERSIONS_FILE}")"
    lib="$(sed -n 's/^flink.lib=//p' "${VERSIONS_FILE}")"
    [[ -x "${home}/bin/elasticsearch" && -s "${cp}" && -d "${lib}" ]] || return 1
    if ${JOB}; then
        [[ -f "${JOB_JAR}" ]] || return 1
    fi
    if ${DEMO}; then
        [[ -f "${CLI_JAR}" ]] || return 1
    fi
}

# Shows the module being built and every download of a megabyte or more, with the time since the start.
build_progress() {
    local line
    while IFS= read -r line; do
        case "${line}" in
            "[INFO] Building echolot"* | "[ERROR]"*) log "  ${line}" ;;
            "[INFO] Downloaded from"*" MB at "*) log "  ${line#\[INFO\] }" ;;
        esac
    done
}

build() {
    local t0
    if artifacts_present; then
        log "servers and jars present; no build needed"
        return
    fi
    ${BUILD} || die "artifacts missing and --skip-build given: run 'mvn -B -DskipTests install' in ${REPO_ROOT}"
    require_cmd mvn
    t0="$(now_ms)"
    mkdir -p "${RUN_DIR}"
    log "building: mvn -B -DskipTests install (in ${REPO_ROOT}; full log ${RUN_DIR}/build.log)"
    log "a first build downloads Elasticsearch (107 MB), Flink's lib (70 MB), Kafka and the job's" \
        "libraries from Maven Central; downloads of 1 MB or more are listed below as they finish"
    local rc=0
    (cd "${REPO_ROOT}" && mvn -B -DskipTests install 2>&1) | tee "${RUN_DIR}/build.log" | build_progress || rc=$?
    ((rc == 0)) || die "the build failed (exit ${rc}; log: ${RUN_DIR}/build.log)"
    artifacts_present || die "the build did not produce the servers and jars (see ${RUN_DIR}/build.log)"
    log "built in $(secs_since "${t0}")s ($(grep -c '^\[INFO\] Downloaded from' "${RUN_DIR}/build.log" || true) artifacts downloaded)"
}

preflight() {
    local s
    for s in kafka elasticsearch flink; do
        if "${STACK_DIR}/${s}.sh" status >/dev/null 2>&1; then
            die "${s} of the local stack is already running ($("${STACK_DIR}/${s}.sh" status)); run docker/local/down.sh first"
        fi
    done
    require_free_port "${ECHOLOT_KAFKA_PORT}" "Kafka broker, ECHOLOT_KAFKA_PORT"
    require_free_port "${ECHOLOT_KAFKA_CONTROLLER_PORT}" "Kafka controller, ECHOLOT_KAFKA_CONTROLLER_PORT"
    require_free_port "${ECHOLOT_ES_PORT}" "Elasticsearch HTTP, ECHOLOT_ES_PORT"
    require_free_port "${ECHOLOT_ES_TRANSPORT_PORT}" "Elasticsearch transport, ECHOLOT_ES_TRANSPORT_PORT"
    require_free_port "${ECHOLOT_FLINK_PORT}" "Flink REST/UI, ECHOLOT_FLINK_PORT"
    require_free_port "${ECHOLOT_FLINK_RPC_PORT}" "Flink RPC, ECHOLOT_FLINK_RPC_PORT"
    require_free_port "${ECHOLOT_FLINK_METRICS_PORT}" "Flink TaskManager metrics, ECHOLOT_FLINK_METRICS_PORT"
    require_free_port "$((ECHOLOT_FLINK_METRICS_PORT + 1))" "Flink JobManager metrics, ECHOLOT_FLINK_METRICS_PORT + 1"
    # Elasticsearch ~1 GB (512 MB heap), Kafka ~0.6 GB, Flink up to 3 GB (JobManager 1 GB and
    # TaskManager 2 GB process size); the servers rarely use all of it, hence 4 GB and not 4.6
    require_memory 4096 "Elasticsearch, Kafka and Flink"
}

# One after the other: in parallel they only compete for the CPU with Elasticsearch's start.
create_topics() {
    local t0
    t0="$(now_ms)"
    "${STACK_DIR}/kafka.sh" create-topic "${TOPIC_MENTIONS}" --partitions 4
    "${STACK_DIR}/kafka.sh" create-topic "${TOPIC_DLQ}" --partitions 1
    "${STACK_DIR}/kafka.sh" create-topic "${TOPIC_LATE}" --partitions 1
    "${STACK_DIR}/kafka.sh" create-topic "${TOPIC_ALERTS}" --partitions 1
    "${STACK_DIR}/kafka.sh" create-topic "${TOPIC_WEBHOOKS}" --partitions 1
    # as many partitions as the mentions, so the indexing job can keep up at the same parallelism
    "${STACK_DIR}/kafka.sh" create-topic "${TOPIC_INDEX_MENTIONS}" --partitions 4
    "${STACK_DIR}/kafka.sh" create-topic "${TOPIC_INDEX_AGGREGATES}" --partitions 1
    "${STACK_DIR}/kafka.sh" create-topic "${TOPIC_INDEX_ALERTS}" --partitions 1
    "${STACK_DIR}/kafka.sh" create-topic "${TOPIC_INDEX_CARE}" --partitions 1
    TOPICS_S="$(secs_since "${t0}")"
}

start_servers() {
    local t0 es_pid t_kafka t_flink t_es
    t0="$(now_ms)"
    mkdir -p "${RUN_DIR}"
    STARTED=true
    # Elasticsearch takes longest: start it in the background while Kafka and Flink come up.
    "${STACK_DIR}/elasticsearch.sh" start &
    es_pid=$!

    t_kafka="$(now_ms)"
    "${STACK_DIR}/kafka.sh" start || die "Kafka did not start"
    KAFKA_S="$(secs_since "${t_kafka}")"
    create_topics


    t_flink="$(now_ms)"
    "${STACK_DIR}/flink.sh" start || die "Flink did not start"
    FLINK_S="$(secs_since "${t_flink}")"

    t_es="$(now_ms)"
    wait "${es_pid}" || die "Elasticsearch did not start"
    ES_WAIT_S="$(secs_since "${t_es}")"
    STACK_S="$(secs_since "${t0}")"
    log "stack ready in ${STACK_S}s: Kafka ${KAFKA_S}s, topics ${TOPICS_S}s, Flink ${FLINK_S}s, then" \
        "${ES_WAIT_S}s more for Elasticsearch (started in parallel, its own time is logged above)"
}

# Both jobs get the same flags: the indexing job uses those it needs (Kafka, the index topic
# prefix, the dead-letter topic, the group id, the --es-* flags, checkpoints, parallelism) and
# validates the rest like the analytics job, so one list cannot drift from the other.
submit_job() {
    local t0
    t0="$(now_ms)"
    local flags=(
        --bootstrap-servers "${BOOTSTRAP}"
        --es-hosts "${ES_URL}"
        --rules "${RULES}"
        --window-size "${DEMO_WINDOW}"
        --alert-cooldown "${DEMO_ALERT_COOLDOWN}"
        --negative-warmup-windows "${DEMO_WARMUP_WINDOWS}"
        --webhooks "${WEBHOOKS_FILE}"
        --spike-warmup "${DEMO_SPIKE_WARMUP}"
        --emerging-window "${DEMO_EMERGING_WINDOW}"
        --out-of-orderness "${DEMO_OUT_OF_ORDERNESS}"
    )
    "${STACK_DIR}/flink.sh" run --name analytics "${JOB_JAR}" "${flags[@]}" ||
        die "the submission of the analytics job failed (client log: ${RUN_DIR}/flink/log/client.log)"
    "${STACK_DIR}/flink.sh" run --name indexing --class "${INDEXING_CLASS}" "${INDEXING_RESTARTS[@]}" \
        "${JOB_JAR}" "${flags[@]}" ||
        die "the submission of the indexing job failed (client log: ${RUN_DIR}/flink/log/client.log)"
    JOB_S="$(secs_since "${t0}")"
}

# Polls the alerts index until QUERY finds exactly one alert and it is resolved (the index keeps the
# latest state of each alert), then prints its title. WHAT names the incident in messages.
check_one_resolved_alert() {
    local what="$1" query="$2" deadline found=""
    deadline=$(($(date +%s) + 90))
    while [[ $(date +%s) -lt ${deadline} ]]; do
        found="$(curl -fsS "${ES_URL}/echolot-alerts-*/_search?q=${query}" 2>/dev/null || true)"
        if grep -q '"total":{"value":1,' <<<"${found}" && grep -q '"state":"resolved"' <<<"${found}"; then
            log "${what}: one alert, opened and resolved: $(grep -o '"title":"[^"]*"' <<<"${found}" | head -n 1)"
            return 0
        fi
        sleep 3
    done
    die "${what}: expected exactly one resolved alert for '${query}' in ${ES_URL}/echolot-alerts-*, found: ${found:0:400}"
}

# The rumoured recall, in words no rule watches, must be exactly one emerging_topic alert (on no
# other brand either) naming its words, and the viral spike's alert must carry its drivers.
check_emerging_topic_and_drivers() {
    check_one_resolved_alert "the rumoured recall" "type:emerging_topic"
    local found
    found="$(curl -fsS "${ES_URL}/echolot-alerts-*/_search?q=type:emerging_topic%20AND%20brand:cardiofit%20AND%20evidence.drivers.value:rueckruf" || true)"
    grep -q '"total":{"value":1,' <<<"${found}" ||
        die "the emerging_topic alert of cardiofit does not name 'rueckruf' among its drivers: ${found:0:600}"
    log "the rumoured recall: drivers $(grep -o '"value":"[^"]*"' <<<"${found}" | head -n 6 | cut -d'"' -f4 | paste -sd, -)"
    found="$(curl -fsS "${ES_URL}/echolot-alerts-*/_search?q=type:viral_spike%20AND%20brand:strider%20AND%20topic:all%20AND%20_exists_:evidence.drivers" || true)"
    grep -q '"total":{"value":1,' <<<"${found}" ||
        die "the viral spike's alert carries no drivers: ${found:0:600}"
    log "the viral spike's drivers: $(grep -o '"value":"[^"]*"' <<<"${found}" | head -n 4 | cut -d'"' -f4 | paste -sd, -)"
    # the angry posts are the regular mix's words, more often: their drivers may be few or none
    found="$(curl -fsS "${ES_URL}/echolot-alerts-*/_search?q=type:negative_burst%20AND%20brand:cardiofit%20AND%20topic:all" || true)"
    log "the negative burst's drivers: $(grep -o '"value":"[^"]*"' <<<"${found}" | head -n 4 | cut -d'"' -f4 | paste -sd, -)"
}

# The side-effect post must have become its own adverse_event alert (one per post, no lifecycle to wait for).
check_adverse_event_alert() {
    local found
    found="$(curl -fsS "${ES_URL}/echolot-alerts-*/_search?q=type:adverse_event%20AND%20brand:cardiofit" || true)"
    grep -q '"total":{"value":1,' <<<"${found}" ||
        die "the side-effect post: expected exactly one adverse_event alert for cardiofit, found: ${found:0:400}"
    log "the side-effect post became one adverse_event alert: $(grep -o '"title":"[^"]*"' <<<"${found}" | head -n 1)"
}

# The response-time figures must be in Elasticsearch, with answered customers (the brand accounts
# answer most posts that address them, median 1 min in the demo).
check_care_figures() {
    local found
    curl -fsS -X POST "${ES_URL}/echolot-care-*/_refresh" >/dev/null 2>&1 || true
    found="$(curl -fsS "${ES_URL}/echolot-care-*/_search?size=1&q=topic:all%20AND%20answered:>0&sort=answered:desc" || true)"
    grep -q '"answered":[1-9]' <<<"${found}" ||
        die "no response-time figures with answered customers in ${ES_URL}/echolot-care-*: ${found:0:400}"
    log "response-time figures: $(grep -o '"brand":"[^"]*"' <<<"${found}" | head -n 1)," \
        "$(grep -o '"care_items":[0-9]*' <<<"${found}"), $(grep -o '"answered":[0-9]*' <<<"${found}")," \
        "$(grep -o '"response_median_minutes":[0-9.]*' <<<"${found}")"
}

# The demo scenario (times after the live start; the history before it warms the baselines up):
#   20 s     a post about a side effect of cardiofit           -> one adverse_event alert at once
#   40-85 s  a viral post of strider and its reshare cascade     -> one viral_spike alert, later resolved
#   before   a complaint to @cardiofit_de 65 min old (SLA 60 min) -> one unanswered alert, during the history
#   160 s    cardiofit's account finally answers it             -> the unanswered alert resolves, 65+ min late
#   45-95 s  posts of many authors about a rumoured cardiofit batch recall, words no rule watches
#                                                               -> one emerging_topic alert, later resolved
#   100-130 s a burst of angry posts about cardiofit            -> one negative_burst alert, later resolved
#   130-250 s the regular mix: event time must pass the 30 s cooldown (plus the 30 s out-of-orderness
#             of the watermark) after the last surprising window before the alerts resolve; the
#             recall's alert stays open a whole 1-minute bucket past its last one, which ends by
#             155 s at the latest, so it resolves by 215 s of event time, 245 s of the live part
run_demo() {
    local t0 t_gen t_verify
    t0="$(now_ms)"
    rm -f "${EXPECTED}"
    log "playing the demo scenario into ${TOPIC_MENTIONS}: 8 min of history at once, then 250 s live at 100/s:" \
        "a side-effect post at 20 s, a viral strider post 40-85 s, a rumoured cardiofit recall 45-95 s, angry cardiofit posts 100-130 s"
    t_gen="$(now_ms)"
    LIVE_START_MS="${t_gen}"
    "$(java_bin)" -jar "${CLI_JAR}" generate \
        --bootstrap-servers "${BOOTSTRAP}" \
        --topic "${TOPIC_MENTIONS}" \
        --rate 100 \
        --history 8min \
        --duration 250s \
        --no-seasonality \
        --seed 42 \
        --window-size 15s \
        --adverse-at 20s \
        --spike-brand strider \
        --spike-at 40s \
        --spike-for 45s \
        --spike-factor 8 \
        --burst-brand cardiofit \
        --burst-at 100s \
        --burst-for 30s \
        --burst-rate 20 \
        --story-brand cardiofit \
        --story-at 45s \
        --story-for 50s \
        --story-rate 1 \
        --reply-median 1min \
        --complaint-brand cardiofit \
        --complaint-age 65min \
        --complaint-reply-at 160s \
        --unlabelled \
        --sent-log "${SENT_LOG}" \
        --expect "${EXPECTED}" ||
        die "the generator failed"
    log "generator done in $(secs_since "${t_gen}")s; expected aggregates in ${EXPECTED}"
    t_verify="$(now_ms)"
    "$(java_bin)" -jar "${CLI_JAR}" verify-aggregates \
        --es-hosts "${ES_URL}" \
        --expect "${EXPECTED}" \
        --timeout 120s ||
        die "the aggregates in Elasticsearch do not match ${EXPECTED}"
    log "aggregates verified in $(secs_since "${t_verify}")s"
    check_adverse_event_alert
    check_one_resolved_alert "the viral spike" "type:viral_spike%20AND%20brand:strider%20AND%20topic:all"
    check_one_resolved_alert "the negative burst" "type:negative_burst%20AND%20brand:cardiofit%20AND%20topic:all"
    check_one_resolved_alert "the unanswered complaint" "type:unanswered%20AND%20brand:cardiofit"
    check_emerging_topic_and_drivers
    check_care_figures
    DEMO_S="$(secs_since "${t0}")"
}

print_guide() {
    cat <<GUIDE

==================================================================================================
 echolot local stack is up                                    (state and logs: ${RUN_DIR})
--------------------------------------------------------------------------------------------------
 Flink web UI       ${FLINK_URL}: jobs 'echolot mention analytics' and 'echolot indexing'
                    docker/local/flink.sh list         logs: ${RUN_DIR}/flink/log/
 Metrics            curl -s http://127.0.0.1:${ECHOLOT_FLINK_METRICS_PORT}/metrics | grep -E 'mentions|alerts|documents'
 Kafka              bootstrap ${BOOTSTRAP}; topics ${TOPIC_MENTIONS} (4 partitions),
                    ${TOPIC_DLQ}, ${TOPIC_LATE}, ${TOPIC_ALERTS}, ${TOPIC_WEBHOOKS},
                    index topics ${TOPIC_INDEX_MENTIONS} (4 partitions), ${TOPIC_INDEX_AGGREGATES},
                    ${TOPIC_INDEX_ALERTS}, ${TOPIC_INDEX_CARE}
                    docker/local/kafka.sh consume ${TOPIC_DLQ} --max 5
 Elasticsearch      ${ES_URL}
                    curl -s '${ES_URL}/_cat/indices/echolot-*?v&s=index'
                    curl -s '${ES_URL}/echolot-*/_count?pretty'
                    curl -s '${ES_URL}/echolot-*/_search?size=3&pretty'
 Webhooks           receiver http://127.0.0.1:${ECHOLOT_WEBHOOK_PORT:-8099}/  config ${WEBHOOKS_FILE}
                    deliveries (one JSON line each): ${WEBHOOK_LOG}
 Status / stop      docker/local/{kafka,elasticsearch,flink}.sh status
                    docker/local/down.sh            (add --purge to delete ${RUN_DIR})
==================================================================================================
GUIDE
}

build
preflight
start_servers
JOB_S="-"
DEMO_S="-"
if ${JOB}; then
    start_webhook_receiver
    submit_job
fi
if ${DEMO}; then
    run_demo
    check_webhooks
fi
print_guide
log "timings: stack start-up ${STACK_S}s (servers ready), submission of both jobs ${JOB_S}s, demo ${DEMO_S}s," \
    "total $(secs_since "${ECHOLOT_T0}")s"
