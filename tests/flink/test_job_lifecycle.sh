#!/usr/bin/env bash
# The restore rules of SPEC section 5 and the stop rules of section 6 on a real
# Flink cluster of VERSION (started by run-all.sh through cluster.sh), with the
# example job: fresh start, stop with savepoint, restore of exactly that
# savepoint, cancel, restore of the newer retained checkpoint, fallback past a
# deleted point, refusal without state, --restore none --force, and the error
# paths (already running, unresolved variable, failure at start, JobManager down).
source "$SP_TEST_LIB"
source "$(dirname "${BASH_SOURCE[0]}")/job_test_lib.sh" "$@"
name="lifecycle-${line//./-}-$$"

{ itest_clusters; cat <<YAML; } >"$SP_TEST_TMP/objects.yaml"
apiVersion: sp/v1
kind: Job
metadata: {name: $name, environment: itest}
spec:
  cluster: local
  artifact: {jar: "$jar"}
  entryClass: sp.example.StatefulCountJob
  args: ["--name", "\${sp.job}", "--rate", "\${example.rate}"]
  parallelism: 1
---
apiVersion: sp/v1
kind: Job
metadata: {name: $name-unresolved, environment: itest}
spec:
  cluster: local
  artifact: {jar: "$jar"}
  args: ["--name", "\${no.such.variable}"]
---
apiVersion: sp/v1
kind: Job
metadata: {name: $name-failing, environment: itest}
spec:
  cluster: local
  artifact: {jar: "$jar"}
  args: ["--fail-at-start"]
---
apiVersion: sp/v1
kind: Job
metadata: {name: $name-nowhere, environment: itest}
spec:
  cluster: dead
  artifact: {jar: "$jar"}
YAML
export SP_ENV=itest
sp apply -f "$SP_TEST_TMP/objects.yaml"
expect_rc 0 "apply"


# 1. First start: no state anywhere, so it starts fresh.
sp -o json job start "$name"
expect_rc 0 "first start"
[ "$(json "['restored_from']")" = "None" ] || fail "first start restored something"
[ "$(json "['state']")" = RUNNING ] || fail "first start is not RUNNING"
wait_for_checkpoints 2

# 2. Starting again while it runs is refused.
sp job start "$name"
expect_rc 4 "start while running"
expect_err "already RUNNING"

# 3. Stop with savepoint, then start: restores exactly that savepoint, verified.
stop_then_restore
[ "$(json "['jar_reused']")" = True ] || fail "the identical jar was uploaded again"
wait_for_checkpoints 2

# 4. Cancel, then start: the newer retained checkpoint wins over the older savepoint.
sp job cancel "$name"
expect_rc 0 "cancel"
sp -o json job start "$name"
expect_rc 0 "start after cancel"
checkpoint=$(json "['restored_from']")
case "$checkpoint" in */chk-*) ;; *) fail "restored $checkpoint, not a retained checkpoint" ;; esac
[ "$(json "['restore_verified']")" = True ] || fail "checkpoint restore not verified"
wait_for_checkpoints 2

# 5. Delete the newest point's run directory: start falls back to an older
# run's point, says so first, and marks the deleted point invalid.
sp job cancel "$name"
expect_rc 0 "second cancel"
sp -o json job points "$name"
newest=$(json "[0]['path']")
newest_run_dir=$(dirname "${newest#file:}")
rm -rf "$newest_run_dir"
sp -o json job start "$name"
expect_rc 0 "start with the newest run's directory deleted"
expect_err "falling back to an older point"
case "$(json "['restored_from']")" in "file:$newest_run_dir"/*) fail "restored from the deleted run directory" ;; esac
sp -o json job points "$name"
python3 -c '
import json, sys
points = json.load(sys.stdin)
bad = [p for p in points if p["path"] == sys.argv[1]]
assert bad and not bad[0]["valid"] and "does not exist" in bad[0]["note"], bad
' "$newest" <<<"$out" || fail "the deleted point is not marked invalid"
sp job history "$name"
expect_out "restore-point-invalid"

# 6. Delete every point and every run directory of the job (sp's job ids
# start with the job's key, SHA-256 of "sp/v1 <env>/<job>"): start refuses
# (exit 4) and lists what it tried.
sp job cancel "$name"
expect_rc 0 "third cancel"
sp -o json job points "$name"
for path in $(python3 -c "import json,sys; [print(p['path']) for p in json.load(sys.stdin)]" <<<"$out"); do
  rm -rf "${path#file:}"
done
key=$(printf 'sp/v1 itest/%s' "$name" | sha256sum | cut -c1-16)
rm -rf "$(bash "$flink_tests/cluster.sh" rundir "$version")/checkpoints/${key}5bf0"*
sp job start "$name"
expect_rc 4 "start without any valid point"
expect_err "no valid restore point"
expect_err "Tried:"
sp job plan "$name"
expect_rc 4 "plan shows the refusal"

# 7. --restore none --force starts without state on purpose.
sp job start "$name" --restore none
expect_rc 4 "--restore none without --force"
sp -o json job start "$name" --restore none --force
expect_rc 0 "--restore none --force"
[ "$(json "['restored_from']")" = "None" ] || fail "--restore none restored something"
sp job cancel "$name"
expect_rc 0 "final cancel"

# 8. An unresolved variable: exit 4 and nothing is uploaded.
jars_before=$(curl -fsS "$url/jars" | python3 -c "import json,sys; print(len(json.load(sys.stdin)['files']))")
sp job start "$name-unresolved"
expect_rc 4 "unresolved variable"
expect_err "undefined variable no.such.variable in environment itest"
jars_after=$(curl -fsS "$url/jars" | python3 -c "import json,sys; print(len(json.load(sys.stdin)['files']))")
[ "$jars_before" = "$jars_after" ] || fail "a jar was uploaded for an unresolvable job"

# 9. A job that fails at startup: exit 6 with Flink's cause.
sp job start "$name-failing"
expect_rc 6 "failing at start"
expect_err "failing at start on purpose"

# 10. A JobManager that does not answer: exit 5.
sp job start "$name-nowhere"
expect_rc 5 "dead JobManager"

finish
