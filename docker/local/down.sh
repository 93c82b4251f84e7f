#!/usr/bin/env bash
# Stops the local stack started by up.sh: cancels the Flink jobs, then stops Flink, Kafka and
# Elasticsearch (each by its pid file, with its whole process tree). Safe to run repeatedly.
#
#   down.sh [--purge]
#
#   --purge  also delete docker/local/run/ (data, logs, checkpoints, generated configs)
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
LOG_TAG=down
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

PURGE=false
case "${1:-}" in
    "") ;;
    --purge) PURGE=true ;;
    -h | --help) print_usage; exit 0 ;;
    *) die "${EXIT_USAGE}" "unknown argument: $1 (usage: down.sh [--purge])" ;;
esac

"${STACK_DIR}/flink.sh" cancel-all || warn "cancelling the Flink jobs failed; stopping the cluster anyway"
"${STACK_DIR}/flink.sh" stop
stop_pidfile "webhook receiver" 10 "${RUN_DIR}/webhooks/receiver.pid" receive-webhooks || warn "stopping the webhook receiver failed"
# Kafka and Elasticsearch do not depend on each other: stop both at once.
"${STACK_DIR}/kafka.sh" stop &
kafka_pid=$!
"${STACK_DIR}/elasticsearch.sh" stop || warn "stopping Elasticsearch failed"
wait "${kafka_pid}" || warn "stopping Kafka failed"

# Anything still running from the run directory (e.g. after a pid file was lost) goes too.
if [[ -d "${RUN_DIR}" ]]; then
    mapfile -t leftovers < <(pgrep -f -- "${RUN_DIR}/" | grep -vx -e "$$" -e "${PPID}" || true)
    for pid in "${leftovers[@]}"; do
        if kill -0 "${pid}" 2>/dev/null; then
            warn "left-over process ${pid}: $(ps -o args= -p "${pid}" | cut -c1-120)"
            kill_tree "left-over process ${pid}" 10 "${pid}"
        fi
    done
fi

if ${PURGE}; then
    rm -rf "${RUN_DIR}"
    log "deleted ${RUN_DIR}"
fi
log "local stack stopped in $(secs_since "${ECHOLOT_T0}")s"
