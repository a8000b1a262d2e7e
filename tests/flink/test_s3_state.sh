#!/usr/bin/env bash
# SPEC 5.9, 5.10 with state on S3: a real Flink cluster of VERSION writes its
# checkpoints and savepoints through its own S3 plugin into the test run's
# s3proxy (tests/s3/server.sh), and sp reads them through the S3 REST API:
#   - stop with savepoint, then start: the savepoint on S3 restored, verified;
#   - cancel, then start: the retained checkpoint found by listing, restored;
#   - the newest point's objects deleted: marked invalid with the reason, and
#     the next valid point restored;
#   - wrong keys (403) and an unset key variable: exit 5, nothing marked;
#     a missing bucket: exit 5 before any submission; a server that does not answer: the timeout,
#     exit 5;
#   - the database lost: `sp job recover` over S3 listings, then start
#     restores the newest checkpoint;
#   - the secret key appears in no output, log or database of sp.
source "$SP_TEST_LIB"
source "$(dirname "${BASH_SOURCE[0]}")/job_test_lib.sh" "$@"
name="s3-${line//./-}-$$"

s3_env=$(bash "$flink_tests/../s3/server.sh" env) ||
  { echo "the S3 server is not running: start tests/s3/server.sh before the clusters (run-all.sh does)"; exit 1; }
eval "$s3_env"
grep -qF "s3.endpoint: $SP_S3_ENDPOINT" "$(bash "$flink_tests/cluster.sh" rundir "$version")"/conf/*.yaml ||
  { echo "cluster $version was started without the S3 server's keys: restart it after tests/s3/server.sh start"; exit 1; }
export SP_S3_ACCESS_KEY SP_S3_SECRET_KEY
root="s3://$SP_S3_BUCKET/$line-$$"


# objects ENDPOINT: the declarations, with sp reading S3 at ENDPOINT.
objects() {
  cat <<YAML
apiVersion: sp/v1
kind: Environment
metadata: {name: itest}
spec: {variables: {example.rate: "20"}}
---
apiVersion: sp/v1
kind: Cluster
metadata: {name: local, environment: itest}
spec:
  type: remote
  url: "$url"
  state: {root: "$root"}
  storage:
    s3: {endpoint: "$1", pathStyle: true, accessKeyEnv: SP_S3_ACCESS_KEY, secretKeyEnv: SP_S3_SECRET_KEY}
---
apiVersion: sp/v1
kind: Job
metadata: {name: $name, environment: itest}
spec:
  cluster: local
  artifact: {jar: "$jar"}
  entryClass: sp.example.StatefulCountJob
  args: ["--name", "\${sp.job}", "--rate", "50"]
  parallelism: 1
---
apiVersion: sp/v1
kind: Job
metadata: {name: $name-nobucket, environment: itest}
spec:
  cluster: local
  artifact: {jar: "$jar"}
  flinkConfiguration: {execution.checkpointing.dir: "s3://no-such-bucket-$$/checkpoints"}
YAML
}
apply_with_endpoint() {
  objects "$1" >"$SP_TEST_TMP/objects.yaml"
  sp apply -f "$SP_TEST_TMP/objects.yaml"
  expect_rc 0 "apply (S3 endpoint $1)"
}
export SP_ENV=itest
apply_with_endpoint "$SP_S3_ENDPOINT"
[ "$failures" -eq 0 ] || finish

# s3 ARGS...: curl against the test run's S3 server with its keys.
s3() { bash "$flink_tests/../s3/server.sh" curl "$@"; }
# keys_under URI: every object key below URI (one page is plenty here).
keys_under() {
  local prefix
  prefix=$(python3 -c "import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1] + '/', safe=''))" \
    "${1#s3://"$SP_S3_BUCKET"/}")
  s3 "$SP_S3_ENDPOINT/$SP_S3_BUCKET?list-type=2&prefix=$prefix" | python3 -c "
import re,sys; print('\n'.join(re.findall(r'<Key>([^<]*)</Key>', sys.stdin.read())))"
}
checkpoints="$root/itest/$name/checkpoints"
# newest_checkpoint ID: the newest chk-N with _metadata of Flink job ID, as an s3:// URI.
newest_checkpoint() {
  keys_under "$checkpoints/$1" | python3 -c "
import re,sys
n=[int(m.group(1)) for m in (re.search(r'/chk-(\d+)/_metadata$', l) for l in sys.stdin) if m]
print(max(n)) if n else sys.exit(1)" | sed "s|^|$checkpoints/$1/chk-|"
}
points_json() { sp -o json job points "$name"; echo "$out"; }

# 1. A first start (the S3 directories listed: nothing there), then stop with
# a savepoint on S3 and start from it.
sp -o json job start "$name"
expect_rc 0 "first start with state on S3"
[ "$failures" -eq 0 ] || finish
wait_for_checkpoints 1
stop_then_restore
case "$savepoint" in "$root/itest/$name/savepoints/"*) ;; *) fail "savepoint $savepoint is not under $root" ;; esac
keys_under "$savepoint" | grep -q '/_metadata$' || fail "no _metadata object for $savepoint"
flink_id=$(json "['flink_job_id']")

# 2. Cancel: the retained checkpoint on S3, found by listing the run's directory.
wait_for_checkpoints 2
sp job cancel "$name"
expect_rc 0 "cancel"
retained=$(newest_checkpoint "$flink_id") || fail "Flink retained no checkpoint of $flink_id on S3"
sp -o json job start "$name"
expect_rc 0 "start after cancel"
[ "$(json "['restored_from']")" = "$retained" ] || fail "restored $(json "['restored_from']"), not the retained $retained"
[ "$(json "['restore_verified']")" = True ] || fail "restore of the retained checkpoint not verified"

# 3. The newest point's objects deleted (the savepoint a stop just took).
wait_for_checkpoints 1
sp -o json job stop "$name"
expect_rc 0 "stop before deleting the savepoint"
deleted=$(json "['savepoint']")
case "$deleted" in "$root/"?*) ;; *) fail "stop recorded no savepoint under $root" && finish ;; esac
for key in $(keys_under "$deleted"); do s3 -X DELETE "$SP_S3_ENDPOINT/$SP_S3_BUCKET/$key" || fail "deleting $key"; done
[ -z "$(keys_under "$deleted")" ] || fail "objects of $deleted are left"

# 4. While they are gone, what cannot be checked marks nothing: wrong keys,
# an unset key variable, a missing bucket, a server that does not answer.
before=$(points_json)
SP_S3_SECRET_KEY=wrong-secret sp job plan "$name"
expect_rc 5 "plan with a wrong secret key"
expect_err "403"
expect_err "SP_S3_ACCESS_KEY and SP_S3_SECRET_KEY"
env -u SP_S3_SECRET_KEY "$SP_BIN" job plan "$name" >"$SP_TEST_TMP/unset.out" 2>&1
rc=$?
cat "$SP_TEST_TMP/unset.out" >>"$SP_TEST_TMP/transcript"
expect_rc 5 "plan with the secret key's variable unset"
grep -qF "SP_S3_SECRET_KEY is not set" "$SP_TEST_TMP/unset.out" || fail "unset key variable not named: $(cat "$SP_TEST_TMP/unset.out")"
sp job start "$name-nobucket"
expect_rc 5 "first start of a job whose bucket does not exist"
expect_err "bucket no-such-bucket-$$ does not exist"
sp -o json job show "$name-nobucket"
[ "$(json "['latest_run']")" = None ] || fail "a run was recorded for a start that could not check"
# A server that accepts connections and never answers.
python3 - "$SP_TEST_TMP/silent.port" <<'PY' &
import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(16)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
held = []
while True:
    held.append(s.accept()[0])
PY
silent_pid=$!
for _ in $(seq 1 50); do [ -s "$SP_TEST_TMP/silent.port" ] && break; sleep 0.1; done
apply_with_endpoint "http://127.0.0.1:$(cat "$SP_TEST_TMP/silent.port")"
started_at=$SECONDS
sp job plan "$name"
expect_rc 5 "plan with an S3 server that does not answer"
expect_err "imed out"
[ $((SECONDS - started_at)) -lt 60 ] || fail "the silent server held sp for $((SECONDS - started_at)) s"
kill "$silent_pid"
apply_with_endpoint "$SP_S3_ENDPOINT"
[ "$(points_json)" = "$before" ] || fail "points changed by checks that could not be made"

# 5. Now checked: the deleted savepoint is marked invalid with the reason,
# and the next valid point (the checkpoint step 2 restored, which NO_CLAIM
# leaves in place) is restored.
sp job plan "$name"
expect_rc 0 "plan with the newest savepoint's objects gone"
expect_out "$retained"
sp -o json job start "$name"
expect_rc 0 "start with the newest savepoint's objects gone"
[ "$(json "['restored_from']")" = "$retained" ] || fail "restored $(json "['restored_from']"), not the next valid $retained"
flink_id=$(json "['flink_job_id']")
python3 -c "
import json,sys; d=json.load(sys.stdin); p=[p for p in d if p['path']==sys.argv[1]][0]
assert not p['valid'], p" "$deleted" <<<"$(points_json)" || fail "the deleted savepoint is not marked invalid"
sp job history "$name"
expect_out "$deleted"

# 6. The database lost: recover over S3 listings, then start from the newest checkpoint.
wait_for_checkpoints 2
sp job cancel "$name"
expect_rc 0 "cancel before losing the database"
retained=$(newest_checkpoint "$flink_id") || fail "Flink retained no checkpoint of $flink_id on S3"
rm -f "$SP_HOME/sp.db" "$SP_HOME/sp.db-wal" "$SP_HOME/sp.db-shm"
apply_with_endpoint "$SP_S3_ENDPOINT"
sp -o json job recover "$name"
expect_rc 0 "recover over S3"
python3 -c "
import json,sys; r=json.load(sys.stdin)[0]
assert r['runs_recorded'] >= 1 and r['points_recorded'] >= 1, r" <<<"$out" || fail "recover found nothing on S3"
sp -o json job start "$name"
expect_rc 0 "start after recover"
[ "$(json "['restored_from']")" = "$retained" ] || fail "after recover restored $(json "['restored_from']"), not $retained"
[ "$(json "['restore_verified']")" = True ] || fail "restore after recover not verified"
sp job cancel "$name"
expect_rc 0 "final cancel"

# 7. The secret key never leaves the environment: every answer (lib.sh's transcript), SP_HOME.
if grep -rlaF -- "$SP_S3_SECRET_KEY" "$SP_TEST_TMP/transcript" "$SP_HOME" 2>/dev/null; then
  fail "the S3 secret key appears in the files above"
fi
finish
