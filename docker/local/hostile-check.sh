#!/usr/bin/env bash
# Sends the records that once stopped the job to the running local stack (after up.sh) and checks
# that the job shrugs them off: a mention whose id is 240 CJK characters (over Elasticsearch's
# 512-byte _id limit), a side-effect post about the pharma brand whose adverse-event alert id
# carries 😡, 線 and € (not allowed in an HTTP header as it is), and "platform": 1e400 (a number
# the schema validator could not read). Checks: both jobs (analytics and indexing) stay RUNNING
# and their exception histories stay empty, the first is indexed under its own id, the last is on the dead-letter topic with a
# reason, and the alert of the second reaches the webhook receiver signed, with an ASCII
# Idempotency-Key that matches its id and version.
#
#   hostile-check.sh [--timeout SECONDS]
#
# Uses the ports and run directory of up.sh (ECHOLOT_* variables). Exit code 0 only if every check
# passed.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
LOG_TAG=hostile-check
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
    print_usage
    exit "${EXIT_USAGE}"
}

TIMEOUT_S=90
while [[ $# -gt 0 ]]; do
    case "$1" in
        --timeout) TIMEOUT_S="${2:?--timeout needs seconds}"; shift 2 ;;
        -h | --help) usage ;;
        *) log "unknown argument: $1"; usage ;;
    esac
done
[[ "${TIMEOUT_S}" =~ ^[0-9]+$ ]] || die "${EXIT_USAGE}" "--timeout takes whole seconds"

BOOTSTRAP="127.0.0.1:${ECHOLOT_KAFKA_PORT:-9092}"
ES_URL="http://127.0.0.1:${ECHOLOT_ES_PORT:-9200}"
FLINK_URL="http://127.0.0.1:${ECHOLOT_FLINK_PORT:-8081}"
FLINK_DIR="${RUN_DIR}/flink"
CLI_JAR="${REPO_ROOT}/tools/target/echolot-cli.jar"
WEBHOOK_LOG="${RUN_DIR}/webhooks/received.jsonl"
RECORDS="${RUN_DIR}/hostile-records.jsonl"

require_cmd curl
require_cmd python3
[[ -f "${CLI_JAR}" ]] || die "no ${CLI_JAR}: build with 'mvn -B -DskipTests package'"
# the analytics job parses, alerts and writes the index records; the indexing job indexes them
JOBS=("$(recorded_job_id analytics)" "$(recorded_job_id indexing)")
[[ -f "${WEBHOOK_LOG}" ]] || die "no webhook receiver log at ${WEBHOOK_LOG}: run docker/local/up.sh first"

# job_health JOB_ID -> "RUNNING <number of exception history entries>"
job_health() {
    local state exceptions
    state="$(curl -fsS --max-time 5 "${FLINK_URL}/jobs/$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')"
    exceptions="$(curl -fsS --max-time 5 "${FLINK_URL}/jobs/$1/exceptions" |
        python3 -c 'import json,sys; print(len(json.load(sys.stdin)["exceptionHistory"]["entries"]))')"
    echo "${state} ${exceptions}"
}

# check_jobs WHEN : both jobs RUNNING, without exceptions
check_jobs() {
    local job state exceptions
    for job in "${JOBS[@]}"; do
        read -r state exceptions <<<"$(job_health "${job}")"
        [[ "${state}" == RUNNING ]] || die "job ${job} is ${state} $1, not RUNNING"
        ((exceptions == 0)) || die "job ${job} has ${exceptions} entries in its exception history $1"
    done
}

check_jobs "before the check"

RUN_ID="$(date +%s)"
NOW="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
CJK_ID="$(printf '線%.0s' $(seq 1 240))-${RUN_ID}"
EMOJI_ID="nebenwirkung-😡線€-${RUN_ID}"
BAD_ID="platform-1e400-${RUN_ID}"
cat >"${RECORDS}" <<JSON
{"id":"${CJK_ID}","platform":"x","created_at":"${NOW}","text":"Cardiofit hilft mir sehr, danke!","lang":"de","author":{"id":"hostile-check-1","handle":"hc1","followers":10}}
{"id":"${EMOJI_ID}","platform":"x","created_at":"${NOW}","text":"Cardiofit: starke Nebenwirkungen, mir ist schwindelig","lang":"de","author":{"id":"hostile-check-2","handle":"hc2","followers":10}}
{"id":"${BAD_ID}","platform":1e400,"created_at":"${NOW}","text":"Cardiofit","author":{"id":"hostile-check-3"}}
JSON
log "sending 3 hostile records to echolot.mentions (run ${RUN_ID})"
T0="$(now_ms)"
"$(java_bin)" -jar "${CLI_JAR}" generate --bootstrap-servers "${BOOTSTRAP}" --topic echolot.mentions \
    --replay "${RECORDS}" --replay-time keep >"${RUN_DIR}/hostile-check-generator.log" 2>&1 ||
    { cat "${RUN_DIR}/hostile-check-generator.log" >&2; die "could not send the records"; }

indexed() {
    python3 - "${ES_URL}" "${CJK_ID}" <<'PY'
import json, sys, urllib.request
url, id_ = sys.argv[1], sys.argv[2]
q = json.dumps({"query": {"term": {"id": id_}}}).encode()
req = urllib.request.Request(url + "/echolot-mentions-*/_count", data=q, headers={"Content-Type": "application/json"})
sys.exit(0 if json.load(urllib.request.urlopen(req, timeout=5))["count"] == 1 else 1)
PY
}
delivered() {
    python3 - "${WEBHOOK_LOG}" "${EMOJI_ID}" <<'PY'
import json, sys
path, mention = sys.argv[1], sys.argv[2]
for line in open(path, encoding="utf-8"):
    d = json.loads(line)
    if (d.get("path") == "/echolot" and mention in (d.get("alert_id") or "")
            and d.get("signature") == "ok" and d.get("status") == 204
            and d.get("key_matches") is True and (d.get("idempotency_key") or "").isascii()):
        sys.exit(0)
sys.exit(1)
PY
}
dead_lettered() {
    "${STACK_DIR}/kafka.sh" consume echolot.mentions.dlq --max 1000000 2>/dev/null | grep -qF "${BAD_ID}"
}

wait_until "${TIMEOUT_S}" "" "the 240-CJK-character id indexed in echolot-mentions-*" indexed ||
    die "the mention with the 240-CJK-character id was not indexed"
log "indexed: the mention with a ${#CJK_ID}-character id ($(printf '%s' "${CJK_ID}" | wc -c) bytes) after $(secs_since "${T0}") s"
wait_until "${TIMEOUT_S}" "" "the adverse-event alert at the webhook receiver" delivered ||
    die "no signed delivery of the adverse-event alert for ${EMOJI_ID} in ${WEBHOOK_LOG}"
log "delivered: the adverse-event alert of ${EMOJI_ID}, signed, ASCII Idempotency-Key matching, after $(secs_since "${T0}") s"
wait_until 60 "" "the 1e400 record on echolot.mentions.dlq" dead_lettered ||
    die "the record with \"platform\": 1e400 is not on echolot.mentions.dlq"
log "dead-lettered: the record with \"platform\": 1e400"

check_jobs "after the hostile records"
log "jobs ${JOBS[*]} (analytics, indexing) RUNNING, exception histories empty; all checks passed in $(secs_since "${T0}") s"
