#!/usr/bin/env bash
# Checks docker/docker-compose.yml without a Docker engine: it must parse as YAML, use the server
# versions of docker/local/target/versions.properties, create the topics up.sh creates, pass
# the job the flags up.sh passes, import the Kibana saved objects of docker/kibana/, and have
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
}
for service, expected in expected_images.items():
    if service not in services:
        problems.append(f"service {service} is missing")
    elif image(service) != expected:
        problems.append(f"{service}: image {image(service)}, expected {expected}")

up = open(os.environ["UP_SH"]).read()
names = dict(re.findall(r'^(TOPIC_[A-Z]+)=(\S+)$', up, re.M))
partitions = dict(re.findall(r'create-topic "\$\{(TOPIC_[A-Z]+)\}" --partitions (\d+)', up))
topic_script = "\n".join(services["topics"]["command"])
for var, name in names.items():
    spec = f"{name}:{partitions.get(var)}"
    if spec not in topic_script:
        problems.append(f"topics: {spec} (as in up.sh) is not created")

submit = services["job-submitter"]["command"]
for flag in re.findall(r'^\s+(--[a-z-]+) "\$\{', up[up.index("submit_job()"):up.index("run_demo()")], re.M):
    if flag not in submit:
        problems.append(f"job-submitter: flag {flag} (passed by up.sh) is missing")

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
print(f"compose-check: {len(services)} services, images, topics, job flags, Kibana import and metrics consistent with the scripts")
PY
