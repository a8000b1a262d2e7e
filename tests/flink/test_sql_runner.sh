#!/usr/bin/env bash
# The SQL runner (runner/sql, SPEC 14) against Flink VERSION:
#   tests/flink/test_sql_runner.sh VERSION        (e.g. 1.20 or 2.2.1)
#
# (a) explain and compile locally, `java -cp runner.jar:$FLINK_HOME/lib/*`:
#     the plan names the sink, the compiled plan is this line's;
# (b) bad scripts fail with the runner's message and a non-zero exit: an
#     unknown connector names the INSERT's line and column, a SELECT kind
#     and a script version 2 are refused;
# (c) `bin/flink run -d` on the cluster: the job runs under the script's
#     name with the checkpoint interval the script SETs, and is cancelled;
# (d) execute-plan of (a)'s compiled plan through the REST API
#     (/jars/upload, /jars/:id/run), which runs main in the JobManager.
#
# The jar is $SP_SQL_RUNNER_DIR/sp-sql-runner-flink-<line>.jar when that is
# set (CMake's SP_SQL_RUNNER_BUILD_DIR), else Maven builds it into
# runner/sql/target when it is missing or older than its sources. Uses the
# cluster `cluster.sh url VERSION` names; if it is not running, installs and
# starts it and stops it again at the end. Exit 0 on success; otherwise
# prints the step that failed and exits 1, cancelling its jobs on the way.
set -euo pipefail

if [ $# -ne 1 ]; then echo "usage: $0 VERSION" >&2; exit 2; fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
cluster="$here/cluster.sh"
timeout=${SP_SMOKE_TIMEOUT:-120}

step=setup
fail() { printf 'test_sql_runner.sh: FAILED at %s: %s\n' "$step" "$*" >&2; exit 1; }
note() { printf 'test_sql_runner.sh: %s\n' "$*" >&2; }

version=$(bash "$cluster" resolve "$1") || exit 1
line=$(cut -d. -f1,2 <<<"$version")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sp-sql-runner-XXXXXX")
started_cluster=0
jobs=()
url=

cleanup() {
  local job
  for job in "${jobs[@]}"; do
    curl -s -o /dev/null -X PATCH "$url/jobs/$job?mode=cancel" || true
  done
  if [ "$started_cluster" -eq 1 ]; then bash "$cluster" stop "$version" || true; fi
  [ -n "${SP_KEEP_TMP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT

# ------------------------------------------------------------- the jar ----
step="finding the runner jar"
if [ -n "${SP_SQL_RUNNER_DIR:-}" ]; then
  jar="$SP_SQL_RUNNER_DIR/sp-sql-runner-flink-$line.jar"
  [ -f "$jar" ] || fail "$jar does not exist (build the sp_sql_runner target)"
else
  jar="$repo/runner/sql/target/flink-$line/sp-sql-runner-flink-$line.jar"
  if [ ! -f "$jar" ] || [ -n "$(find "$repo/runner/sql/pom.xml" "$repo/runner/sql/src" -newer "$jar" -type f | head -n 1)" ]; then
    note "building $jar"
    mvn -B -q -Dstyle.color=never -f "$repo/runner/sql/pom.xml" package "-Pflink-$line" >"$tmp/mvn.log" 2>&1 ||
      { tail -n 40 "$tmp/mvn.log" >&2; fail "building the runner for Flink $line"; }
  fi
fi
bash "$cluster" install "$version" >/dev/null 2>&1 || fail "installing Flink $version"
home=$(bash "$cluster" home "$version")
classpath="$jar:$home/lib/*"

# ----------------------------------------------------------- the script ----
# As sp would send it: statements split, with their place in the user's file.
name="sp-sql-runner-test-$line-$$"
write_script() {  # write_script FILE SINK_CONNECTOR
  cat >"$1" <<JSON
{"version": 1, "name": "$name", "statements": [
 {"kind": "set", "sql": "SET 'execution.checkpointing.interval' = '7s'",
  "key": "execution.checkpointing.interval", "value": "7s", "line": 1, "column": 1},
 {"kind": "create", "line": 2, "column": 1, "sql":
  "CREATE TABLE numbers (id BIGINT, ts AS LOCALTIMESTAMP, WATERMARK FOR ts AS ts) WITH ('connector' = 'datagen', 'rows-per-second' = '5', 'fields.id.min' = '1', 'fields.id.max' = '1000000')"},
 {"kind": "create", "line": 5, "column": 1, "sql":
  "CREATE TABLE sp_sink (id BIGINT, ts TIMESTAMP(3)) WITH ('connector' = '$2')"},
 {"kind": "insert", "line": 7, "column": 3, "sql": "INSERT INTO sp_sink SELECT id, ts FROM numbers"}
]}
JSON
}
write_script "$tmp/script.json" blackhole
script=$(gzip -c "$tmp/script.json" | base64 -w0)

# runner ARGS...: the runner on the local class path; sets $out, $err, $rc.
runner() {
  rc=0
  out=$(java -cp "$classpath" sp.sqlrunner.SqlRunner "$@" 2>"$tmp/stderr") || rc=$?
  err=$(cat "$tmp/stderr")
}

# ------------------------------------------------------------- (a) local ----
step="(a) explain"
runner --script "$script" --mode explain
[ "$rc" -eq 0 ] || fail "explain exited $rc: $err"
grep -qF "Sink(table=[default_catalog.default_database.sp_sink]" <<<"$out" || fail "the plan does not name the sink: $out"

step="(a) compile"
runner --script-file "$tmp/script.json" --mode compile --output "$tmp/plan.json"
[ "$rc" -eq 0 ] || fail "compile exited $rc: $err"
grep -qF "\"flinkVersion\" : \"$line\"" "$tmp/plan.json" || fail "the compiled plan is not Flink $line's: $(head -c 300 "$tmp/plan.json")"
grep -qF 'sp_sink' "$tmp/plan.json" || fail "the compiled plan does not name the sink"

# ------------------------------------------------------- (b) bad scripts ----
step="(b) unknown connector"
write_script "$tmp/bad.json" no-such-connector
runner --script "$(gzip -c "$tmp/bad.json" | base64 -w0)" --mode explain
[ "$rc" -ne 0 ] || fail "a script with an unknown connector succeeded"
grep -qF "sp-sql-runner: statement at line 7, column 3 (insert): " <<<"$err" || fail "no 'statement at line 7, column 3 (insert)' message: $err"
grep -qF "no-such-connector" <<<"$err" || fail "the message does not name the connector: $err"

step="(b) refused kind and version"
sed 's/"kind": "create"/"kind": "select"/' "$tmp/script.json" >"$tmp/select.json"
runner --script-file "$tmp/select.json" --mode explain
[ "$rc" -ne 0 ] && grep -qF 'unknown kind "select"' <<<"$err" || fail "a select kind was not refused (exit $rc): $err"
sed 's/"version": 1/"version": 2/' "$tmp/script.json" >"$tmp/v2.json"
runner --script-file "$tmp/v2.json"
[ "$rc" -ne 0 ] && grep -qF 'script version 2 is not supported' <<<"$err" || fail "version 2 was not refused (exit $rc): $err"

# ------------------------------------------------------- on the cluster ----
step="starting the cluster"
if ! bash "$cluster" status "$version" >/dev/null 2>&1; then
  bash "$cluster" start "$version" >/dev/null || fail "starting Flink $version"
  started_cluster=1
fi
url=$(bash "$cluster" url "$version")
port=${url##*:}
note "Flink $version at $url with $(basename "$jar")"

# rest PATH EXPR: GET PATH and print the Python expression EXPR over its JSON (as j).
rest() {
  curl -sf "$url$1" | python3 -c "import json,sys; j=json.load(sys.stdin); print($2)"
}

# wait_running JOB: until every task of JOB runs; fails if it ends first.
wait_running() {
  local deadline=$((SECONDS + timeout)) state
  while :; do
    state=$(rest "/jobs/$1" "j['state'] if j['state'] != 'RUNNING' else ('RUNNING' if all(v['status'] == 'RUNNING' for v in j['vertices']) else 'STARTING')") ||
      state=unknown
    case "$state" in
      RUNNING) return 0 ;;
      FAILED | CANCELED | FINISHED) fail "job $1 ended as $state: $(rest "/jobs/$1/exceptions" "j.get('root-exception')" || true)" ;;
    esac
    [ "$SECONDS" -lt "$deadline" ] || fail "job $1 is not running after ${timeout}s (state $state)"
    sleep 0.5
  done
}

# check_job JOB: runs under the script's name with its checkpoint interval; then cancelled.
check_job() {
  wait_running "$1"
  local shown interval
  shown=$(rest /jobs/overview "[x['name'] for x in j['jobs'] if x['jid'] == '$1'][0]")
  [ "$shown" = "$name" ] || fail "job $1 is named '$shown' in /jobs/overview, not '$name'"
  interval=$(rest "/jobs/$1/checkpoints/config" "j['interval']")
  [ "$interval" = 7000 ] || fail "job $1 checkpoints every $interval ms, not the script's 7s"
  curl -sf -o /dev/null -X PATCH "$url/jobs/$1?mode=cancel" || fail "cancelling job $1"
  local deadline=$((SECONDS + timeout))
  until [ "$(rest "/jobs/$1" "j['state']")" = CANCELED ]; do
    [ "$SECONDS" -lt "$deadline" ] || fail "job $1 was not CANCELED after ${timeout}s"
    sleep 0.5
  done
}

step="(c) bin/flink run -d"
# The client's own configuration and logs; it reaches the cluster by -D.
mkdir -p "$tmp/client-log"
rc=0
FLINK_LOG_DIR="$tmp/client-log" "$home/bin/flink" run -d -t remote \
  -Drest.address=127.0.0.1 -Drest.port="$port" "$jar" --script "$script" >"$tmp/run.out" 2>&1 || rc=$?
job=$(sed -n 's/.*JobID \([0-9a-f]\{32\}\).*/\1/p' "$tmp/run.out" | head -n 1)
[ -n "$job" ] || job=$(sed -n 's/^sp-sql-runner: submitted job \([0-9a-f]\{32\}\)$/\1/p' "$tmp/run.out" | head -n 1)
[ "$rc" -eq 0 ] && [ -n "$job" ] || fail "bin/flink run exited $rc without a job id: $(tail -n 30 "$tmp/run.out")"
jobs+=("$job")
check_job "$job"

step="(d) execute-plan through the REST API"
upload=$(curl -sf -F "jarfile=@$jar" "$url/jars/upload") || fail "uploading $jar"
jar_id=$(python3 -c "import json,os,sys; print(os.path.basename(json.load(sys.stdin)['filename']))" <<<"$upload")
plan=$(gzip -c "$tmp/plan.json" | base64 -w0)
python3 - "$script" "$plan" >"$tmp/run-body.json" <<'PY'
import json, sys
print(json.dumps({"programArgsList": ["--mode", "execute-plan", "--script", sys.argv[1], "--plan", sys.argv[2]]}))
PY
resp=$(curl -s -w '\n%{http_code}' -H 'Content-Type: application/json' --data-binary "@$tmp/run-body.json" "$url/jars/$jar_id/run")
[ "$(tail -n 1 <<<"$resp")" = 200 ] || fail "POST /jars/$jar_id/run: $resp"
job=$(head -n 1 <<<"$resp" | python3 -c "import json,sys; print(json.load(sys.stdin)['jobid'])")
jobs+=("$job")
check_job "$job"
curl -s -o /dev/null -X DELETE "$url/jars/$jar_id" || true

echo "test_sql_runner.sh: ok: Flink $version: explain, compile, refusals, run -d and execute-plan over REST"
