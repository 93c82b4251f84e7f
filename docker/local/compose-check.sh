#!/usr/bin/env bash
# Checks docker/docker-compose.yml without a Docker engine: it must parse as YAML, use the server
# versions of docker/local/target/versions.properties, create the topics up.sh creates, submit
# both jobs (analytics: job-submitter, indexing: indexing-submitter with up.sh's entry class and
# restart options) with the flags up.sh passes, the same for both, configure restarts and
# heartbeats as flink.sh does, import the Kibana saved objects of docker/kibana/, and have
# Prometheus scrape the Flink reporter port of every Flink service.
#
#   compose-check.sh
#
# Needs python3 with PyYAML (Debian: apt-get install python3-yaml).
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
LOG_TAG=compose-check
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

[[ "${1:-}" == -h || "${1:-}" == --help ]] && { print_usage; exit 0; }
require_cmd python3
python3 -c 'import yaml' 2>/dev/null || die "python3 has no PyYAML: apt-get install python3-yaml (or pip install pyyaml)"

COMPOSE_FILE="${REPO_ROOT}/docker/docker-compose.yml" \
    ES_VERSION="$(prop elasticsearch.version)" \
    KAFKA_VERSION="$(prop kafka.version)" \
    FLINK_VERSION="$(prop flink.version)" \
    UP_SH="${STACK_DIR}/up.sh" \
    FLINK_SH="${STACK_DIR}/flink.sh" \
    python3 - <<'PY'
import os, re, sys, yaml

compose = yaml.safe_load(open(os.environ["COMPOSE_FILE"]))
services = compose["services"]
problems = []

def image(service):
    return services[service]["image"]

expected_images = {
    "kafka": "apache/kafka:" + os.environ["KAFKA_VERSION"],
    "topics": "apache/kafka:" + os.environ["KAFKA_VERSION"],
    "elasticsearch": "docker.elastic.co/elasticsearch/elasticsearch:" + os.environ["ES_VERSION"],
    "kibana": "docker.elastic.co/kibana/kibana:" + os.environ["ES_VERSION"],
    "kibana-import": "docker.elastic.co/kibana/kibana:" + os.environ["ES_VERSION"],
    "jobmanager": "flink:" + os.environ["FLINK_VERSION"] + "-java17",
    "taskmanager": "flink:" + os.environ["FLINK_VERSION"] + "-java17",
    "job-submitter": "flink:" + os.environ["FLINK_VERSION"] + "-java17",
    "indexing-submitter": "flink:" + os.environ["FLINK_VERSION"] + "-java17",
}
for service, expected in expected_images.items():
    if service not in services:
        problems.append(f"service {service} is missing")
    elif image(service) != expected:
        problems.append(f"{service}: image {image(service)}, expected {expected}")

up = open(os.environ["UP_SH"]).read()
names = dict(re.findall(r'^(TOPIC_[A-Z_]+)=(\S+)$', up, re.M))
partitions = dict(re.findall(r'create-topic "\$\{(TOPIC_[A-Z_]+)\}" --partitions (\d+)', up))
topic_script = "\n".join(services["topics"]["command"])
for var, name in names.items():
    spec = f"{name}:{partitions.get(var)}"
    if spec not in topic_script:
        problems.append(f"topics: {spec} (as in up.sh) is not created")

def job_args(service):
    """The job's own arguments: what follows the jar in the flink run command."""
    command = services.get(service, {}).get("command", [])
    jars = [i for i, a in enumerate(command) if a.endswith(".jar")]
    return command[jars[0] + 1:] if jars else None

up_flags = re.findall(r'^\s+(--[a-z-]+) "\$\{', up[up.index("submit_job()"):up.index("run_demo()")], re.M)
if not up_flags:
    problems.append("up.sh: no job flags found in submit_job()")
for service in ("job-submitter", "indexing-submitter"):
    args = job_args(service)
    if args is None:
        problems.append(f"{service}: no job jar in its command")
        continue
    for flag in up_flags:
        if flag not in args:
            problems.append(f"{service}: flag {flag} (passed by up.sh) is missing")
if job_args("job-submitter") != job_args("indexing-submitter"):
    problems.append("job-submitter and indexing-submitter pass different job flags: both jobs take the same")

indexing = services.get("indexing-submitter", {}).get("command", [])
entry = re.search(r'^INDEXING_CLASS=(\S+)$', up, re.M)
if not entry or f"-c {entry.group(1)}" not in " ".join(indexing):
    problems.append(f"indexing-submitter: does not run -c {entry.group(1) if entry else '(INDEXING_CLASS of up.sh)'}")
restarts = re.search(r'^INDEXING_RESTARTS=\((.*?)^\)', up, re.M | re.S)
up_options = re.findall(r'-D "?([^"\n]+?)"?$', restarts.group(1), re.M) if restarts else []
if not up_options:
    problems.append("up.sh: no INDEXING_RESTARTS options found")
options = [indexing[i + 1] for i, a in enumerate(indexing[:-1]) if a == "-D"]
if sorted(options) != sorted(up_options):
    problems.append(f"indexing-submitter: -D options {options} differ from up.sh's {up_options}")

compose_dir = os.path.dirname(os.environ["COMPOSE_FILE"])
kibana_import = services.get("kibana-import", {})
kibana_mounts = [v.split(":")[0] for v in kibana_import.get("volumes", [])]
if "./kibana" not in kibana_mounts:
    problems.append("kibana-import: does not mount ./kibana (the saved objects)")
elif not any(f.endswith(".ndjson") for f in os.listdir(os.path.join(compose_dir, "kibana"))):
    problems.append("kibana-import: docker/kibana/ holds no .ndjson file")
if "_import?overwrite=true" not in "\n".join(kibana_import.get("command", [])):
    problems.append("kibana-import: does not POST to /api/saved_objects/_import?overwrite=true")

flink_props = yaml.safe_load(compose["x-flink-config"]["FLINK_PROPERTIES"])
# recovery settings as in the local stack's generated config
flink_sh = open(os.environ["FLINK_SH"]).read()
local_recovery = dict(re.findall(r'^((?:restart-strategy|heartbeat)\.[\w.-]+): (.+)$', flink_sh, re.M))
if not local_recovery:
    problems.append("flink.sh: no restart-strategy or heartbeat settings found")
for key, value in local_recovery.items():
    if str(flink_props.get(key)) != value:
        problems.append(f"x-flink-config: {key} is {flink_props.get(key)!r}, flink.sh sets {value!r}")
reporter_port = str(flink_props.get("metrics.reporter.prom.port", ""))
if flink_props.get("metrics.reporter.prom.factory.class") != "org.apache.flink.metrics.prometheus.PrometheusReporterFactory":
    problems.append("x-flink-config: no Prometheus reporter (metrics.reporter.prom.factory.class)")
prometheus = yaml.safe_load(open(os.path.join(compose_dir, "prometheus", "prometheus.yml")))
targets = {t for job in prometheus["scrape_configs"] for sc in job["static_configs"] for t in sc["targets"]}
for service in ("jobmanager", "taskmanager"):
    if f"{service}:{reporter_port}" not in targets:
        problems.append(f"prometheus: does not scrape {service}:{reporter_port} (the reporter port)")
    mounts = [v.split(":")[0] for v in services[service].get("volumes", [])]
    if "./local/flink/target/plugins/metrics-prometheus" not in mounts:
        problems.append(f"{service}: does not mount the Prometheus reporter plugin")
if not os.path.isdir(os.path.join(compose_dir, "local", "flink", "target", "plugins", "metrics-prometheus")):
    problems.append("docker/local/flink/target/plugins/metrics-prometheus is missing: build first")

if problems:
    print("\n".join("compose-check: " + p for p in problems), file=sys.stderr)
    sys.exit(1)
print(f"compose-check: {len(services)} services, images, topics, both jobs and their flags, recovery settings, Kibana import and metrics consistent with the scripts")
PY
