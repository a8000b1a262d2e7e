#!/usr/bin/env bash
# Records what one `sp watch` cycle reads from a JobManager running a job that
# has checkpointed for a while, into tests/fixtures/watch-bench/:
#   jobs-overview.json   GET /jobs/overview            (one RUNNING job)
#   job-checkpoints.json GET /jobs/:id/checkpoints     (a full history: Flink keeps
#                                                      web.checkpoints.history = 10)
#   job.json             GET /jobs/:id
#   config.json          GET /config
# Bodies are kept byte for byte as Flink sent them (compact): their size is
# what the benchmark is about. The example job checkpoints every second
# (tests/flink/cluster.sh), so RUN_SECONDS (60) fills the history many times.
#
#   tests/bench/record_watch_fixture.sh [VERSION]      (default 1.20.5)
#
# Starts its own cluster (name bench-record-<version>; SP_FLINK_PORT_OFFSET
# and SP_TEST_RUN_DIR as for cluster.sh) and stops it again.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
cluster="$repo/tests/flink/cluster.sh"
version=$("$cluster" resolve "${1:-1.20.5}")
line=${version%.*}
name="bench-record-$version"
out="$repo/tests/fixtures/watch-bench"
jar="$repo/examples/flink-job/target/sp-example-job-$line.jar"
run_seconds=${RUN_SECONDS:-60}

"$cluster" install "$version"
[ -f "$jar" ] || mvn -B -q -f "$repo/examples/flink-job/pom.xml" package "-Pflink-$line"
if "$cluster" status "$version" "$name" >/dev/null 2>&1; then "$cluster" stop "$version" "$name"; fi
rm -rf "$("$cluster" rundir "$version" "$name")"
url=$("$cluster" start "$version" "$name")
trap '"$cluster" stop "$version" "$name"' EXIT

jar_id=$(curl -fsS -X POST -F "jarfile=@$jar" "$url/jars/upload" |
  python3 -c 'import json,os,sys; print(os.path.basename(json.load(sys.stdin)["filename"]))')
job=$(curl -fsS -X POST -H 'Content-Type: application/json' \
  -d '{"programArgsList":["--name","sp-bench-recorded","--rate","20"]}' "$url/jars/$jar_id/run" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["jobid"])')
echo "record: job $job on $url; letting it checkpoint for ${run_seconds}s" >&2
sleep "$run_seconds"

mkdir -p "$out"
get() { curl -fsS "$url$1" -o "$out/$2"; }
get /jobs/overview jobs-overview.json
get "/jobs/$job/checkpoints" job-checkpoints.json
get "/jobs/$job" job.json
get /config config.json
curl -fsS -X PATCH "$url/jobs/$job?mode=cancel" >/dev/null

python3 - "$out" "$job" "$version" <<'PY'
import json, os, sys
out, job, version = sys.argv[1:]
cp = json.load(open(os.path.join(out, "job-checkpoints.json")))
ov = json.load(open(os.path.join(out, "jobs-overview.json")))
assert [j["state"] for j in ov["jobs"]] == ["RUNNING"], ov
assert len(cp["history"]) >= 10, "history has only %d entries" % len(cp["history"])
print("record: job %s, %d checkpoints completed, history %d entries, %d bytes" % (
    job, cp["counts"]["completed"], len(cp["history"]),
    os.path.getsize(os.path.join(out, "job-checkpoints.json"))), file=sys.stderr)
PY
