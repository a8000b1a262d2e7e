#!/usr/bin/env bash
# Start on YARN (SPEC 12, 5.10): on the test run's loopback YARN and HDFS
# (tests/yarn/hadoop.sh) with Flink VERSION deployed by its own bin/flink,
# in one run, alternating repetitions of
#   (a) sp job start JOB on a yarn-application cluster, end to end until the
#       job is RUNNING: bin/flink deploys the application, sp finds its
#       JobManager through the ResourceManager and polls it directly;
#   (b) what an operator's script does: the same bin/flink command, then
#       polling the ResourceManager every 0.5 s until the application is
#       RUNNING and its JobManager (amRPCAddress) every 0.1 s until the job is;
# each application killed through the ResourceManager between repetitions
# (untimed). Both start without state (sp: --restore none --force), so the
# difference is what sp adds around bin/flink. Prints medians and the ratio;
# it does not pass or fail on time.
#
#   tests/bench/yarn_start_bench.sh VERSION [SP_BINARY]   (REPS=3; tests/yarn/hadoop.sh start first)
set -euo pipefail
version=${1:?usage: yarn_start_bench.sh VERSION [SP_BINARY]}
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
sp_bin="${2:-${SP_BIN:-$repo/build/src/sp}}"
reps="${REPS:-3}"
[ -x "$sp_bin" ] || { echo "no sp binary at $sp_bin (build first or pass its path)" >&2; exit 1; }
version=$(bash "$repo/tests/flink/cluster.sh" resolve "$version")
home=$(bash "$repo/tests/flink/cluster.sh" home "$version") || { echo "install Flink $version first" >&2; exit 1; }
bash "$repo/tests/yarn/hadoop.sh" status >/dev/null || { echo "start tests/yarn/hadoop.sh first" >&2; exit 1; }
set -a
# shellcheck disable=SC1091
. "$(bash "$repo/tests/yarn/hadoop.sh" rundir)/env"
set +a
line=${version%.*}
jar="$repo/examples/flink-job/target/sp-example-job-$line.jar"
[ -f "$jar" ] || mvn -B -q -f "$repo/examples/flink-job/pom.xml" package "-Pflink-$line"
class=sp.example.StatefulCountJob
job=ybench-${line//./-}-$$
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sp-yarn-bench-XXXXXX")
export SP_HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/config" SP_ENV=bench
# shellcheck source=tests/bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# kill_app ID: through the ResourceManager, and waits until YARN says KILLED.
kill_app() {
  curl -sf -X PUT -H 'Content-Type: application/json' -d '{"state":"KILLED"}' \
    "$SP_YARN_RM_URL/ws/v1/cluster/apps/$1/state?user.name=$(id -un)" >/dev/null || true
  for _ in $(seq 1 60); do
    curl -sf "$SP_YARN_RM_URL/ws/v1/cluster/apps/$1" | grep -q '"state":"KILLED"' && return 0
    sleep 0.5
  done
}
# kill_all: every application of this benchmark still alive.
kill_all() {
  curl -sf "$SP_YARN_RM_URL/ws/v1/cluster/apps?states=NEW,NEW_SAVING,SUBMITTED,ACCEPTED,RUNNING" |
    python3 -c "import json,sys; [print(a['id']) for a in ((json.load(sys.stdin).get('apps') or {}).get('app') or []) if a['name'].startswith(sys.argv[1])]" "$job" |
    while read -r app; do kill_app "$app"; done
}
trap 'kill_all; rm -rf "$tmp"' EXIT

settings=(jobmanager.bind-host=127.0.0.1 taskmanager.bind-host=127.0.0.1 jobmanager.memory.process.size=1024m
  taskmanager.memory.process.size=1024m taskmanager.numberOfTaskSlots=1)
{
  cat <<YAML
apiVersion: sp/v1
kind: Environment
metadata: {name: bench}
---
apiVersion: sp/v1
kind: Flink
metadata: {name: flink}
spec: {home: "$home"}
---
apiVersion: sp/v1
kind: Cluster
metadata: {name: yarn}
spec:
  type: yarn-application
  flink: flink
  yarn: {resourceManager: "$SP_YARN_RM_URL"}
  flinkConfiguration:
YAML
  for setting in "${settings[@]}"; do echo "    ${setting%%=*}: \"${setting#*=}\""; done
  cat <<YAML
---
apiVersion: sp/v1
kind: Job
metadata: {name: $job}
spec:
  cluster: yarn
  artifact: {jar: "$jar"}
  entryClass: $class
  args: ["--name", "$job", "--rate", "50"]
  parallelism: 1
YAML
} >"$tmp/objects.yaml"
sp apply -f "$tmp/objects.yaml" >/dev/null

action=run
[ "${line%%.*}" -lt 2 ] && action=run-application
flink_cmd=("$home/bin/flink" "$action" -t yarn-application -d "-Dyarn.application.name=$job-flink")
for setting in "${settings[@]}"; do flink_cmd+=("-D$setting"); done
flink_cmd+=(-c "$class" "$jar" --name "$job" --rate 50)

# by_hand: bin/flink, then the ResourceManager until RUNNING, then the JobManager until the job is.
by_hand() {
  local output app
  output=$("${flink_cmd[@]}" 2>&1) || { echo "$output" >&2; return 1; }
  app=$(grep -o 'application_[0-9]*_[0-9]*' <<<"$output" | tail -n 1)
  python3 - "$SP_YARN_RM_URL" "$app" <<'PY'
import json, sys, time, urllib.request
rm, app = sys.argv[1], sys.argv[2]
deadline = time.time() + 300
address = None
while time.time() < deadline and not address:
    report = json.load(urllib.request.urlopen(f"{rm}/ws/v1/cluster/apps/{app}"))["app"]
    if report["state"] == "RUNNING" and report.get("amRPCAddress", "N/A") != "N/A":
        address = "http://" + report["amRPCAddress"]
    else:
        time.sleep(0.5)
while time.time() < deadline:
    try:
        jobs = json.load(urllib.request.urlopen(address + "/jobs/overview"))["jobs"]
        if any(j["state"] == "RUNNING" for j in jobs):
            sys.exit(0)
    except OSError:
        pass
    time.sleep(0.1)
sys.exit(f"{app} not RUNNING after 300 s")
PY
  echo "$app"
}

sp_ms=() hand_ms=()
for rep in $(seq 1 "$reps"); do
  start=$(now)
  app=$(sp -o json job start "$job" --restore none --force --wait 5m |
    python3 -c "import json,sys; print(json.load(sys.stdin)['application_id'])")
  sp_ms+=("$(elapsed_ms "$start")")
  kill_app "$app"
  start=$(now)
  app=$(by_hand)
  hand_ms+=("$(elapsed_ms "$start")")
  kill_app "$app"
  echo "repetition $rep: sp ${sp_ms[-1]} ms, bin/flink + polling ${hand_ms[-1]} ms"
done
sp_median=$(median "${sp_ms[@]}")
hand_median=$(median "${hand_ms[@]}")
echo "Flink $version on YARN ($SP_YARN_RM_URL), $reps repetitions, medians:"
echo "  (a) sp job start to RUNNING:                     $sp_median ms"
echo "  (b) bin/flink -t yarn-application + polling:     $hand_median ms"
echo "  (a)/(b): $(ratio "$sp_median" "$hand_median")"
