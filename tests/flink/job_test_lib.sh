# Shared by the tests that drive sp against a real Flink cluster: sourced after
# tests/e2e/lib.sh with the Flink VERSION as $1. Sets $url (the standalone
# cluster of that version, started by run-all.sh), $line (1.20, 2.2), $jar
# (the example job for that line, built when missing) and defines json(),
# wait_for_checkpoints and stop_then_restore for the job named $name.
version=${1:?usage: $(basename "$0") VERSION}
flink_tests=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$flink_tests/../.." && pwd)
url=$(bash "$flink_tests/cluster.sh" url "$version") || { echo "no running Flink $version cluster"; exit 1; }
line=${version%.*}
jar="$repo/examples/flink-job/target/sp-example-job-$line.jar"
if [ ! -f "$jar" ]; then
  mvn -B -q -Dstyle.color=never -f "$repo/examples/flink-job/pom.xml" package "-Pflink-$line" >"$SP_TEST_TMP/mvn.log" 2>&1 ||
    { cat "$SP_TEST_TMP/mvn.log"; exit 1; }
fi

# json EXPR: a Python subscript of the last sp output, e.g. json "['state']".
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(d$1)" <<<"$out"; }

# wait_for_checkpoints N [JOB]: until the JobManager reports at least N
# completed checkpoints of JOB ($name), for at most $checkpoint_wait s (60).
wait_for_checkpoints() {
  local wait=${checkpoint_wait:-60}
  for _ in $(seq 1 "$wait"); do
    sp -o json job status "${2:-$name}"
    [ "$rc" -eq 0 ] && [ "$(json ".get('checkpoints_completed', 0)")" -ge "$1" ] && return 0
    sleep 1
  done
  fail "fewer than $1 checkpoints after $wait s"
}

# stop_then_restore: stops $name with a savepoint (set as $savepoint), starts it
# again and checks that Flink restored exactly that savepoint. Leaves the start's
# JSON in $out for further checks.
stop_then_restore() {
  sp -o json job stop "$name"
  expect_rc 0 "stop with savepoint"
  savepoint=$(json "['savepoint']")
  [ -n "$savepoint" ] && [ "$savepoint" != None ] || fail "stop recorded no savepoint"
  sp -o json job start "$name"
  expect_rc 0 "start after stop"
  [ "$(json "['restored_from']")" = "$savepoint" ] || fail "restored $(json "['restored_from']"), not $savepoint"
  [ "$(json "['restore_verified']")" = True ] || fail "restore not verified"
}

# itest_clusters: the YAML the tests share: environment itest, the cluster
# `local` at $url and `dead` (nothing listens there). A test appends its jobs.
itest_clusters() {
  cat <<YAML
apiVersion: sp/v1
kind: Environment
metadata: {name: itest}
spec: {variables: {example.rate: "20"}}
---
apiVersion: sp/v1
kind: Cluster
metadata: {name: local, environment: itest}
spec: {type: remote, url: "$url"}
---
apiVersion: sp/v1
kind: Cluster
metadata: {name: dead, environment: itest}
spec: {type: remote, url: "http://127.0.0.1:9"}
---
YAML
}
