#!/usr/bin/env bash
# `sp watch` on a real Flink cluster of VERSION: checkpoints of a running job
# become restore points; a job made to fail is detected, alerted to a real
# webhook receiver and restarted from its latest checkpoint (verified), until
# restart.maxRestarts says stop; SIGKILL mid-cycle leaves an intact database
# and the next watcher takes over; a second watcher is refused; interactive
# commands beside the watcher never see "database is locked"; the JobManager
# killed is UNREACHABLE with one alert, and one more when it is back.
# Kills and restarts the cluster's JobManager: every job on it is lost, so
# this test runs after the others of its version (see tests/CMakeLists.txt).
source "$SP_TEST_LIB"
source "$(dirname "${BASH_SOURCE[0]}")/job_test_lib.sh" "$@"
name="watch-${line//./-}-$$"
failing="$name-fails"
alerts="$SP_TEST_TMP/alerts.jsonl"
: >"$alerts"

# A webhook receiver: one JSON alert per line in $alerts.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 - "$port" "$alerts" <<'PY' &
import http.server, sys
port, path = int(sys.argv[1]), sys.argv[2]
class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(path, "ab") as f:
            f.write(body.replace(b"\n", b" ") + b"\n")
        self.send_response(200)
        self.end_headers()
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", port), Receiver).serve_forever()
PY
receiver=$!
watcher=""
cleanup_watch() {
  [ -n "$watcher" ] && kill -TERM "$watcher" 2>/dev/null
  kill "$receiver" 2>/dev/null
  wait 2>/dev/null
}
trap 'cleanup_watch; [ -n "${SP_KEEP_TMP:-}" ] || rm -rf "$SP_TEST_TMP"' EXIT

{ itest_clusters; cat <<YAML; } >"$SP_TEST_TMP/objects.yaml"
apiVersion: sp/v1
kind: AlertChannel
metadata: {name: hook}
spec: {type: webhook, url: "http://127.0.0.1:$port/alerts"}
---
apiVersion: sp/v1
kind: Job
metadata: {name: $name, environment: itest, owner: team@example.com}
spec:
  cluster: local
  artifact: {jar: "$jar"}
  args: ["--name", "\${sp.job}", "--rate", "20"]
  parallelism: 1
  alerts: [hook]
---
apiVersion: sp/v1
kind: Job
metadata: {name: $failing, environment: itest, owner: team@example.com}
spec:
  cluster: local
  artifact: {jar: "$jar"}
  args: ["--name", "\${sp.job}", "--rate", "40", "--fail-after", "300"]
  parallelism: 1
  restart: {onFailure: true, maxRestarts: 1, window: 1h}
  alerts: [hook]
YAML
export SP_ENV=itest
sp apply -f "$SP_TEST_TMP/objects.yaml"
expect_rc 0 "apply"

# wait_for_alert KIND JOB SECONDS: until the receiver got such an alert.
wait_for_alert() {
  for _ in $(seq 1 "$3"); do
    python3 - "$alerts" "$1" "$2" <<'PY' && return 0
import json, sys
path, kind, job = sys.argv[1:]
for line in open(path):
    a = json.loads(line)
    if a["kind"] == kind and (job == "-" or a.get("job") == job):
        sys.exit(0)
sys.exit(1)
PY
    sleep 1
  done
  echo "alerts received:"; cat "$alerts"
  fail "no $1 alert for $2 within $3 s"
}
count_alerts() {
  python3 -c "
import json,sys
print(sum(1 for l in open('$alerts') if json.loads(l)['kind']=='$1'))"
}

# --- checkpoints of a running job become restore points --------------------
sp job start "$name"
expect_rc 0 "start $name"
wait_for_checkpoints 2
sp -o json watch --once
expect_rc 0 "watch --once"
[ "$(json "['runs']")" -ge 1 ] || fail "watch saw no runs: $out"
[ "$(json "['errors']")" -eq 0 ] || fail "watch had errors: $out"
sp -o json job points "$name"
python3 -c "
import json,sys; points=json.load(sys.stdin)
assert any(p['kind']=='checkpoint' and p['valid'] for p in points), points" <<<"$out" ||
  fail "no checkpoint recorded as a restore point"

# --- one watcher per database ---------------------------------------------
# The binary itself, not the sp() helper, so $! is the watcher's own pid.
"$SP_BIN" watch --interval 1s --metrics-file "$SP_TEST_TMP/sp.prom" >"$SP_TEST_TMP/watch.out" 2>"$SP_TEST_TMP/watch.err" &
watcher=$!
for _ in $(seq 1 30); do [ -s "$SP_TEST_TMP/sp.prom" ] && break; sleep 0.5; done
[ -s "$SP_TEST_TMP/sp.prom" ] || fail "no metrics file after 15 s: $(cat "$SP_TEST_TMP/watch.err")"
sp watch --once
expect_rc 4 "a second watcher"
expect_err "watch"
grep -q "sp_job_up{environment=\"itest\",job=\"$name\",cluster=\"local\"} 1" "$SP_TEST_TMP/sp.prom" ||
  fail "metrics do not show $name up: $(cat "$SP_TEST_TMP/sp.prom")"

# --- a failing job: detected, alerted, restarted from its latest checkpoint --
sp job start "$failing"
expect_rc 0 "start $failing"
# Interactive commands beside the watcher while it works.
for _ in $(seq 1 15); do
  sp -o json job list
  expect_rc 0 "job list beside watch"
  sp -o json job points "$failing"
  expect_rc 0 "job points beside watch"
done
wait_for_alert job-failed "$failing" 90
wait_for_alert auto-restart "$failing" 90
sp -o json job show "$failing"
restored=$(json "['latest_run']['restored_from']")
case "$restored" in
  *chk-*) ;;
  *) fail "the automatic restart restored '$restored', not a checkpoint" ;;
esac
[ "$(json "['latest_run']['restore_verified']")" = True ] || fail "the automatic restart's restore is not verified"
sp -o json job history "$failing"
python3 -c "
import json,sys; events=json.load(sys.stdin)
assert any(e['kind']=='auto-restart' for e in events), events" <<<"$out" || fail "no auto-restart event"

# It fails again: maxRestarts 1 within the hour is used up, so it stays down.
wait_for_alert auto-restart-refused "$failing" 90
[ "$(count_alerts auto-restart)" -eq 1 ] || fail "restarted more than maxRestarts times"
sp check "$failing"
expect_rc 2 "check of a failed job"
sp check "$name"
expect_rc 0 "check of a running job"

# --- SIGKILL mid-cycle: the database stays intact, the next watcher goes on --
kill -KILL "$watcher"
wait "$watcher" 2>/dev/null
watcher=""
[ "$(sqlite3 "$SP_HOME/sp.db" 'PRAGMA integrity_check')" = ok ] || fail "integrity_check failed after SIGKILL"
sp -o json watch --once
expect_rc 0 "watch after a killed watcher"
expect_err "took over"

# --- the JobManager dies and comes back --------------------------------------
"$SP_BIN" watch --interval 1s --unreachable-after 2 >"$SP_TEST_TMP/watch2.out" 2>"$SP_TEST_TMP/watch2.err" &
watcher=$!
sleep 2
bash "$flink_tests/cluster.sh" kill-jobmanager "$version" || fail "could not kill the JobManager"
wait_for_alert jobmanager-unreachable - 30
sp -o json job list
expect_rc 0 "job list while the JobManager is down"
bash "$flink_tests/cluster.sh" start-jobmanager "$version" >/dev/null || fail "could not start the JobManager again"
wait_for_alert jobmanager-recovered - 60
[ "$(count_alerts jobmanager-unreachable)" -eq 1 ] || fail "more than one unreachable alert"

# SIGTERM ends the loop after its cycle, cleanly.
kill -TERM "$watcher"
wait "$watcher"
rc=$?
watcher=""
[ "$rc" -eq 0 ] || fail "watch exited $rc on SIGTERM: $(cat "$SP_TEST_TMP/watch2.err")"
[ "$(sqlite3 "$SP_HOME/sp.db" 'PRAGMA integrity_check')" = ok ] || fail "integrity_check failed after SIGTERM"
finish
