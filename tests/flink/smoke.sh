#!/usr/bin/env bash
# Integration check of a real Flink cluster with the example job:
#   tests/flink/smoke.sh VERSION [NAME]      (e.g. 1.20 or 2.2)
# Uploads examples/flink-job's jar for VERSION's line, runs it, waits for
# RUNNING and one completed checkpoint, cancels it, and checks that the
# retained checkpoint is on disk with its _metadata.
#
# Uses the cluster `cluster.sh url VERSION [NAME]` names. If it is not
# running, installs and starts it, and stops it again at the end. Builds the
# jar with Maven when it is missing. Exit 0 on success; otherwise prints what
# failed and exits 1.
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then echo "usage: $0 VERSION [NAME]" >&2; exit 2; fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
cluster="$here/cluster.sh"

fail() { printf 'smoke.sh: FAILED: %s\n' "$*" >&2; exit 1; }

version=$("$cluster" resolve "$1") || exit 1
name=${2:-flink-$version}
line=$(cut -d. -f1,2 <<<"$version")
jar="$repo/examples/flink-job/target/sp-example-job-$line.jar"

if [ ! -f "$jar" ]; then
  echo "smoke.sh: building $jar" >&2
  log=$(mktemp)
  if ! mvn -B -Dstyle.color=never -f "$repo/examples/flink-job/pom.xml" package "-Pflink-$line" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    rm -f "$log"
    fail "building the example job for Flink $line"
  fi
  rm -f "$log"
fi

if ! "$cluster" status "$version" "$name" >/dev/null 2>&1; then
  "$cluster" install "$version" || fail "installing Flink $version"
  "$cluster" start "$version" "$name" >/dev/null || fail "starting cluster $name"
  trap '"$cluster" stop "$version" "$name"' EXIT
fi
url=$("$cluster" url "$version" "$name")
echo "smoke.sh: Flink $version at $url with $(basename "$jar")" >&2

SMOKE_HERE="$here" python3 - "$url" "$jar" "${SP_SMOKE_TIMEOUT:-120}" <<'PY'
import json, os, sys, time, urllib.parse
sys.path.insert(0, os.environ["SMOKE_HERE"])
from record import Failure, Recorder, multipart_jar  # stdlib-only helpers shared with the recorder

url, jar, timeout = sys.argv[1], sys.argv[2], float(sys.argv[3])
r = Recorder(url, None)
step = "start"

def fail(msg):
    sys.exit(f"smoke.sh: FAILED at '{step}': {msg}")

def call(method, path, body=None, data=None, headers=None, ok=(200,)):
    try:
        status, resp = r.request(method, path, body=body, data=data, headers=headers)
    except Failure as e:
        fail(str(e))
    if status not in ok:
        fail(f"{method} {path} answered {status}: {json.dumps(resp)[:2000]}")
    return resp

def wait(what, probe):
    deadline = time.monotonic() + timeout
    while True:
        v = probe()
        if v:
            return v
        if time.monotonic() > deadline:
            fail(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(0.5)

step = "upload"
data, headers = multipart_jar(jar)
jar_id = os.path.basename(call("POST", "/jars/upload", data=data, headers=headers)["filename"])

step = "run"
job = call("POST", f"/jars/{jar_id}/run",
           body={"programArgsList": ["--name", "sp-smoke", "--rate", "20"]})["jobid"]
print(f"smoke.sh: submitted job {job}", file=sys.stderr)

try:
    step = "wait for RUNNING"
    def running():
        j = call("GET", f"/jobs/{job}")
        if j["state"] in ("FAILED", "CANCELED", "FINISHED"):
            fail(f"job ended as {j['state']}")
        return j["state"] == "RUNNING" and all(v["status"] == "RUNNING" for v in j["vertices"])
    wait("the job to run all its tasks", running)

    step = "wait for a completed checkpoint"
    def completed():
        c = call("GET", f"/jobs/{job}/checkpoints")
        return c["counts"]["completed"] >= 1 and c
    wait("one completed checkpoint", completed)

    step = "cancel"
    call("PATCH", f"/jobs/{job}?mode=cancel", ok=(202,))
    wait("state CANCELED", lambda: call("GET", f"/jobs/{job}")["state"] == "CANCELED")
except SystemExit:
    try:
        r.request("PATCH", f"/jobs/{job}?mode=cancel")  # leave nothing running
    except Failure:
        pass
    raise

step = "retained checkpoint"
cp = call("GET", f"/jobs/{job}/checkpoints")
latest = (cp.get("latest") or {}).get("completed")
if not latest:
    fail(f"no latest completed checkpoint reported: {json.dumps(cp)[:2000]}")
path = latest["external_path"]
local = urllib.parse.urlparse(path).path if path.startswith("file:") else path
if not os.path.isdir(local):
    fail(f"checkpoint directory {local} ({path}) is not on disk after cancel")
if not os.path.isfile(os.path.join(local, "_metadata")):
    fail(f"checkpoint directory {local} has no _metadata")
print(f"smoke.sh: ok: job {job} checkpointed and was cancelled; retained {local}/_metadata")
PY
